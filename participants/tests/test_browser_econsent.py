"""The electronic consent in Chromium: the link → each purpose's text → separate choices → the code
from the mail → the PDF copy in the card; a wrong code, an expired link, a reused link and a
withdrawal, each answered in Russian. At 390 px, checked by axe."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from organisations.tests.test_browser_accessibility import axe_problems
from participants import econsent
from participants.models import Consent, ConsentLink, ConsentPurpose
from participants.tests.factories import ParentLinkFactory, PartnerFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU", is_mobile=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_a_parent_gives_and_withdraws_consents_by_the_link(
    reference_data, school_a, curator_a, phone, live_server, client, screenshots_dir
):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    PartnerFactory(organisation=school_a, name="ООО «Прогресс»")
    child = PersonFactory(
        organisation=school_a,
        last_name="Смирнов",
        first_name="Артём",
        patronymic="Ильич",
        birth_date=datetime.date(2016, 4, 1),
        grade=4,
    )
    parent = ParentLinkFactory(
        child=child,
        parent__last_name="Смирнова",
        parent__first_name="Ольга",
        parent__patronymic="Петровна",
        parent__email="olga@example.org",
        parent__gender="F",
    ).parent
    sent = econsent.consent_link_send(
        organisation=school_a, person=child, signer=parent, user=curator_a, url_for=lambda t: f"/c/{t}/"
    )
    url = f"{live_server.url}/c/{sent.token}/"
    page = phone

    page.goto(url)
    expect(page.get_by_role("heading", name="Согласие на обработку персональных данных")).to_be_visible()
    problems = axe_problems(axe, page, "e-consent")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    items = econsent.purpose_items(person=child)
    for item in items:
        expect(page.get_by_text(item.title, exact=False).first).to_be_visible()
    assert page.locator("input[type=radio]:checked").count() == 0

    # Only some answered: told which are missing.
    page.locator("#yes-participation").check()
    page.get_by_label("Ваши фамилия, имя и отчество").fill("Смирнова Ольга Петровна")
    page.get_by_role("button", name="Получить код подтверждения").click()
    expect(page.get_by_test_id("choice-error")).to_contain_text("Выберите «Согласен» или «Не согласен»")

    for item in items:
        page.locator(
            f"#{'yes' if item.kind in ('participation', 'partner') else 'no'}-{item.key}".replace(":", "\\:")
        ).check()
    page.screenshot(path=screenshots_dir / "econsent-choices-phone.png", full_page=True)
    page.get_by_role("button", name="Получить код подтверждения").click()
    expect(page.get_by_test_id("code-form")).to_be_visible()
    problems += axe_problems(axe, page, "e-consent code")

    page.get_by_label("Код из письма").fill("000000" if _code() != "000000" else "111111")
    page.get_by_role("button", name="Подтвердить согласие").click()
    expect(page.get_by_test_id("code-error")).to_contain_text("Код неверный. Осталось попыток: 4.")

    page.get_by_label("Код из письма").fill(_code())
    page.get_by_role("button", name="Подтвердить согласие").click()
    expect(page.get_by_test_id("econsent-done")).to_contain_text("Согласие дано")
    assert {c.purpose for c in Consent.objects.filter(person=child)} == {
        ConsentPurpose.PARTICIPATION,
        ConsentPurpose.PARTNER_TRANSFER,
    }
    assert mail.outbox[-1].attachments[0][2] == "application/pdf"

    # The PDF copy in the card.
    client.force_login(curator_a)
    card = client.get(child.get_absolute_url()).content.decode()
    copy = Consent.objects.get(person=child, purpose=ConsentPurpose.PARTNER_TRANSFER)
    href = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "consent-copy"})
    assert f"{href}?consent={copy.pk}" in card
    assert client.get(href, {"consent": copy.pk}).content.startswith(b"%PDF")

    # The reused link: only withdrawal, purpose by purpose.
    page.goto(url)
    expect(page.get_by_test_id("link-refusal")).to_contain_text("По этой ссылке согласие уже дано")
    page.get_by_label(re.compile("организации-партнёру")).check()
    page.screenshot(path=screenshots_dir / "econsent-withdraw-phone.png", full_page=True)
    problems += axe_problems(axe, page, "e-consent withdrawal")
    page.get_by_role("button", name="Отозвать отмеченные").click()
    expect(page.get_by_test_id("withdrawn")).to_contain_text("Отзыв действует сразу")
    copy.refresh_from_db()
    assert copy.status == Consent.Status.WITHDRAWN
    assert Consent.objects.get(person=child, purpose=ConsentPurpose.PARTICIPATION).status == Consent.Status.VALID

    # An expired link.
    other = econsent.consent_link_send(
        organisation=school_a, person=child, signer=parent, user=curator_a, url_for=lambda t: f"/c/{t}/"
    )
    ConsentLink.objects.filter(pk=other.link.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    page.goto(f"{live_server.url}/c/{other.token}/")
    expect(page.get_by_test_id("link-refusal")).to_contain_text("Срок действия ссылки истёк")
    assert not problems, "\n".join(problems)


def test_a_parent_is_found_by_search_as_you_type_and_linked(reference_data, school_a, curator_a, phone, live_server):
    from organisations.tests.test_browser_accessibility import _session_cookie
    from participants.models import ParentLink

    child = PersonFactory(organisation=school_a, last_name="Кузнецов", birth_date=datetime.date(2016, 4, 1), grade=4)
    for n in range(20):
        PersonFactory(organisation=school_a, category="parent", grade=None, class_letter="", last_name=f"Кузнецова{n}")
    wanted = PersonFactory(
        organisation=school_a,
        category="parent",
        grade=None,
        class_letter="",
        last_name="Кузнецова",
        first_name="Мария",
        email="m@example.org",
    )
    page = phone
    page.context.add_cookies([_session_cookie(live_server.url, curator_a)])
    page.goto(live_server.url + reverse("participants:parent_add", kwargs={"org": school_a.slug, "pk": child.pk}))
    page.get_by_label("Поиск родителя в базе школы").press_sequentially("Кузнецова Мария", delay=30)
    option = page.get_by_label(re.compile("Кузнецова Мария"))
    expect(option).to_be_visible()
    assert page.locator("#parent-results input[type=radio]").count() == 1
    option.check()
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(rf"/people/{child.pk}/$"))
    assert ParentLink.objects.get(child=child).parent == wanted
