"""Notifications of monitoring: a school's form not sent yet, when its authority presses «Напомнить».

Registered when this module is imported (reports.apps.ReportsConfig.ready)."""

from organisations.notifications.kinds import Delivery, NotificationKind, register

MONITORING_LATE = register(
    NotificationKind("monitoring.late", "Форма мониторинга вашей школы ещё не отправлена", Delivery.IMMEDIATE, order=45)
)
