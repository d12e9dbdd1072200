"""The matching engine's data: profiles of a school year's mentors and mentees from the bases.

Who takes part: mentors of the register (approved or active) and mentees included in the base,
each with a valid participation consent and processing not blocked (152-ФЗ: no pairing without
consent). With a form, its sides narrow the pools (``participants.mentoring_forms``: «ученик –
ученик» takes student mentors only); a form declaring no side keeps the old reading by audience:
a teachers' form pairs teachers with teachers, a students' form takes student mentees.

Text becomes words with ``matching.words`` (lower case, «ё» as «е», function words dropped, common
Russian endings cut). Subjects are recognised in the text by ``matching.subjects_in``; days and the
format of meetings by ``matching.availability_slots`` — for mentors in «когда может заниматься»,
for mentees in their request (the base keeps no separate field for it).

A fixed number of queries, whatever the number of entries: three for mentors (rows, tags,
preferred forms), two for mentees (rows, tags).
"""

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch, Q

from organisations.models import Organisation
from participants.mentoring_forms import MENTEE, MENTOR, person_fits
from participants.models import MenteeEntry, MentoringForm, Person, RoleModel, Tag
from participants.selectors import valid_consent_exists
from participants.selectors_bases import NAME_ORDER, REGISTER_STATUSES

from .matching import (
    MenteeProfile,
    MentorProfile,
    RoleModelProfile,
    availability_slots,
    role_model_profile,
    subjects_in,
    word_forms,
    words,
)

MENTEE_STATUSES = [MenteeEntry.Status.INCLUDED]
DAYS_PER_YEAR = 365.25


def _age(birth_date: datetime.date | None, on: datetime.date) -> float | None:
    return None if birth_date is None else (on - birth_date).days / DAYS_PER_YEAR


def _eligible(queryset):
    """Entries whose person may be processed for participation: valid consent, not blocked."""
    return queryset.filter(
        valid_consent_exists(person_field="person"),
        person__processing_blocked_at__isnull=True,
        person__anonymised_at__isnull=True,
    )


def _tags_prefetch() -> Prefetch:
    return Prefetch("person__tags", queryset=Tag.objects.only("pk", "name"))


def _tag_names(person: Person) -> frozenset[str]:
    return frozenset(tag.name for tag in person.tags.all())


def _fits_any(person: Person, side: str) -> bool:
    return True


def _category_q(categories: list[str]) -> Q:
    return Q(person__category__in=categories) if categories else Q()


def _audience_mentees(form: MentoringForm) -> list[str]:
    """A form with no mentee side declared: mentees of its audience."""
    if form.audience == MentoringForm.Audience.TEACHERS:
        return [Person.Category.TEACHER]
    return [Person.Category.STUDENT]


def profiles_for_year(
    *, organisation: Organisation, school_year: int, form: MentoringForm | None = None
) -> tuple[list[MenteeProfile], list[MentorProfile]]:
    """(mentees, mentors) of the school year, ready for ``matching.suggest``; ids are entry ids."""
    on = datetime.date(school_year, 9, 1)
    mentor_entries = _eligible(
        organisation.mentor_entries.filter(school_year=school_year, status__in=REGISTER_STATUSES)
    )
    mentee_entries = _eligible(organisation.mentee_entries.filter(school_year=school_year, status__in=MENTEE_STATUSES))
    fits = _fits_any
    if form is not None:
        mentor_entries = mentor_entries.filter(_category_q(form.mentor_categories))
        mentee_entries = mentee_entries.filter(_category_q(form.mentee_categories or _audience_mentees(form)))
        if form.audience == MentoringForm.Audience.TEACHERS and not form.mentor_categories:
            mentor_entries = mentor_entries.filter(person__category=Person.Category.TEACHER)

        def fits(person: Person, side: str) -> bool:
            # Grades and positions, which SQL on SQLite cannot compare case-insensitively in Cyrillic.
            return person_fits(form, person, side)

    mentors = []
    for entry in (
        mentor_entries.select_related("person")
        .prefetch_related(_tags_prefetch(), Prefetch("preferred_forms", queryset=MentoringForm.objects.only("pk")))
        .order_by(*NAME_ORDER)
    ):
        person = entry.person
        if not fits(person, MENTOR):
            continue
        tags = _tag_names(person)
        known_text = " ".join([entry.competencies, *tags])
        mentors.append(
            MentorProfile(
                id=entry.pk,
                person_id=person.pk,
                name=person.full_name,
                capacity=entry.capacity,
                category=person.category,
                competencies=words(entry.competencies),
                tags=tags,
                subjects=subjects_in(person.subjects) | subjects_in(known_text),
                grade=person.grade,
                age=_age(person.birth_date, on),
                experience_years=person.experience_years,
                availability=availability_slots(entry.availability),
                preferred_forms=frozenset(f.pk for f in entry.preferred_forms.all()),
                position=person.position,
            )
        )

    mentees = []
    for entry in mentee_entries.select_related("person").prefetch_related(_tags_prefetch()).order_by(*NAME_ORDER):
        person = entry.person
        if not fits(person, MENTEE):
            continue
        tags = _tag_names(person)
        request_text = " ".join([entry.needs, *tags])
        subjects = subjects_in(request_text)
        if person.category == Person.Category.TEACHER:
            subjects |= subjects_in(person.subjects)  # a young teacher looks for a colleague of the subject
        mentees.append(
            MenteeProfile(
                id=entry.pk,
                person_id=person.pk,
                name=person.full_name,
                category=person.category,
                needs=words(entry.needs),
                tags=tags,
                subjects=subjects,
                grade=person.grade,
                age=_age(person.birth_date, on),
                experience_years=person.experience_years,
                availability=availability_slots(request_text),
                need_kind=entry.need_kind,
                word_forms=word_forms(request_text),
            )
        )
    return mentees, mentors


def role_model_profiles(role_models: Iterable[RoleModel]) -> list[RoleModelProfile]:
    """The engine's view of role models (with their ``form`` loaded), in the given order."""
    return [
        role_model_profile(id=rm.pk, name=rm.name, form_name=rm.form.name, audience=rm.form.audience)
        for rm in role_models
    ]
