"""Meetings of pairs and groups: logging them, who may log for which pair."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from organisations.tenancy import Access

from .models import Meeting, MeetingAttendance, Pair

ERROR_PAIR_NOT_WORKING = "Встречи вносятся только для пар, закреплённых приказом или работающих."
ERROR_ATTENDEE_NOT_IN_PAIR = "Отмечать присутствие можно только наставляемых этой пары."
ERROR_BEFORE_PAIR = "Встреча не может быть раньше начала работы пары ({date})."
ERROR_NO_ACCESS = "Недостаточно прав: встречи вносят куратор и наставник своей пары."

# Staff with this capability see and log the meetings of every pair; a mentor only of own pairs.
ALL_PAIRS_CAPABILITY = "programme.manage"


def meeting_pairs(*, access: Access, user):
    """The pairs whose meetings the user may see and log."""
    pairs = access.organisation.pairs.all()
    if access.can(ALL_PAIRS_CAPABILITY):
        return pairs
    if access.can("meetings.log"):
        return pairs.filter(mentor__user=user)
    raise PermissionDenied(ERROR_NO_ACCESS)


@transaction.atomic
def meeting_log(
    *,
    pair: Pair,
    user,
    kind: str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    format: str,
    topic: str = "",
    notes: str = "",
    usefulness: int | None = None,
    attendee_ids=(),
) -> Meeting:
    """Records a meeting of the pair with the mentees who attended."""
    if pair.status not in {Pair.Status.APPROVED, Pair.Status.ACTIVE}:
        raise ValidationError(ERROR_PAIR_NOT_WORKING)
    mentee_ids = set(pair.pair_mentees.values_list("mentee_id", flat=True))
    attendee_ids = set(attendee_ids)
    if not attendee_ids <= mentee_ids:
        raise ValidationError({"attendees": ERROR_ATTENDEE_NOT_IN_PAIR})
    if starts_at.date() < pair.starts_on:
        raise ValidationError({"starts_at": ERROR_BEFORE_PAIR.format(date=f"{pair.starts_on:%d.%m.%Y}")})
    meeting = Meeting(
        organisation_id=pair.organisation_id,
        pair=pair,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        format=format,
        topic=topic.strip(),
        notes=notes.strip(),
        usefulness=usefulness,
        logged_by=user,
    )
    meeting.full_clean(exclude=["pair", "organisation", "logged_by"])
    meeting.save()
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(organisation_id=pair.organisation_id, meeting=meeting, person_id=pk)
        for pk in sorted(attendee_ids)
    )
    return meeting
