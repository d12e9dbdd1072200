"""Notifications of participants: a questionnaire sending closes within 3 days with under half answered.

A sending is the invitations one user sent to one questionnaire with one expiry date (a class, a
base, a programme at once). Its sender hears once per sending.
"""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from organisations.figures import whole_percent
from organisations.models import Organisation
from organisations.notifications.kinds import Delivery, NotificationKind, register
from organisations.notifications.services import notify

from .models import Invitation

DAYS_AHEAD = 3
LOW_SHARE = 50  # per cent answered


def sendings_closing(*, today: datetime.date, days: int = DAYS_AHEAD):
    """Sendings whose links expire within ``days``: organisation, template, sender, expiry day, counts."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + datetime.timedelta(days=days + 1)
    return (
        Invitation.objects.filter(
            expires_at__gt=max(start, timezone.now()), expires_at__lt=end, created_by__isnull=False
        )
        .annotate(expires_on=TruncDate("expires_at"))
        .values("organisation", "template", "template__title", "created_by", "expires_on")
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by("organisation", "template", "created_by", "expires_on")
    )


def collect(today: datetime.date) -> int:
    sendings = [s for s in sendings_closing(today=today) if whole_percent(s["answered"], s["total"]) < LOW_SHARE]
    organisations = Organisation.objects.in_bulk({s["organisation"] for s in sendings})
    made = 0
    for sending in sendings:
        organisation = organisations[sending["organisation"]]
        share = whole_percent(sending["answered"], sending["total"])
        url = reverse("participants:invitation_list", kwargs={"org": organisation.slug})
        made += len(
            notify(
                kind=QUESTIONNAIRE_LOW.code,
                organisation=organisation,
                recipients=[sending["created_by"]],
                text=(
                    f"Анкета «{sending['template__title']}» закрывается {sending['expires_on']:%d.%m.%Y}: "
                    f"ответили {sending['answered']} из {sending['total']} ({share} %)."
                ),
                url=f"{url}?template={sending['template']}&pending=1",
                key=(
                    f"questionnaires.low:{sending['template']}:{sending['created_by']}:{sending['expires_on']:%Y-%m-%d}"
                ),
            )
        )
    return made


QUESTIONNAIRE_LOW = register(
    NotificationKind(
        "questionnaires.low_answers",
        "Рассылка анкеты закрывается через 3 дня, а ответили меньше половины",
        Delivery.IMMEDIATE,
        collect=collect,
        order=50,
    )
)
