"""The demo's region (issue 20): two districts, the region officer's login, an open campaign with
a school in each status, shown on the region's pages."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from organisations.models import Organisation, User
from reports.monitoring.models import Campaign, Response


@pytest.mark.django_db
def test_the_demo_region_has_two_districts_and_a_campaign_in_every_status(demo, client):
    region = Organisation.objects.get(slug="krai")
    assert region.is_region
    assert sorted(region.schools.values_list("slug", flat=True)) == ["lesnoy", "zarechny"]
    campaign = Campaign.objects.get(organisation=region)
    statuses = set(campaign.responses.values_list("status", flat=True))
    assert statuses == set(Response.Status.values)
    officer = User.objects.get(username="region")
    client.force_login(officer)
    for url in (
        reverse("reports:dashboard", kwargs={"org": "krai"}),
        reverse("reports:district_kpi", kwargs={"org": "krai"}),
        reverse("reports:campaign_list", kwargs={"org": "krai"}),
        reverse("reports:campaign_detail", kwargs={"org": "krai", "pk": campaign.pk}),
        reverse("reports:indicator_targets", kwargs={"org": "krai"}),
        reverse("reports:campaign_layout", kwargs={"org": "krai"}),
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("reports:campaign_detail", kwargs={"org": "krai", "pk": campaign.pk})).content.decode()
    assert "Итого: УО Лесного района" in page and "Итого: УО Заречного района" in page
    out = StringIO()
    call_command("load_demo", stdout=out)  # a second run adds nothing and prints the region's login
    assert Campaign.objects.filter(organisation=region).count() == 1
    assert "Специалист региона" in out.getvalue() and "Гончаренко" in out.getvalue()
