"""«Школа наставника»: training groups of mentors, their sessions and attendance."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from participants.models import MentorEntry

from .models import Programme, TrainingAttendance, TrainingGroup, TrainingMember, TrainingSession

ERROR_NOT_IN_MENTOR_BASE = "В группу включаются только наставники из базы {year} учебного года."
ERROR_ATTENDEE_NOT_MEMBER = "Присутствие отмечается только у участников группы."
ERROR_NO_TITLE = "Укажите название группы."


def mentor_base_people(*, programme: Programme):
    """People of the mentor base of the programme's school year (not those who left)."""
    entries = MentorEntry.objects.filter(
        organisation_id=programme.organisation_id, school_year=programme.school_year
    ).exclude(status=MentorEntry.Status.LEFT)
    return programme.organisation.people.filter(pk__in=entries.values("person_id")).order_by(
        "last_name", "first_name", "patronymic"
    )


@transaction.atomic
def training_group_save(
    *,
    programme: Programme,
    title: str,
    sessions_target: int,
    member_ids,
    group: TrainingGroup | None = None,
) -> TrainingGroup:
    """Creates or updates a group; its members are exactly ``member_ids`` afterwards."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": ERROR_NO_TITLE})
    member_ids = set(member_ids)
    allowed = set(mentor_base_people(programme=programme).filter(pk__in=member_ids).values_list("pk", flat=True))
    if member_ids - allowed:
        year = f"{programme.school_year}/{programme.school_year + 1}"
        raise ValidationError({"members": ERROR_NOT_IN_MENTOR_BASE.format(year=year)})
    group = group or TrainingGroup(organisation_id=programme.organisation_id)
    group.programme, group.title, group.sessions_target = programme, title, sessions_target
    group.full_clean(exclude=["organisation", "programme"])
    group.save()
    current = set(group.memberships.values_list("mentor_id", flat=True))
    group.memberships.filter(mentor_id__in=current - member_ids).delete()
    TrainingMember.objects.bulk_create(
        TrainingMember(organisation_id=group.organisation_id, group=group, mentor_id=pk)
        for pk in sorted(member_ids - current)
    )
    return group


@transaction.atomic
def training_session_save(
    *,
    group: TrainingGroup,
    held_on: datetime.date,
    topic: str,
    expert: str = "",
    format: str = TrainingSession.Format.WORKSHOP,
    attendee_ids=(),
    session: TrainingSession | None = None,
) -> TrainingSession:
    """Creates or updates a session; its attendance is exactly ``attendee_ids`` afterwards."""
    attendee_ids = set(attendee_ids)
    members = set(group.memberships.values_list("mentor_id", flat=True))
    if not attendee_ids <= members:
        raise ValidationError({"attendees": ERROR_ATTENDEE_NOT_MEMBER})
    session = session or TrainingSession(organisation_id=group.organisation_id, group=group)
    session.held_on, session.topic, session.expert, session.format = held_on, topic.strip(), expert.strip(), format
    session.full_clean(exclude=["organisation", "group"])
    session.save()
    current = set(session.attendance.values_list("mentor_id", flat=True))
    session.attendance.filter(mentor_id__in=current - attendee_ids).delete()
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(organisation_id=group.organisation_id, session=session, mentor_id=pk)
        for pk in sorted(attendee_ids - current)
    )
    return session
