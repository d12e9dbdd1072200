"""No child identifiable in aggregates: a district officer never sees a group under 5 — one
respondent in a class, every filter of the questionnaire results, the district's KPI table and
its files — while the school's own staff still see their small groups."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.figures import MIN_GROUP, SUPPRESSED_TEXT, is_small, suppress_cells
from participants.models import MentoringForm
from reports.analytics import kpi
from reports.tests.test_kpi import PERIOD, TODAY, YEAR, _small_school
from reports.tests.test_questionnaire_results import answer, consenting, make_template

pytestmark = pytest.mark.django_db


def test_the_rule_hides_small_cells_and_one_complementary_cell():
    assert MIN_GROUP == 5 and SUPPRESSED_TEXT == "менее 5"
    assert [is_small(n) for n in (0, 1, 4, 5, None)] == [False, True, True, False, False]
    assert suppress_cells([1, 0, 9, 6]) == {0, 3}  # 1 hidden, the smallest other non-empty too
    assert suppress_cells([1, 0, 9, 6], total_shown=False) == {0}
    assert suppress_cells([2, 3, 9]) == {0, 1}  # two hidden: neither can be got back alone
    assert suppress_cells([5, 7, 0]) == set()


SMALL_NUMBER = re.compile(r'<td class="text-end">([1-4])</td>')


@pytest.fixture
def classes(school_a):
    """Class 7Б: eight respondents; class 5А: one respondent, in a pair of its own form."""
    template = make_template(school_a)
    many = [consenting(school_a, last_name=f"Семиклассник{i}", grade=7, class_letter="Б") for i in range(8)]
    for index, person in enumerate(many):
        answer(template, person, [6 + index % 3, 3, "еженедельно", ["встречи"], index % 2 == 0, "отзыв"])
    lone = consenting(school_a, last_name="Одиночкина", grade=5, class_letter="А")
    answer(
        template,
        lone,
        [2, 1, "реже", ["экскурсии"], False, "Мне не понравилось"],
        submitted_at=datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC),
    )
    form = MentoringForm.objects.order_by("pk").first()
    programme = ProgrammeFactory(organisation=school_a)
    PairFactory(organisation=school_a, programme=programme, form=form, mentees=[lone])
    return template, lone, form


def _filters(form):
    yield {}
    yield {"school_class": "7Б"}
    yield {"school_class": "5А"}
    yield {"form": form.pk}
    yield {"form": form.pk, "school_class": "5А"}
    yield {"start": "2026-01-15", "end": "2026-01-15"}
    yield {"start": "2026-01-15", "end": "2026-01-15", "school_class": "7Б"}


def test_the_district_never_sees_a_group_under_five_whatever_the_filter(
    client, school_a, district_officer, curator_a, classes
):
    template, _lone, form = classes
    client.force_login(district_officer)
    url = reverse("reports:questionnaire_results", kwargs={"org": school_a.slug, "pk": template.pk})
    for params in _filters(form):
        html = client.get(url, params).content.decode()
        summary = re.search(r'data-testid="results-summary">\s*<span class="fs-5">Ответили: ([^<]+)<', html)[1]
        assert summary == "менее 5 человек" or not is_small(int(summary.split()[0])), (params, summary)
        assert not SMALL_NUMBER.search(html), (params, SMALL_NUMBER.search(html)[0])
        assert "Мне не понравилось" not in html and "Одиночкина" not in html
        if params.get("school_class") == "5А":
            assert 'data-testid="results-suppressed"' in html
    for name in ("reports:questionnaire_entry_exit", "reports:questionnaire_quarterly"):
        for params in _filters(form):
            html = client.get(reverse(name, kwargs={"org": school_a.slug}), params).content.decode()
            assert not SMALL_NUMBER.search(html), (name, params)
            assert "Одиночкина" not in html

    # The school's own staff still see their class of one.
    client.force_login(curator_a)
    html = client.get(url, {"school_class": "5А"}).content.decode()
    assert "Ответили: 1 человек" in html and "Мне не понравилось" in html


def test_district_kpi_table_and_files_hide_small_groups_and_their_complement(client, district, district_officer):
    # Students involved: 1 of 9 (small), 6 of 8 and 7 of 9; the total 14 is shown, so a second
    # school's figure is hidden too, or 14 − 6 − 7 would give the first back.
    _small_school(district, 0, students=9, paired=1)
    _small_school(district, 1, students=8, paired=6)
    _small_school(district, 2, students=9, paired=7)
    result = kpi.district_indicators(district=district, period=PERIOD, today=TODAY)
    cells = [row.indicators["students_involved"] for row in result.schools]
    assert [cell.suppressed for cell in cells] == [True, True, False]
    assert cells[0].display == "менее 5" and cells[0].numerator is None
    assert result.totals["students_involved"].numerator == 14
    for row in result.schools:
        for indicator in row.indicators.values():
            if indicator.suppressed:
                continue
            counted = indicator.respondents if indicator.kind == "mean" else indicator.numerator
            if kpi.indicators.get(indicator.code).about_people:
                assert not is_small(counted) and not is_small(indicator.denominator), indicator.code

    client.force_login(district_officer)
    html = client.get(reverse("reports:district_kpi", kwargs={"org": district.slug}), {"year": YEAR}).content.decode()
    assert "менее 5" in html and "1 из 9" not in html and "6 из 8" not in html

    response = client.get(
        reverse("reports:export", kwargs={"org": district.slug, "identifier": "district-report"}),
        {"year": YEAR, "format": "xlsx"},
    )
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    values = [c for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert "менее 5" in values
