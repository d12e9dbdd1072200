"""The one way to notify: ``notify()``; and what a person does with their notices."""

import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from .kinds import Delivery, kind_of
from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

TEXT_LIMIT = 500


def _user_ids(recipients) -> set[int]:
    return {getattr(user, "pk", user) for user in recipients if user is not None}


def deliveries(*, users, kind: str) -> dict[int, str]:
    """Each user's e-mail delivery for the kind: their preference or the kind's default; off without an address."""
    default = kind_of(kind).default_delivery
    chosen = dict(
        NotificationPreference.objects.filter(user__in=[user.pk for user in users], kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {user.pk: (chosen.get(user.pk, default) if user.email else Delivery.OFF) for user in users}


@transaction.atomic
def notify(*, kind: str, organisation, recipients, text: str, url: str, key: str) -> list[Notification]:
    """Notifies each recipient (users or their ids) once per ``key``; returns the notices made now.

    Inactive users and users who are not members of the organisation get nothing. Messages are
    short Russian texts: no personal data of children beyond a first name and a class, they go
    out by e-mail. E-mails «сразу» are sent by the background task queued after the commit.
    """
    kind_of(kind)  # an unknown kind is a programming error
    if len(text) > TEXT_LIMIT:
        text = text[: TEXT_LIMIT - 1] + "…"
    ids = _user_ids(recipients)
    if not ids:
        return []
    users = list(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True, memberships__organisation=organisation)
        .distinct()
        .order_by("pk")
    )
    done = set(Notification.objects.filter(recipient__in=users, key=key).values_list("recipient_id", flat=True))
    users = [user for user in users if user.pk not in done]
    delivery = deliveries(users=users, kind=kind)
    made = []
    for user in users:
        try:
            with transaction.atomic():
                made.append(
                    Notification.objects.create(
                        recipient=user,
                        organisation=organisation,
                        kind=kind,
                        text=text,
                        url=url,
                        key=key,
                        delivery=delivery[user.pk],
                    )
                )
        except IntegrityError:
            continue  # the same event notified concurrently
    if any(notification.delivery == Delivery.IMMEDIATE for notification in made):
        transaction.on_commit(_enqueue_sending)
    return made


def _enqueue_sending() -> None:
    from .tasks import send_notifications_task

    try:
        send_notifications_task.enqueue(digests=False)
    except Exception:  # the next run of send_notifications sends them
        logger.exception("Could not queue the sending of notifications")


def notification_open(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_settle(*, kind: str, key_prefix: str) -> int:
    """Marks read everyone's unread notices of an event that is over (an order approved: its
    «ждёт подписи» notices); their pending e-mails are not sent. Returns how many."""
    return Notification.objects.filter(kind=kind, key__startswith=key_prefix, read_at__isnull=True).update(
        read_at=timezone.now(), delivery=Delivery.OFF
    )


def notifications_read_all(*, user, organisation) -> int:
    return Notification.objects.filter(recipient=user, organisation=organisation, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user, choices: dict[str, str]) -> None:
    """``choices``: kind code → delivery. A choice equal to the kind's default keeps no row."""
    for code, delivery in choices.items():
        kind = kind_of(code)
        if delivery not in Delivery.values:
            raise ValueError(f"Unknown delivery {delivery!r}")
        if delivery == kind.default_delivery:
            NotificationPreference.objects.filter(user=user, kind=code).delete()
        else:
            NotificationPreference.objects.update_or_create(user=user, kind=code, defaults={"delivery": delivery})
