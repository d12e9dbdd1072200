"""Mentors who are the school's employees (ТК РФ ст. 351.8): consent before the pairs order, the
additional agreement, the pay register pro-rated by days, early end on the production calendar."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from mentorship import services_employees
from mentorship.employment import EarlyEnd, PayRule
from mentorship.models import Pair
from mentorship.services_employees import (
    agreement_conclude,
    calendar_correction_set,
    consent_record,
    early_end_register,
    early_ends_close_due,
    employment_terms_save,
    pay_rule_add,
)
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from mentorship.workdays import earliest_end
from organisations.tenancy import resolve_access
from participants.models import AccessLogEntry, Person
from participants.tests.factories import MentorEntryFactory, PersonFactory, TeacherFactory
from reports.employees.pay import pay_register
from reports.employees.services import pay_order_draft
from reports.exports.base import REGISTRY, ExportContext
from reports.models import Order
from reports.orders.services import order_approve, order_draft, order_submit

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def school(school_a):
    school_a.director_name = "Петрова Анна Сергеевна"
    school_a.director_position = "Директор"
    school_a.save()
    return school_a


@pytest.fixture
def programme(school):
    return ProgrammeFactory(organisation=school, school_year=2025, kind="teachers")


@pytest.fixture
def teacher(school):
    return TeacherFactory(
        organisation=school,
        last_name="Иванова",
        first_name="Мария",
        patronymic="Петровна",
        gender="F",
        position="учитель математики",
    )


def _pair(programme, mentor, *, status=Pair.Status.DRAFT, starts_on=None, ends_on=None, mentees=None):
    kwargs = {
        "organisation": programme.organisation,
        "programme": programme,
        "mentor": mentor,
        "status": status,
        "consented": False,
    }
    if starts_on:
        kwargs["starts_on"] = starts_on
    if ends_on:
        kwargs["planned_end_on"] = ends_on
    if mentees is not None:
        kwargs["mentees"] = mentees
    return PairFactory(**kwargs)


def _scan(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _consent(pair, on=datetime.date(2025, 9, 1)):
    return consent_record(pair=pair, signed_on=on, scan=_scan())


def _terms(person, number="15-ТД"):
    return employment_terms_save(
        organisation=person.organisation,
        person=person,
        contract_number=number,
        contract_date=datetime.date(2019, 8, 26),
        salary_rate=Decimal("40000"),
    )


def _rule(school, amount="3000"):
    return pay_rule_add(
        organisation=school,
        basis=PayRule.Basis.FIXED,
        amount=Decimal(amount),
        valid_from=datetime.date(2025, 3, 1),
        source="Положение об оплате труда, п. 5.4",
    )


def _submitted(order):
    """An order the curator submitted before the check existed (or before the consent was withdrawn)."""
    order.points.get_or_create(organisation=order.organisation, position=1, defaults={"action": "Закрепить пары."})
    Order.objects.filter(pk=order.pk).update(status=Order.Status.SUBMITTED)
    order.refresh_from_db()
    return order


# --- Who is an employee; consent before the pairs order -------------------------------------------


def test_pairs_order_with_an_employee_mentor_without_consent_is_refused_naming_her(
    school, programme, teacher, director_a
):
    pair = _pair(programme, teacher)
    order = order_draft(organisation=school, kind="pairs", programme=programme, user=director_a)
    assert list(order.pairs.all()) == [pair]
    with pytest.raises(ValidationError) as submitted:
        order_submit(order=order, user=director_a)
    assert "Иванова Мария Петровна" in " ".join(submitted.value.messages)
    order = _submitted(order)
    with pytest.raises(ValidationError) as approved:
        order_approve(order=order, user=director_a)
    message = " ".join(approved.value.messages)
    assert "Нет письменного согласия работника на наставничество (ст. 351.8 ТК РФ): Иванова Мария Петровна" in message
    pair.refresh_from_db()
    assert pair.status == Pair.Status.DRAFT  # nothing half-done

    _consent(pair)
    order_approve(order=order, user=director_a)
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE


def test_the_order_page_says_who_is_missing_instead_of_failing(client, school, programme, teacher, director_a):
    _pair(programme, teacher)
    order = _submitted(order_draft(organisation=school, kind="pairs", programme=programme, user=director_a))
    client.force_login(director_a)
    response = client.post(reverse("reports:order_approve", kwargs={"org": school.slug, "pk": order.pk}), follow=True)
    assert response.status_code == 200
    assert "Иванова Мария Петровна" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED


def test_students_partners_and_marked_exceptions_need_no_labour_consent(school, programme, teacher, director_a):
    student = PersonFactory(organisation=school, grade=10, class_letter="А")
    partner_mentor = PersonFactory(organisation=school, category=Person.Category.GRADUATE, grade=None)
    employment_terms_save(
        organisation=school,
        person=teacher,
        contract_number="",
        contract_date=None,
        salary_rate=None,
        not_employee_mentor=True,
        exception_reason="Договор ГПХ",
    )
    for mentor in (student, partner_mentor, teacher):
        _pair(programme, mentor)
    order = _submitted(order_draft(organisation=school, kind="pairs", programme=programme, user=director_a))
    order_approve(order=order, user=director_a)
    assert set(order.pairs.values_list("status", flat=True)) == {Pair.Status.ACTIVE}


def test_the_register_order_names_an_employee_whose_pair_has_no_consent(school, programme, teacher, director_a):
    _pair(programme, teacher)
    MentorEntryFactory(organisation=school, person=teacher, school_year=2025)
    order = _submitted(order_draft(organisation=school, kind="mentor_register", programme=programme, user=director_a))
    order.mentor_entries.set(school.mentor_entries.all())
    with pytest.raises(ValidationError) as refused:
        order_approve(order=order, user=director_a)
    assert "Иванова Мария Петровна" in " ".join(refused.value.messages)


def test_a_consent_needs_its_scan(programme, teacher):
    pair = _pair(programme, teacher)
    with pytest.raises(ValidationError) as error:
        consent_record(pair=pair, signed_on=datetime.date(2025, 9, 1))
    assert error.value.messages == ["Приложите скан подписанного согласия (PDF, JPEG или PNG)."]


# --- Documents -------------------------------------------------------------------------------------


def _render(identifier, school, user, pair, fmt, **params):
    exporter = REGISTRY[identifier]
    access = resolve_access(user, school.slug)
    return exporter.render(
        organisation=school,
        params={"pair": str(pair.pk), **params},
        fmt=fmt,
        context=ExportContext(user=user, access=access),
    )


def _text(content: bytes, fmt: str) -> str:
    if fmt == "pdf":
        return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages)
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join([p.text for p in document.paragraphs] + cells)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_consent_and_agreement_render_with_declined_names(school, programme, teacher, director_a, fmt):
    mentee = TeacherFactory(organisation=school, last_name="Сидоров", first_name="Олег", patronymic="Ильич")
    pair = _pair(programme, teacher, mentees=[mentee])
    consent = _text(_render("employee-consent", school, director_a, pair, fmt).content, fmt)
    assert "СОГЛАСИЕ НА ВЫПОЛНЕНИЕ НАСТАВНИЧЕСТВА" in _flat(consent).upper()
    assert "от учителя математики" in _flat(consent)
    assert "Ивановой Марии Петровны" in _flat(consent)  # genitive: «от … Ивановой Марии Петровны»
    assert "Директору" in consent and "Петровой А. С." in _flat(consent)  # dative, initials spaced (ГОСТ 2025)
    assert "Сидоров Олег Ильич" in _flat(consent)

    _consent(pair)
    _terms(teacher)
    _rule(school)
    agreement = agreement_conclude(pair=pair, concluded_on=datetime.date(2025, 9, 1))
    assert agreement.number == 1 and agreement.monthly_amount == Decimal("3000.00")
    text = _flat(_text(_render("employee-agreement", school, director_a, pair, fmt).content, fmt))
    assert "Дополнительное соглашение № 1" in text
    assert "к трудовому договору от 26.08.2019 № 15-ТД" in text
    assert "в лице директора Петровой Анны Сергеевны, действующей на основании устава" in text
    assert "Иванова Мария Петровна, именуемая в дальнейшем «Работник»" in text
    assert "3 000,00 руб. в месяц" in text
    assert "Срок наставничества: с 01.09.2025 по 31.05.2026." in text
    assert "(основание: Положение об оплате труда, п. 5.4)" in text
    assert "Экземпляр соглашения получил(а)" in text
    assert "М. П. Иванова" in text and "А. С. Петрова" in text  # initials before the surname (ГОСТ 2025)


def test_documents_are_journalled_and_another_schools_pair_is_404(
    client, school, school_b, programme, teacher, director_a
):
    pair = _pair(programme, teacher)
    client.force_login(director_a)
    url = reverse("reports:export", kwargs={"org": school.slug, "identifier": "employee-consent"})
    before = AccessLogEntry.objects.count()
    response = client.get(url, {"pair": pair.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AccessLogEntry.objects.count() == before + 1
    other = PairFactory(organisation=school_b)
    assert client.get(url, {"pair": other.pk}).status_code == 404


# --- Early end on the production calendar ----------------------------------------------------------


def test_a_refusal_on_friday_26_december_2025_ends_no_earlier_than_monday_12_january_2026(programme, teacher):
    # Working days after it: Mon 29 and Tue 30 December; 31 December is a transferred day off, 1–11 January
    # the New Year holidays and a weekend; the third working day is Monday 12 January 2026.
    assert earliest_end(datetime.date(2025, 12, 26)) == datetime.date(2026, 1, 12)
    draft = _pair(programme, teacher)
    with pytest.raises(ValidationError) as not_started:
        early_end_register(pair=draft, initiator="mentor", notice_on=datetime.date(2025, 12, 26))
    assert "Пара ещё не утверждена приказом" in not_started.value.messages[0]
    pair = _pair(programme, teacher, status=Pair.Status.ACTIVE)
    with pytest.raises(ValidationError) as too_early:
        early_end_register(
            pair=pair, initiator="mentor", notice_on=datetime.date(2025, 12, 26), ends_on=datetime.date(2026, 1, 9)
        )
    assert "не ранее 12.01.2026" in too_early.value.messages[0]
    end = early_end_register(pair=pair, initiator="mentor", notice_on=datetime.date(2025, 12, 26))
    assert end.earliest_end_on == end.ends_on == datetime.date(2026, 1, 12)


def test_the_school_corrects_a_day_of_the_calendar(school, programme, teacher):
    calendar_correction_set(organisation=school, day=datetime.date(2026, 1, 12), is_working=False, note="Перенос")
    pair = _pair(programme, teacher, status=Pair.Status.ACTIVE)
    end = early_end_register(pair=pair, initiator="school", notice_on=datetime.date(2025, 12, 26))
    assert end.ends_on == datetime.date(2026, 1, 13)


def test_the_end_order_closes_the_pair_with_its_reason_and_the_refusal_prints(
    school, programme, teacher, director_a, monkeypatch
):
    monkeypatch.setattr(services_employees, "_today", lambda: datetime.date(2026, 2, 1))
    pair = _pair(programme, teacher, status=Pair.Status.ACTIVE)
    _consent(pair)
    _terms(teacher)
    _rule(school)
    agreement_conclude(pair=pair, concluded_on=datetime.date(2025, 9, 1))
    early_end_register(pair=pair, initiator="mentor", notice_on=datetime.date(2025, 12, 26))
    order = order_draft(organisation=school, kind="mentoring_end", programme=programme, user=director_a)
    assert list(order.pairs.all()) == [pair]
    order_submit(order=order, user=director_a)
    order = order_approve(order=order, user=director_a, on=datetime.date(2025, 12, 29))
    pair.refresh_from_db()
    assert pair.status == Pair.Status.CLOSED and pair.outcome == Pair.Outcome.TERMINATED
    assert pair.closed_on == datetime.date(2026, 1, 12)
    assert pair.termination_reason.startswith("Работник отказался от наставничества (ч. 4 ст. 351.8 ТК РФ)")
    assert EarlyEnd.objects.get(pair=pair).order_label == f"Приказ {order.label}"
    for fmt in ("pdf", "docx"):
        text = _flat(_text(_render("employee-early-end", school, director_a, pair, fmt).content, fmt))
        assert "ЗАЯВЛЕНИЕ" in text.upper() and "об отказе от выполнения наставничества" in text
        assert "12 января 2026 г. — последний день выполнения наставничества." in text
        assert "от учителя математики Ивановой Марии Петровны" in text


def test_an_end_order_approved_before_the_last_day_leaves_the_pair_working_until_it(
    client, school, programme, teacher, director_a, monkeypatch
):
    today = datetime.date(2025, 12, 29)
    monkeypatch.setattr(services_employees, "_today", lambda: today)
    pair = _pair(programme, teacher, status=Pair.Status.ACTIVE, starts_on=datetime.date(2025, 12, 1))
    _consent(pair)
    _terms(teacher)
    _rule(school)
    agreement_conclude(pair=pair, concluded_on=datetime.date(2025, 12, 1))
    pay = pay_order_draft(organisation=school, programme=programme, user=director_a)
    order_submit(order=pay, user=director_a)
    order_approve(order=pay, user=director_a, on=datetime.date(2025, 12, 1))
    early_end_register(pair=pair, initiator="mentor", notice_on=datetime.date(2025, 12, 26))
    order = order_draft(organisation=school, kind="mentoring_end", programme=programme, user=director_a)
    order_submit(order=order, user=director_a)
    order_approve(order=order, user=director_a, on=today)
    pair.refresh_from_db()
    # Approved on 29 December, the last day is 12 January: the mentor still mentors, and is paid.
    assert pair.status == Pair.Status.ACTIVE and pair.closed_on is None
    assert early_ends_close_due(organisation=school) == 0
    client.force_login(director_a)
    # The employees page shows the current school year; this test's programme is of 2025/26.
    monkeypatch.setattr("reports.employees.views.current_programmes", lambda organisation: [programme])
    employees = client.get(reverse("reports:employee_list", args=[school.slug])).content.decode()
    assert "пара работает по 12.01.2026 включительно" in employees

    today = datetime.date(2026, 1, 12)
    assert client.get(reverse("mentorship:pair_detail", args=[school.slug, pair.pk])).status_code == 200
    pair.refresh_from_db()
    assert pair.status == Pair.Status.CLOSED and pair.outcome == Pair.Outcome.TERMINATED
    assert pair.closed_on == datetime.date(2026, 1, 12)
    assert pair.termination_reason.startswith("Работник отказался от наставничества")

    (row,), _ = pay_register(organisation=school, year=2026, month=1)
    assert (row.last_day, row.days, row.amount) == (datetime.date(2026, 1, 12), 12, Decimal("1161.29"))
    assert pay_register(organisation=school, year=2026, month=2)[0] == []


def test_the_daily_job_closes_the_pairs_whose_last_day_has_come(school, programme, teacher, director_a, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr(services_employees, "_today", lambda: datetime.date(2025, 12, 29))
    pair = _pair(programme, teacher, status=Pair.Status.ACTIVE)
    _consent(pair)
    early_end_register(pair=pair, initiator="school", notice_on=datetime.date(2025, 12, 26))
    order = order_draft(organisation=school, kind="mentoring_end", programme=programme, user=director_a)
    order_submit(order=order, user=director_a)
    order_approve(order=order, user=director_a, on=datetime.date(2025, 12, 29))
    out = io.StringIO()
    call_command("close_ended_pairs", stdout=out)
    assert out.getvalue().strip() == "Закрыто пар: 0."
    monkeypatch.setattr(services_employees, "_today", lambda: datetime.date(2026, 1, 13))
    call_command("close_ended_pairs", stdout=out)
    assert out.getvalue().strip().endswith("Закрыто пар: 1.")
    pair.refresh_from_db()
    assert pair.status == Pair.Status.CLOSED and pair.closed_on == datetime.date(2026, 1, 12)


def test_the_labour_contract_is_edited_on_the_person_card_too(client, school, teacher, curator_a, director_a):
    """One record (EmploymentTerms): the person form and the employees page show and change the same."""
    employment_terms_save(
        organisation=school,
        person=teacher,
        contract_number="3-ТД",
        contract_date=datetime.date(2018, 8, 30),
        salary_rate=Decimal("40000"),
    )
    client.force_login(curator_a)
    edit = reverse("participants:person_edit", kwargs={"org": school.slug, "pk": teacher.pk})
    page = client.get(edit).content.decode()
    assert "Трудовой договор" in page and 'value="3-ТД"' in page and 'value="2018-08-30"' in page
    data = {
        "category": "teacher",
        "last_name": teacher.last_name,
        "first_name": teacher.first_name,
        "patronymic": teacher.patronymic,
        "gender": "F",
        "position": teacher.position,
        "contract_number": " 15-ТД ",
        "contract_date": "2019-08-26",
    }
    assert client.post(edit, data).status_code == 302
    terms = Person.objects.get(pk=teacher.pk).employment
    # The salary, set on the employees page, is kept.
    assert (terms.contract_number, terms.contract_date, terms.salary_rate) == (
        "15-ТД",
        datetime.date(2019, 8, 26),
        Decimal("40000.00"),
    )
    client.force_login(director_a)
    employees_page = client.get(reverse("reports:employee_terms", args=[school.slug, teacher.pk])).content.decode()
    assert 'value="15-ТД"' in employees_page and 'value="2019-08-26"' in employees_page

    client.force_login(curator_a)
    student = PersonFactory(organisation=school, category=Person.Category.STUDENT, grade=7, class_letter="А")
    student_data = {
        "category": "student",
        "last_name": student.last_name,
        "first_name": student.first_name,
        "gender": "M",
        "grade": "7",
        "class_letter": "А",
        "contract_number": "99",
    }
    response = client.post(
        reverse("participants:person_edit", kwargs={"org": school.slug, "pk": student.pk}), student_data
    )
    assert response.status_code == 302
    assert not hasattr(Person.objects.get(pk=student.pk), "employment")


def test_standard_orders_speak_article_351_8_and_the_migration_leaves_edited_texts_alone(reference_data):
    from importlib import import_module

    from django.apps import apps

    from reports.models import OrderTemplate
    from reports.orders.kinds import order_type

    standard = {row.kind: row for row in OrderTemplate.objects.filter(organisation=None)}
    for kind in ("pairs", "mentor_register"):
        assert "Трудовым кодексом Российской Федерации (статья 351.8)" in standard[kind].preamble
        assert "письменных согласий работников на выполнение наставничества" in standard[kind].preamble
    assert any("дополнительные соглашения к трудовым договорам" in p["action"] for p in standard["pairs"].points)
    assert "статья 351.8" in standard["training"].points[0]["action"]
    encouragement = " ".join(p["action"] for p in standard["encouragement"].points)
    assert "сверх выплаты за наставничество, установленной работникам по статье 351.8" in encouragement

    module = import_module("reports.migrations.0011_orders_labour_code_351_8")
    register = standard["mentor_register"]
    register.preamble = "Свой текст школы"
    register.save()
    module.backwards(apps, None)
    pairs = OrderTemplate.objects.get(organisation=None, kind="pairs")
    assert "351.8" not in pairs.preamble and len(pairs.points) == len(order_type("pairs").seed.points) - 1
    module.seed(apps, None)
    pairs.refresh_from_db()
    register.refresh_from_db()
    assert pairs.preamble == order_type("pairs").seed.preamble
    assert register.preamble == "Свой текст школы"  # edited by someone: left alone
    assert register.points == list(order_type("mentor_register").seed.points)


# --- Pay -------------------------------------------------------------------------------------------


def _assert_pay_appendix(order):
    """The pay order's appendix as the accountant reads it: one row per agreement with its bases."""
    from reports.orders.documents import order_pdf
    from reports.orders.docx import order_docx

    pdf = PdfReader(io.BytesIO(order_pdf(order)))
    appendix = _flat(" ".join(page.extract_text() for page in pdf.pages[1:]))
    assert f"Приложение № 1 к приказу {order.label}" in appendix
    assert "Перечень работников, которым устанавливается выплата за наставничество" in appendix
    for text in (
        "Алексеева Нина Юрьевна",
        "согласие от 01.09.2025; дополнительное соглашение от 01.09.2025 № 1 к трудовому договору от 26.08.2019",
        "фиксированная сумма в месяц (Положение об оплате труда, п. 5.4)",
        "3 000,00 руб.",
        "с 10.01.2026 по 31.05.2026",
        "Борисов Пётр Ильич",
    ):
        assert text in appendix, text
    document = Document(io.BytesIO(order_docx(order)))
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "№" and len(t.columns) == 6]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == [
        "№",
        "Работник, должность",
        "Основание: согласие, дополнительное соглашение",
        "Порядок расчёта выплаты",
        "Выплата в месяц",
        "Срок",
    ]
    first = [cell.text.replace("\xa0", " ") for cell in table.rows[1].cells]
    assert first[1].startswith("Алексеева Нина Юрьевна") and first[4] == "3 000,00 руб."
    assert "дополнительное соглашение от 01.09.2025 № 1 к трудовому договору от 26.08.2019" in first[2]
    assert len(table.rows) == 3


def test_pay_register_prorates_a_pair_started_on_the_10th_and_one_ended_on_the_20th(school, programme, director_a):
    _rule(school)
    started = TeacherFactory(organisation=school, last_name="Алексеева", first_name="Нина", patronymic="Юрьевна")
    ended = TeacherFactory(organisation=school, last_name="Борисов", first_name="Пётр", patronymic="Ильич")
    late_pair = _pair(programme, started, status=Pair.Status.ACTIVE, starts_on=datetime.date(2026, 1, 10))
    early_pair = _pair(programme, ended, status=Pair.Status.ACTIVE)
    for pair, person in ((late_pair, started), (early_pair, ended)):
        _consent(pair)
        _terms(person, number=f"{person.pk}-ТД")
        agreement_conclude(pair=pair, concluded_on=datetime.date(2025, 9, 1))
    # Notice on Thursday 15 January: Fri 16, Mon 19, Tue 20 — the last day is the 20th.
    end = early_end_register(pair=early_pair, initiator="school", notice_on=datetime.date(2026, 1, 15))
    assert end.ends_on == datetime.date(2026, 1, 20)

    rows, without_order = pay_register(organisation=school, year=2026, month=1)
    assert rows == [] and without_order == ["Алексеева Нина Юрьевна", "Борисов Пётр Ильич"]

    order = pay_order_draft(organisation=school, programme=programme, user=director_a)
    first_point = order.points.order_by("position").first().action
    assert first_point.endswith(
        "определённые дополнительными соглашениями к трудовым договорам, согласно приложению № 1."
    )
    order_submit(order=order, user=director_a)
    order = order_approve(order=order, user=director_a, on=datetime.date(2025, 9, 5))
    _assert_pay_appendix(order)

    rows, without_order = pay_register(organisation=school, year=2026, month=1)
    assert without_order == []
    by_name = {row.mentor: row for row in rows}
    late, early = by_name["Алексеева Нина Юрьевна"], by_name["Борисов Пётр Ильич"]
    assert (late.days, late.month_days, late.amount) == (22, 31, Decimal("2129.03"))  # 3000 × 22 / 31
    assert (early.days, early.month_days, early.amount) == (20, 31, Decimal("1935.48"))  # 3000 × 20 / 31
    assert early.ended == "отмена поручения работодателем (20.01.2026)"
    # February: the ended one is paid no more; the other the whole month.
    february, _ = pay_register(organisation=school, year=2026, month=2)
    assert [(row.mentor, row.amount) for row in february] == [("Алексеева Нина Юрьевна", Decimal("3000.00"))]

    exporter = REGISTRY["employee-pay-register"]
    access = resolve_access(director_a, school.slug)
    xlsx = exporter.render(
        organisation=school, params={"month": "2026-01"}, fmt="xlsx", context=ExportContext(director_a, access)
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Реестр выплат за наставничество за январь 2026 г."
    assert [values[-1][1], str(values[-1][8])] == ["Итого", "4064.51"]
    pdf = exporter.render(
        organisation=school, params={"month": "2026-01"}, fmt="pdf", context=ExportContext(director_a, access)
    )
    text = _flat(_text(pdf.content, "pdf"))
    assert "Реестр выплат за наставничество за январь 2026 г." in text
    assert "2 129,03" in text and "1 935,48" in text and "4 064,51" in text


def test_the_pay_order_is_refused_for_a_mentor_without_agreement(school, programme, teacher, director_a):
    order = order_draft(
        organisation=school, kind="mentoring_pay", programme=programme, user=director_a, people=[teacher]
    )
    with pytest.raises(ValidationError) as refused:
        order_submit(order=order, user=director_a)
    assert "Иванова Мария Петровна" in " ".join(refused.value.messages)


def test_agreement_register_lists_numbers_and_dates(school, programme, teacher, director_a):
    pair = _pair(programme, teacher)
    _consent(pair)
    _terms(teacher)
    _rule(school)
    agreement_conclude(pair=pair, concluded_on=datetime.date(2025, 9, 2))
    exporter = REGISTRY["employee-agreements"]
    result = exporter.render(organisation=school, params={}, fmt="xlsx")
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(result.content)).active.iter_rows()]
    header = rows.index(next(row for row in rows if row[0] == "№ соглашения"))
    assert rows[header + 1][:3] == [1, "02.09.2025", "Иванова Мария Петровна"]


# --- Pages -----------------------------------------------------------------------------------------


def test_the_list_page_takes_the_same_queries_for_more_pairs(client, school, curator_a):
    programme = ProgrammeFactory(organisation=school, kind="teachers")
    client.force_login(curator_a)
    url = reverse("reports:employee_list", kwargs={"org": school.slug})
    PairFactory(organisation=school, programme=programme, consented=False)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(3):
        PairFactory(organisation=school, programme=programme, consented=False)
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert len(four) == len(one)
    assert response.content.decode().count("Внести согласие") == 4


def test_the_consent_is_uploaded_on_the_page(client, school, curator_a, teacher):
    programme = ProgrammeFactory(organisation=school, kind="teachers")
    pair = _pair(programme, teacher)
    client.force_login(curator_a)
    url = reverse("reports:employee_consent", kwargs={"org": school.slug, "pk": pair.pk})
    response = client.post(url, {"signed_on": "2025-09-01", "scan": _scan()}, follow=True)
    assert "Согласие Иванова М.П. внесено." in response.content.decode()
    assert pair.employee_consent.scan.name
    before = AccessLogEntry.objects.count()
    scan = client.get(reverse("reports:employee_consent_scan", kwargs={"org": school.slug, "pk": pair.pk}))
    assert scan.status_code == 200 and b"".join(scan.streaming_content) == PDF_BYTES
    assert AccessLogEntry.objects.count() == before + 1
    bad = client.post(url, {"signed_on": "2025-09-01", "scan": _scan()}, follow=True)
    assert "Согласие на это наставничество уже внесено." in bad.content.decode()


# --- The standard Положение --------------------------------------------------------------------------


def test_the_standard_regulation_speaks_article_351_8_and_edited_texts_are_left_alone(school_a, school_b):
    from importlib import import_module

    from django.apps import apps

    from reports.models import Regulation

    migration = import_module("reports.migrations.0009_regulation_labour_code_351_8")
    standard = Regulation.objects.get(organisation__isnull=True)
    assert standard.body == migration.NEW
    assert "стимулирующими выплатами" not in standard.body
    assert "только с его письменного согласия" in standard.body
    assert "не позднее чем за три рабочих дня" in standard.body

    copied = Regulation.objects.create(organisation=school_a, body=migration.OLD)
    edited = Regulation.objects.create(organisation=school_b, body=migration.OLD + "\n\n11.1. Своё дополнение.")
    migration.seed(apps, None)
    copied.refresh_from_db()
    edited.refresh_from_db()
    assert copied.body == migration.NEW
    assert edited.body.endswith("Своё дополнение.") and "стимулирующими выплатами" in edited.body


# --- The demo ----------------------------------------------------------------------------------------


def test_the_demo_school_has_employee_mentors_paperwork_and_stays_the_same_when_loaded_again(demo):
    from django.core.management import call_command

    from mentorship.employment import AdditionalAgreement, MentoringConsent
    from organisations.school_year import current_school_year

    school = demo
    year = current_school_year()
    agreements = AdditionalAgreement.objects.filter(organisation=school)
    assert agreements.count() >= 2
    assert MentoringConsent.objects.filter(organisation=school).count() == agreements.count()
    pay_orders = Order.objects.filter(organisation=school, kind="mentoring_pay", status=Order.Status.APPROVED)
    assert pay_orders.count() == 1
    october, _ = pay_register(organisation=school, year=year, month=10)
    november, _ = pay_register(organisation=school, year=year, month=11)
    assert len(october) == len(november) == agreements.count()
    refusal = EarlyEnd.objects.get(organisation=school)
    assert refusal.initiator == EarlyEnd.Initiator.MENTOR and refusal.order_label
    refused = next(row for row in november if row.ended)
    assert refused.last_day == refusal.ends_on and refused.days < 30
    refusal.pair.refresh_from_db()
    assert refusal.pair.status == Pair.Status.CLOSED

    counts = (agreements.count(), Order.objects.filter(organisation=school).count())
    call_command("load_demo", verbosity=0)
    assert (agreements.count(), Order.objects.filter(organisation=school).count()) == counts


def test_a_mentor_with_an_account_consents_online_and_the_text_is_kept(client, school, teacher, mentor_a):
    programme = ProgrammeFactory(organisation=school, kind="teachers")
    teacher.user = mentor_a
    teacher.save()
    pair = _pair(programme, teacher)
    other = _pair(programme, TeacherFactory(organisation=school))
    client.force_login(mentor_a)
    url = reverse("reports:employee_my_consents", kwargs={"org": school.slug})
    page = client.get(url).content.decode()
    assert "Я, Иванова Мария Петровна, учитель математики" in page
    client.post(url, {"pair": other.pk})  # another mentor's assignment: refused
    assert not hasattr(Pair.objects.get(pk=other.pk), "employee_consent")
    response = client.post(url, {"pair": pair.pk}, follow=True)
    assert "Согласие на наставничество дано" in response.content.decode()
    consent = Pair.objects.get(pk=pair.pk).employee_consent
    assert consent.accepted_at is not None and not consent.scan
    assert consent.accepted_text.startswith(
        "Я, Иванова Мария Петровна, учитель математики, в соответствии со статьёй 351.8"
    )


def test_a_new_pay_rule_ends_the_old_one_and_each_basis_gives_its_monthly_sum(school, programme, director_a):
    old = _rule(school)
    new = pay_rule_add(
        organisation=school, basis=PayRule.Basis.PERCENT, amount=Decimal("10"), valid_from=datetime.date(2026, 1, 1)
    )
    old.refresh_from_db()
    assert old.valid_to == datetime.date(2025, 12, 31) and new.valid_to is None
    with pytest.raises(ValidationError) as too_much:
        pay_rule_add(
            organisation=school,
            basis=PayRule.Basis.PERCENT,
            amount=Decimal("150"),
            valid_from=datetime.date(2026, 2, 1),
        )
    assert too_much.value.messages == ["Процент от оклада не может быть больше 100."]

    teacher = TeacherFactory(organisation=school)
    pair = _pair(programme, teacher, starts_on=datetime.date(2026, 1, 12))
    _consent(pair)
    _terms(teacher)  # salary 40 000
    agreement = agreement_conclude(pair=pair, concluded_on=datetime.date(2026, 1, 12))
    assert (agreement.pay_basis, agreement.monthly_amount) == (PayRule.Basis.PERCENT, Decimal("4000.00"))

    pay_rule_add(
        organisation=school,
        basis=PayRule.Basis.PER_MENTEE,
        amount=Decimal("1500"),
        valid_from=datetime.date(2026, 3, 1),
    )
    group = _pair(
        programme,
        TeacherFactory(organisation=school),
        starts_on=datetime.date(2026, 3, 2),
        mentees=[PersonFactory(organisation=school) for _ in range(3)],
    )
    _consent(group)
    _terms(group.mentor, number="77-ТД")
    assert agreement_conclude(pair=group, concluded_on=datetime.date(2026, 3, 2)).monthly_amount == Decimal("4500.00")


def test_an_agreement_needs_the_labour_contract_and_a_pay_rule(school, programme, teacher):
    pair = _pair(programme, teacher)
    _consent(pair)
    with pytest.raises(ValidationError) as no_contract:
        agreement_conclude(pair=pair, concluded_on=datetime.date(2025, 9, 1))
    assert "Укажите номер и дату трудового договора Ивановой Марии Петровны" in no_contract.value.messages[0]
    _terms(teacher)
    with pytest.raises(ValidationError) as no_rule:
        agreement_conclude(pair=pair, concluded_on=datetime.date(2025, 9, 1))
    assert no_rule.value.messages[0].startswith("На 01.09.2025 не действует ни одно правило оплаты наставничества")
