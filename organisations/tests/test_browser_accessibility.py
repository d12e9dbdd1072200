"""WCAG 2.1 AA: axe-core over every page of the tenancy registry, as the role the page is for.

Each GET page of ``*/tests/pages.py`` is opened in Chromium by its ``allowed`` role, in a school
(or a district) with the objects its URL needs, and axe-core (bundled by axe-playwright-python)
checks it against the WCAG 2.0/2.1 A and AA rules and the landmark and heading rules. Any serious
or critical violation fails; a moderate one fails unless it is listed in ``KNOWN_MODERATE`` with
the reason it stays. Files (PDF, XLSX, iCalendar) are skipped: they are not pages.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from organisations.tests.tenant_pages import all_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
# Moderate violations that stay, each with its reason. Empty: none is known today.
KNOWN_MODERATE: dict[str, str] = {}
# Parts of pages axe does not check, each with its reason (WCAG 1.4.3 exempts pure decoration).
EXCLUDED = {
    ".order-draft-mark": "the pale «ПРОЕКТ» watermark of a draft order: decoration, aria-hidden; "
    "the page states the draft status in text",
}
# axe's best-practice rules for landmarks and headings: not WCAG success criteria by themselves,
# but what a screen reader user navigates by (1.3.1, 2.4.1, 2.4.6). Enabled by id, so the other
# best-practice rules stay off; `rules` overrides the tag filter of `runOnly` in axe.
STRUCTURE_RULES = [
    "region",
    "landmark-one-main",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-unique",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-complementary-is-top-level",
    "heading-order",
    "page-has-heading-one",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "rules": {rule: {"enabled": True} for rule in STRUCTURE_RULES},
}


def axe_problems(axe, page, label: str) -> list[str]:
    """What axe finds on the open page that fails the test, one line each, named by `label`."""
    result = axe.run(page, context={"exclude": [[selector] for selector in EXCLUDED]}, options=AXE_OPTIONS)
    problems = []
    for violation in result.response["violations"]:
        impact = violation.get("impact")
        if impact == "moderate" and violation["id"] in KNOWN_MODERATE:
            continue
        if impact in FAILING_IMPACTS or impact == "moderate":
            targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"][:3])
            problems.append(
                f"{label}: {impact} {violation['id']} ×{len(violation['nodes'])} — {violation['help']} [{targets}]"
            )
    return problems


def _get_pages():
    return {name: page for name, page in all_pages().items() if page.method == "get"}


def _session_cookie(live_server_url, user) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server_url,
    }


def test_every_page_meets_wcag_aa_for_its_role(chromium, live_server, school_a, region, member, reference_data):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError

    axe = Axe()
    district = school_a.parent
    users = {}
    problems, checked = [], 0
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        for name, spec in sorted(_get_pages().items()):
            organisation = {"district": district, "region": region}.get(spec.organisation, school_a)
            # A new member per page, made before the page's objects: some objects (a background
            # job) belong to the organisation's newest member, as in the tenancy tests.
            user = member(organisation, spec.allowed, f"{spec.allowed}-{len(users)}")
            users[name] = user
            context.clear_cookies()
            context.add_cookies([_session_cookie(live_server.url, user)])
            url = reverse(name, kwargs={"org": organisation.slug, **spec.fixed_kwargs, **spec.kwargs(organisation)})
            try:
                response = page.goto(live_server.url + url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file (PDF, XLSX, iCalendar), not a page
                raise
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                continue
            if not response.ok:
                problems.append(f"{name} ({url}): HTTP {response.status} for {spec.allowed}")
                continue
            if "<html" not in response.text()[:500].lower():
                continue  # an htmx fragment, checked inside the page that loads it
            checked += 1
            problems += axe_problems(axe, page, f"{name} as {spec.allowed}")
    finally:
        context.close()
    assert checked > 50
    assert not problems, "\n".join(problems)
