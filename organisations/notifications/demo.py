"""Demo: the notifications the demo's own data give today (pairs without meetings, deadlines, orders
waiting…), made by the kinds' collectors as ``send_notifications`` would. The demo sends no e-mail."""

import datetime

from django.utils import timezone

from .kinds import Delivery
from .models import Notification
from .sending import collect_events


def demo_notifications(*, organisations, today: datetime.date | None = None) -> int:
    collect_events(today=today or timezone.localdate())
    mine = Notification.objects.filter(organisation__in=organisations)
    mine.filter(emailed_at__isnull=True).exclude(delivery=Delivery.OFF).update(delivery=Delivery.OFF)
    return mine.filter(read_at__isnull=True).count()
