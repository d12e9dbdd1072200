"""Reads of the «Школа наставника»: the groups' indicator and each mentor's training."""

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from .models import TrainingMember


def training_groups(*, organisation, today: datetime.date | None = None):
    """Groups with ``members_count``, ``sessions_held`` (held on or before today) and ``sessions_total``."""
    today = today or timezone.localdate()
    return (
        organisation.training_groups.select_related("programme")
        .annotate(
            members_count=Count("memberships", distinct=True),
            sessions_held=Count("sessions", filter=Q(sessions__held_on__lte=today), distinct=True),
            sessions_total=Count("sessions", distinct=True),
        )
        .order_by("-programme__school_year", "title")
    )


def training_summary(*, organisation, person_ids, today: datetime.date | None = None) -> dict[int, tuple[int, int]]:
    """For each person: (sessions attended, sessions held) in the groups the person belongs to.

    One query. Sessions after today are not counted yet. A person in no group gets (0, 0).
    """
    today = today or timezone.localdate()
    person_ids = list(person_ids)
    held = Q(group__sessions__held_on__lte=today)
    rows = (
        TrainingMember.objects.filter(organisation=organisation, mentor_id__in=person_ids)
        .values("mentor_id")
        .annotate(
            total=Count("group__sessions", filter=held, distinct=True),
            attended=Count(
                "group__sessions",
                filter=held & Q(group__sessions__attendance__mentor_id=F("mentor_id")),
                distinct=True,
            ),
        )
        .order_by()
    )
    summary = {pk: (0, 0) for pk in person_ids}
    for row in rows:
        summary[row["mentor_id"]] = (row["attended"], row["total"])
    return summary
