"""WCAG 2.1 AA on the demo: the main pages full of real rows (plans with items, tables, charts),
as each role sees them, at 1280 px and on a 390 px phone (cards, the collapsed menu, tables
that scroll sideways). The tenancy registry's pass (organisations/tests/test_browser_accessibility.py)
covers every page on little data; this one covers what only data shows (a plan's delete boxes,
badges and links in filled tables)."""

import pytest

from organisations.models import Organisation
from organisations.tests.test_browser_accessibility import axe_problems
from reports.tests.test_browser_pages import (
    DESKTOP,
    PHONE,
    _director_pages,
    _district_pages,
    _log_in,
    _mentor_pages,
    _school_pages,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_main_pages_of_the_demo_meet_wcag_aa_for_each_role(demo, chromium, live_server):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    district = Organisation.objects.get(slug="zarechny")
    roles = [
        ("curator", _school_pages(demo, district)),
        ("director", _director_pages(demo)),
        ("mentor", _mentor_pages(demo)),
        ("district", _district_pages(district)),
    ]
    problems, checked = [], 0
    for username, pages in roles:
        # The phone's layout (cards, collapsed menu) is a different page for a screen reader.
        for viewport in (DESKTOP, PHONE):
            context = chromium.new_context(viewport=viewport, locale="ru-RU")
            context.set_default_timeout(15_000)
            page = _log_in(context, live_server.url, username)
            try:
                for name, path in pages:
                    response = page.goto(live_server.url + path)
                    if not response.ok:
                        problems.append(f"{name} ({path}): HTTP {response.status} for {username}")
                        continue
                    checked += 1
                    problems += axe_problems(axe, page, f"{name} as {username} at {viewport['width']} px")
            finally:
                context.close()
    assert checked >= 100
    assert not problems, "\n".join(problems)
