"""Keyboard only (WCAG 2.1.1, 2.4.7): a curator drafts and submits an order, a mentor logs a
meeting, with Tab, arrows, typing and Enter; every control reached shows where the focus is."""

import re

import pytest
from django.urls import reverse

from mentorship.models import Meeting, Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.tests.factories import TEST_PASSWORD, MembershipFactory, SchoolFactory
from participants.tests.factories import TeacherFactory
from reports.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The focused element as the user meets it: its role, its name, and whether the focus is drawn.
FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const label = (el.labels && el.labels.length) ? el.labels[0].innerText : (el.getAttribute("aria-label") || "");
    return {
        tag: el.tagName.toLowerCase(),
        type: el.type || "",
        text: (el.innerText || el.value || "").trim(),
        label: label.trim(),
        visible: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none",
    };
}"""


def _tab_to(page, matches, limit=250):
    """Presses Tab until the focused element matches; it must show the focus (2.4.7)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            assert focused["visible"], f"the focus is not visible on {focused}"
            return focused
    raise AssertionError("not reachable with the Tab key")


def _named(text):
    return lambda f: f["text"] == text or f["label"].startswith(text)


def _log_in(page, username):
    page.context.clear_cookies()
    page.goto(page.live_server_url + "/")
    _tab_to(page, _named("Имя пользователя"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/o/school-1/**")


@pytest.fixture
def school(reference_data):
    school = SchoolFactory(slug="school-1", short_name="МБОУ СОШ № 1", order_number_suffix="-ОД")
    MembershipFactory(organisation=school, role="curator", user__username="curator")
    mentor_user = MembershipFactory(organisation=school, role="mentor", user__username="mentor").user
    programme = ProgrammeFactory(organisation=school, title="Шаг вперёд")
    for surname in ("Черных", "Николаева"):
        mentor = TeacherFactory(organisation=school, last_name=surname)
        PairFactory(organisation=school, programme=programme, mentor=mentor, status=Pair.Status.DRAFT)
    PairFactory(
        organisation=school,
        programme=programme,
        mentor=TeacherFactory(organisation=school, last_name="Кляпка", user=mentor_user),
        status=Pair.Status.ACTIVE,
    )
    return school


def test_an_order_is_drafted_and_submitted_with_the_keyboard_only(school, browser_page):
    page = browser_page
    _log_in(page, "curator")
    page.goto(page.live_server_url + reverse("reports:order_list", args=["school-1"]))
    _tab_to(page, _named("Новый приказ"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/orders/new/"))
    _tab_to(page, _named("Вид приказа"))
    for _ in range(30):  # arrows choose in a closed select, as a keyboard user does
        if page.evaluate("() => document.activeElement.value") == "pairs":
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") == "pairs"
    _tab_to(page, _named("Составить проект"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/orders/\d+/edit/$"))
    _tab_to(page, _named("Сохранить и передать на утверждение"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/orders/\d+/$"))
    order = Order.objects.get()
    assert order.status == Order.Status.SUBMITTED
    assert order.pairs.count() == 2


def test_a_meeting_is_logged_with_the_keyboard_only(school, browser_page):
    page = browser_page
    _log_in(page, "mentor")
    page.goto(page.live_server_url + reverse("mentorship:my_pairs", args=["school-1"]))
    _tab_to(page, _named("Внести встречу"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/meetings/add/$"))
    _tab_to(page, _named("Время"))
    # The date is today's already; 01:05 is never in the future. «A» picks AM where the browser's
    # locale shows a 12-hour clock and is ignored in a 24-hour one.
    page.keyboard.type("0105A")
    _tab_to(page, _named("Тема"))
    page.keyboard.type("Знакомство")
    _tab_to(page, _named("Заметки"))
    page.keyboard.type("Договорились о целях.")
    page.keyboard.press("Enter")  # a new line in the notes, not a submit
    page.keyboard.type("Следующая встреча через неделю.")
    _tab_to(page, _named("Сохранить"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/meetings/$"))
    meeting = Meeting.objects.get()
    assert meeting.topic == "Знакомство"
    assert meeting.notes.splitlines() == ["Договорились о целях.", "Следующая встреча через неделю."]
    assert meeting.pair.mentor.last_name == "Кляпка"
