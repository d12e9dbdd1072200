"""The kinds of notifications: each declared by the app that owns its event.

An app registers its kinds in a module imported from its AppConfig.ready(), e.g.::

    ORDER_RETURNED = register(NotificationKind("orders.returned", "Ваш приказ возвращён на доработку"))

A time-based kind (a deadline coming, a pair that has not met) has ``collect``: a function of
``today`` that finds the events and calls ``services.notify`` for each (idempotent by key);
``manage.py send_notifications`` runs every collector before it sends the mail.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


class Delivery(models.TextChoices):
    """How a person gets a kind by e-mail; in the app every notification is always shown."""

    IMMEDIATE = "immediate", "сразу"
    DIGEST = "digest", "ежедневная сводка"
    OFF = "off", "не присылать"


@dataclass(frozen=True)
class NotificationKind:
    code: str  # "orders.awaiting": the app's name, a dot, the event
    title: str  # what the preferences page shows: «Приказ ждёт вашего согласования или подписи»
    default_delivery: str = Delivery.IMMEDIATE
    # Time-based events: (today) -> the number of notifications made; run by send_notifications.
    collect: Callable[[datetime.date], int] | None = None
    order: int = 100  # the place on the preferences page

    def __post_init__(self):
        if self.default_delivery not in Delivery.values:
            raise ValueError(f"{self.code}: unknown default delivery {self.default_delivery!r}")


KINDS: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    """Adds a kind to the registry (a second registration of the same code replaces the first:
    module reloads in tests)."""
    KINDS[kind.code] = kind
    return kind


def kind_of(code: str) -> NotificationKind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"Unknown notification kind {code!r}; register it in its app's ready()") from None


def all_kinds() -> list[NotificationKind]:
    return sorted(KINDS.values(), key=lambda kind: (kind.order, kind.title))
