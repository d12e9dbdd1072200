"""Every main page of the demo, as each role sees it, at a desktop's and a phone's width.

Each page is saved as a screenshot (test-artifacts/screenshots/<name>-desktop.png and
-phone.png) and must not scroll sideways on a phone: a wide table scrolls inside its own
`.table-responsive` box, long words break, button rows wrap; a list table (`.table-cards`)
becomes cards whose every field stays on the screen. One login per role; the phone's
browser context reuses the desktop's session.
"""

import pytest
from django.urls import reverse

from mentorship.models import Pair, Programme, TrainingGroup
from organisations.models import Membership, Organisation
from organisations.school_year import current_school_year
from participants.models import QuestionnaireTemplate
from reports.exports.models import ReportJob
from reports.models import Order, OrderKind
from reports.orders.services import order_draft
from roadmap.models import Roadmap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "nastavnik-demo"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Runs in the page as a function (Playwright calls it through the DevTools protocol, which the
# CSP does not restrict): the page's width against the screen's, and what sticks out, to name
# the culprit in the failure message.
MEASURE = """() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const culprits = [];
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.right > width + 1 && box.width > 0) {
            let inScroller = false;
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                const style = getComputedStyle(p);
                if (["auto", "scroll", "hidden"].includes(style.overflowX)) { inScroller = true; break; }
            }
            if (!inScroller) {
                const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
                const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                    + classes.filter(Boolean).map((c) => "." + c).join("");
                culprits.push(name + " (" + Math.round(box.right) + "px)");
            }
        }
        if (culprits.length >= 5) break;
    }
    return {scroll: root.scrollWidth, client: width, culprits: culprits};
}"""


# On a phone every field of a list table's card (table.table-cards) must be on the screen: a card
# that loses its status or class to a scroll box is a table that hides its key columns.
CARDS_CUT = """() => {
    const width = document.documentElement.clientWidth;
    const cut = [];
    for (const td of document.querySelectorAll("table.table-cards tbody td[data-label]")) {
        const box = td.getBoundingClientRect();
        if (td.innerText.trim() && (box.left < -1 || box.right > width + 1 || box.height === 0)) {
            cut.push(td.dataset.label + " (" + Math.round(box.left) + "–" + Math.round(box.right) + "px)");
        }
        if (cut.length >= 5) break;
    }
    return cut;
}"""

# The list tables that must be cards on a phone, by page: the table and the fields every card
# keeps (name, class or role, status, the next action). A table that stays a wide grid, or a
# card without one of these fields, fails.
CARD_TABLES = {
    "mentor-register": ('[data-testid="register-table"]', {"ФИО", "Категория, место работы", "Статус"}),
    "questionnaires": ('[data-testid="questionnaire-table"]', {"Анкета", "Для кого", "Ответили"}),
    "invitations-pending": ('[data-testid="invitation-table"]', {"Участник", "Анкета", "Состояние"}),
    "questionnaire-results": ('[data-testid^="distribution-"]', {"Ответ", "Ответов", "Доля"}),
    "entry-exit": ('[data-testid="growth-items"]', {"Вопрос", "Рост"}),
    "quarterly": ('[data-testid="quarterly"]', {"Вопрос"}),
    "roadmaps": ('[data-testid="roadmap-list"]', {"Название", "Период", "Статус"}),
    "roadmap-table": ('[data-testid="roadmap-table"]', {"Содержание", "Сроки", "Ответственный", "Выполнение"}),
    "orders": ('[data-testid="order-table"]', {"Заголовок", "Статус"}),
    "report-jobs": ('[data-testid="job-table"]', {"Выгрузка", "Состояние", "Файл"}),
    "access-journal": ('[data-testid="access-table"]', {"Когда", "Пользователь", "Действие", "Что"}),
    "district-registers": ('[data-testid="district-register"]', {"ФИО наставника", "Должность (класс)"}),
    "district-orders": ('[data-testid="order-table"]', {"Заголовок", "Статус"}),
}
# Tables the demo has no rows for (no quarterly answers, no district orders): their cards are
# checked where there are rows (reports/tests/test_browser_small_screens.py for the quarterly).
NO_DEMO_ROWS = {"quarterly", "district-orders"}

# Whether the table's rows are cards (blocks, not table rows) and which labelled fields with text
# every card shows on the screen.
CARD_FIELDS = """(selector) => {
    const tables = document.querySelectorAll(selector);
    const width = document.documentElement.clientWidth;
    const cards = [];
    for (const table of tables) {
        for (const row of table.querySelectorAll("tbody > tr")) {
            if (!row.querySelector("td[data-label]")) continue;  // a section heading or «no items» row
            const shown = Array.from(row.querySelectorAll("td[data-label]")).filter((td) => {
                const box = td.getBoundingClientRect();
                return td.innerText.trim() && box.height > 0 && box.left >= -1 && box.right <= width + 1;
            }).map((td) => td.dataset.label);
            cards.push({block: ["block", "flex"].includes(getComputedStyle(row).display), shown: shown});
        }
    }
    return {tables: tables.length, cards: cards};
}"""


def _card_problems(page, name):
    selector, keys = CARD_TABLES[name]
    found = page.evaluate(CARD_FIELDS, selector)
    if not found["cards"]:
        return [] if name in NO_DEMO_ROWS else [f"{name}: no rows of {selector} on a phone"]
    problems = []
    for number, card in enumerate(found["cards"], 1):
        missing = keys - set(card["shown"])
        if not card["block"] or missing:
            problems.append(
                f"{name}: row {number} of {selector} is "
                + ("a card" if card["block"] else "not a card")
                + (f" without {', '.join(sorted(missing))}" if missing else "")
            )
    return problems[:3]


def _log_in(context, live_server_url, username):
    page = context.new_page()
    page.goto(live_server_url + "/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/o/**")
    return page


def _school_pages(school, district):
    """(screenshot name, URL) of every main page of the curator, in the order a curator meets them."""
    org = school.slug
    year = current_school_year()
    programme = Programme.objects.get(organisation=school, school_year=year)
    pair = Pair.objects.filter(programme=programme, status=Pair.Status.ACTIVE).order_by("pk").first()
    person = pair.mentees.order_by("pk").first()
    interim = QuestionnaireTemplate.objects.filter(
        organisation__isnull=True, audience="student_mentee", phase="interim"
    ).first()
    roadmap = Roadmap.objects.filter(organisation=school).order_by("pk").first()
    approved = Order.objects.filter(organisation=school, kind=OrderKind.PAIRS).first()
    draft = Order.objects.filter(organisation=school, status=Order.Status.DRAFT).first() or order_draft(
        organisation=school, kind=OrderKind.ENCOURAGEMENT, programme=programme, user=None
    )
    training = TrainingGroup.objects.filter(programme=programme).first()

    def url(name, **kwargs):
        return reverse(name, kwargs={"org": org, **kwargs})

    return [
        ("dashboard", url("reports:dashboard")),
        ("people-list", url("participants:person_list")),
        ("person-card", url("participants:person_detail", pk=person.pk)),
        ("person-form", url("participants:person_add")),
        ("import-upload", url("participants:import_upload")),
        ("consent-list", url("participants:consent_list")),
        ("consent-form", url("participants:consent_create", pk=person.pk)),
        ("mentor-base", url("participants:mentor_list")),
        ("mentee-base", url("participants:mentee_list")),
        ("mentor-register", url("participants:mentor_register")),
        ("partners", url("participants:partner_list")),
        ("questionnaires", url("participants:questionnaire_list")),
        ("questionnaire-form", url("participants:questionnaire_add")),
        ("invitations-pending", url("participants:invitation_list") + "?pending=1"),
        ("questionnaire-results", url("reports:questionnaire_results", pk=interim.pk)),
        ("entry-exit", url("reports:questionnaire_entry_exit")),
        ("quarterly", url("reports:questionnaire_quarterly")),
        ("programme-list", url("mentorship:programme_list")),
        ("programme", url("mentorship:programme_detail", pk=programme.pk)),
        ("pairs", url("mentorship:pair_list")),
        ("pair", url("mentorship:pair_detail", pk=pair.pk)),
        ("matching", url("mentorship:matching", pk=programme.pk)),
        ("plans", url("mentorship:plan_list")),
        ("plan-edit", url("mentorship:plan_edit", pair_pk=pair.pk)),
        ("meetings", url("mentorship:meeting_list", pair_pk=pair.pk)),
        ("meeting-form", url("mentorship:meeting_add", pair_pk=pair.pk)),
        ("calendar", url("mentorship:calendar")),
        ("attention", url("mentorship:meeting_attention")),
        ("training-list", url("mentorship:training_list")),
        ("training", url("mentorship:training_detail", pk=training.pk)),
        ("cases", url("mentorship:pair_cases")),
        ("roadmaps", url("roadmap:list")),
        ("roadmap-table", url("roadmap:detail", pk=roadmap.pk)),
        ("roadmap-timeline", url("roadmap:timeline", pk=roadmap.pk)),
        ("roadmap-my", url("roadmap:my_items")),
        ("orders", url("reports:order_list")),
        ("order", url("reports:order_detail", pk=approved.pk)),
        ("order-edit", url("reports:order_edit", pk=draft.pk)),
        ("order-templates", url("reports:order_templates")),
        ("kpi", url("reports:kpi")),
        ("kpi-detail", url("reports:kpi_detail", code="plan_fulfilment")),
        ("analytics", url("reports:analytics")),
        ("report-jobs", url("reports:job_list")),
    ]


def _director_pages(school):
    org = school.slug
    return [
        ("director-dashboard", reverse("reports:dashboard", kwargs={"org": org})),
        ("access-journal", reverse("participants:access_log", kwargs={"org": org})),
        ("order-numbering", reverse("reports:order_sequence", kwargs={"org": org})),
        ("settings", reverse("organisations:settings", kwargs={"org": org})),
    ]


def _mentor_pages(school):
    org = school.slug
    pair = Pair.objects.filter(organisation=school, mentor__user__username="mentor").order_by("pk").first()
    return [
        ("mentor-dashboard", reverse("reports:dashboard", kwargs={"org": org})),
        ("my-pairs", reverse("mentorship:my_pairs", kwargs={"org": org})),
        ("mentor-meetings", reverse("mentorship:meeting_list", kwargs={"org": org, "pair_pk": pair.pk})),
    ]


def _district_pages(district):
    org = district.slug
    return [
        ("district-dashboard", reverse("reports:dashboard", kwargs={"org": org})),
        ("district-kpi", reverse("reports:district_kpi", kwargs={"org": org})),
        ("district-report", reverse("reports:district_report", kwargs={"org": org})),
        ("district-registers", reverse("reports:district_registers", kwargs={"org": org})),
        ("district-roadmap", reverse("roadmap:list", kwargs={"org": org})),
        ("district-orders", reverse("reports:order_list", kwargs={"org": org})),
    ]


def _visit(chromium, live_server_url, username, pages, screenshots_dir, problems):
    desktop = chromium.new_context(viewport=DESKTOP, locale="ru-RU")
    desktop.set_default_timeout(15_000)
    page = _log_in(desktop, live_server_url, username)
    phone = chromium.new_context(viewport=PHONE, locale="ru-RU", storage_state=desktop.storage_state())
    phone.set_default_timeout(15_000)
    phone_page = phone.new_page()
    try:
        for name, path in pages:
            response = page.goto(live_server_url + path)
            if not response.ok:
                problems.append(f"{name} ({path}): HTTP {response.status} for {username}")
                continue
            page.screenshot(path=screenshots_dir / f"{name}-desktop.png", full_page=True)
            phone_page.goto(live_server_url + path)
            phone_page.screenshot(path=screenshots_dir / f"{name}-phone.png", full_page=True)
            if name in CARD_TABLES:
                problems += _card_problems(phone_page, name)
            cut = phone_page.evaluate(CARDS_CUT)
            if cut:
                problems.append(
                    f"{name} ({path}): fields of a card out of a {PHONE['width']}px screen: {', '.join(cut)}"
                )
            size = phone_page.evaluate(MEASURE)
            if size["scroll"] > size["client"] + 1:
                problems.append(
                    f"{name} ({path}) is {size['scroll']}px wide on a {size['client']}px phone: "
                    + ", ".join(size["culprits"])
                )
    finally:
        desktop.close()
        phone.close()


def test_main_pages_fit_a_phone_and_are_photographed(demo, chromium, live_server, screenshots_dir):
    district = Organisation.objects.get(slug="zarechny")
    # «Мои выгрузки» with a row: a file being made for the curator.
    ReportJob.objects.create(
        organisation=demo,
        user=Membership.objects.get(organisation=demo, user__username="curator").user,
        exporter="people",
        title="Участники",
        fmt="xlsx",
    )
    roles = [
        ("curator", _school_pages(demo, district)),
        ("director", _director_pages(demo)),
        ("mentor", _mentor_pages(demo)),
        ("district", _district_pages(district)),
    ]
    problems = []
    for username, pages in roles:
        _visit(chromium, live_server.url, username, pages, screenshots_dir, problems)

    assert not problems, "\n".join(problems)
    visited = {name for _, pages in roles for name, _ in pages}
    assert set(CARD_TABLES) <= visited
    shots = {path.name for path in screenshots_dir.glob("*.png")}
    for _, pages in roles:
        for name, _ in pages:
            assert {f"{name}-desktop.png", f"{name}-phone.png"} <= shots
