"""Each demo role logs in on a 390 px phone, sees its own items on the front page (the demo has at
least one in every role's list), the page passes axe, and one item is followed to where the work is
done. Then a class's questionnaire links are re-issued and copied with «Скопировать все ссылки»."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentorship.selectors_meetings import CLOSE_OFFER_DAYS, days_without_meeting, pairs_without_meeting_since
from organisations.tests.test_browser_accessibility import axe_problems
from participants.models import Invitation
from participants.selectors import valid_consent_exists
from reports.tests.test_browser_pages import PHONE, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# username, the section whose first linked row is followed, where it leads, what that page shows
# (None: the text of the followed link itself)
ROLES = [
    ("director", "to_sign", r"/orders/\d+/$", None),
    ("deputy", "inactive_pairs", r"/programme/pairs/\d+/$", "Требует внимания"),
    ("curator", "roadmap", r"/roadmap/items/\d+/$", "Ожидаемый результат"),
    ("methodist", "plan_items", r"/programme/pairs/\d+/plan/$", "Индивидуальный план"),
    ("mentor", "my_pairs", r"/programme/pairs/\d+/meetings/$", "Встречи пары"),
    ("district", "schools_behind", r"/o/school-\d+/$", "Этапы программы наставничества"),
]


def _longest_silence(school) -> int:
    today = timezone.localdate()
    pair = pairs_without_meeting_since(organisation=school, today=today).first()
    return days_without_meeting(pair, today=today) if pair else 0


def _first_link(section):
    rows = section.locator("ul ul a")
    return rows.first if rows.count() else section.locator('[data-testid="home-item"] a').first


def test_each_role_sees_its_items_at_390px_and_follows_one(demo, chromium, live_server):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for username, key, url, destination in ROLES:
        context = chromium.new_context(viewport=PHONE, locale="ru-RU")
        context.set_default_timeout(15_000)
        try:
            page = _log_in(context, live_server.url, username)
            sections = page.get_by_test_id("home-sections")
            expect(sections).to_be_visible()
            assert page.get_by_test_id("home-item").count() >= 1, username
            section = page.get_by_test_id(f"home-section-{key}")
            expect(section.get_by_test_id("home-item").first).to_be_visible()
            count = section.get_by_test_id("home-item-count").first.inner_text()
            assert int(count) >= 1, (username, count)
            problems += axe_problems(axe, page, f"home as {username} at 390 px")
            width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert width[0] <= width[1] + 1, (username, width)
            link = _first_link(section)
            text = link.inner_text().strip()
            link.click()
            expect(page).to_have_url(re.compile(url))
            expect(page.locator("main")).to_contain_text(destination or text)
            if key == "inactive_pairs" and _longest_silence(demo) > CLOSE_OFFER_DAYS:
                # The demo's pair that met only at its introduction: the deputy is offered to close it.
                expect(page.get_by_test_id("pair-close-offer")).to_be_visible()
        finally:
            context.close()
    assert not problems, "\n".join(problems)


def test_copy_all_links_of_a_class_puts_a_line_per_child_on_the_clipboard(demo, chromium, live_server):
    invitation = (
        # An old unused link: re-issuing it for the class extends its term.
        Invitation.objects.filter(organisation=demo, answered_at__isnull=True, person__grade__isnull=False)
        .filter(valid_consent_exists(person_field="person"))
        .select_related("person")
        .order_by("pk")
        .first()
    )
    assert invitation is not None, "the demo has an unanswered link of a student"
    person = invitation.person
    context = chromium.new_context(viewport=PHONE, locale="ru-RU", permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(15_000)
    try:
        page = _log_in(context, live_server.url, "curator")
        page.goto(
            f"{live_server.url}/o/{demo.slug}/questionnaire-sheet/?questionnaire={invitation.template_id}"
            f"&grade={person.grade}&class_letter={person.class_letter}"
        )
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_test_id("issue-copy").click()
        expect(page.get_by_test_id("links-issued")).to_be_visible()
        from axe_playwright_python.sync_playwright import Axe

        problems = axe_problems(Axe(), page, "copied links at 390 px")
        assert not problems, "\n".join(problems)
        text = page.get_by_test_id("all-links-text").input_value()
        lines = text.splitlines()
        assert lines and all(" — " in line and "/q/" in line for line in lines)
        assert f"{person.first_name} {person.last_name} — " in text
        page.get_by_role("button", name="Скопировать все ссылки").click()
        expect(page.get_by_test_id("copy-status")).to_contain_text("Скопировано в буфер обмена")
        assert page.evaluate("() => navigator.clipboard.readText()") == text
        # The copied link works.
        url = lines[0].split(" — ", 1)[1]
        page.goto(url)
        expect(page.get_by_role("button", name="Отправить ответы")).to_be_visible()
    finally:
        context.close()
