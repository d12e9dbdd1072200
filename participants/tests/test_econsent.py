"""Electronic consent by a personal link: separate choices, a one-time code, the record, the copy,
withdrawal; wrong code, expired link and reused link answered in Russian."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from participants import econsent
from participants.models import AccessLogEntry, Consent, ConsentLink, ConsentPurpose, ConsentText
from participants.tests.factories import ParentLinkFactory, PartnerFactory, PersonFactory


@pytest.fixture
def family(school_a):
    child = PersonFactory(
        organisation=school_a,
        last_name="Смирнов",
        first_name="Артём",
        patronymic="Ильич",
        birth_date=datetime.date(2016, 4, 1),
        grade=4,
    )
    link = ParentLinkFactory(
        child=child,
        parent__last_name="Смирнова",
        parent__first_name="Ольга",
        parent__patronymic="Петровна",
        parent__email="olga@example.org",
        parent__gender="F",
    )
    return child, link.parent


@pytest.fixture
def partner(school_a):
    return PartnerFactory(organisation=school_a, name="ООО «Прогресс»")


def _send(client, curator, child, parent):
    client.force_login(curator)
    url = reverse("participants:consent_link_send", kwargs={"org": child.organisation.slug, "pk": child.pk})
    response = client.post(url, {"signer": parent.pk})
    assert response.status_code == 302, response.content.decode()
    client.logout()
    return re.search(r"http://testserver(/c/[^/\s]+/)", mail.outbox[-1].body).group(1)


def _code():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def _choices(child, **answers):
    data = {"action": "choose", "signer_name": "смирнова ольга петровна"}
    for item in econsent.purpose_items(person=child):
        data[f"choice-{item.key}"] = answers.get(item.kind, "no")
    return data


def test_the_whole_flow_records_each_purpose_with_its_text_and_sends_a_copy(
    client, school_a, curator_a, family, partner
):
    child, parent = family
    url = _send(client, curator_a, child, parent)
    assert mail.outbox[0].to == ["olga@example.org"]
    assert ConsentLink.objects.get().token_hash not in url  # only the hash is kept

    page = client.get(url).content.decode()
    # Each purpose's full text separately, nothing chosen in advance, no «all» button.
    for text in ConsentText.objects.filter(is_current=True):
        assert text.version in page
    assert "ООО «Прогресс»" in page and "{partner}" not in page
    assert " checked" not in page and "Согласен со всем" not in page
    assert page.count('type="radio"') == 2 * len(econsent.purpose_items(person=child))

    # Not every purpose answered: said in Russian, nothing recorded.
    response = client.post(
        url, {"action": "choose", "signer_name": "Смирнова Ольга Петровна", "choice-participation": "yes"}
    )
    assert response.status_code == 400
    assert "Выберите «Согласен» или «Не согласен» для каждой цели" in response.content.decode()
    # The name must be the signer's on file.
    response = client.post(url, _choices(child, participation="yes") | {"signer_name": "Иванов Иван"})
    assert "не совпадают с указанными у куратора" in response.content.decode()

    response = client.post(url, _choices(child, participation="yes", partner="yes"))
    assert response.status_code == 200 and "ol**@example.org" in response.content.decode()
    code = _code()
    assert code not in ConsentLink.objects.get().code_hash

    wrong = "000000" if code != "000000" else "111111"
    response = client.post(url, {"action": "confirm", "code": wrong})
    assert response.status_code == 400 and "Код неверный. Осталось попыток: 4." in response.content.decode()
    assert not Consent.objects.exists()

    response = client.post(
        url, {"action": "confirm", "code": code}, HTTP_USER_AGENT="Тестовый браузер", REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200 and "Спасибо! Согласие дано" in response.content.decode()
    consents = {c.purpose: c for c in Consent.objects.all()}
    assert set(consents) == {ConsentPurpose.PARTICIPATION, ConsentPurpose.PARTNER_TRANSFER}
    consent = consents[ConsentPurpose.PARTNER_TRANSFER]
    assert consent.partner == partner and consent.channel == Consent.Channel.ELECTRONIC
    assert consent.representative == parent and consent.signer_name == "смирнова ольга петровна"
    assert consent.ip_address == "10.1.2.3" and consent.user_agent == "Тестовый браузер"
    assert consent.code_channel.startswith("электронная почта") and consent.confirmed_at
    title, body = consent.text.rendered(partner)
    from participants.models import text_sha256

    assert consent.text_sha256 == text_sha256(title, body) != consent.text.sha256
    assert consent.copy and consent.copy.name == consents[ConsentPurpose.PARTICIPATION].copy.name
    # The copy went to the parent.
    letter = mail.outbox[-1]
    assert letter.to == ["olga@example.org"] and letter.attachments[0][2] == "application/pdf"
    assert AccessLogEntry.objects.filter(person=child, what__startswith="Электронное согласие").exists()

    # The copy in the card, journalled.
    client.force_login(curator_a)
    card = client.get(child.get_absolute_url()).content.decode()
    assert 'data-testid="consent-copy"' in card
    copy_url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "consent-copy"})
    response = client.get(copy_url, {"consent": consent.pk})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(person=child, what__startswith="Экземпляр электронного согласия").exists()
    client.logout()

    # Reused link: no second consent, only withdrawal.
    page = client.get(url).content.decode()
    assert "По этой ссылке согласие уже дано" in page and 'data-testid="withdraw-section"' in page
    response = client.post(url, _choices(child, publication="yes"))
    assert "По этой ссылке согласие уже дано" in response.content.decode()
    assert Consent.objects.count() == 2

    # Withdrawal purpose by purpose, at once.
    response = client.post(url, {"action": "withdraw", "withdraw": [f"partner:{partner.pk}"]})
    assert "Согласие отозвано" in response.content.decode()
    consent.refresh_from_db()
    assert consent.status == Consent.Status.WITHDRAWN
    assert Consent.objects.get(purpose=ConsentPurpose.PARTICIPATION).status == Consent.Status.VALID


def test_expired_link_and_unknown_link(client, curator_a, family):
    child, parent = family
    url = _send(client, curator_a, child, parent)
    ConsentLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(url)
    assert response.status_code == 410 and "Срок действия ссылки истёк" in response.content.decode()
    response = client.post(url, _choices(child, participation="yes"))
    assert "Срок действия ссылки истёк" in response.content.decode() and len(mail.outbox) == 1
    response = client.get("/c/nonsense/")
    assert response.status_code == 404 and "Ссылка не найдена" in response.content.decode()


def test_the_code_allows_five_attempts_and_expires(client, curator_a, family):
    child, parent = family
    url = _send(client, curator_a, child, parent)
    client.post(url, _choices(child, participation="yes"))
    code = _code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(econsent.CODE_ATTEMPTS):
        response = client.post(url, {"action": "confirm", "code": wrong})
    assert "Код введён неверно 5 раз. Запросите новый код." in response.content.decode()
    response = client.post(url, {"action": "confirm", "code": code})
    assert "Запросите новый код" in response.content.decode() and not Consent.objects.exists()
    # A new code, expired.
    client.post(url, _choices(child, participation="yes"))
    ConsentLink.objects.update(code_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(url, {"action": "confirm", "code": _code()})
    assert "Срок действия кода истёк" in response.content.decode() and not Consent.objects.exists()


def test_the_link_goes_only_to_a_parent_with_an_email(client, school_a, curator_a, family):
    child, parent = family
    client.force_login(curator_a)
    url = reverse("participants:consent_link_send", kwargs={"org": school_a.slug, "pk": child.pk})
    response = client.post(url, {"signer": child.pk})
    assert "даёт родитель (законный представитель)" in response.content.decode()
    parent.email = ""
    parent.save()
    response = client.post(url, {"signer": parent.pk})
    assert "Не указана электронная почта (Смирнова Ольга Петровна)" in response.content.decode()
    assert not ConsentLink.objects.exists() and not mail.outbox


def test_a_paper_consent_to_a_partner_names_the_partner_one_per_partner(school_a, curator_a, partner):
    from participants import services

    other = PartnerFactory(organisation=school_a, name="Колледж связи")
    teacher = PersonFactory(
        organisation=school_a, category="teacher", grade=None, class_letter="", birth_date=datetime.date(1980, 1, 1)
    )
    record = dict(
        organisation=school_a,
        person=teacher,
        purpose=ConsentPurpose.PARTNER_TRANSFER,
        signed_on=datetime.date(2025, 9, 1),
        signed_by_subject=True,
        user=curator_a,
    )
    with pytest.raises(services.ValidationError) as error:
        services.consent_record(**record)
    assert error.value.message_dict["partner"] == [services.ERROR_PARTNER_REQUIRED]
    first = services.consent_record(**record, partner=partner)
    assert first.purpose_label == "передача организации-партнёру ООО «Прогресс»"
    assert "ООО «Прогресс»" in first.text.rendered(partner)[0] and first.text_sha256 != first.text.sha256
    with pytest.raises(services.ValidationError) as error:
        services.consent_record(**record, partner=partner)
    assert "уже есть действующее согласие" in error.value.message_dict["purpose"][0]
    assert services.consent_record(**record, partner=other).partner == other
