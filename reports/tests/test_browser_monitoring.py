"""Browser flow of a monitoring campaign (issue 20): the district opens it; the school's deputy
starts the form (the computed value prefilled), changes it with a reason, saves a draft and
submits; the district returns it with a comment; the deputy submits again; the district accepts.
The frozen answers survive a later change of the school's data."""

import re

import pytest
from playwright.sync_api import expect

from organisations.tests.factories import TEST_PASSWORD, DistrictFactory, MembershipFactory, SchoolFactory
from participants.tests.factories import PersonFactory
from reports.monitoring.models import Answer, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district(reference_data):
    district = DistrictFactory(slug="district-1", short_name="УО Заречного района")
    school = SchoolFactory(slug="school-1", parent=district, short_name="МБОУ СОШ № 1")
    SchoolFactory(slug="school-2", parent=district, short_name="МБОУ СОШ № 2")
    MembershipFactory(organisation=district, role="district_officer", user__username="officer")
    MembershipFactory(organisation=school, role="deputy_director", user__username="deputy")
    for _ in range(4):
        PersonFactory(organisation=school, category="student")
    return district


def _log_in(page, username, landing):
    page.context.clear_cookies()
    page.goto(page.live_server_url + "/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"**/o/{landing}/")


def test_campaign_draft_submitted_returned_submitted_accepted(district, browser_page):
    page = browser_page
    _log_in(page, "officer", "district-1")
    page.get_by_test_id("monitoring-entry").get_by_role("link").click()
    page.get_by_role("link", name="Новый мониторинг").click()
    page.get_by_label("Название").fill("Мониторинг ЦМН, I полугодие")
    page.get_by_label("Срок сдачи").fill("2027-01-20")
    page.get_by_label("Обучающиеся в программе наставничества").check()
    page.get_by_label("Дополнительный вопрос 1", exact=True).fill("Сколько проведено мероприятий?")
    page.get_by_role("button", name="Открыть мониторинг").click()
    page.wait_for_url(re.compile(r"/monitoring/\d+/$"))
    expect(page.get_by_test_id("campaign-counts")).to_contain_text("не начато: 2")

    _log_in(page, "deputy", "school-1")
    page.get_by_test_id("monitoring-entry").get_by_role("link", name="Мониторинг ЦМН, I полугодие").click()
    page.get_by_test_id("start").click()
    value = page.get_by_test_id("value-students_involved")
    expect(value).to_have_value("0.00")
    value.fill("25")
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_role("alert").first).to_contain_text("укажите причину")
    page.get_by_test_id("value-students_involved").fill("25")
    page.get_by_test_id("reason-students_involved").fill("Пара сформирована после выгрузки")
    page.get_by_label("Сколько проведено мероприятий?").fill("3")
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("response-status")).to_have_text("черновик")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("response-status")).to_have_text("отправлено")

    _log_in(page, "officer", "district-1")
    response = Response.objects.get(organisation__slug="school-1")
    page.goto(f"{page.live_server_url}/o/district-1/monitoring/responses/{response.pk}/")
    page.get_by_label("Что исправить").fill("Уточните число мероприятий")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("campaign-counts")).to_contain_text("возвращено: 1")

    _log_in(page, "deputy", "school-1")
    page.goto(f"{page.live_server_url}/o/school-1/monitoring/{response.campaign_id}/fill/")
    expect(page.get_by_test_id("return-comment")).to_contain_text("Уточните число мероприятий")
    page.get_by_label("Сколько проведено мероприятий?").fill("4")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("response-status")).to_have_text("отправлено")

    _log_in(page, "officer", "district-1")
    page.goto(f"{page.live_server_url}/o/district-1/monitoring/responses/{response.pk}/")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("campaign-counts")).to_contain_text("принято: 1")

    # Later the school's data changes: the accepted answers stay as they were sent.
    for _ in range(4):
        PersonFactory(organisation=response.organisation, category="student")
    page.reload()
    school_row = page.get_by_test_id("campaign-school").filter(has_text="МБОУ СОШ № 1")
    expect(school_row).to_contain_text("принято")
    expect(school_row).to_contain_text("25")
    expect(school_row).to_contain_text("4")
    assert Answer.objects.get(response=response, indicator__code="students_involved").value == 25
