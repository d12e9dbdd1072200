"""The first browser flow: demo curator logs in; another school's user meets a 404."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "nastavnik-demo"


def _log_in(page, username):
    page.goto(page.live_server_url + "/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_demo_curator_logs_in_and_sees_the_dashboard(demo, browser_page, screenshots_dir):
    page = browser_page
    _log_in(page, "curator")
    page.wait_for_url("**/o/school-1/")
    expect(page.get_by_role("heading", level=2, name="Этапы программы наставничества")).to_be_visible()
    assert page.get_by_test_id("stages").get_by_role("listitem").count() == 7
    assert "Формирование пар и групп" in page.get_by_test_id("stages").inner_text()
    page.screenshot(path=screenshots_dir / "dashboard-desktop.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=screenshots_dir / "dashboard-phone.png", full_page=True)


def test_user_of_another_school_sees_the_404_page(demo, browser_page):
    page = browser_page
    _log_in(page, "curator2")
    page.wait_for_url("**/o/school-2/")
    response = page.goto(page.live_server_url + "/o/school-1/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Страница не найдена")).to_be_visible()
    assert "МБОУ СОШ № 1" not in page.content()


def test_wrong_password_is_explained_in_russian(demo, browser_page):
    page = browser_page
    page.goto(page.live_server_url + "/")
    page.get_by_label("Имя пользователя").fill("curator")
    page.get_by_label("Пароль").fill("not-the-password")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_text("введите правильные имя пользователя и пароль")).to_be_visible()
