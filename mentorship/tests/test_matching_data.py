"""Profiles for the matching engine from the bases of a school year."""

import datetime

import pytest
from django.utils import timezone

from mentorship.matching import STUDENT, TEACHER, suggest
from mentorship.matching_data import profiles_for_year
from organisations.school_year import current_school_year
from participants.models import MenteeEntry, MentorEntry, MentoringForm, Person, Tag
from participants.services_bases import tags_set
from participants.tests.factories import MenteeEntryFactory, MentorEntryFactory, PersonFactory, TeacherFactory
from participants.tests.factories_consents import ConsentFactory

pytestmark = pytest.mark.django_db


def _consented(entry):
    ConsentFactory(person=entry.person)
    return entry


def _mentor(school, **kwargs):
    kwargs.setdefault("status", MentorEntry.Status.APPROVED)
    return _consented(MentorEntryFactory(organisation=school, **kwargs))


def _mentee(school, **kwargs):
    kwargs.setdefault("status", MenteeEntry.Status.INCLUDED)
    return _consented(MenteeEntryFactory(organisation=school, **kwargs))


def _ids(profiles):
    return {p.id for p in profiles}


def test_the_categories_are_those_of_the_person_model():
    assert (STUDENT, TEACHER) == (Person.Category.STUDENT, Person.Category.TEACHER)


def test_only_register_mentors_and_included_mentees_with_a_valid_consent(school_a, school_b):
    year = current_school_year()
    approved, active = _mentor(school_a), _mentor(school_a, status=MentorEntry.Status.ACTIVE)
    _mentor(school_a, status=MentorEntry.Status.CANDIDATE)
    _mentor(school_a, status=MentorEntry.Status.LEFT)
    MentorEntryFactory(organisation=school_a, status=MentorEntry.Status.APPROVED)  # no consent
    _mentor(school_a, school_year=year - 1)
    _mentor(school_b)
    included = _mentee(school_a)
    for status in (MenteeEntry.Status.CANDIDATE, MenteeEntry.Status.IN_PAIR, MenteeEntry.Status.LEFT):
        _mentee(school_a, status=status)
    MenteeEntryFactory(organisation=school_a, status=MenteeEntry.Status.INCLUDED)  # no consent
    _mentee(school_b)

    mentees, mentors = profiles_for_year(organisation=school_a, school_year=year)
    assert _ids(mentors) == {approved.pk, active.pk}
    assert _ids(mentees) == {included.pk}


def test_withdrawn_consent_or_blocked_processing_excludes_a_person(school_a):
    year = current_school_year()
    withdrawn, blocked, fine = _mentor(school_a), _mentor(school_a), _mentor(school_a)
    withdrawn.person.consents.update(status="withdrawn", withdrawn_on=datetime.date(2026, 10, 1))
    Person.objects.filter(pk=blocked.person_id).update(processing_blocked_at=timezone.now())
    _, mentors = profiles_for_year(organisation=school_a, school_year=year)
    assert _ids(mentors) == {fine.pk}


def test_profiles_carry_words_subjects_tags_availability_and_forms(school_a):
    year = current_school_year()
    form = MentoringForm.objects.get(name="учитель – ученик")
    teacher = TeacherFactory(organisation=school_a, subjects="математика, физика", experience_years=20)
    entry = _mentor(
        school_a,
        person=teacher,
        capacity=3,
        competencies="Подготовка к олимпиадам по алгебре",
        availability="по вторникам и четвергам после уроков, можно онлайн",
    )
    entry.preferred_forms.through.objects.create(organisation=school_a, entry=entry, form=form)
    tags_set(organisation=school_a, person=teacher, names=["робототехника"])
    student = PersonFactory(organisation=school_a, grade=6, birth_date=datetime.date(year - 12, 9, 1))
    mentee_entry = _mentee(school_a, person=student, needs="Трудности с математикой, могу по вторникам")
    tags_set(organisation=school_a, person=student, names=["олимпиады"])

    mentees, mentors = profiles_for_year(organisation=school_a, school_year=year)
    (mentor,) = mentors
    assert mentor.id == entry.pk and mentor.person_id == teacher.pk and mentor.name == teacher.full_name
    assert mentor.capacity == 3 and mentor.category == TEACHER and mentor.experience_years == 20
    assert mentor.competencies >= {"олимпиад", "алгебр"}
    assert mentor.tags == {"робототехника"}
    assert mentor.subjects == {"математика", "физика"}
    assert mentor.availability == {"вт", "чт", "онлайн"}
    assert mentor.preferred_forms == {form.pk}
    (mentee,) = mentees
    assert mentee.id == mentee_entry.pk and mentee.grade == 6 and round(mentee.age) == 12
    assert mentee.needs >= {"трудност", "математик"} and mentee.tags == {"олимпиады"}
    assert mentee.subjects == {"математика"} and mentee.availability == {"вт"}

    result = suggest(mentees, mentors, form_id=form.pk)
    assert result.pairs == {(mentee_entry.pk, entry.pk)}
    parts = {p.code: p for p in result.suggestions[0].breakdown.parts}
    assert parts["needs"].explanation == "совпадает: олимпиады"
    assert parts["subject"].value == 1 and parts["availability"].value == 1 and parts["form"].value == 1


def test_each_form_takes_the_sides_it_declares(school_a):
    year = current_school_year()
    teachers_form = MentoringForm.objects.filter(audience=MentoringForm.Audience.TEACHERS).first()
    peers_form = MentoringForm.objects.get(name="ученик – ученик")
    teacher_student_form = MentoringForm.objects.get(name="учитель – ученик")
    teacher_mentor = _mentor(school_a)
    student_mentor = _mentor(school_a, person=PersonFactory(organisation=school_a, grade=10))
    young_teacher = _mentee(school_a, person=TeacherFactory(organisation=school_a, experience_years=1))
    student = _mentee(school_a)

    mentees, mentors = profiles_for_year(organisation=school_a, school_year=year, form=teachers_form)
    assert (_ids(mentees), _ids(mentors)) == ({young_teacher.pk}, {teacher_mentor.pk})
    # Each form's declared sides: «ученик – ученик» never proposes a teacher as the mentor.
    mentees, mentors = profiles_for_year(organisation=school_a, school_year=year, form=peers_form)
    assert (_ids(mentees), _ids(mentors)) == ({student.pk}, {student_mentor.pk})
    mentees, mentors = profiles_for_year(organisation=school_a, school_year=year, form=teacher_student_form)
    assert (_ids(mentees), _ids(mentors)) == ({student.pk}, {teacher_mentor.pk})
    mentees, _ = profiles_for_year(organisation=school_a, school_year=year)
    assert _ids(mentees) == {student.pk, young_teacher.pk}


def _populate(school, n):
    form = MentoringForm.objects.first()
    for i in range(n):
        mentor = _mentor(school)
        mentor.preferred_forms.through.objects.create(organisation=school, entry=mentor, form=form)
        tags_set(organisation=school, person=mentor.person, names=[f"тег{i}", "шахматы"])
        mentee = _mentee(school)
        tags_set(organisation=school, person=mentee.person, names=[f"тег{i}"])


@pytest.mark.parametrize("rows", [1, 6])
def test_the_number_of_queries_does_not_grow_with_the_rows(school_a, django_assert_num_queries, rows):
    _populate(school_a, rows)
    assert Tag.objects.filter(organisation=school_a).count() == rows + 1
    with django_assert_num_queries(5):
        mentees, mentors = profiles_for_year(organisation=school_a, school_year=current_school_year())
    assert len(mentees) == len(mentors) == rows
    assert all(m.preferred_forms and m.tags for m in mentors)
