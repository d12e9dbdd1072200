"""Reused reads of questionnaires: who gets a questionnaire of an audience, and who of a list of
people was sent one and who answered (the programme's stage checklist asks this)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from organisations.models import Organisation
from participants.models import Invitation, Person, QuestionnaireTemplate, Response
from participants.questionnaires.results import MENTEE_AUDIENCES


def for_audience(template: QuestionnaireTemplate, *, mentors: Iterable[int], mentees: Iterable[int]) -> set[int]:
    """A mentors' questionnaire goes to the mentors, a mentees' one to the mentees, others to both."""
    if template.audience == QuestionnaireTemplate.Audience.MENTOR:
        return set(mentors)
    if template.audience in MENTEE_AUDIENCES:
        return set(mentees)
    return set(mentors) | set(mentees)


@dataclass(frozen=True)
class QuestionnaireCoverage:
    total: int
    invited: int
    answered: int
    not_invited: list[Person]
    not_answered: list[Person]


def questionnaire_coverage(
    *, organisation: Organisation, person_ids, audience: str, phases: list[str], since: datetime.date | None = None
) -> QuestionnaireCoverage:
    """Of the people (``person_ids``: ids or a values() queryset), who was sent and who answered a
    questionnaire of the audience and phases, on or after ``since``: one query."""
    invitations = Invitation.objects.filter(
        organisation=organisation,
        person=OuterRef("pk"),
        template__audience=audience,
        template__phase__in=phases,
    )
    responses = Response.objects.filter(
        organisation=organisation,
        person=OuterRef("pk"),
        template__audience=audience,
        template__phase__in=phases,
        submitted_at__isnull=False,
    )
    if since is not None:
        invitations = invitations.filter(created_at__date__gte=since)
        responses = responses.filter(submitted_at__date__gte=since)
    rows = list(
        organisation.people.filter(pk__in=person_ids)
        .annotate(was_invited=Exists(invitations), has_answered=Exists(responses))
        .order_by("last_name", "first_name", "pk")
    )
    return QuestionnaireCoverage(
        total=len(rows),
        invited=sum(1 for p in rows if p.was_invited or p.has_answered),
        answered=sum(1 for p in rows if p.has_answered),
        not_invited=[p for p in rows if not (p.was_invited or p.has_answered)],
        not_answered=[p for p in rows if not p.has_answered],
    )
