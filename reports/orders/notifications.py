"""Notifications about orders: waiting for a visa or the signature, returned, approved.

The kinds are registered when this module is imported (reports.apps.ReportsConfig.ready). The
services call these functions inside their transaction; the approval route (visas) calls
``notify_order_awaiting(order, users, step=...)`` for each step's people.
"""

from django.urls import reverse

from organisations.notifications.kinds import Delivery, NotificationKind, register
from organisations.notifications.services import notifications_settle, notify
from organisations.roles import ROLE_CAPABILITIES

ORDER_AWAITING = register(
    NotificationKind("orders.awaiting", "Приказ ждёт вашей визы или подписи", Delivery.IMMEDIATE, order=10)
)
ORDER_RETURNED = register(
    NotificationKind("orders.returned", "Ваш приказ возвращён на доработку", Delivery.IMMEDIATE, order=11)
)
ORDER_APPROVED = register(NotificationKind("orders.approved", "Ваш приказ утверждён", Delivery.DIGEST, order=12))

# The approver's capability; in a school the director, in a district its officer.
APPROVE = "orders.approve"


def order_url(order) -> str:
    return reverse("reports:order_detail", kwargs={"org": order.organisation.slug, "pk": order.pk})


def order_approvers(order) -> list:
    """The users who may approve the order: members of its organisation with a role that approves."""
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if APPROVE in capabilities]
    return [
        membership.user for membership in order.organisation.memberships.filter(role__in=roles).select_related("user")
    ]


def _round(order) -> str:
    """One submission of the order: a resubmission after a return notifies again."""
    return f"{order.submitted_at:%Y%m%d%H%M%S%f}" if order.submitted_at else "0"


def _authors(order) -> list:
    return [user for user in {order.created_by, order.submitted_by} if user is not None]


def notify_order_awaiting(order, users, *, step: str = "approve"):
    """«Приказ … ждёт вашей подписи» (``step="approve"``) or «… вашей визы» (any other step, e.g. "visa-3")."""
    what = "вашей подписи" if step == "approve" else "вашей визы"
    return notify(
        kind=ORDER_AWAITING.code,
        organisation=order.organisation,
        recipients=users,
        text=f"Приказ «{order.title}» ждёт {what}.",
        url=order_url(order),
        key=f"orders.awaiting:{order.pk}:{_round(order)}:{step}",
    )


def settle_order_awaiting(order) -> int:
    """The route has moved on (returned or approved): the «ждёт визы/подписи» notices of the order are done."""
    return notifications_settle(kind=ORDER_AWAITING.code, key_prefix=f"orders.awaiting:{order.pk}:")


def notify_order_returned(order, *, by=None):
    settle_order_awaiting(order)
    return notify(
        kind=ORDER_RETURNED.code,
        organisation=order.organisation,
        recipients=[user for user in _authors(order) if user != by],
        text=f"Приказ «{order.title}» возвращён на доработку; замечания — на странице приказа.",
        url=order_url(order),
        key=f"orders.returned:{order.pk}:{_round(order)}",
    )


def notify_order_approved(order, *, by=None):
    settle_order_awaiting(order)
    label = f" № {order.number_label}" if order.number_label else ""
    date = f" от {order.approved_on:%d.%m.%Y}" if order.approved_on else ""
    return notify(
        kind=ORDER_APPROVED.code,
        organisation=order.organisation,
        recipients=[user for user in _authors(order) if user != by],
        text=f"Приказ «{order.title}» утверждён{date}{label}.",
        url=order_url(order),
        key=f"orders.approved:{order.pk}",
    )
