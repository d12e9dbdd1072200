"""A mentee answers a questionnaire through the personal link on a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import Response
from participants.questionnaires.services import invitations_send
from participants.selectors import people_with_valid_consent
from participants.tests.factories_questionnaires import make_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_page(chromium, live_server):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU", is_mobile=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.live_server_url = live_server.url
    yield page
    context.close()


def test_mentee_answers_on_a_phone_with_a_draft_first(demo, phone_page, screenshots_dir):
    template = make_template(organisation=demo)
    mentee = people_with_valid_consent(organisation=demo).filter(category="student").first()
    (sent,), skipped = invitations_send(
        organisation=demo,
        template=template,
        people=[mentee],
        expires_at=timezone.now() + datetime.timedelta(days=7),
        user=None,
    )
    assert skipped == []
    page = phone_page
    page.goto(f"{page.live_server_url}/q/{sent.token}/")
    expect(page.get_by_role("heading", name="Итоговая анкета")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Submitting without the required answer: a Russian message next to the question.
    page.get_by_role("button", name="Отправить ответы").click()
    expect(page.get_by_text("Проверьте ответы")).to_be_visible()

    page.get_by_label("Ваш отзыв").fill("Встречи помогли с дробями")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_text("Черновик сохранён")).to_be_visible()
    page.goto(f"{page.live_server_url}/q/{sent.token}/")
    assert page.get_by_label("Ваш отзыв").input_value() == "Встречи помогли с дробями"

    page.get_by_label("9", exact=True).check()
    page.get_by_label("встречи").check()
    page.screenshot(path=screenshots_dir / "questionnaire-phone.png", full_page=True)
    page.get_by_role("button", name="Отправить ответы").click()
    expect(page.get_by_role("heading", name="Спасибо за ответы!")).to_be_visible()

    response = Response.objects.get(person=mentee)
    assert response.submitted_at is not None
    assert "Встречи помогли с дробями" in response.answers.values()

    # The link takes one response only.
    again = page.goto(f"{page.live_server_url}/q/{sent.token}/")
    assert again.status == 410
