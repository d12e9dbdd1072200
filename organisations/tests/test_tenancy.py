"""Every page of an organisation: 404 for another school's user, 403 without the capability."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from participants.tests.factories import PersonFactory

# url name -> (role that may open it, role that may not or None when every role may).
TENANT_PAGES = {
    "reports:dashboard": ("mentor", None),
    "organisations:settings": ("director", "curator"),
    "participants:person_list": ("curator", "mentor"),
    "participants:person_detail": ("methodist", "mentor"),
}


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


def _url(name, school):
    kwargs = {"org": school.slug}
    if name.endswith("_detail"):
        kwargs["pk"] = PersonFactory(organisation=school).pk
    return reverse(name, kwargs=kwargs)


def test_every_tenant_page_is_covered_here():
    assert set(_tenant_url_names()) == set(TENANT_PAGES)


@pytest.mark.parametrize("name", TENANT_PAGES)
def test_allowed_role_opens_page(client, school_a, member, name):
    allowed_role, _ = TENANT_PAGES[name]
    client.force_login(member(school_a, allowed_role))
    assert client.get(_url(name, school_a)).status_code == 200


@pytest.mark.parametrize("name", TENANT_PAGES)
def test_user_of_another_school_gets_404(client, school_a, curator_b, director_a, name):
    client.force_login(curator_b)
    response = client.get(_url(name, school_a))
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.parametrize("name", [name for name, (_, denied) in TENANT_PAGES.items() if denied])
def test_role_without_capability_gets_403_in_russian(client, school_a, member, name):
    _, denied_role = TENANT_PAGES[name]
    client.force_login(member(school_a, denied_role))
    response = client.get(_url(name, school_a))
    assert response.status_code == 403
    assert "Недостаточно прав" in response.content.decode()


@pytest.mark.parametrize("name", TENANT_PAGES)
def test_anonymous_user_is_sent_to_login(client, school_a, name):
    response = client.get(_url(name, school_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_missing_organisation_and_foreign_organisation_look_the_same(client, school_a, curator_b):
    client.force_login(curator_b)
    missing = client.get(reverse("reports:dashboard", kwargs={"org": "no-such-school"}))
    foreign = client.get(reverse("reports:dashboard", kwargs={"org": school_a.slug}))
    assert missing.status_code == foreign.status_code == 404
    without_csrf = [re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content) for r in (missing, foreign)]
    assert without_csrf[0] == without_csrf[1]


def test_person_of_another_school_is_404_even_through_own_school_url(client, school_a, school_b, curator_a):
    other = PersonFactory(organisation=school_b)
    client.force_login(curator_a)
    url = reverse("participants:person_detail", kwargs={"org": school_a.slug, "pk": other.pk})
    assert client.get(url).status_code == 404
