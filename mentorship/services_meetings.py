"""Meetings of pairs and groups: logging and correcting them, who may see and log which pair."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from organisations.tenancy import Access

from .models import Meeting, MeetingAttendance, Pair
from .selectors import WORKING_NOW_STATUSES
from .selectors_plans import mentor_own_pairs

ERROR_PAIR_NOT_WORKING = "Встречи вносятся только для пар, закреплённых приказом или работающих."
ERROR_EDIT_PAIR_NOT_WORKING = "Встречи исправляют, пока пара закреплена приказом или работает; эта пара — «{status}»."
ERROR_ATTENDEE_NOT_IN_PAIR = "Отмечать присутствие можно только наставляемых этой пары."
ERROR_BEFORE_PAIR = "Встреча не может быть раньше начала работы пары ({date})."
ERROR_NO_ACCESS = "Недостаточно прав: встречи вносят куратор и наставник своей пары."

# Staff with this capability see and log the meetings of every pair; a mentor only of own pairs.
ALL_PAIRS_CAPABILITY = "programme.manage"
# Seeing every pair's meetings without logging them (the methodist); staff have it too.
VIEW_CAPABILITY = "meetings.view"
LOG_CAPABILITY = "meetings.log"


def meeting_pairs(*, access: Access, user):
    """The pairs whose meetings the user may log and correct."""
    pairs = access.organisation.pairs.all()
    if access.can(ALL_PAIRS_CAPABILITY):
        return pairs
    if access.can(LOG_CAPABILITY):
        return mentor_own_pairs(pairs, user=user)
    raise PermissionDenied(ERROR_NO_ACCESS)


def meeting_pairs_to_view(*, access: Access, user):
    """The pairs whose meetings the user may see: every pair for staff and the methodist, own
    pairs for a mentor."""
    if access.can(VIEW_CAPABILITY):
        return access.organisation.pairs.all()
    return meeting_pairs(access=access, user=user)


def may_log(*, access: Access, user, pair: Pair) -> bool:
    """Whether the user may log (and correct) meetings of this pair now."""
    if pair.status not in WORKING_NOW_STATUSES:
        return False
    if access.can(ALL_PAIRS_CAPABILITY):
        return True
    return access.can(LOG_CAPABILITY) and pair.mentor.user_id == user.pk


def _check(*, pair: Pair, starts_at: datetime.datetime, attendee_ids: set[int]) -> None:
    mentee_ids = set(pair.pair_mentees.values_list("mentee_id", flat=True))
    if not attendee_ids <= mentee_ids:
        raise ValidationError({"attendees": ERROR_ATTENDEE_NOT_IN_PAIR})
    if starts_at.date() < pair.starts_on:
        raise ValidationError({"starts_at": ERROR_BEFORE_PAIR.format(date=f"{pair.starts_on:%d.%m.%Y}")})


def _save(meeting: Meeting, attendee_ids: set[int]) -> Meeting:
    """Saves the meeting and makes its attendance exactly ``attendee_ids``."""
    new = meeting.pk is None
    meeting.full_clean(exclude=["pair", "organisation", "logged_by"])
    meeting.save()
    present: set[int] = set()
    if not new:
        MeetingAttendance.objects.filter(meeting=meeting).exclude(person_id__in=attendee_ids).delete()
        present = set(MeetingAttendance.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(organisation_id=meeting.organisation_id, meeting=meeting, person_id=pk)
        for pk in sorted(attendee_ids - present)
    )
    return meeting


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
    if pair.status not in WORKING_NOW_STATUSES:
        raise ValidationError(ERROR_PAIR_NOT_WORKING)
    attendee_ids = set(attendee_ids)
    _check(pair=pair, starts_at=starts_at, attendee_ids=attendee_ids)
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
    return _save(meeting, attendee_ids)


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
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
    """Corrects a logged meeting: the same rules as logging it. Who may is the caller's check
    (``meeting_pairs``); ``logged_by`` keeps who logged it first."""
    meeting = Meeting.objects.select_for_update().select_related("pair").get(pk=meeting.pk)
    pair = meeting.pair
    if pair.status not in WORKING_NOW_STATUSES:
        raise ValidationError(ERROR_EDIT_PAIR_NOT_WORKING.format(status=pair.get_status_display()))
    attendee_ids = set(attendee_ids)
    _check(pair=pair, starts_at=starts_at, attendee_ids=attendee_ids)
    meeting.kind = kind
    meeting.starts_at = starts_at
    meeting.duration_minutes = duration_minutes
    meeting.format = format
    meeting.topic = topic.strip()
    meeting.notes = notes.strip()
    meeting.usefulness = usefulness
    return _save(meeting, attendee_ids)
