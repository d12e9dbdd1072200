"""Pairs and groups: the rules of pair_form, statuses, re-pairing, best practices, the list page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship import services
from mentorship.models import CasePhoto, Pair, Programme
from mentorship.services import pair_activate, pair_approve, pair_case_save, pair_close, pair_form, pair_repair
from mentorship.tests.factories import ProgrammeFactory
from organisations.tests.files import assert_private_file
from participants.models import ConsentPurpose, MenteeEntry, MentorEntry, MentoringForm, Person
from participants.services import ERROR_CONSENT_REQUIRED
from participants.tests.factories import (
    GraduateFactory,
    MenteeEntryFactory,
    MentorDocumentFactory,
    MentorEntryFactory,
    ParentLinkFactory,
    PersonFactory,
    TeacherFactory,
)
from participants.tests.factories_consents import JPEG_BYTES, PDF_BYTES, ConsentFactory

TODAY = datetime.date.today()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def programme(school_a):
    return ProgrammeFactory(organisation=school_a, kind=Programme.Kind.STUDENTS)


@pytest.fixture
def form():
    return MentoringForm.objects.get(name="учитель – ученик")


def make_mentor(
    programme, *, factory=TeacherFactory, status=MentorEntry.Status.APPROVED, capacity=2, consent=True, **kw
):
    person = factory(organisation=programme.organisation, **kw)
    MentorEntryFactory(person=person, school_year=programme.school_year, status=status, capacity=capacity)
    if consent:
        ConsentFactory(person=person)
    return person


def make_mentee(programme, *, consent=True, **kw):
    person = PersonFactory(organisation=programme.organisation, **kw)
    MenteeEntryFactory(person=person, school_year=programme.school_year, status=MenteeEntry.Status.INCLUDED)
    if consent:  # a minor: the guardian signs
        parent = ParentLinkFactory(child=person).parent
        ConsentFactory(person=person, representative=parent, signed_by_subject=False)
    return person


def form_pair(programme, mentor, mentees, form, user=None, **kw):
    return pair_form(
        programme=programme,
        mentor=mentor,
        mentees=mentees,
        form=form,
        starts_on=kw.pop("starts_on", programme.starts_on),
        planned_end_on=kw.pop("planned_end_on", programme.ends_on),
        user=user,
        **kw,
    )


def messages_of(excinfo) -> list[str]:
    return excinfo.value.messages


def test_a_draft_group_is_formed(programme, form, curator_a):
    mentor = make_mentor(programme)
    mentees = [make_mentee(programme), make_mentee(programme)]
    pair = form_pair(programme, mentor, mentees, form, curator_a)
    assert pair.status == Pair.Status.DRAFT
    assert set(pair.mentees.all()) == set(mentees)
    assert pair.organisation == programme.organisation and pair.created_by == curator_a


def test_consent_of_each_side_is_required(programme, form):
    mentor = make_mentor(programme, consent=False)
    mentee = make_mentee(programme, consent=False)
    with pytest.raises(ValidationError) as excinfo:
        form_pair(programme, mentor, [mentee], form)
    purpose = ConsentPurpose.PARTICIPATION.label
    assert ERROR_CONSENT_REQUIRED.format(name=mentor.full_name, purpose=purpose) in messages_of(excinfo)
    assert ERROR_CONSENT_REQUIRED.format(name=mentee.full_name, purpose=purpose) in messages_of(excinfo)
    assert not Pair.objects.exists()


def test_mentor_must_be_in_the_register_of_the_year(programme, form):
    year = f"{programme.school_year}/{programme.school_year + 1}"
    candidate = make_mentor(programme, status=MentorEntry.Status.CANDIDATE)
    outsider = TeacherFactory(organisation=programme.organisation)
    ConsentFactory(person=outsider)
    mentee = make_mentee(programme)
    with pytest.raises(ValidationError) as excinfo:
        form_pair(programme, candidate, [mentee], form)
    assert messages_of(excinfo) == [
        services.ERROR_MENTOR_NOT_APPROVED.format(
            name=candidate.full_name, approved="утверждена", year=year, status="кандидат"
        )
    ]
    with pytest.raises(ValidationError) as excinfo:
        form_pair(programme, outsider, [mentee], form)
    assert messages_of(excinfo) == [services.ERROR_MENTOR_NOT_IN_BASE.format(name=outsider.full_name, year=year)]


def test_mentor_capacity_counts_mentees_of_open_pairs(programme, form):
    mentor = make_mentor(programme, capacity=2)
    form_pair(programme, mentor, [make_mentee(programme)], form)
    with pytest.raises(ValidationError) as excinfo:
        form_pair(programme, mentor, [make_mentee(programme), make_mentee(programme)], form)
    assert messages_of(excinfo) == [
        services.ERROR_MENTOR_CAPACITY.format(name=mentor.full_name, capacity=2, taken=1, requested=2)
    ]


def test_closed_pairs_free_the_mentors_places(programme, form):
    mentor = make_mentor(programme, capacity=1)
    first = form_pair(programme, mentor, [make_mentee(programme)], form)
    pair_close(pair=first, outcome=Pair.Outcome.TERMINATED, closed_on=TODAY, reason="переезд", user=None)
    assert form_pair(programme, mentor, [make_mentee(programme)], form).pk


def test_external_mentor_needs_valid_documents(programme):
    graduate = make_mentor(programme, factory=GraduateFactory)
    MentorDocumentFactory(person=graduate, kind="medical")
    form = MentoringForm.objects.get(name="студент – ученик")  # the form a graduate mentors in
    with pytest.raises(ValidationError) as excinfo:
        form_pair(programme, graduate, [make_mentee(programme)], form)
    assert messages_of(excinfo) == [
        services.ERROR_MENTOR_DOCUMENTS.format(name=graduate.full_name, problems="нет справки об отсутствии судимости")
    ]


def test_nobody_on_both_sides_and_a_mentee_in_one_open_pair(programme, form):
    mentor = make_mentor(programme, capacity=3)
    with pytest.raises(ValidationError) as excinfo:
        form_pair(programme, mentor, [mentor], form)
    assert services.ERROR_SAME_PERSON.format(name=mentor.full_name) in messages_of(excinfo)

    mentee = make_mentee(programme)
    form_pair(programme, mentor, [mentee], form)
    other = make_mentor(programme)
    with pytest.raises(ValidationError) as excinfo:
        form_pair(programme, other, [mentee], form)
    assert messages_of(excinfo) == [services.ERROR_MENTEE_BUSY.format(name=mentee.full_name, mentor=mentor.full_name)]


def test_mentees_of_a_students_programme_are_students(programme, form):
    mentor = make_mentor(programme)
    teacher = TeacherFactory(organisation=programme.organisation)
    ConsentFactory(person=teacher)
    with pytest.raises(ValidationError) as excinfo:
        form_pair(programme, mentor, [teacher], form)
    assert services.ERROR_MENTEE_CATEGORY.format(name=teacher.full_name, kind="для обучающихся") in messages_of(excinfo)


def test_role_model_of_another_form_and_dates(programme, form):
    mentor = make_mentor(programme)
    other_role_model = MentoringForm.objects.get(name="ученик – ученик").role_models.first()
    with pytest.raises(ValidationError) as excinfo:
        form_pair(
            programme,
            mentor,
            [make_mentee(programme)],
            form,
            role_model=other_role_model,
            starts_on=programme.ends_on,
            planned_end_on=programme.starts_on,
        )
    assert messages_of(excinfo) == [
        services.ERROR_ROLE_MODEL_OF_OTHER_FORM.format(role_model=other_role_model.name, form=form.name),
        services.ERROR_DATES,
    ]


# --- Statuses ---------------------------------------------------------------------------------


def test_status_flow_draft_approved_active_completed(programme, form, curator_a, director_a):
    mentor = make_mentor(programme)
    mentee = make_mentee(programme)
    pair = form_pair(programme, mentor, [mentee], form, curator_a)

    with pytest.raises(ValidationError) as excinfo:
        pair_activate(pair=pair, user=curator_a)
    assert messages_of(excinfo) == [services.ERROR_ACTIVATE_STATUS.format(status="черновик")]
    with pytest.raises(ValidationError) as excinfo:
        pair_approve(pair=pair, user=director_a, order_label="  ")
    assert messages_of(excinfo) == [services.ERROR_ORDER_REQUIRED]

    pair = pair_approve(pair=pair, user=director_a, order_label="№ 56-ОД от 01.10.2026")
    assert (pair.status, pair.approval_order, pair.approved_by) == ("approved", "№ 56-ОД от 01.10.2026", director_a)
    with pytest.raises(ValidationError) as excinfo:
        pair_approve(pair=pair, user=director_a, order_label="№ 57")
    assert messages_of(excinfo) == [services.ERROR_APPROVE_STATUS.format(status="утверждена приказом")]
    with pytest.raises(ValidationError) as excinfo:
        pair_close(pair=pair, outcome=Pair.Outcome.COMPLETED, closed_on=TODAY, user=curator_a)
    assert messages_of(excinfo) == [services.ERROR_OUTCOME_NEEDS_ACTIVE.format(outcome="программа выполнена")]

    pair = pair_activate(pair=pair, user=curator_a)
    assert pair.status == Pair.Status.ACTIVE
    assert MenteeEntry.objects.get(person=mentee).status == MenteeEntry.Status.IN_PAIR
    assert MentorEntry.objects.get(person=mentor).status == MentorEntry.Status.ACTIVE

    closed_on = pair.starts_on = min(pair.starts_on, TODAY)  # the pair started by today
    pair.save(update_fields=["starts_on"])
    pair = pair_close(pair=pair, outcome=Pair.Outcome.COMPLETED, closed_on=closed_on, user=curator_a)
    assert (pair.status, pair.outcome) == ("closed", "completed")
    assert MenteeEntry.objects.get(person=mentee).status == MenteeEntry.Status.COMPLETED
    with pytest.raises(ValidationError) as excinfo:
        pair_close(pair=pair, outcome=Pair.Outcome.COMPLETED, closed_on=closed_on, user=curator_a)
    assert messages_of(excinfo) == [services.ERROR_ALREADY_CLOSED]


def test_termination_needs_a_reason_and_no_future_date(programme, form):
    pair = form_pair(programme, make_mentor(programme), [make_mentee(programme)], form)
    with pytest.raises(ValidationError) as excinfo:
        pair_close(pair=pair, outcome="terminated", closed_on=TODAY + datetime.timedelta(days=1), reason="", user=None)
    assert messages_of(excinfo) == [services.ERROR_REASON_REQUIRED, services.ERROR_CLOSED_IN_FUTURE]


def test_repairing_terminates_the_old_pair_and_drafts_a_new_one(programme, form, curator_a):
    old_mentor, new_mentor = make_mentor(programme), make_mentor(programme)
    mentee = make_mentee(programme)
    old = form_pair(programme, old_mentor, [mentee], form)
    new = pair_repair(pair=old, mentor=new_mentor, reason="наставник уволился", closed_on=TODAY, user=curator_a)
    old.refresh_from_db()
    assert (old.status, old.outcome, old.termination_reason) == ("closed", "terminated", "наставник уволился")
    assert (new.status, new.mentor, new.replaces) == ("draft", new_mentor, old)
    assert list(new.mentees.all()) == [mentee]


def test_repairing_is_all_or_nothing(programme, form, curator_a):
    old = form_pair(programme, make_mentor(programme), [make_mentee(programme)], form)
    candidate = make_mentor(programme, status=MentorEntry.Status.CANDIDATE)
    with pytest.raises(ValidationError):
        pair_repair(pair=old, mentor=candidate, reason="конфликт", closed_on=TODAY, user=curator_a)
    old.refresh_from_db()
    assert old.status == Pair.Status.DRAFT and Pair.objects.count() == 1


# --- Best practices and the next year's mentor base -----------------------------------------


def _closed_pair(programme, form):
    pair = form_pair(programme, make_mentor(programme), [make_mentee(programme)], form)
    return pair_close(pair=pair, outcome="terminated", closed_on=TODAY, reason="досрочно", user=None)


def test_best_practice_needs_everyones_publication_consent(programme, form, media):
    pair = _closed_pair(programme, form)
    mentee = pair.mentees.get()
    ConsentFactory(person=pair.mentor, purpose=ConsentPurpose.PUBLICATION)
    with pytest.raises(ValidationError) as excinfo:
        pair_case_save(pair=pair, description="Проект по робототехнике", results="", user=None)
    assert messages_of(excinfo) == [services.ERROR_CASE_CONSENT.format(names=mentee.full_name)]

    ConsentFactory(person=mentee, purpose=ConsentPurpose.PUBLICATION)
    pdf = SimpleUploadedFile("photo.pdf", PDF_BYTES)
    with pytest.raises(ValidationError) as excinfo:
        pair_case_save(pair=pair, description="Проект", results="", photo=pdf, user=None)
    assert messages_of(excinfo) == [services.ERROR_PHOTO_TYPE]

    photo = SimpleUploadedFile("photo.jpg", JPEG_BYTES)
    pair = pair_case_save(pair=pair, description="Проект", results="Призёры", photo=photo, caption="Защита", user=None)
    assert pair.is_best_practice and CasePhoto.objects.get(pair=pair).caption == "Защита"


def test_only_a_closed_pair_is_a_case(programme, form):
    pair = form_pair(programme, make_mentor(programme), [make_mentee(programme)], form)
    with pytest.raises(ValidationError) as excinfo:
        pair_case_save(pair=pair, description="Проект", results="", user=None)
    assert messages_of(excinfo) == [services.ERROR_CASE_NOT_CLOSED]


def test_case_page_and_bank(client, programme, form, curator_a, media):
    pair = _closed_pair(programme, form)
    client.force_login(curator_a)
    url = reverse("mentorship:pair_case", args=[programme.organisation.slug, pair.pk])
    response = client.post(url, {"description": "Проект"})
    assert "Нет согласия на публикацию фото и материалов" in response.content.decode()
    for person in [pair.mentor, *pair.mentees.all()]:
        ConsentFactory(person=person, purpose=ConsentPurpose.PUBLICATION)
    response = client.post(url, {"description": "Лучший проект года", "photo": SimpleUploadedFile("a.jpg", JPEG_BYTES)})
    assert response.status_code == 302
    bank = client.get(reverse("mentorship:pair_cases", args=[programme.organisation.slug])).content.decode()
    assert "Лучший проект года" in bank
    photo = CasePhoto.objects.get()
    response = client.get(reverse("mentorship:pair_case_photo", args=[programme.organisation.slug, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert_private_file(response, filename=f"Фото практики {photo.pk}.jpg", as_attachment=False)


def test_completed_mentees_join_next_years_mentor_base(programme, form, curator_a):
    pair = form_pair(programme, make_mentor(programme), [make_mentee(programme)], form)
    with pytest.raises(ValidationError) as excinfo:
        services.pair_mentees_to_mentor_base(pair=pair, user=curator_a)
    assert messages_of(excinfo) == [services.ERROR_NOT_COMPLETED]
    Pair.objects.filter(pk=pair.pk).update(status="closed", outcome="completed", closed_on=TODAY)
    pair.refresh_from_db()
    assert services.pair_mentees_to_mentor_base(pair=pair, user=curator_a) == (1, 0)
    entry = MentorEntry.objects.get(person=pair.mentees.get())
    assert (entry.school_year, entry.status) == (programme.school_year + 1, MentorEntry.Status.CANDIDATE)


# --- Pages ------------------------------------------------------------------------------------


def test_create_page_shows_the_rules_in_russian(client, programme, form, curator_a):
    mentor = make_mentor(programme, consent=False)
    mentee = make_mentee(programme)
    client.force_login(curator_a)
    url = reverse("mentorship:pair_create", args=[programme.organisation.slug, programme.pk])
    data = {
        "mentor": mentor.pk,
        "mentees": [mentee.pk],
        "form": form.pk,
        "starts_on": programme.starts_on.isoformat(),
        "planned_end_on": programme.ends_on.isoformat(),
    }
    response = client.post(url, data)
    assert f"{mentor.full_name}: нет действующего согласия" in response.content.decode()
    ConsentFactory(person=mentor)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Pair.objects.get().mentor == mentor


def _list_queries(client, school):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("mentorship:pair_list", args=[school.slug]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_pair_list_query_count_is_flat_and_filters(client, programme, form, curator_a):
    from mentorship.tests.factories import PairFactory

    school = programme.organisation
    client.force_login(curator_a)
    PairFactory(programme=programme, organisation=school)
    few, _ = _list_queries(client, school)
    for _ in range(6):
        PairFactory(
            programme=programme, organisation=school, mentees=[PersonFactory(organisation=school) for _ in range(2)]
        )
    many, page = _list_queries(client, school)
    assert few == many
    assert "Найдено: 7 пар и групп" in page

    person = Person.objects.filter(organisation=school, category="student").first()
    response = client.get(reverse("mentorship:pair_list", args=[school.slug]), {"person": person.pk})
    assert "Найдено: 1 пара или группа" in response.content.decode()
    response = client.get(reverse("mentorship:pair_list", args=[school.slug]), {"status": "draft"})
    assert "Ничего не нашлось" in response.content.decode()
