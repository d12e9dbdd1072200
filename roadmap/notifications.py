"""Notifications of the roadmap: an item you are responsible for is due within 3 days or overdue.

This replaces the daily reminder letter: ``manage.py send_notifications`` runs ``collect`` and
each responsible user gets one notice when the date comes near and one when it has passed, by
e-mail in the daily digest unless they choose otherwise.
"""

import datetime

from django.urls import reverse

from organisations.notifications.kinds import Delivery, NotificationKind, register
from organisations.notifications.services import notify

from .selectors import reminder_occurrences

DAYS_AHEAD = 3
CONTENT_LIMIT = 120


def _content(occurrence) -> str:
    content = " ".join(occurrence.item.content.split())
    return content if len(content) <= CONTENT_LIMIT else content[: CONTENT_LIMIT - 1] + "…"


def _users(occurrence) -> set[int]:
    """The responsible users: named as users, or people of the school with an account (not blocked)."""
    users = set()
    for responsible in occurrence.item.responsibles.all():
        if responsible.user_id:
            users.add(responsible.user_id)
        elif responsible.person.user_id and not (
            responsible.person.processing_blocked_at or responsible.person.anonymised_at
        ):
            users.add(responsible.person.user_id)
    return users


def collect(today: datetime.date) -> int:
    made = 0
    for occurrence in reminder_occurrences(today=today, days=DAYS_AHEAD):
        users = _users(occurrence)
        if not users:
            continue
        due = f"{occurrence.due_on:%d.%m.%Y}"
        if occurrence.due_on < today:
            phase, text = "overdue", f"Просрочено мероприятие дорожной карты «{_content(occurrence)}»: срок был {due}."
        else:
            days = (occurrence.due_on - today).days
            when = "сегодня" if days == 0 else ("завтра" if days == 1 else f"через {days} дня")
            phase, text = "soon", f"Срок мероприятия дорожной карты «{_content(occurrence)}» — {due} ({when})."
        made += len(
            notify(
                kind=ROADMAP_DUE.code,
                organisation=occurrence.organisation,
                recipients=users,
                text=text,
                url=reverse(
                    "roadmap:item_detail", kwargs={"org": occurrence.organisation.slug, "pk": occurrence.item_id}
                ),
                key=f"roadmap.due:{occurrence.pk}:{phase}",
            )
        )
    return made


ROADMAP_DUE = register(
    NotificationKind(
        "roadmap.due",
        "Срок мероприятия дорожной карты, за которое вы отвечаете, через 3 дня или прошёл",
        Delivery.DIGEST,
        collect=collect,
        order=20,
    )
)
