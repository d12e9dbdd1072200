"""Analytical reports (reports/analytics.py, views_analytics.py): the school's справка read back from
its PDF and DOCX, the district's annual report (PDF, XLSX: totals are sums of the schools'
numerators and denominators), the mentor registers received from schools, journalling and the
query counts of the district pages."""

import datetime
import io
import re
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.school_year import current_school_year
from organisations.tests.factories import DistrictFactory, SchoolFactory
from participants.models import (
    AccessLogEntry,
    ConsentPurpose,
    Invitation,
    MentorEntry,
    MentoringForm,
    QuestionnaireTemplate,
    Response,
    RoleModel,
)
from participants.tests.factories import MentorEntryFactory, PersonFactory, TeacherFactory
from participants.tests.factories_consents import ConsentFactory
from reports.analytics import documents as analytics
from reports.analytics import kpi
from reports.analytics.documents_docx import school_report_docx
from reports.models import Order, OrderKind, ReportJob
from roadmap.models import Occurrence
from roadmap.tests.factories import ItemFactory, RoadmapFactory

pytestmark = pytest.mark.usefixtures("reference_data")

YEAR = 2025
PERIOD = kpi.Period.of_school_year(YEAR)
TODAY = datetime.date(2026, 9, 15)  # after the school year: every value is taken at its end
D = datetime.date
BEST_CASE = "Проектная мастерская по робототехнике: наставник и двое семиклассников собирают робота"
BEST_RESULTS = "Команда стала призёром муниципального фестиваля робототехники"
OTHER_CASE = "Школьный медиацентр: старшеклассник учит младших вести новости школы"
OVERDUE = "Провести круглый стол наставников"
# The period as dates: the school year 2025/2026 whatever today's year choices are.
PERIOD_QUERY = {"start": "2025-09-01", "end": "2026-08-31"}
ENTRY = "Что мне нужно от наставника (для обучающегося)"
EXIT = "Итоговая анкета наставляемого"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _flat(text: str) -> str:
    return re.sub(r"([-/])\s+", r"\1", " ".join(text.split()))


def _pdf_text(content: bytes) -> str:
    return _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return _flat("\n".join([*(p.text for p in document.paragraphs), *cells]))


def _aware(day):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12))


def _answer(template, person, values, *, on):
    """A submitted response with answers in the order of the template's questions."""
    questions = list(template.questions.order_by("position"))
    answers = {str(q.pk): value for q, value in zip(questions, values, strict=False) if value is not None}
    invitation = Invitation.objects.create(
        organisation=person.organisation,
        template=template,
        person=person,
        token_hash=secrets.token_hex(32),
        expires_at=_aware(on) + datetime.timedelta(days=7),
        answered_at=_aware(on),
    )
    Response.objects.create(
        organisation=person.organisation,
        invitation=invitation,
        template=template,
        person=person,
        submitted_at=_aware(on),
        answers=answers,
    )


def _standard(title):
    return QuestionnaireTemplate.objects.get(organisation__isnull=True, title=title)


def _form(name):
    return MentoringForm.objects.get(name=name)


def _pair(school, programme, mentor, mentees, *, form, **extra):
    extra.setdefault("starts_on", D(2025, 10, 1))
    return PairFactory(
        organisation=school,
        programme=programme,
        mentor=mentor,
        mentees=mentees,
        form=form,
        planned_end_on=programme.ends_on,
        **extra,
    )


@pytest.fixture
def school(school_a, curator_a):
    """School A, computed by hand: students s1–s7, teachers t1, t2.

    Pairs of 2025/2026: A t1 → s1, s2 («учитель – ученик», best practice), B s3 → s4 («ученик –
    ученик», closed in May), a draft t2 → s5 (never counted). Students involved: s1–s4 of 7 = 57 %
    (57,1 % rounded half up; target 70 %). Roadmap: o1 done on time, o2 overdue. s1, s2 answered entry and exit
    questionnaires: growth of «interest» and «confidence» s1 8 − 4, 6 − 5; s2 7 − 6, 7 − 7.
    """
    curator_a.last_name, curator_a.first_name, curator_a.patronymic = "Николаева", "Ольга", "Андреевна"
    curator_a.save()
    s = {i: PersonFactory(organisation=school_a, last_name=f"Ученик{i}") for i in range(1, 8)}
    t1 = TeacherFactory(organisation=school_a, last_name="Черных", first_name="Илья", patronymic="Петрович")
    t2 = TeacherFactory(organisation=school_a, last_name="Учитель2", experience_years=2)
    programme = ProgrammeFactory(organisation=school_a, school_year=YEAR, curator=curator_a)
    teacher_student, student_student = _form("учитель – ученик"), _form("ученик – ученик")
    role_model = RoleModel.objects.filter(form=student_student).order_by("position").first()
    best = _pair(school_a, programme, t1, [s[1], s[2]], form=teacher_student)
    Pair.objects.filter(pk=best.pk).update(is_best_practice=True, case_description=BEST_CASE, case_results=BEST_RESULTS)
    _pair(
        school_a,
        programme,
        s[3],
        [s[4]],
        form=student_student,
        role_model=role_model,
        status=Pair.Status.CLOSED,
        closed_on=D(2026, 5, 20),
        outcome=Pair.Outcome.COMPLETED,
    )
    _pair(school_a, programme, t2, [s[5]], form=teacher_student, status=Pair.Status.DRAFT)

    roadmap = RoadmapFactory(organisation=school_a, starts_on=D(2025, 9, 1), ends_on=D(2026, 8, 31))
    item = ItemFactory(section__roadmap=roadmap, content="Сформировать базу наставников", deadline="Октябрь 2025")
    late = ItemFactory(section__roadmap=roadmap, content=OVERDUE, deadline="Март 2026")
    item.occurrences.all().delete()
    late.occurrences.all().delete()
    Occurrence.objects.create(
        organisation=school_a, item=item, due_on=D(2025, 10, 31), status=Occurrence.Status.DONE, done_on=D(2025, 10, 20)
    )
    Occurrence.objects.create(organisation=school_a, item=late, due_on=D(2026, 3, 31))

    for person in (s[1], s[2]):
        ConsentFactory(person=person, signed_on=D(2025, 9, 5))
    entry, exit_ = _standard(ENTRY), _standard(EXIT)
    _answer(entry, s[1], [["с выбором профессии"], "", 4, 5, "учитель", ""], on=D(2025, 9, 20))
    _answer(entry, s[2], [["с выбором профессии"], "", 6, 7, "учитель", ""], on=D(2025, 9, 20))
    _answer(exit_, s[1], [9, 8, 8, 6, 7, True, ""], on=D(2026, 5, 15))
    _answer(exit_, s[2], [7, 7, 7, 7, 6, False, ""], on=D(2026, 5, 15))
    return {"s": s, "t1": t1, "programme": programme}


@pytest.fixture
def other_school(school_b):
    """School B: students u1–u3, a teacher v1 mentoring u1 (best practice) and in the register."""
    u = [PersonFactory(organisation=school_b, last_name=f"Школьник{i}") for i in range(1, 4)]
    v1 = TeacherFactory(organisation=school_b, last_name="Васильева", first_name="Вера", patronymic="Ивановна")
    programme = ProgrammeFactory(organisation=school_b, school_year=YEAR)
    pair = _pair(school_b, programme, v1, [u[0]], form=_form("учитель – ученик"))
    Pair.objects.filter(pk=pair.pk).update(is_best_practice=True, case_description=OTHER_CASE)
    ConsentFactory(person=v1, signed_on=D(2025, 9, 1))
    MentorEntryFactory(person=v1, school_year=YEAR, status=MentorEntry.Status.APPROVED, approved_on=D(2025, 9, 20))
    return {"u": u, "v1": v1}


def _report(school_a, **kwargs):
    return analytics.school_report(organisation=school_a, period=PERIOD, today=TODAY, **kwargs)


# --- School: the context --------------------------------------------------------------------------


def test_school_report_holds_hand_computed_numbers_and_conclusions(school_a, school):
    report = _report(school_a)
    involved = report["by_code"]["students_involved"]
    assert (involved.numerator, involved.denominator, involved.value) == (4, 7, 57)
    assert "Целевой показатель вовлечённости обучающихся (70\u00a0%) не достигнут: 57\u00a0%." in report["conclusions"]
    # Pairs by form: A working, B closed; the draft does not count.
    forms = {(row.form, row.is_subtotal): row for row in report["forms"]}
    assert (forms[("учитель – ученик", False)].total, forms[("учитель – ученик", False)].working) == (1, 1)
    assert (forms[("ученик – ученик", False)].closed, forms[("Итого", True)].total) == (1, 2)
    assert forms[("Итого", True)].mentees == 3
    # Roadmap: one of two due on time; the overdue one listed with its date.
    assert (report["roadmap"].completion.on_time, report["roadmap"].completion.counted) == (1, 2)
    assert [(row.content, row.due_text) for row in report["roadmap"].overdue] == [(OVERDUE, "31.03.2026")]
    # Growth per item of the students: interest 8 − 4, 7 − 6 → +2,5; confidence 6 − 5, 7 − 7 → +0,5.
    (group,) = report["monitoring"].groups
    assert [row.growth for row in group.items] == ["+2,50", "+0,50"]
    assert report["monitoring"].mentees_display == "7,20"
    # The best case with its participants; the recommendations start from the unreached targets.
    (case,) = report["best_cases"]
    assert (case.description, case.mentor, case.people) == (BEST_CASE, "Черных Илья Петрович", 3)
    assert report["recommendations"].startswith("1. Расширить вовлечение обучающихся")
    assert report["signer_signature"] == "О.\u00a0А.\u00a0Николаева"  # ГОСТ Р 7.0.97-2025, non-breaking


def test_without_access_to_people_the_best_cases_name_no_one(school_a, school):
    (case,) = _report(school_a, with_names=False)["best_cases"]
    assert (case.mentor, case.mentees, case.people, case.description) == ("", "", 0, BEST_CASE)


# --- School: the files ------------------------------------------------------------------------------


def test_pdf_holds_the_sections_a_hand_computed_value_and_the_best_case(client, school_a, school, curator_a):
    client.force_login(curator_a)
    url = reverse("reports:analytics_pdf", kwargs={"org": school_a.slug})
    edited = "1. Провести педагогический совет по итогам мониторинга.\n2. Принять новых наставников."

    response = client.post(url, {**PERIOD_QUERY, "recommendations": edited})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for title in (
        "Аналитическая справка по итогам мониторинга реализации целевой модели наставничества",
        "за 2025/2026 учебный год",
        "1. Общие сведения",
        "2. Показатели эффективности",
        "3. Результаты мониторинга",
        "4. Выполнение дорожной карты",
        "5. Наставнические пары и группы по формам",
        "6. Лучшие практики наставничества",
        "7. Выводы",
        "8. Рекомендации",
    ):
        assert title in text, title
    assert "Целевой показатель вовлечённости обучающихся (70 %) не достигнут: 57 %." in text
    assert "4 из 7" in text
    assert _flat(BEST_CASE) in text and "Черных Илья Петрович" in text
    assert OVERDUE in text
    assert "Провести педагогический совет по итогам мониторинга." in text
    assert "Расширить вовлечение" not in text, "the curator's text replaces the default one"
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.people_count) == (AccessLogEntry.Action.PRINT, 3)


def test_docx_holds_the_same_facts(client, school_a, school, curator_a):
    client.force_login(curator_a)
    response = client.get(reverse("reports:analytics_docx", kwargs={"org": school_a.slug}), PERIOD_QUERY)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = _docx_text(response.content)
    assert "Аналитическая справка по итогам мониторинга реализации целевой модели наставничества" in text
    for title in ("2. Показатели эффективности", "6. Лучшие практики наставничества", "8. Рекомендации"):
        assert title in text
    assert "Целевой показатель вовлечённости обучающихся (70 %) не достигнут: 57 %." in text
    assert "57 % 4 из 7 обучающихся" in text
    assert _flat(BEST_CASE) in text and _flat(BEST_RESULTS) in text
    assert "1. Расширить вовлечение обучающихся" in text  # the default recommendations on a GET
    document = Document(io.BytesIO(response.content))
    assert document.sections[0].left_margin == document.sections[0].right_margin * 2  # 20 and 10 mm


def test_docx_of_a_report_without_data_opens(school_a):
    content = school_report_docx(_report(school_a))
    assert "Наставнические пары и группы в отчётном периоде не работали." in _docx_text(content)


def test_the_page_shows_conclusions_and_the_default_recommendations(client, school_a, school, curator_a):
    client.force_login(curator_a)
    response = client.get(reverse("reports:analytics", kwargs={"org": school_a.slug}), PERIOD_QUERY)

    page = response.content.decode()
    assert response.status_code == 200
    assert "не достигнут: 57\u00a0%." in page
    assert "Расширить вовлечение обучающихся" in page  # in the textarea
    assert 'name="start" value="2025-09-01"' in page  # the period goes along with the print


def test_an_invalid_period_says_so_and_a_district_officer_prints_without_names(
    client, school_a, school, district_officer
):
    client.force_login(district_officer)
    page = client.get(reverse("reports:analytics", kwargs={"org": school_a.slug}), {"start": "2026-01-01"})
    assert "Укажите обе даты периода" in page.content.decode()

    response = client.get(reverse("reports:analytics_pdf", kwargs={"org": school_a.slug}), PERIOD_QUERY)

    text = _pdf_text(response.content)
    assert _flat(BEST_CASE) in text and "Черных" not in text
    assert not AccessLogEntry.objects.exists()


# --- District: the annual report --------------------------------------------------------------------


def _district_report(district):
    return analytics.district_report(district=district, period=PERIOD, today=TODAY)


def test_district_report_sums_the_schools_and_names_no_one(district, school_a, school, school_b, other_school):
    report = _district_report(district)
    involved = report["totals"]["students_involved"]
    # School A: 4 of 7; school B: u1 of 3 → 5 of 10, not the mean of 57 % and 33 %.
    assert (involved.numerator, involved.denominator, involved.value) == (5, 10, 50.0)
    assert [row.school.short_name for row in report["ranking"]] == ["МБОУ СОШ № 1", "МБОУ СОШ № 2"]
    assert [case.description for case in report["best_cases"]] == [BEST_CASE, OTHER_CASE]
    assert all(case.mentor == case.mentees == "" for case in report["best_cases"])
    teachers = dict(report["mentor_categories"])["Педагоги"]
    assert (teachers, report["mentors_total"]) == (2, 3)  # t1, v1 and the student mentor s3
    assert any(
        s.startswith(
            "Целевой показатель вовлечённости обучающихся (70\u00a0%) в целом по району не достигнут: 50\u00a0%"
        )
        for s in report["conclusions"]
    )


def test_district_pdf_holds_the_report(client, district, school_a, school, school_b, other_school, district_officer):
    client.force_login(district_officer)
    url = reverse("reports:district_report_pdf", kwargs={"org": district.slug})

    response = client.post(
        url, {"year": YEAR, "recommendations": "1. Провести муниципальный фестиваль наставничества."}
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for title in (
        "Ежегодный аналитический доклад о развитии наставничества",
        "2. Показатели мониторинга по школам",
        "3. Рейтинг школ",
        "5. Банк наставников: наставники по категориям",
        "6. Лучшие практики наставничества школ",
        "8. Прогноз и задачи на следующий этап",
    ):
        assert title in text, title
    assert "Итого по району" in text and "5 из 10" in text
    assert _flat(OTHER_CASE) in text
    assert "Провести муниципальный фестиваль наставничества." in text
    assert "Черных" not in text and "Ученик1" not in text


def test_district_xlsx_totals_are_the_sums_of_the_schools(
    client, district, school_a, school, school_b, other_school, district_officer
):
    client.force_login(district_officer)
    response = client.get(reverse("reports:district_report_xlsx", kwargs={"org": district.slug}), {"year": YEAR})

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [
        "Показатели",
        "Рейтинг",
        "Формы наставничества",
        "Наставники",
        "Лучшие практики",
        "Выводы",
    ]
    rows = [list(row) for row in workbook["Показатели"].iter_rows(values_only=True)]
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "Школа")
    header, body = rows[header_index], rows[header_index + 1 :]
    schools, (total,) = body[:-1], body[-1:]
    assert [row[0] for row in schools] == ["МБОУ СОШ № 1", "МБОУ СОШ № 2"] and total[0] == "Итого по району"
    for index, title in enumerate(header):
        # «менее 5» (a group under 5) and its hidden whole: not summed.
        cells = [row[index] if index < len(row) else None for row in schools]
        hidden = any(isinstance(cell, str) or cell is None for cell in cells)
        counts = title and (title.endswith(": учтено") or title.endswith(": всего") or title.endswith(": ответов"))
        if counts and not hidden and not isinstance(total[index], str):
            assert total[index] == sum(row[index] or 0 for row in schools), title
    involved = header.index("Обучающиеся в программе: учтено")
    assert total[involved : involved + 3] == [5, 10, 50]
    best = [row for row in workbook["Лучшие практики"].iter_rows(values_only=True) if row and row[0]]
    assert any(len(row) > 5 and row[5] == OTHER_CASE for row in best)


def test_a_large_district_builds_its_report_in_the_background(
    client, settings, monkeypatch, district, school_a, school, district_officer
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(analytics.DistrictReportExporter, "background_from_schools", 1)
    client.force_login(district_officer)

    response = client.post(reverse("reports:district_report_pdf", kwargs={"org": district.slug}), {"year": YEAR})

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job_detail", kwargs={"org": district.slug, "pk": job.pk})
    assert (job.status, job.fmt, job.exporter) == (ReportJob.Status.DONE, "pdf", "district-report")
    download = client.get(reverse("reports:job_download", kwargs={"org": district.slug, "pk": job.pk}))
    assert "Ежегодный аналитический доклад" in _pdf_text(b"".join(download.streaming_content))


def test_school_pages_of_the_district_report_are_not_found(client, school_a, curator_a):
    client.force_login(curator_a)
    for name in ("district_report", "district_report_xlsx", "district_registers", "district_registers_xlsx"):
        assert client.get(reverse(f"reports:{name}", kwargs={"org": school_a.slug})).status_code == 404
    export = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "district-registers"})
    assert client.get(export).status_code == 404


def _district_with(schools: int, prefix: str):
    district = DistrictFactory(slug=f"{prefix}-district")
    for index in range(schools):
        school = SchoolFactory(slug=f"{prefix}-{index}", parent=district)
        programme = ProgrammeFactory(organisation=school, school_year=YEAR)
        pair = _pair(
            school,
            programme,
            TeacherFactory(organisation=school),
            [PersonFactory(organisation=school)],
            form=_form("учитель – ученик"),
        )
        Pair.objects.filter(pk=pair.pk).update(is_best_practice=True, case_description=f"Практика {index}")
        mentor = TeacherFactory(organisation=school)
        ConsentFactory(person=mentor, signed_on=D(2025, 9, 1))
        MentorEntryFactory(person=mentor, school_year=YEAR, status=MentorEntry.Status.APPROVED)
    return district


@pytest.mark.parametrize("name", ["district_report", "district_registers"])
def test_district_pages_ask_the_same_number_of_queries_for_more_schools(client, member, name):
    counts = []
    for schools, prefix in ((2, "small"), (5, "large")):
        district = _district_with(schools, prefix)
        client.force_login(member(district, "district_officer"))
        url = reverse(f"reports:{name}", kwargs={"org": district.slug})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"year": YEAR})
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts


# --- District: the mentor registers ------------------------------------------------------------------


@pytest.fixture
def registers(district, school_a, school, school_b, other_school):
    """School A sent its register by an approved order; school B has only its current register; a
    school of another district has a mentor of its own."""
    Order.objects.create(
        organisation=school_a,
        kind=OrderKind.MENTOR_REGISTER,
        programme=school["programme"],
        title="Об утверждении реестра наставников",
        status=Order.Status.APPROVED,
        number=12,
        number_year=2025,
        number_label="12-ОД",
        approved_on=D(2025, 9, 25),
        snapshot={
            "register": [
                {
                    "name": "Черных Илья Петрович",
                    "who": "учитель математики",
                    "organisation": "",
                    "competencies": "робототехника",
                },
                {"name": "Ученик3 Илья Сергеевич", "who": "обучающийся 7Б", "organisation": "", "competencies": ""},
            ]
        },
    )
    foreign_school = SchoolFactory(slug="foreign-school", parent=DistrictFactory(slug="foreign-district"))
    stranger = TeacherFactory(organisation=foreign_school, last_name="Посторонняя")
    ConsentFactory(person=stranger, signed_on=D(2025, 9, 1))
    MentorEntryFactory(person=stranger, school_year=YEAR, status=MentorEntry.Status.APPROVED)
    # A candidate of school B is not in its register.
    MentorEntryFactory(person=TeacherFactory(organisation=school_b, last_name="Кандидатова"), school_year=YEAR)
    # Names reach the district only with the consent to the transfer (156-ФЗ).
    for entry in MentorEntry.objects.filter(organisation=school_b, person__consents__isnull=False):
        ConsentFactory(person=entry.person, purpose=ConsentPurpose.AUTHORITY_TRANSFER, signed_on=D(2025, 9, 1))


def test_registers_xlsx_has_each_schools_mentors_and_nobody_else(client, district, registers, district_officer):
    client.force_login(district_officer)
    response = client.get(reverse("reports:district_registers_xlsx", kwargs={"org": district.slug}), {"year": YEAR})

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [row for row in workbook["Реестры"].iter_rows(values_only=True) if len(row) > 6 and isinstance(row[1], int)]
    assert [(row[0], row[2], row[6]) for row in rows] == [
        ("МБОУ СОШ № 1", "Черных Илья Петрович", "приказ от 25.09.2025 № 12-ОД"),
        ("МБОУ СОШ № 1", "Ученик3 Илья Сергеевич", "приказ от 25.09.2025 № 12-ОД"),
        ("МБОУ СОШ № 2", "Васильева Вера Ивановна", "утверждена 20.09.2025, приказ в системе не оформлен"),
    ]
    summary = [
        row for row in workbook["Сводка"].iter_rows(values_only=True) if len(row) > 2 and row[0] and row[2] is not None
    ]
    assert [(row[0], row[2]) for row in summary[1:]] == [("МБОУ СОШ № 1", 2), ("МБОУ СОШ № 2", 1)]
    entry = AccessLogEntry.objects.get()
    assert (entry.organisation, entry.action, entry.people_count) == (district, AccessLogEntry.Action.EXPORT, 3)


def test_registers_page_lists_the_registers_and_is_journalled(client, district, registers, district_officer):
    client.force_login(district_officer)
    page = client.get(reverse("reports:district_registers", kwargs={"org": district.slug}), {"year": YEAR})

    text = page.content.decode()
    assert "Черных Илья Петрович" in text and "от 25.09.2025 № 12-ОД" in text
    assert "Васильева Вера Ивановна" in text and "приказ не утверждён" in text
    assert "Посторонняя" not in text and "Кандидатова" not in text
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.people_count) == (AccessLogEntry.Action.VIEW, 3)


def test_a_mentor_without_the_transfer_consent_is_counted_not_named(
    client, district, registers, district_officer, school_a, school_b
):
    # School B's current register: processing consent, no transfer consent.
    silent = TeacherFactory(organisation=school_b, last_name="Безпередачина")
    ConsentFactory(person=silent, signed_on=D(2025, 9, 1))
    MentorEntryFactory(person=silent, school_year=YEAR, status=MentorEntry.Status.APPROVED)
    # School A's signed register names a person whose transfer consent is missing.
    hidden = TeacherFactory(organisation=school_a, last_name="Скрытова")
    ConsentFactory(person=hidden, signed_on=D(2025, 9, 1))
    order = Order.objects.get(organisation=school_a)
    order.snapshot["register"].append({"person_id": hidden.pk, "name": hidden.full_name, "who": "", "competencies": ""})
    order.save(update_fields=["snapshot"])
    client.force_login(district_officer)

    text = client.get(
        reverse("reports:district_registers", kwargs={"org": district.slug}), {"year": YEAR}
    ).content.decode()
    assert "Безпередачина" not in text and "Скрытова" not in text
    assert text.count('data-testid="register-unnamed"') == 2
    assert "Учтено без имени" in text and "Всего наставников: 5" in text

    response = client.get(reverse("reports:district_registers_xlsx", kwargs={"org": district.slug}), {"year": YEAR})
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert not any("Безпередачина" in c or "Скрытова" in c for c in cells)
    summary = [
        row
        for row in workbook["Сводка"].iter_rows(values_only=True)
        if row and row[0] in ("МБОУ СОШ № 1", "МБОУ СОШ № 2")
    ]
    assert [(row[2], row[3]) for row in summary] == [(3, 1), (2, 1)]

    # With the separate consent the name goes.
    ConsentFactory(person=silent, purpose=ConsentPurpose.AUTHORITY_TRANSFER, signed_on=D(2025, 9, 2))
    text = client.get(
        reverse("reports:district_registers", kwargs={"org": district.slug}), {"year": YEAR}
    ).content.decode()
    assert "Безпередачина" in text


def test_dashboards_link_to_the_reports(client, district, school_a, curator_a, district_officer):
    client.force_login(curator_a)
    page = client.get(reverse("reports:dashboard", kwargs={"org": school_a.slug})).content.decode()
    assert reverse("reports:analytics", kwargs={"org": school_a.slug}) in page
    client.force_login(district_officer)
    page = client.get(reverse("reports:dashboard", kwargs={"org": district.slug})).content.decode()
    assert reverse("reports:district_report", kwargs={"org": district.slug}) in page
    assert reverse("reports:district_registers", kwargs={"org": district.slug}) in page


def test_the_page_prints_this_school_year_until_a_period_is_chosen(client, school_a, curator_a):
    # The page's form carries no period fields before the user picks one.
    client.force_login(curator_a)
    url = reverse("reports:analytics_pdf", kwargs={"org": school_a.slug})
    response = client.post(url, {"recommendations": "Принять новых наставников."})
    assert response["Content-Type"] == "application/pdf"
    year = current_school_year()
    text = _pdf_text(response.content)
    assert f"за {year}/{year + 1} учебный год" in text and "Принять новых наставников." in text
