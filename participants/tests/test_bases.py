"""The mentor and mentee bases: services, lists, forms, documents and their scans."""

import datetime
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.school_year import current_school_year
from organisations.tests.files import assert_private_file
from participants import services_bases as services
from participants.forms_bases import ERROR_ALREADY_MENTOR, ERROR_NOT_A_MENTEE, ERROR_VALID_BEFORE_ISSUE
from participants.models import (
    AccessLogEntry,
    MenteeEntry,
    MentorDocument,
    MentorEntry,
    MentoringForm,
    MentorPreferredForm,
    Person,
    PersonTag,
    RoleModel,
    Tag,
)
from participants.services_bases import BASE_MENTEE, BASE_MENTOR, bases_add_people, mentor_set_status, tags_set
from participants.tests.factories import (
    GraduateFactory,
    MenteeEntryFactory,
    MentorDocumentFactory,
    MentorEntryFactory,
    PartnerFactory,
    PersonFactory,
    TeacherFactory,
)
from participants.validators import ERROR_SCAN_EMPTY, ERROR_SCAN_TYPE, SCAN_MAX_SIZE, validate_scan

YEAR = current_school_year()
Status = MentorEntry.Status
MenteeStatus = MenteeEntry.Status
NO_RECORD, MEDICAL = MentorDocument.Kind.NO_CRIMINAL_RECORD, MentorDocument.Kind.MEDICAL
ON = datetime.date(2026, 10, 1)
ACTIVE_LABEL = "работает с наставляемыми"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _url(name, school, query="", **kwargs):
    return reverse(f"participants:{name}", kwargs={"org": school.slug, **kwargs}) + (f"?{query}" if query else "")


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Reference data ----------------------------------------------------------------------


def test_standard_forms_and_role_models_are_seeded(db):
    students = set(MentoringForm.objects.filter(audience="students").values_list("name", flat=True))
    assert {"ученик – ученик", "учитель – ученик", "студент – ученик", "работодатель – ученик"} <= students
    teachers = set(MentoringForm.objects.filter(audience="teachers").values_list("name", flat=True))
    assert {"учитель – учитель", "реверсивная", "виртуальная", "руководитель – педагог"} <= teachers
    assert RoleModel.objects.filter(form__name="ученик – ученик", name="успевающий – неуспевающий").exists()
    assert RoleModel.objects.filter(
        form__name="учитель – учитель", name="лидер педагогического сообщества – педагог, испытывающий проблемы"
    ).exists()


# --- Adding people to the bases ----------------------------------------------------------


def test_bulk_add_is_idempotent(school_a, curator_a):
    people = PersonFactory.create_batch(3, organisation=school_a)
    ids = [p.pk for p in people]
    kwargs = {"organisation": school_a, "school_year": YEAR, "user": curator_a}
    assert bases_add_people(person_ids=ids, base=BASE_MENTEE, **kwargs) == (3, 0)
    assert bases_add_people(person_ids=[*ids, PersonFactory(organisation=school_a).pk], base=BASE_MENTEE, **kwargs) == (
        1,
        3,
    )
    assert MenteeEntry.objects.filter(organisation=school_a, school_year=YEAR).count() == 4
    assert set(MenteeEntry.objects.values_list("status", flat=True)) == {MenteeStatus.CANDIDATE}
    # Another year is another base.
    assert bases_add_people(person_ids=ids, base=BASE_MENTEE, **{**kwargs, "school_year": YEAR + 1}) == (3, 0)
    assert bases_add_people(person_ids=ids, base=BASE_MENTOR, **kwargs) == (3, 0)


def test_bulk_add_rejects_a_person_of_another_school_and_adds_nobody(school_a, school_b, curator_a):
    own, foreign = PersonFactory(organisation=school_a), PersonFactory(organisation=school_b)
    with pytest.raises(ValidationError) as error:
        bases_add_people(
            organisation=school_a, person_ids=[own.pk, foreign.pk], base=BASE_MENTOR, school_year=YEAR, user=curator_a
        )
    assert error.value.messages == [services.ERROR_FOREIGN_PEOPLE]
    assert not MentorEntry.objects.exists()


def test_bulk_add_rejects_parents_as_mentees_and_blocked_people(school_a, curator_a):
    parent = PersonFactory(
        organisation=school_a, category=Person.Category.PARENT, grade=None, class_letter="", last_name="Кляпка"
    )
    kwargs = {"organisation": school_a, "school_year": YEAR, "user": curator_a}
    with pytest.raises(ValidationError) as error:
        bases_add_people(person_ids=[parent.pk], base=BASE_MENTEE, **kwargs)
    assert error.value.messages == [services.ERROR_MENTEE_CATEGORY.format(names="Кляпка И.С.")]
    # A parent may be a mentor.
    assert bases_add_people(person_ids=[parent.pk], base=BASE_MENTOR, **kwargs) == (1, 0)
    blocked = PersonFactory(
        organisation=school_a, processing_blocked_at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC)
    )
    with pytest.raises(ValidationError, match="согласие отозвано"):
        bases_add_people(person_ids=[blocked.pk], base=BASE_MENTOR, **kwargs)
    with pytest.raises(ValidationError) as error:
        bases_add_people(person_ids=[blocked.pk], base="pairs", **kwargs)
    assert error.value.messages == [services.ERROR_UNKNOWN_BASE]


# --- Mentor statuses and documents --------------------------------------------------------


def test_mentor_goes_from_candidate_to_left(school_a, curator_a):
    entry = MentorEntryFactory(organisation=school_a)  # a teacher: no certificates needed
    mentor_set_status(entry=entry, status=Status.APPROVED, user=curator_a, on=ON)
    assert (entry.status, entry.approved_on) == (Status.APPROVED, ON)
    mentor_set_status(entry=entry, status=Status.ACTIVE, user=curator_a, on=ON)
    mentor_set_status(entry=entry, status=Status.LEFT, user=curator_a, on=ON + datetime.timedelta(days=30))
    entry.refresh_from_db()
    assert (entry.status, entry.approved_on, entry.left_on) == (Status.LEFT, ON, datetime.date(2026, 10, 31))


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        (
            Status.CANDIDATE,
            Status.ACTIVE,
            services.ERROR_TRANSITION.format(old="кандидат", new="работает с наставляемыми"),
        ),
        (
            Status.ACTIVE,
            Status.APPROVED,
            services.ERROR_TRANSITION.format(old="работает с наставляемыми", new="утверждён"),
        ),
        (Status.LEFT, Status.CANDIDATE, services.ERROR_MENTOR_LEFT),
        (Status.LEFT, Status.APPROVED, services.ERROR_MENTOR_LEFT),
        (Status.APPROVED, Status.APPROVED, services.ERROR_SAME_STATUS.format(status="утверждён")),
        (Status.CANDIDATE, "boss", services.ERROR_UNKNOWN_STATUS),
    ],
)
def test_mentor_transitions_that_are_refused(school_a, curator_a, start, target, message):
    entry = MentorEntryFactory(organisation=school_a, status=start)
    with pytest.raises(ValidationError) as error:
        mentor_set_status(entry=entry, status=target, user=curator_a, on=ON)
    assert error.value.messages == [message]
    entry.refresh_from_db()
    assert entry.status == start


def test_candidate_and_approved_mentor_may_leave(school_a, curator_a):
    for start in (Status.CANDIDATE, Status.APPROVED):
        entry = MentorEntryFactory(organisation=school_a, status=start)
        mentor_set_status(entry=entry, status=Status.LEFT, user=curator_a, on=ON)
        assert entry.status == Status.LEFT


def test_external_mentor_without_documents_is_not_approved(school_a, curator_a):
    entry = MentorEntryFactory(person=GraduateFactory(organisation=school_a))
    with pytest.raises(ValidationError) as error:
        mentor_set_status(entry=entry, status=Status.APPROVED, user=curator_a, on=ON)
    problems = "нет справки об отсутствии судимости; нет медицинской справки"
    assert error.value.messages == [services.ERROR_APPROVAL_DOCUMENTS.format(problems=problems)]
    entry.refresh_from_db()
    assert entry.status == Status.CANDIDATE and entry.approved_on is None


def test_expired_document_on_the_date_blocks_approval(school_a, curator_a):
    person = PersonFactory(
        organisation=school_a,
        category=Person.Category.PARTNER_EMPLOYEE,
        grade=None,
        class_letter="",
        partner=PartnerFactory(organisation=school_a),
    )
    entry = MentorEntryFactory(person=person)
    MentorDocumentFactory(
        person=person, kind=NO_RECORD, issued_on=datetime.date(2026, 6, 1), valid_until=datetime.date(2026, 9, 30)
    )
    MentorDocumentFactory(person=person, kind=MEDICAL, issued_on=datetime.date(2026, 1, 15), valid_until=None)
    with pytest.raises(ValidationError) as error:
        mentor_set_status(entry=entry, status=Status.APPROVED, user=curator_a, on=ON)
    assert error.value.messages == [
        services.ERROR_APPROVAL_DOCUMENTS.format(
            problems="справка об отсутствии судимости просрочена (действовала до 30.09.2026)"
        )
    ]
    # On the last day of validity the certificate still counts.
    mentor_set_status(entry=entry, status=Status.APPROVED, user=curator_a, on=datetime.date(2026, 9, 30))
    assert entry.status == Status.APPROVED


def test_valid_documents_allow_approval_and_a_newer_one_replaces_an_expired(school_a, curator_a):
    person = GraduateFactory(organisation=school_a)
    entry = MentorEntryFactory(person=person)
    MentorDocumentFactory(
        person=person, kind=MEDICAL, issued_on=datetime.date(2025, 1, 1), valid_until=datetime.date(2025, 12, 31)
    )
    MentorDocumentFactory(
        person=person, kind=MEDICAL, issued_on=datetime.date(2026, 9, 1), valid_until=datetime.date(2027, 8, 31)
    )
    MentorDocumentFactory(
        person=person, kind=NO_RECORD, issued_on=datetime.date(2026, 9, 10), valid_until=datetime.date(2026, 12, 10)
    )
    mentor_set_status(entry=entry, status=Status.APPROVED, user=curator_a, on=ON)
    assert (entry.status, entry.approved_on) == (Status.APPROVED, ON)


def test_a_certificate_issued_after_the_date_does_not_count(school_a, curator_a):
    person = GraduateFactory(organisation=school_a)
    entry = MentorEntryFactory(person=person)
    MentorDocumentFactory(person=person, kind=MEDICAL, issued_on=datetime.date(2026, 9, 1))
    MentorDocumentFactory(person=person, kind=NO_RECORD, issued_on=datetime.date(2026, 10, 5))
    with pytest.raises(ValidationError, match="нет справки об отсутствии судимости"):
        mentor_set_status(entry=entry, status=Status.APPROVED, user=curator_a, on=ON)


# --- Mentee statuses -----------------------------------------------------------------------


def test_mentee_statuses(school_a, curator_a):
    entry = MenteeEntryFactory(organisation=school_a)
    for status in (MenteeStatus.INCLUDED, MenteeStatus.IN_PAIR, MenteeStatus.INCLUDED, MenteeStatus.IN_PAIR):
        services.mentee_set_status(entry=entry, status=status, user=curator_a)
    services.mentee_set_status(entry=entry, status=MenteeStatus.COMPLETED, user=curator_a)
    with pytest.raises(ValidationError) as error:
        services.mentee_set_status(entry=entry, status=MenteeStatus.INCLUDED, user=curator_a)
    assert error.value.messages == [services.ERROR_MENTEE_CLOSED.format(status="завершил программу")]
    fresh = MenteeEntryFactory(organisation=school_a)
    with pytest.raises(ValidationError, match="нельзя сменить"):
        services.mentee_set_status(entry=fresh, status=MenteeStatus.COMPLETED, user=curator_a)
    services.mentee_set_status(entry=fresh, status=MenteeStatus.LEFT, user=curator_a)
    assert MenteeEntry.objects.get(pk=fresh.pk).status == MenteeStatus.LEFT


# --- Tags ----------------------------------------------------------------------------------


def test_tags_are_normalised_and_kept_per_school(school_a, school_b):
    assert services.tag_normalise("  #Робототехника ") == "робототехника"
    assert services.tags_parse("#Робототехника #шахматы, 3D   Моделирование; #шахматы") == [
        "робототехника",
        "шахматы",
        "3d моделирование",
    ]
    person = PersonFactory(organisation=school_a)
    tags = tags_set(organisation=school_a, person=person, names=["#Робототехника", " робототехника ", "Шахматы", "#"])
    assert [tag.name for tag in tags] == ["робототехника", "шахматы"]
    other = PersonFactory(organisation=school_b)
    tags_set(organisation=school_b, person=other, names=["робототехника"])
    assert Tag.objects.filter(name="робототехника").count() == 2  # one per school
    tags_set(organisation=school_a, person=person, names=["шахматы", "волонтёрство"])
    assert sorted(person.tags.values_list("name", flat=True)) == ["волонтёрство", "шахматы"]
    assert set(PersonTag.objects.filter(person=person).values_list("organisation", flat=True)) == {school_a.pk}
    with pytest.raises(ValidationError) as error:
        tags_set(organisation=school_b, person=person, names=["чужой"])
    assert error.value.messages == [services.ERROR_FOREIGN_PERSON]


# --- The mentor list ----------------------------------------------------------------------


def test_mentor_list_filters(client, school_a, school_b, curator_a):
    math = MentoringForm.objects.get(name="учитель – ученик")
    nikolaeva = MentorEntryFactory(
        organisation=school_a, person__last_name="Николаева", person__first_name="Ольга", status=Status.APPROVED
    )
    MentorPreferredForm.objects.create(organisation=school_a, entry=nikolaeva, form=math)
    tags_set(organisation=school_a, person=nikolaeva.person, names=["олимпиады"])
    graduate = MentorEntryFactory(person=GraduateFactory(organisation=school_a, last_name="Черных"))
    MentorEntryFactory(organisation=school_a, person__last_name="Прошлогодний", school_year=YEAR - 1)
    MentorEntryFactory(organisation=school_b, person__last_name="Чужая")
    client.force_login(curator_a)

    def names(query=""):
        response = client.get(_url("mentor_list", school_a, query))
        assert response.status_code == 200
        return [entry.person.last_name for entry in response.context["object_list"]]

    assert names() == ["Николаева", "Черных"]
    assert names("q=ОЛЬГА николаев") == ["Николаева"]
    assert names("status=candidate") == ["Черных"]
    assert names("category=graduate") == ["Черных"]
    tag = Tag.objects.get(organisation=school_a, name="олимпиады")
    assert names(f"tag={tag.pk}") == ["Николаева"]
    assert names(f"preferred_form={math.pk}") == ["Николаева"]
    assert names(f"year={YEAR - 1}") == ["Прошлогодний"]
    page = client.get(_url("mentor_list", school_a)).content.decode()
    assert "#олимпиады" in page and "учитель – ученик" in page
    assert "Нет справки об отсутствии судимости" in page  # the graduate's flag
    assert graduate.person.full_name in page and "Чужая" not in page


def test_mentor_list_flags_an_expired_document_in_red(client, school_a, curator_a):
    person = GraduateFactory(organisation=school_a)
    MentorEntryFactory(person=person)
    MentorDocumentFactory(
        person=person, kind=MEDICAL, issued_on=datetime.date(2024, 1, 1), valid_until=datetime.date(2025, 1, 1)
    )
    client.force_login(curator_a)
    page = client.get(_url("mentor_list", school_a)).content.decode()
    assert '<span class="text-danger fw-semibold">Медицинская справка: просрочена 01.01.2025</span>' in page


def test_tag_filter_offers_only_tags_of_the_school(client, school_a, school_b, curator_a):
    foreign = Tag.objects.create(organisation=school_b, name="чужой тег")
    client.force_login(curator_a)
    response = client.get(_url("mentor_list", school_a, f"tag={foreign.pk}"))
    assert "чужой тег" not in response.content.decode()
    assert "Выберите корректный вариант" in response.content.decode()


def test_empty_mentor_base_tells_what_to_do(client, school_a, curator_a, member):
    client.force_login(curator_a)
    page = client.get(_url("mentor_list", school_a)).content.decode()
    assert "пока никого нет" in page and "добавьте наставника по одному" in page
    MentorEntryFactory(organisation=school_a)
    assert "Никого не нашлось" in client.get(_url("mentor_list", school_a, "q=Нет")).content.decode()
    client.force_login(member(school_a, "methodist"))
    assert "Добавить наставника" not in client.get(_url("mentor_list", school_a)).content.decode()


def _mentor_rows(school, count):
    forms = list(MentoringForm.objects.all()[:2])
    for _ in range(count):
        person = GraduateFactory(organisation=school)
        entry = MentorEntryFactory(person=person)
        for form in forms:
            MentorPreferredForm.objects.create(organisation=school, entry=entry, form=form)
        tags_set(organisation=school, person=person, names=["робототехника", "шахматы"])
        MentorDocumentFactory(person=person, kind=MEDICAL)
        MentorDocumentFactory(
            person=person, kind=NO_RECORD, issued_on=datetime.date(2019, 1, 1), valid_until=datetime.date(2020, 1, 1)
        )
        MentorEntryFactory(person=TeacherFactory(organisation=school), status=Status.APPROVED)


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(("name", "rows"), [("mentor_list", _mentor_rows), ("mentor_register", _mentor_rows)])
def test_mentor_pages_query_count_does_not_grow(client, school_a, curator_a, name, rows):
    client.force_login(curator_a)
    rows(school_a, 2)
    url = _url(name, school_a, "status=" if name == "mentor_list" else "")
    if name == "mentor_register":
        MentorEntry.objects.update(status=Status.APPROVED)
    few = _count_queries(client, url)
    rows(school_a, 12)
    if name == "mentor_register":
        MentorEntry.objects.update(status=Status.ACTIVE)
    assert _count_queries(client, url) == few


def test_mentee_list_query_count_does_not_grow(client, school_a, curator_a):
    client.force_login(curator_a)

    def rows(count):
        for _ in range(count):
            entry = MenteeEntryFactory(organisation=school_a)
            tags_set(organisation=school_a, person=entry.person, names=["дроби", "адаптация"])

    rows(2)
    few = _count_queries(client, _url("mentee_list", school_a))
    rows(15)
    assert _count_queries(client, _url("mentee_list", school_a)) == few


def test_list_view_is_recorded_in_the_access_journal(client, school_a, curator_a):
    MentorEntryFactory.create_batch(2, organisation=school_a)
    client.force_login(curator_a)
    client.get(_url("mentor_list", school_a))
    record = AccessLogEntry.objects.get()
    assert record.action == "view" and record.people_count == 2 and record.what.startswith("База наставников")


# --- The register --------------------------------------------------------------------------


def test_register_shows_only_approved_and_active_of_the_year(client, school_a, curator_a):
    approved = MentorEntryFactory(
        organisation=school_a,
        status=Status.APPROVED,
        approved_on=datetime.date(YEAR, 9, 15),
        person__last_name="Утверждённая",
    )
    MentorEntryFactory(organisation=school_a, status=Status.ACTIVE, person__last_name="Работающая")
    MentorEntryFactory(organisation=school_a, status=Status.CANDIDATE, person__last_name="Кандидатова")
    MentorEntryFactory(organisation=school_a, status=Status.LEFT, person__last_name="Выбывшая")
    MentorEntryFactory(organisation=school_a, status=Status.APPROVED, school_year=YEAR - 1, person__last_name="Давняя")
    client.force_login(curator_a)
    response = client.get(_url("mentor_register", school_a))
    assert [e.person.last_name for e in response.context["object_list"]] == ["Работающая", "Утверждённая"]
    page = response.content.decode()
    assert f"15.09.{YEAR}" in page and approved.person.full_name in page
    assert "2 наставника" in page
    older = client.get(_url("mentor_register", school_a, f"year={YEAR - 1}"))
    assert [e.person.last_name for e in older.context["object_list"]] == ["Давняя"]


# --- The mentee list ----------------------------------------------------------------------


def test_mentee_list_filters(client, school_a, curator_a):
    seventh = MenteeEntryFactory(organisation=school_a, person__last_name="Семёнов", person__grade=7)
    MenteeEntryFactory(
        organisation=school_a,
        person__last_name="Девятов",
        person__grade=9,
        person__class_letter="А",
        need_kind=MenteeEntry.NeedKind.TALENT,
        status=MenteeStatus.INCLUDED,
    )
    MenteeEntryFactory(person=TeacherFactory(organisation=school_a, last_name="Молодая", experience_years=1))
    tags_set(organisation=school_a, person=seventh.person, names=["дроби"])
    client.force_login(curator_a)

    def names(query=""):
        response = client.get(_url("mentee_list", school_a, query))
        assert response.status_code == 200
        return [entry.person.last_name for entry in response.context["object_list"]]

    assert names() == ["Девятов", "Молодая", "Семёнов"]
    assert names("class_name=7б") == ["Семёнов"]
    assert names("class_name=9") == ["Девятов"]
    assert names("class_name=9Б") == []
    assert names("need_kind=talent") == ["Девятов"]
    assert names("status=included") == ["Девятов"]
    assert names("q=семенов") == ["Семёнов"]
    assert names(f"tag={Tag.objects.get(name='дроби').pk}") == ["Семёнов"]
    page = client.get(_url("mentee_list", school_a, "class_name=седьмой")).content.decode()
    assert "Укажите класс в виде «7» или «7Б»." in page
    assert "молодой специалист" in client.get(_url("mentee_list", school_a)).content.decode()


# --- Forms -------------------------------------------------------------------------------


def test_mentor_is_added_from_the_person_card(client, school_a, curator_a):
    person = TeacherFactory(organisation=school_a, last_name="Яковенко", first_name="Оксана", patronymic="Николаевна")
    forms = list(MentoringForm.objects.filter(name__in=["учитель – ученик", "учитель – учитель"]))
    client.force_login(curator_a)
    card = client.get(person.get_absolute_url()).content.decode()
    assert "В базу наставников" in card and "В базу наставляемых" in card and "Добавить документ" in card
    url = _url("mentor_add", school_a, f"person={person.pk}&next={person.get_absolute_url()}")
    form_page = client.get(url)
    assert "person" not in form_page.context["form"].fields
    response = client.post(
        url,
        {
            "school_year": YEAR,
            "competencies": "олимпиадная математика",
            "capacity": 3,
            "preferred_forms": [f.pk for f in forms],
            "tags": "#Олимпиады, #Математика",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == person.get_absolute_url()
    assert f"Яковенко О.Н. добавлена в базу наставников {YEAR}/{YEAR + 1} учебного года." in _messages(response)
    entry = MentorEntry.objects.get(person=person)
    assert (entry.organisation, entry.school_year, entry.capacity) == (school_a, YEAR, 3)
    assert set(entry.preferred_forms.all()) == set(forms)
    assert set(MentorPreferredForm.objects.values_list("organisation", flat=True)) == {school_a.pk}
    assert sorted(person.tags.values_list("name", flat=True)) == ["математика", "олимпиады"]
    assert "олимпиадная математика" in response.content.decode()  # the card shows the entry

    again = client.post(url, {"school_year": YEAR, "capacity": 1})
    message = ERROR_ALREADY_MENTOR.format(name="Яковенко О.Н.", year=f"{YEAR}/{YEAR + 1}")
    assert again.context["form"].errors["school_year"] == [message]
    assert message in again.content.decode()


def test_mentor_form_errors_are_russian(client, school_a, curator_a):
    client.force_login(curator_a)
    response = client.post(_url("mentor_add", school_a), {"school_year": YEAR, "capacity": 40})
    errors = response.context["form"].errors
    assert errors["person"] == ["Обязательное поле."]
    assert errors["capacity"] == ["Убедитесь, что это значение меньше либо равно 30."]


def test_person_of_another_school_in_the_query_is_404(client, school_a, school_b, curator_a):
    foreign = PersonFactory(organisation=school_b)
    client.force_login(curator_a)
    for name in ("mentor_add", "mentee_add", "document_add"):
        assert client.get(_url(name, school_a, f"person={foreign.pk}")).status_code == 404
    assert client.get(_url("mentor_add", school_a, "person=abc")).status_code == 404


def test_person_choice_offers_only_people_of_the_school(client, school_a, school_b, curator_a):
    own = PersonFactory(organisation=school_a)
    foreign = PersonFactory(organisation=school_b)
    parent = PersonFactory(organisation=school_a, category=Person.Category.PARENT, grade=None, class_letter="")
    client.force_login(curator_a)
    mentor_people = client.get(_url("mentor_add", school_a)).context["form"].fields["person"].queryset
    assert own in mentor_people and parent in mentor_people and foreign not in mentor_people
    mentee_people = client.get(_url("mentee_add", school_a)).context["form"].fields["person"].queryset
    assert own in mentee_people and parent not in mentee_people
    response = client.post(_url("mentee_add", school_a), {"person": foreign.pk, "school_year": YEAR})
    assert response.context["form"].errors["person"] == [
        "Выберите корректный вариант. Вашего варианта нет среди допустимых значений."
    ]
    response = client.post(_url("mentee_add", school_a, f"person={parent.pk}"), {"school_year": YEAR})
    assert ERROR_NOT_A_MENTEE in response.content.decode()


def test_mentee_is_added_and_edited(client, school_a, curator_a):
    person = PersonFactory(organisation=school_a, gender="M", last_name="Черных", first_name="Илья")
    client.force_login(curator_a)
    response = client.post(
        _url("mentee_add", school_a, f"person={person.pk}"),
        {"school_year": YEAR, "need_kind": "educational", "needs": "дроби", "tags": "#Дроби"},
        follow=True,
    )
    assert f"Черных И.С. добавлен в базу наставляемых {YEAR}/{YEAR + 1} учебного года." in _messages(response)
    entry = MenteeEntry.objects.get(person=person)
    response = client.post(
        _url("mentee_edit", school_a, pk=entry.pk), {"need_kind": "social", "needs": "адаптация", "tags": ""}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.need_kind, entry.needs) == ("social", "адаптация")
    assert not person.tags.exists()


def test_status_change_through_the_page_explains_missing_documents(client, school_a, curator_a):
    entry = MentorEntryFactory(person=GraduateFactory(organisation=school_a))
    client.force_login(curator_a)
    response = client.post(_url("mentor_status", school_a, pk=entry.pk), {"status": "approved"}, follow=True)
    assert any(m.startswith("Нельзя утвердить внешнего наставника: нет справки") for m in _messages(response))
    MentorDocumentFactory(person=entry.person, kind=MEDICAL)
    MentorDocumentFactory(person=entry.person, kind=NO_RECORD)
    next_url = _url("mentor_list", school_a)
    response = client.post(
        _url("mentor_status", school_a, pk=entry.pk), {"status": "approved", "next": next_url}, follow=True
    )
    assert response.redirect_chain[-1][0] == next_url
    assert f"{entry.person.short_name}: статус «утверждён»." in _messages(response)
    assert client.get(_url("mentor_status", school_a, pk=entry.pk)).status_code == 405
    evil = client.post(
        _url("mentor_status", school_a, pk=entry.pk), {"status": "active", "next": "https://evil.example"}
    )
    assert evil["Location"] == _url("mentor_edit", school_a, pk=entry.pk)


def test_mentor_edit_page_shows_documents_and_saves(client, school_a, curator_a):
    entry = MentorEntryFactory(person=GraduateFactory(organisation=school_a))
    MentorDocumentFactory(
        person=entry.person, kind=MEDICAL, issued_on=datetime.date(2024, 1, 1), valid_until=datetime.date(2024, 12, 31)
    )
    client.force_login(curator_a)
    page = client.get(_url("mentor_edit", school_a, pk=entry.pk)).content.decode()
    assert "Нет справки об отсутствии судимости" in page and "просрочена 31.12.2024" in page
    response = client.post(_url("mentor_edit", school_a, pk=entry.pk), {"capacity": 2, "competencies": "шахматы"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.capacity, entry.competencies) == (2, "шахматы")


# --- Documents and their scans ------------------------------------------------------------


def test_validate_scan():
    validate_scan(SimpleUploadedFile("scan.png", png_bytes(), content_type="image/png"))
    validate_scan(SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"))
    with pytest.raises(ValidationError) as error:
        validate_scan(SimpleUploadedFile("scan.pdf", "Это не скан, а текст".encode(), content_type="application/pdf"))
    assert error.value.messages == [ERROR_SCAN_TYPE]
    with pytest.raises(ValidationError) as error:
        validate_scan(SimpleUploadedFile("big.png", png_bytes() + b"\x00" * SCAN_MAX_SIZE))
    assert error.value.messages == ["Файл слишком большой (10,0 МБ). Загрузите файл не больше 10 МБ."]
    with pytest.raises(ValidationError) as error:
        validate_scan(SimpleUploadedFile("empty.pdf", b""))
    assert error.value.messages == [ERROR_SCAN_EMPTY]


def test_document_is_uploaded_and_its_scan_opened_with_a_journal_record(client, school_a, curator_a, member):
    person = GraduateFactory(organisation=school_a)
    client.force_login(curator_a)
    url = _url("document_add", school_a, f"person={person.pk}")
    data = {"kind": MEDICAL, "number": "15", "issued_on": "2026-01-10", "valid_until": "2027-01-10"}
    text = SimpleUploadedFile("справка.pdf", b"just text", content_type="application/pdf")
    response = client.post(url, {**data, "file": text})
    assert response.context["form"].errors["file"] == [ERROR_SCAN_TYPE]
    assert ERROR_SCAN_TYPE in response.content.decode()
    response = client.post(url, {**data, "file": SimpleUploadedFile("scan.html", png_bytes())})
    assert response["Location"] == person.get_absolute_url()
    document = MentorDocument.objects.get()
    assert (document.organisation, document.person, document.recorded_by) == (school_a, person, curator_a)
    assert document.file.name.startswith(f"private/{school_a.pk}/mentordocument/")

    client.force_login(member(school_a, "methodist"))
    AccessLogEntry.objects.all().delete()
    response = client.get(_url("document_file", school_a, pk=document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"  # judged by content, not by the name «scan.html»
    assert_private_file(response, filename=f"медицинская справка — {person.short_name}.png", as_attachment=False)
    assert b"".join(response.streaming_content) == png_bytes()
    record = AccessLogEntry.objects.get()
    assert (record.action, record.person, record.what) == (
        "view",
        person,
        "Скан документа наставника: медицинская справка",
    )


def test_document_without_scan_redirects_with_a_message(client, school_a, curator_a):
    document = MentorDocumentFactory(organisation=school_a)
    client.force_login(curator_a)
    response = client.get(_url("document_file", school_a, pk=document.pk), follow=True)
    assert "Скан этого документа не загружен." in _messages(response)
    assert not AccessLogEntry.objects.filter(what__startswith="Скан").exists()


def test_document_form_errors_are_next_to_fields(client, school_a, curator_a):
    person = GraduateFactory(organisation=school_a)
    client.force_login(curator_a)
    response = client.post(
        _url("document_add", school_a, f"person={person.pk}"),
        {"kind": MEDICAL, "issued_on": "2026-03-01", "valid_until": "2026-02-01"},
    )
    errors = response.context["form"].errors
    assert errors["valid_until"] == [ERROR_VALID_BEFORE_ISSUE]
    response = client.post(_url("document_add", school_a, f"person={person.pk}"), {"kind": "passport"})
    errors = response.context["form"].errors
    assert errors["issued_on"] == ["Обязательное поле."]
    assert errors["kind"] == ["Выберите корректный вариант. passport нет среди допустимых значений."]


def test_document_edit_replaces_the_scan_and_delete_removes_it(
    client, school_a, curator_a, media, django_capture_on_commit_callbacks
):
    person = GraduateFactory(organisation=school_a)
    document = MentorDocumentFactory(person=person, file=SimpleUploadedFile("first.png", png_bytes()))
    first = media / document.file.name
    assert first.exists()
    client.force_login(curator_a)
    data = {"kind": NO_RECORD, "number": "77", "issued_on": "2026-02-01", "valid_until": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("document_edit", school_a, pk=document.pk),
            {**data, "file": SimpleUploadedFile("second.png", png_bytes())},
        )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.kind == NO_RECORD and document.valid_until is None
    second = media / document.file.name
    assert second.exists() and not first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("document_delete", school_a, pk=document.pk))
    assert response["Location"] == person.get_absolute_url()
    assert not MentorDocument.objects.exists() and not second.exists()


def test_person_card_shows_bases_and_documents(client, school_a, curator_a, member):
    person = GraduateFactory(organisation=school_a, gender="F")
    MentorEntryFactory(person=person, school_year=YEAR, status=Status.CANDIDATE)
    MentorEntryFactory(person=person, school_year=YEAR - 1, status=Status.LEFT, left_on=datetime.date(YEAR, 5, 31))
    MentorDocumentFactory(
        person=person, kind=MEDICAL, issued_on=datetime.date(2024, 1, 1), valid_until=datetime.date(2024, 12, 31)
    )
    client.force_login(curator_a)
    page = client.get(person.get_absolute_url()).content.decode()
    assert f"{YEAR}/{YEAR + 1}" in page and f"{YEAR - 1}/{YEAR}" in page
    assert "просрочена (действовала до 31.12.2024)" in page
    assert "нет справки об отсутствии судимости" in page
    assert "В базу наставников" in page and "В базу наставляемых" not in page  # a graduate is never a mentee
    assert f"выбыла 31.05.{YEAR}" in page  # agrees with the person: not «выбыл»
    client.force_login(member(school_a, "methodist"))
    page = client.get(person.get_absolute_url()).content.decode()
    assert "просрочена" in page and "В базу наставников" not in page and "Добавить документ" not in page


def test_too_long_tag_is_explained_next_to_the_field(client, school_a, curator_a):
    person = PersonFactory(organisation=school_a)
    client.force_login(curator_a)
    long_tag = "очень" * 13
    response = client.post(_url("mentee_add", school_a, f"person={person.pk}"), {"school_year": YEAR, "tags": long_tag})
    assert response.context["form"].errors["tags"] == [services.ERROR_TAG_TOO_LONG.format(name=long_tag)]
    assert not MenteeEntry.objects.exists()
