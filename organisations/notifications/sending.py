"""Sending: the time-based events of every kind, then the pending e-mails.

Idempotent: a notice is claimed (``emailed_at`` set) before it is sent, so two runs, or the
command and the background task at once, never send it twice. A failed send releases the claim
and records ``attempts`` and ``last_error``: the next run tries again (up to MAX_ATTEMPTS), and
the list page shows it. «Сразу» goes out at once; a daily digest goes to a person at the first
run of the day from NOTIFICATION_DIGEST_HOUR on, one e-mail listing the pending notices.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .channels import CHANNELS
from .kinds import Delivery, all_kinds
from .models import MAX_ATTEMPTS, Notification

logger = logging.getLogger(__name__)


@dataclass
class SendResult:
    made: int = 0  # notifications made by the collectors
    sent: int = 0  # messages sent
    failed: int = 0  # messages that failed (to be retried)


def collect_events(*, today: datetime.date) -> int:
    """Runs the collector of every time-based kind; a failing collector does not stop the others."""
    made = 0
    for kind in all_kinds():
        if kind.collect is None:
            continue
        try:
            made += kind.collect(today) or 0
        except Exception:
            logger.exception("Notification collector %s failed", kind.code)
    return made


def pending_notifications():
    return (
        Notification.objects.filter(
            delivery__in=[Delivery.IMMEDIATE, Delivery.DIGEST], emailed_at__isnull=True, attempts__lt=MAX_ATTEMPTS
        )
        .select_related("recipient", "organisation")
        .order_by("recipient_id", "created_at", "pk")
    )


def _deliver(notifications: list[Notification], now: datetime.datetime) -> bool | None:
    """Claims the notices, sends them as one message through every channel; None when none was left to claim."""
    mine = [
        notification
        for notification in notifications
        if Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=now)
    ]
    if not mine:
        return None
    ids = [notification.pk for notification in mine]
    try:
        for channel in CHANNELS:
            channel.send(mine)
    except Exception as error:
        logger.warning("Notifications %s not sent: %s", ids, error)
        message = (str(error) or type(error).__name__)[:500]
        Notification.objects.filter(pk__in=ids).update(emailed_at=None, attempts=F("attempts") + 1, last_error=message)
        return False
    Notification.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, last_error="")
    return True


def send_pending(*, now: datetime.datetime | None = None, digests: bool = True) -> SendResult:
    now = now or timezone.now()
    result = SendResult()
    pending = list(pending_notifications().filter(created_at__lte=now))

    def count(outcome):
        if outcome is True:
            result.sent += 1
        elif outcome is False:
            result.failed += 1

    for notification in pending:
        if notification.delivery == Delivery.IMMEDIATE:
            count(_deliver([notification], now))
    local = timezone.localtime(now)
    if digests and local.hour >= settings.NOTIFICATION_DIGEST_HOUR:
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        had_digest = set(
            Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__gte=day_start).values_list(
                "recipient_id", flat=True
            )
        )
        by_recipient: dict[int, list[Notification]] = {}
        for notification in pending:
            if notification.delivery == Delivery.DIGEST and notification.recipient_id not in had_digest:
                by_recipient.setdefault(notification.recipient_id, []).append(notification)
        for notifications in by_recipient.values():
            count(_deliver(notifications, now))
    return result


def run(
    *, today: datetime.date | None = None, now: datetime.datetime | None = None, digests: bool = True
) -> SendResult:
    """What send_notifications does: collect the day's events, then send."""
    made = collect_events(today=today or timezone.localdate())
    result = send_pending(now=now, digests=digests)
    result.made = made
    return result
