"""Every page of an organisation: 404 for another organisation's user, 403 without the capability.

A school's page is opened in school A, a district's page in school A's district, a region's
page in the region above it; the other organisation is school B, another district or another
region.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organisations.models import Organisation
from organisations.tests.factories import DistrictFactory, SchoolFactory
from organisations.tests.tenant_pages import all_pages, no_objects

TENANT_PAGES = all_pages()
DISTRICT_PAGES = [name for name, page in TENANT_PAGES.items() if page.organisation in ("district", "region")]


def _tenant_url_names(resolver=None, prefix="", inside_organisation=False):
    """Names of every URL pattern below /o/<org>/."""
    for pattern in (resolver or get_resolver()).url_patterns:
        in_org = inside_organisation or "org" in pattern.pattern.regex.groupindex
        if isinstance(pattern, URLResolver):
            yield from _tenant_url_names(
                pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix, in_org
            )
        elif isinstance(pattern, URLPattern) and in_org:
            yield f"{prefix}{pattern.name}"


@pytest.fixture
def home(school_a, region):
    """The organisation a page of the given name is opened in."""
    homes = {"school": school_a, "district": school_a.parent, "region": region}
    return lambda name: homes[TENANT_PAGES[name].organisation]


@pytest.fixture
def other_district(db):
    """A district with a school of its own: nothing of school A's district is its business."""
    district = DistrictFactory(slug="district-b", short_name="УО Нагорного района")
    SchoolFactory(slug="school-c", parent=district, short_name="МБОУ СОШ № 3")
    return district


@pytest.fixture
def other_region(other_district):
    region = Organisation.objects.create(
        kind=Organisation.Kind.REGION, slug="region-b", full_name="Другой регион", short_name="Другой регион"
    )
    other_district.parent = region
    other_district.save(update_fields=["parent"])
    return region


@pytest.fixture
def outsider(curator_b, other_district, other_region, member):
    """A user of another organisation of the page's kind: school B's curator, another district's
    officer, another region's officer."""
    users = {
        "school": curator_b,
        "district": member(other_district, "district_officer"),
        "region": member(other_region, "region_officer"),
    }
    return lambda name: users[TENANT_PAGES[name].organisation]


def _request(client, name, organisation, objects_in=None):
    page = TENANT_PAGES[name]
    kwargs = page.kwargs(objects_in or organisation)
    url = reverse(name, kwargs={"org": organisation.slug, **page.fixed_kwargs, **kwargs})
    if page.method == "post":
        return client.post(url, page.data(organisation))
    return client.get(url)


def test_every_tenant_page_is_covered_here():
    assert set(_tenant_url_names()) == set(TENANT_PAGES)


def test_district_pages_are_registered_as_such():
    assert {"reports:district_kpi", "reports:district_report", "reports:district_registers"} <= set(DISTRICT_PAGES)


@pytest.mark.parametrize("name", TENANT_PAGES)
def test_allowed_role_opens_page(client, home, member, name):
    client.force_login(member(home(name), TENANT_PAGES[name].allowed))
    assert _request(client, name, home(name)).status_code in {200, 302}


@pytest.mark.parametrize("name", TENANT_PAGES)
def test_user_of_another_organisation_gets_404(client, home, outsider, director_a, name):
    client.force_login(outsider(name))
    response = _request(client, name, home(name))
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.parametrize("name", DISTRICT_PAGES)
def test_staff_of_a_school_of_the_district_gets_404_on_district_pages(client, home, curator_a, name):
    client.force_login(curator_a)
    response = _request(client, name, home(name))
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.parametrize("name", [name for name, page in TENANT_PAGES.items() if page.denied])
def test_role_without_capability_gets_403_in_russian(client, home, member, name):
    client.force_login(member(home(name), TENANT_PAGES[name].denied))
    response = _request(client, name, home(name))
    assert response.status_code == 403
    assert "Недостаточно прав" in response.content.decode()


@pytest.mark.parametrize("name", TENANT_PAGES)
def test_anonymous_user_is_sent_to_login(client, home, name):
    response = _request(client, name, home(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_missing_organisation_and_foreign_organisation_look_the_same(client, school_a, curator_b):
    client.force_login(curator_b)
    missing = client.get(reverse("reports:dashboard", kwargs={"org": "no-such-school"}))
    foreign = client.get(reverse("reports:dashboard", kwargs={"org": school_a.slug}))
    assert missing.status_code == foreign.status_code == 404
    without_csrf = [re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content) for r in (missing, foreign)]
    assert without_csrf[0] == without_csrf[1]


@pytest.mark.parametrize("name", [name for name, page in TENANT_PAGES.items() if page.kwargs is not no_objects])
def test_object_of_another_organisation_is_404_through_own_url(
    request, client, home, school_b, other_district, member, name
):
    page = TENANT_PAGES[name]
    client.force_login(member(home(name), page.allowed))
    foreign = {"school": school_b, "district": other_district}.get(page.organisation)
    if page.organisation == "region":
        foreign = request.getfixturevalue("other_region")
    assert _request(client, name, home(name), objects_in=foreign).status_code == 404
