"""Every page of an organisation: 404 for another school's user, 403 without the capability."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organisations.tests.tenant_pages import all_pages, no_objects

TENANT_PAGES = all_pages()


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


def _request(client, name, school):
    page = TENANT_PAGES[name]
    url = reverse(name, kwargs={"org": school.slug, **page.fixed_kwargs, **page.kwargs(school)})
    if page.method == "post":
        return client.post(url, page.data(school))
    return client.get(url)


def test_every_tenant_page_is_covered_here():
    assert set(_tenant_url_names()) == set(TENANT_PAGES)


@pytest.mark.parametrize("name", TENANT_PAGES)
def test_allowed_role_opens_page(client, school_a, member, name):
    client.force_login(member(school_a, TENANT_PAGES[name].allowed))
    assert _request(client, name, school_a).status_code in {200, 302}


@pytest.mark.parametrize("name", TENANT_PAGES)
def test_user_of_another_school_gets_404(client, school_a, curator_b, director_a, name):
    client.force_login(curator_b)
    response = _request(client, name, school_a)
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.parametrize("name", [name for name, page in TENANT_PAGES.items() if page.denied])
def test_role_without_capability_gets_403_in_russian(client, school_a, member, name):
    client.force_login(member(school_a, TENANT_PAGES[name].denied))
    response = _request(client, name, school_a)
    assert response.status_code == 403
    assert "Недостаточно прав" in response.content.decode()


@pytest.mark.parametrize("name", TENANT_PAGES)
def test_anonymous_user_is_sent_to_login(client, school_a, name):
    response = _request(client, name, school_a)
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
def test_object_of_another_school_is_404_through_own_school_url(client, school_a, school_b, member, name):
    page = TENANT_PAGES[name]
    client.force_login(member(school_a, page.allowed))
    url = reverse(name, kwargs={"org": school_a.slug, **page.fixed_kwargs, **page.kwargs(school_b)})
    response = client.post(url, page.data(school_a)) if page.method == "post" else client.get(url)
    assert response.status_code == 404
