"""Browser flow of the approval route: the director sets методист → заместитель on the route page;
the curator submits an order; the methodist finds it in «Мои визы» and agrees; the deputy returns
it with a comment. Each page passes axe (WCAG 2.1 AA) at 1280 and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from mentorship.tests.factories import ProgrammeFactory
from organisations.tests.factories import TEST_PASSWORD, MembershipFactory, SchoolFactory
from organisations.tests.test_browser_accessibility import axe_problems
from reports.models import Order, OrderKind
from reports.orders.services import order_draft, order_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(reference_data):
    school = SchoolFactory(slug="school-1", short_name="МБОУ СОШ № 1", order_number_suffix="-ОД")
    for role in ("curator", "director", "methodist", "deputy_director"):
        MembershipFactory(organisation=school, role=role, user__username=role)
    return school


def _log_in(page, username):
    page.context.clear_cookies()
    page.goto(page.live_server_url + "/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/o/school-1/")


def _axe(page, label: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        problems += axe_problems(Axe(), page, f"{label} at {width} px")
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


def test_an_order_goes_through_the_visas_in_the_browser(school, browser_page, screenshots_dir):
    page = browser_page
    base = f"{page.live_server_url}/o/school-1/orders"
    problems = []

    _log_in(page, "director")
    page.goto(f"{base}/route/")
    problems += _axe(page, "route (empty)")
    step = page.get_by_test_id("route-step").first
    step.get_by_label("№ по порядку").fill("1")
    step.get_by_label("Роль").select_option("methodist")
    page.get_by_role("button", name="Сохранить маршрут").click()
    expect(page.get_by_test_id("order-route-now")).to_contain_text("Методист")
    step = page.get_by_test_id("route-step").last
    step.get_by_label("№ по порядку").fill("2")
    step.get_by_label("Роль").select_option("deputy_director")
    page.get_by_role("button", name="Сохранить маршрут").click()
    expect(page.get_by_test_id("order-route-now")).to_contain_text("Заместитель директора")
    problems += _axe(page, "route (two steps)")
    page.screenshot(path=screenshots_dir / "order-route.png", full_page=True)

    from organisations.models import User

    order = order_draft(
        organisation=school,
        kind=OrderKind.FINAL_EVENT,
        programme=ProgrammeFactory(organisation=school),
        user=User.objects.get(username="curator"),
    )
    order_save(order=order, fields={}, points=[{"action": "Провести итоговое мероприятие."}])
    _log_in(page, "curator")
    page.goto(f"{base}/{order.pk}/")
    page.get_by_role("button", name="Передать на согласование").click()
    expect(page.get_by_test_id("order-route")).to_contain_text("ждёт визы")

    _log_in(page, "methodist")
    page.goto(f"{base}/visas/")
    problems += _axe(page, "my visas")
    page.get_by_test_id("visa-list").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/orders/\d+/$"))
    problems += _axe(page, "order with the visa form")
    page.screenshot(path=screenshots_dir / "order-visa.png", full_page=True)
    page.get_by_role("button", name="Согласовать").click()
    expect(page.get_by_test_id("order-route")).to_contain_text("согласовано")

    _log_in(page, "deputy_director")
    page.goto(f"{base}/{order.pk}/")
    page.get_by_test_id("visa-form").get_by_label("Замечание").fill("Укажите дату мероприятия.")
    page.get_by_role("button", name="Вернуть с замечанием").click()
    expect(page.get_by_test_id("return-comment")).to_contain_text("Укажите дату мероприятия.")
    problems += _axe(page, "returned order")
    order.refresh_from_db()
    assert order.status == Order.Status.RETURNED
    assert not problems, "\n".join(problems)
