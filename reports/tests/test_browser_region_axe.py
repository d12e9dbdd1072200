"""axe (WCAG 2.1 AA, landmarks and headings) over the region's and the monitoring pages with data,
at 1280 and 390 px: the region dashboard and table of districts, the campaign's status page with
its consolidated table, a school's review, the targets and layout pages, the school's form."""

import datetime

import pytest
from django.urls import reverse

from organisations.tests.test_browser_accessibility import _session_cookie, axe_problems
from reports.analytics.models import Indicator
from reports.monitoring import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_region_and_monitoring_pages_meet_wcag_aa(
    chromium, live_server, region, school_a, school_b, member, reference_data
):
    from axe_playwright_python.sync_playwright import Axe

    involved = Indicator.objects.get(organisation=None, code="students_involved")
    entered = Indicator.objects.create(
        organisation=region, code="events", title="Мероприятия", short_title="Мероприятия", unit="count"
    )
    campaign = services.open_campaign(
        organisation=region,
        title="Мониторинг ЦМН",
        school_year=2026,
        deadline=datetime.date(2027, 1, 20),
        indicators=[involved, entered],
        schools=[school_a, school_b],
        questions=[("Комментарий", "text"), ("Скан", "file")],
    )
    response = services.start_response(response=campaign.responses.get(organisation=school_a))
    officer = member(region, "region_officer")
    deputy = member(school_a, "deputy_director")
    pages = [
        (officer, reverse("reports:dashboard", kwargs={"org": region.slug})),
        (officer, reverse("reports:district_kpi", kwargs={"org": region.slug})),
        (officer, reverse("reports:campaign_list", kwargs={"org": region.slug})),
        (officer, reverse("reports:campaign_new", kwargs={"org": region.slug})),
        (officer, reverse("reports:campaign_detail", kwargs={"org": region.slug, "pk": campaign.pk})),
        (officer, reverse("reports:campaign_review", kwargs={"org": region.slug, "pk": response.pk})),
        (officer, reverse("reports:indicator_targets", kwargs={"org": region.slug})),
        (officer, reverse("reports:campaign_layout", kwargs={"org": region.slug})),
        (officer, reverse("reports:dashboard", kwargs={"org": school_a.parent.slug})),
        (deputy, reverse("reports:dashboard", kwargs={"org": school_a.slug})),
        (deputy, reverse("reports:campaign_list", kwargs={"org": school_a.slug})),
        (deputy, reverse("reports:campaign_fill", kwargs={"org": school_a.slug, "pk": campaign.pk})),
    ]
    axe, problems = Axe(), []
    for width in (1280, 390):
        context = chromium.new_context(viewport={"width": width, "height": 900}, locale="ru-RU")
        page = context.new_page()
        try:
            for user, url in pages:
                context.clear_cookies()
                context.add_cookies([_session_cookie(live_server.url, user)])
                result = page.goto(live_server.url + url)
                assert result.ok, url
                problems += axe_problems(axe, page, f"{url} at {width} px")
        finally:
            context.close()
    assert not problems, "\n".join(problems)
