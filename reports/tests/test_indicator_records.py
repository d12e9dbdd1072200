"""Indicators as data (issue 20): the pages read the indicator records and the targets set per
region, district and school year; a changed target for 2026/27 leaves 2025/26's report unchanged."""

import pytest
from django.urls import reverse

from organisations.models import Organisation
from reports.analytics import indicators, kpi, targets
from reports.analytics.models import Indicator, IndicatorTarget


@pytest.fixture
def seeded(reference_data):
    assert Indicator.objects.filter(organisation=None).count() == 12


def _target(organisation, code, year):
    for spec in targets.specs_for(organisation, year):
        if spec.code == code:
            return spec.target
    raise KeyError(code)


def test_the_federal_set_is_seeded_with_its_targets(seeded, school_a):
    federal = {i.code: i.targets.get().target for i in Indicator.objects.filter(targets__isnull=False)}
    assert {code: int(value) for code, value in federal.items()} == {
        "students_involved": 70,
        "mentors_students": 10,
        "mentors_teachers": 10,
        "pairs_coverage": 100,
        "consent_coverage": 100,
        "plan_fulfilment": 90,
    }
    assert [spec.code for spec in targets.specs_for(school_a, 2025)] == [s.code for s in indicators.all_indicators()]


def test_a_changed_target_for_2026_leaves_2025_unchanged(seeded, region, school_a, client, district_officer):
    involved = Indicator.objects.get(organisation=None, code="students_involved")
    IndicatorTarget.objects.create(indicator=involved, organisation=region, school_year=2026, target=80)
    assert _target(school_a, "students_involved", 2025) == 70
    assert _target(school_a, "students_involved", 2026) == 80
    report_2025 = kpi.district_indicators(district=school_a.parent, period=kpi.Period.of_school_year(2025))
    report_2026 = kpi.district_indicators(district=school_a.parent, period=kpi.Period.of_school_year(2026))
    assert report_2025.totals["students_involved"].target == 70
    assert report_2026.totals["students_involved"].target == 80
    # The school's page and the district's table of that year print it.
    client.force_login(district_officer)
    page = client.get(reverse("reports:district_kpi", kwargs={"org": school_a.parent.slug}) + "?year=2025")
    assert page.context["columns"][0]["target"] == "70\u00a0%"


def test_a_district_tightens_only_where_the_region_allows(seeded, region, school_a):
    district = school_a.parent
    plans = Indicator.objects.get(organisation=None, code="plan_fulfilment")
    consents = Indicator.objects.get(organisation=None, code="consent_coverage")
    IndicatorTarget.objects.create(indicator=plans, organisation=region, school_year=2026, target=85)
    IndicatorTarget.objects.create(indicator=plans, organisation=district, school_year=2026, target=95)
    IndicatorTarget.objects.create(
        indicator=consents, organisation=region, school_year=2026, target=95, may_tighten=False
    )
    IndicatorTarget.objects.create(indicator=consents, organisation=district, school_year=2026, target=100)
    assert _target(school_a, "plan_fulfilment", 2026) == 95
    assert _target(region, "plan_fulfilment", 2026) == 85
    assert _target(school_a, "consent_coverage", 2026) == 95
    # A looser district target does not apply.
    IndicatorTarget.objects.filter(indicator=plans, organisation=district).update(target=50)
    assert _target(school_a, "plan_fulfilment", 2026) == 85


def test_a_regions_own_indicator_from_the_library(seeded, region, school_a):
    Indicator.objects.create(
        organisation=region,
        code="trained",
        title="Наставники, обученные в «Школе наставника»",
        short_title="Обучены",
        measure="mentors_trained",
        position=500,
    )
    other = Organisation.objects.create(kind="region", slug="r-2", full_name="Другой", short_name="Другой")
    assert "trained" in [spec.code for spec in targets.specs_for(school_a, 2026)]
    assert "trained" not in [spec.code for spec in targets.specs_for(other, 2026)]
    values = kpi.school_indicators(organisation=school_a, period=kpi.Period.of_school_year(2026))
    assert values[-1].code == "trained" and values[-1].title.startswith("Наставники, обученные")


def test_a_deactivated_indicator_leaves_the_pages(seeded, school_a):
    Indicator.objects.filter(code="growth").update(is_active=False)
    assert "growth" not in [spec.code for spec in targets.specs_for(school_a, 2026)]
