"""Small screens: on a 390 px phone a list table is a card per row that keeps its key fields in
view; at 1280 px the district's KPI table shows every column, or scrolls sideways with the
school names kept in place."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from reports.tests.test_questionnaire_results import quarterly  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each card (row) of the table: its box, and each labelled cell's label, text and box.
CARDS = """(selector) => Array.from(document.querySelectorAll(selector + " tbody > tr")).map((row) => ({
    right: row.getBoundingClientRect().right,
    cells: Array.from(row.children).filter((td) => td.dataset.label).map((td) => {
        const box = td.getBoundingClientRect();
        return {label: td.dataset.label, text: td.innerText.trim(), left: box.left, right: box.right,
                height: box.height};
    }),
}))"""


def _context(chromium, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(viewport=viewport, locale="ru-RU")
    context.set_default_timeout(15_000)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def test_pairs_are_cards_keeping_mentor_mentees_and_status_on_a_phone(
    chromium, live_server, school_a, curator_a, reference_data
):
    programme = ProgrammeFactory(organisation=school_a)
    for status in (Pair.Status.ACTIVE, Pair.Status.DRAFT):
        PairFactory(organisation=school_a, programme=programme, status=status)
    context = _context(chromium, live_server, curator_a, {"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("mentorship:pair_list", args=[school_a.slug]))
        cards = page.evaluate(CARDS, '[data-testid="pair-table"]')
    finally:
        context.close()
    assert len(cards) == 2
    for card in cards:
        assert card["right"] <= 390
        cells = {cell["label"]: cell for cell in card["cells"]}
        assert {"Наставник", "Наставляемые", "Статус"} <= set(cells)
        for label in ("Наставник", "Наставляемые", "Статус"):
            cell = cells[label]
            assert cell["text"] and cell["height"] > 0 and cell["left"] >= 0 and cell["right"] <= 390, cell
    # The working pair has not met since it started: its status keeps the «Требует внимания» badge on a phone.
    assert {cards[0]["cells"][-1]["text"], cards[1]["cells"][-1]["text"]} == {"работает Требует внимания", "черновик"}


def test_district_kpi_shows_every_column_or_scrolls_with_the_schools_in_place(
    chromium, live_server, school_a, district_officer, reference_data
):
    context = _context(chromium, live_server, district_officer, {"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("reports:district_kpi", args=[school_a.parent.slug]))
        scroller = page.get_by_test_id("kpi-scroll")
        headers = page.locator('[data-testid="kpi-district"] thead th')
        last = headers.last
        if scroller.evaluate("(el) => el.scrollWidth > el.clientWidth + 1"):
            # Hidden columns are reached from the keyboard too: the box takes the focus and scrolls.
            assert scroller.get_attribute("tabindex") == "0" and scroller.get_attribute("aria-label")
            scroller.focus()
            for _ in range(60):
                page.keyboard.press("ArrowRight")
            # Keyboard scrolling is animated: wait until the box has come to its right edge.
            page.wait_for_function(
                "(el) => el.scrollLeft + el.clientWidth >= el.scrollWidth - 1", arg=scroller.element_handle()
            )
            school_cell = page.locator('[data-testid="kpi-school"] td').first
            assert school_cell.bounding_box()["x"] >= 0  # sticky: the school's name stays in view
        box = last.bounding_box()
        assert box["x"] + box["width"] <= 1280 + 1, "the last indicator is out of reach"
    finally:
        context.close()


def test_quarterly_means_are_cards_keeping_the_question_and_each_quarter_on_a_phone(
    chromium,
    live_server,
    reference_data,  # before the fixture's consents: a transactional test empties the seeded tables
    school_a,
    curator_a,
    quarterly,  # noqa: F811
):
    context = _context(chromium, live_server, curator_a, {"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(
            live_server.url
            + reverse("reports:questionnaire_quarterly", args=[school_a.slug])
            + "?audience=student_mentee"
        )
        cards = page.evaluate(CARDS, '[data-testid="quarterly"]')
    finally:
        context.close()
    assert len(cards) == 2
    for card in cards:
        cells = {cell["label"]: cell for cell in card["cells"]}
        assert set(cells) == {"Вопрос", "I квартал 2026", "II квартал 2026"}
        for cell in cells.values():
            assert cell["text"] and cell["height"] > 0 and cell["left"] >= 0 and cell["right"] <= 390, cell
    assert cards[0]["cells"][0]["text"].startswith("Как вы оцениваете своё настроение в школе")
