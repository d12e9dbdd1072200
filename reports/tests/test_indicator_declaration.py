"""An indicator is one declaration (reports.analytics.indicators): a throw-away one, declared in
this test only, appears on the school's KPI page and its drill-down, in the district's table, in
the school's справка (PDF, DOCX) and in the district report's XLSX, without touching any other file."""

import io
import re

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from participants.models import Person
from participants.tests.factories import PersonFactory, TeacherFactory
from reports.analytics import indicators, kpi
from reports.analytics.indicators import IndicatorSpec

pytestmark = pytest.mark.usefixtures("reference_data")

CODE = "probe_teachers_share"
TITLE = "Доля педагогов среди участников пробы"
SHORT_TITLE = "Педагоги пробы"
PHRASE = "доли педагогов среди участников пробы"
ADVICE = "Пригласить в пробу ещё педагогов."
MARK = "Проба"  # the last names the throw-away formula counts: nobody else's people


class TeachersShare:
    """Teachers among the people named «Проба…»: one query grouped by organisation."""

    def counts(self, organisation_ids, period, dates):
        rows = (
            Person.objects.filter(organisation_id__in=organisation_ids, last_name__startswith=MARK)
            .values("organisation_id")
            .annotate(n=Count("pk", filter=Q(category=Person.Category.TEACHER)), d=Count("pk"))
            .order_by()
        )
        return {row["organisation_id"]: [(row["n"], row["d"])] * len(dates) for row in rows}

    def rows(self, organisation, period, as_of):
        people = Person.objects.filter(organisation=organisation, last_name__startswith=MARK)
        return people.filter(category=Person.Category.TEACHER), people.exclude(category=Person.Category.TEACHER)


@pytest.fixture
def probe():
    spec = IndicatorSpec(
        code=CODE,
        title=TITLE,
        short_title=SHORT_TITLE,
        description="Проверочный показатель: педагоги среди участников пробы.",
        unit=indicators.PERCENT,
        formula=TeachersShare(),
        target=40,
        included_label="Педагоги",
        missing_label="Не педагоги",
        report_phrase=PHRASE,
        advice=ADVICE,
    )
    with indicators.declared(spec):
        yield spec
    assert not indicators.exists(CODE)


@pytest.fixture
def people(school_a, school_b):
    # School A: 5 teachers of 20 (25 %); school B: 10 of 10 (100 %); the district: 15 of 30 (50 %).
    # No group under 5: the district sees every figure (organisations.figures.MIN_GROUP).
    for index in range(5):
        TeacherFactory(organisation=school_a, last_name=f"{MARK}педагог{index}")
    for index in range(15):
        PersonFactory(organisation=school_a, last_name=f"{MARK}ученик{index}")
    for index in range(10):
        TeacherFactory(organisation=school_b, last_name=f"{MARK}учитель{index}")


def _flat(text: str) -> str:
    return re.sub(r"([-/])\s+", r"\1", " ".join(text.split()))


def test_a_declared_indicator_is_computed_for_the_school_and_the_district(probe, people, school_a, district):
    values = {i.code: i for i in kpi.school_indicators(organisation=school_a)}
    assert list(values)[-1] == CODE, "a new declaration comes last in the pages' order"
    own = values[CODE]
    assert (own.numerator, own.denominator, own.value, own.status) == (5, 20, 25.0, kpi.BAD)
    result = kpi.district_indicators(district=district)
    total = result.totals[CODE]
    assert (total.numerator, total.denominator, total.value, total.status) == (15, 30, 50.0, kpi.OK)


def test_the_school_kpi_page_and_its_drill_down_show_it(client, probe, people, school_a, curator_a):
    client.force_login(curator_a)
    content = client.get(reverse("reports:kpi", kwargs={"org": school_a.slug})).content.decode()
    assert f'data-testid="kpi-{CODE}" data-status="bad"' in content
    assert TITLE in content and "5 из 20" in content and "цель не менее 40\u00a0%" in content
    detail = reverse("reports:kpi_detail", kwargs={"org": school_a.slug, "code": CODE})
    assert detail in content
    page = client.get(detail, {"show": "missing"}).content.decode()
    assert TITLE in page and "Не педагоги" in page and f"{MARK}ученик0" in page


def test_the_district_kpi_table_shows_it(client, probe, people, district, district_officer):
    client.force_login(district_officer)
    url = reverse("reports:district_kpi", kwargs={"org": district.slug})
    response = client.get(url, {"sort": CODE})
    content = response.content.decode()
    assert f'data-testid="sort-{CODE}"' in content and SHORT_TITLE in content
    assert f"Школы по показателю «{TITLE}»" in content
    assert [row.school.short_name for row in response.context["rows"]] == ["МБОУ СОШ № 2", "МБОУ СОШ № 1"]
    totals = dict(zip(indicators.codes(), response.context["totals"], strict=True))
    assert (totals[CODE].numerator, totals[CODE].denominator) == (15, 30)


def test_the_school_report_pdf_and_docx_state_it_and_advise_on_it(client, probe, people, school_a, curator_a):
    client.force_login(curator_a)
    response = client.get(reverse("reports:analytics_pdf", kwargs={"org": school_a.slug}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))
    assert TITLE in text
    assert f"Целевой показатель {PHRASE} (40 %) не достигнут: 25 %." in text
    assert ADVICE in text
    response = client.get(reverse("reports:analytics_docx", kwargs={"org": school_a.slug}))
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert TITLE in cells and f"Целевой показатель {PHRASE} (40 %) не достигнут: 25 %." in _flat(
        " ".join(p.text for p in document.paragraphs)
    )


def test_the_district_report_xlsx_has_its_columns(client, probe, people, district, district_officer):
    client.force_login(district_officer)
    response = client.get(reverse("reports:district_report_xlsx", kwargs={"org": district.slug}))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [list(row) for row in workbook["Показатели"].iter_rows(values_only=True)]
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "Школа")
    header, body = rows[header_index], rows[header_index + 1 :]
    first = header.index(f"{SHORT_TITLE}: учтено")
    assert header[first : first + 3] == [f"{SHORT_TITLE}: учтено", f"{SHORT_TITLE}: всего", f"{SHORT_TITLE}, %"]
    by_school = {row[0]: row[first : first + 3] for row in body}
    assert by_school == {"МБОУ СОШ № 1": [5, 20, 25], "МБОУ СОШ № 2": [10, 10, 100], "Итого по району": [15, 30, 50]}


def test_a_code_is_declared_once_and_lower_is_better_turns_the_colours_round():
    with pytest.raises(ValueError):
        indicators.register(indicators.get("students_involved"))
    assert kpi.status_of(5, 10, direction=indicators.LOWER) == kpi.OK
    assert kpi.status_of(12, 10, direction=indicators.LOWER) == kpi.WARN
    assert kpi.status_of(13, 10, direction=indicators.LOWER) == kpi.BAD
