"""The bell and the notifications pages in Chromium: count, open (marks read), all read, axe at 1280 and 390 px."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from organisations.notifications.services import notify
from organisations.tests.test_browser_accessibility import axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(chromium, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(viewport=viewport, locale="ru-RU")
    context.set_default_timeout(15_000)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def _notices(school, user):
    target = reverse("notifications:preferences", kwargs={"org": school.slug})
    for number, text in enumerate(
        (
            "Приказ «О закреплении наставнических пар» ждёт вашей подписи.",
            "Пара Кляпка О.В. → Пётр (7Б) не встречалась 31 день.",
        )
    ):
        notify(kind="orders.awaiting", organisation=school, recipients=[user], text=text, url=target, key=f"b{number}")


@pytest.mark.parametrize("width", [1280, 390])
def test_bell_list_and_preferences(chromium, live_server, school_a, member, width, screenshots_dir):
    from axe_playwright_python.sync_playwright import Axe

    user = member(school_a, "mentor")
    _notices(school_a, user)
    context = _context(chromium, live_server, user, {"width": width, "height": 900})
    problems = []
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("reports:dashboard", kwargs={"org": school_a.slug}))
        bell = page.get_by_test_id("notification-bell")
        assert bell.is_visible()  # outside the collapsed menu on a phone
        assert page.get_by_test_id("notification-count").inner_text() == "2"
        box = bell.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44 and box["x"] + box["width"] <= width
        bell.click()
        page.wait_for_url("**/notifications/")
        assert page.get_by_test_id("notification").count() == 2
        problems += axe_problems(Axe(), page, f"list at {width}")
        page.screenshot(path=screenshots_dir / f"notifications-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.get_by_role("button", name="Приказ «О закреплении").click()
        page.wait_for_url("**/notifications/settings/")
        assert page.get_by_test_id("notification-count").inner_text() == "1"
        problems += axe_problems(Axe(), page, f"preferences at {width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.goto(live_server.url + reverse("notifications:list", kwargs={"org": school_a.slug}))
        page.get_by_test_id("read-all").click()
        page.wait_for_selector("text=1 уведомление отмечено прочитанными.")
        assert page.get_by_test_id("notification-count").count() == 0
        assert page.get_by_test_id("notification-bell").get_attribute("aria-label") == "Уведомления, непрочитанных: 0"
    finally:
        context.close()
    assert not problems, "\n".join(problems)
