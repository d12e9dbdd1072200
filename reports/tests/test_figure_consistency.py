"""One definition per figure (issue 16, point 5): every indicator of the demo reads the same on the
school's KPI page, in its справка (PDF and DOCX), in the district's KPI table and in the district
report's XLSX; a plan's fulfilment reads the same on the plans list, in the plan's PDF, in the
plan-fulfilment XLSX, and the plans list's total is the KPI.

The demo (``manage.py load_demo``) is built once for this module inside a transaction that is
rolled back at the end; every test runs in a savepoint inside it.
"""

import html
import io
import re
from importlib import import_module

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from mentorship.models import Pair
from mentorship.selectors_plans import fulfilment_percent
from organisations.models import Organisation
from reports.analytics import indicators, kpi
from reports.analytics.indicators import MEAN

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.apps import apps

    from conftest import SEEDED_BY_MIGRATIONS

    with django_db_blocker.unblock(), transaction.atomic():
        for module in SEEDED_BY_MIGRATIONS:
            import_module(module).seed(apps, None)
        call_command("load_demo", verbosity=0)
        User = get_user_model()
        yield {
            "school": Organisation.objects.get(slug="school-1"),
            "district": Organisation.objects.get(slug="zarechny"),
            "director": User.objects.get(username="director"),
            "curator": User.objects.get(username="curator"),
            "officer": User.objects.get(username="district"),
        }
        transaction.set_rollback(True)


def _flat(text: str) -> str:
    """Spaces of any kind (line breaks, no-break spaces) as one space: what a reader compares."""
    return re.sub(r"\s+", " ", html.unescape(text).replace("\u00a0", " ")).strip()


def _pdf_text(content: bytes) -> str:
    return _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def _get(client, user, name, org, **kwargs):
    client.force_login(user)
    response = client.get(reverse(name, kwargs={"org": org.slug, **kwargs.pop("url", {})}), kwargs)
    assert response.status_code == 200, name
    return response


def _school_page_cards(content: str) -> dict[str, tuple[str, str]]:
    """The school's KPI page: code → (the value shown, what it counts)."""
    cards = {}
    for code in indicators.codes():
        card = content.split(f'data-testid="kpi-{code}"', 1)[1]
        value = re.search(r'data-testid="kpi-value"[^>]*>(.*?)</div>', card, re.S).group(1)
        counts = re.search(r'data-testid="kpi-counts">(.*?)</span>', card, re.S).group(1)
        cards[code] = (_flat(value), _flat(counts))
    return cards


def _district_row(content: str, school: Organisation) -> dict[str, tuple[str, str]]:
    """The district's KPI table, one school's row: code → (the value shown, its title: what it counts)."""
    rows = re.findall(r'<tr data-testid="kpi-school">(.*?)</tr>', content, re.S)
    (row,) = [row for row in rows if f">{html.escape(school.short_name)}</a>" in row]
    cells = re.findall(r'<td[^>]*title="([^"]*)" data-testid="kpi-cell-([a-z_]+)">(.*?)</td>', row, re.S)
    return {code: (_flat(value), _flat(title)) for title, code, value in cells}


def _xlsx_row(content: bytes, sheet: str, first_cell: str) -> dict:
    """The row of an XLSX sheet whose first cell is ``first_cell``, keyed by the header row (starting «Школа»)."""
    rows = [list(row) for row in load_workbook(io.BytesIO(content), read_only=True)[sheet].iter_rows(values_only=True)]
    header_index = next(
        i for i, row in enumerate(rows) if row and row[0] in ("Школа", "Пара (наставник — наставляемые)")
    )
    header = rows[header_index]
    matching = [row for row in rows[header_index + 1 :] if row and row[0] == first_cell]
    assert len(matching) == 1, first_cell
    return dict(zip(header, matching[0], strict=False))


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


# The demo's schools whose programmes give every indicator a value between them: school-1 is
# mid-year (no exit questionnaires yet), school-3 has finished (satisfaction, growth).
SCHOOLS = {"school-1": "director", "school-3": "curator3"}


@pytest.mark.parametrize("slug", SCHOOLS)
def test_every_indicator_reads_the_same_on_the_page_in_the_reports_and_in_the_district_table(client, demo, slug):
    school, district = Organisation.objects.get(slug=slug), demo["district"]
    user = get_user_model().objects.get(username=SCHOOLS[slug])
    # The one selector: what every place below must print.
    own = {indicator.code: indicator for indicator in kpi.school_indicators(organisation=school)}

    page = _school_page_cards(_get(client, user, "reports:kpi", school).content.decode())
    pdf = _pdf_text(_get(client, user, "reports:analytics_pdf", school).content)
    table = _section(pdf, "2. Показатели эффективности", "Как считаются показатели")
    notes = _section(pdf, "Как считаются показатели", "3. Результаты мониторинга")
    docx = Document(io.BytesIO(_get(client, user, "reports:analytics_docx", school).content))
    (docx_table,) = [t for t in docx.tables if _flat(t.rows[0].cells[0].text) == "Показатель"]
    docx_cells = {_flat(row.cells[0].text): _flat(row.cells[1].text) for row in docx_table.rows[1:]}
    docx_text = _flat("\n".join(paragraph.text for paragraph in docx.paragraphs))
    district_page = _get(client, demo["officer"], "reports:district_kpi", district).content.decode()
    district_row = _district_row(district_page, school)
    xlsx = _get(client, demo["officer"], "reports:district_report_xlsx", district).content
    xlsx_row = _xlsx_row(xlsx, "Показатели", school.short_name)

    titles = [spec.title for spec in indicators.all_indicators()]
    # Above the school a group under 5 reads «менее 5» (organisations.figures); the rest is the same number.
    (above,) = [row.indicators for row in kpi.district_indicators(district=district).schools if row.school == school]
    for position, spec in enumerate(indicators.all_indicators()):
        indicator = own[spec.code]
        shown, counts = _flat(indicator.display), _flat(indicator.counts_text)
        # The school's page: the value and what it counts, in words.
        assert page[spec.code] == (shown, counts), spec.code
        # The справка's table: the row of the indicator holds the same value and words.
        following = titles[position + 1] if position + 1 < len(titles) else "\u0000"
        row = table.split(spec.title, 1)[1].split(following, 1)[0]
        assert shown in row and counts in row, (spec.code, row)
        assert f"{spec.title}: {spec.formula_text}." in notes, spec.code
        assert docx_cells[spec.title] == _flat(f"{indicator.display} {indicator.counts_text}"), spec.code
        assert f"{spec.title}: {spec.formula_text}." in docx_text, spec.code
        value_column = f"{spec.short_title}, {spec.label}" if spec.label else spec.short_title
        if above[spec.code].suppressed:
            assert district_row[spec.code] == ("менее 5", "группа меньше 5 человек не показывается"), spec.code
            assert xlsx_row[value_column] == "менее 5", spec.code
            continue
        # The district's table: the same value, and the same people behind it on hover.
        assert district_row[spec.code] == (shown, counts), spec.code
        # The district report's XLSX: the same number, not a differently rounded one.
        assert xlsx_row[value_column] == indicator.value, spec.code
        if spec.unit == MEAN:
            people = (
                xlsx_row[f"{spec.short_title}: ответили, человек"],
                xlsx_row[f"{spec.short_title}: опрошено, человек"],
            )
            assert people == (indicator.respondents, indicator.asked), spec.code
        else:
            counted = (xlsx_row[f"{spec.short_title}: учтено"], xlsx_row[f"{spec.short_title}: всего"])
            assert counted == (indicator.numerator, indicator.denominator), spec.code
        # A share is a whole percent on every one of them (half up: organisations.figures).
        if spec.unit == indicators.PERCENT and indicator.value is not None:
            assert isinstance(indicator.value, int) and shown == f"{indicator.value} %", spec.code


def test_the_schools_compared_give_every_indicator_a_value(demo):
    """So that the test above compares real numbers for each indicator, not «—» with «—»."""
    valued = set()
    for slug in SCHOOLS:
        school = Organisation.objects.get(slug=slug)
        valued |= {i.code for i in kpi.school_indicators(organisation=school) if i.value not in (None, 0)}
    # Nobody in the demo's schools is a young specialist with a mentor at school-1 or a partner's mentor.
    assert set(indicators.codes()) - valued <= {"partner_share"}


def test_means_count_people_not_answers(client, demo):
    """«ответов: 15» where 3 people answered 5 items each: the page says how many people answered of how many."""
    school = Organisation.objects.get(slug="school-3")
    own = {indicator.code: indicator for indicator in kpi.school_indicators(organisation=school)}
    user = get_user_model().objects.get(username="curator3")
    page = _school_page_cards(_get(client, user, "reports:kpi", school).content.decode())
    for code in ("satisfaction_mentees", "satisfaction_mentors", "growth"):
        indicator = own[code]
        assert indicator.respondents and indicator.respondents < indicator.denominator, (
            code
        )  # fewer people than answers
        assert indicator.respondents <= indicator.asked, code
        counts = page[code][1]
        assert re.fullmatch(r"ответил(и)?( на обе анкеты)? \d+ человека? из \d+", counts), counts
        assert f" {indicator.respondents} " in counts and counts.endswith(f"из {indicator.asked}"), counts
        assert "ответов:" not in counts


def test_each_indicator_shows_its_formula_on_hover_and_to_the_keyboard(client, demo):
    school = demo["school"]
    content = _get(client, demo["director"], "reports:kpi", school).content.decode()
    for spec in indicators.all_indicators():
        card = content.split(f'data-testid="kpi-{spec.code}"', 1)[1]
        card = card[: card.find("</details>") + len("</details>")]
        assert html.unescape(f'title="Как считается: {spec.formula_text}"') in html.unescape(card), spec.code
        # The same text in a details element: a keyboard and a touch screen open it too.
        assert "<summary>Как считается</summary>" in card, spec.code
        assert f"{_capfirst(spec.formula_text)}." in html.unescape(card), spec.code
    district = _get(client, demo["officer"], "reports:district_kpi", demo["district"]).content.decode()
    assert 'data-testid="kpi-formulas"' in district
    district = html.unescape(district)
    assert all(f"<dd>{_capfirst(spec.formula_text)}.</dd>" in district for spec in indicators.all_indicators())


def test_a_plans_fulfilment_reads_the_same_on_the_list_in_its_pdf_and_in_the_xlsx(client, demo):
    school, curator = demo["school"], demo["curator"]
    pairs = (
        Pair.objects.filter(organisation=school, plan__isnull=False).exclude(status=Pair.Status.DRAFT).order_by("pk")
    )
    assert pairs, "the demo should have plans"
    listing = _flat(_get(client, curator, "mentorship:plan_list", school).content.decode())
    xlsx = _get(client, curator, "reports:export", school, url={"identifier": "plan-fulfilment"}).content
    checked = 0
    for pair in pairs:
        items = list(pair.plan.items.all())
        if not items:
            continue
        done, total = sum(item.done for item in items), len(items)
        percent = fulfilment_percent(done, total)
        edit_url = reverse("mentorship:plan_edit", kwargs={"org": school.slug, "pair_pk": pair.pk})
        row = listing.split(f'href="{edit_url}"', 1)[0].rsplit("<tr>", 1)[1]
        assert f"<td>{percent} %<div" in row and f"{done} из {total}</div>" in row, pair
        pdf = _pdf_text(_get(client, curator, "reports:plan_pdf", school, url={"pair_pk": pair.pk}).content)
        assert f"Выполнено {done} из {total} " in pdf and f"({percent} %)" in pdf, pair
        cells = _xlsx_row(xlsx, "Выполнение планов", _pair_text(pair))
        assert (cells["Пунктов плана"], cells["Выполнено"], cells["Выполнение, %"]) == (total, done, percent), pair
        checked += 1
    assert checked >= 2


def test_the_plans_lists_total_is_the_kpi(client, demo):
    """The issue's case: 46 % on the plans list and 60 % on the KPI page. Now one definition, one number."""
    school = demo["school"]
    indicator = kpi.school_indicator(organisation=school, code="plan_fulfilment")
    listing = _flat(_get(client, demo["curator"], "mentorship:plan_list", school).content.decode())
    total = re.search(r"Выполнено (\d+) из (\d+) пунктов? планов — (\d+) %", listing)
    assert total, "the plans list shows its total"
    assert tuple(int(n) for n in total.groups()) == (indicator.numerator, indicator.denominator, indicator.value)


def _pair_text(pair) -> str:
    from reports.registers.programme import _pair_text as text

    return text(Pair.objects.filter(pk=pair.pk).prefetch_related(_mentees()).get())


def _mentees():
    from django.db.models import Prefetch

    from reports.registers.programme import _mentee_links

    return Prefetch("pair_mentees", queryset=_mentee_links(), to_attr="mentee_links")


def test_the_dashboards_consents_and_the_справкаs_roadmap_are_the_kpi(client, demo):
    """Figures that other pages show on their own: the same numbers as the indicators."""
    school = demo["school"]
    own = {indicator.code: indicator for indicator in kpi.school_indicators(organisation=school)}
    dashboard = _get(client, demo["director"], "reports:dashboard", school).content.decode()
    card = _flat(dashboard.split('data-testid="consent-coverage"', 1)[1].split("</div></div></div>", 1)[0])
    consents = own["consent_coverage"]
    assert f">{consents.value} %<" in card.replace(" <", "<").replace("> ", ">"), card
    assert f"{consents.numerator} из {consents.denominator} участник" in card, card

    roadmap = own["roadmap_completion"]
    pdf = _pdf_text(_get(client, demo["director"], "reports:analytics_pdf", school).content)
    section = _section(pdf, "4. Выполнение дорожной карты", "5. Наставнические пары")
    assert (
        f"Мероприятий, срок которых наступил: {roadmap.denominator}; выполнено в срок — {roadmap.numerator} " in section
    )
    assert f"({roadmap.value} %)" in section, section
