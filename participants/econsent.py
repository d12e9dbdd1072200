"""Electronic consent by a personal link (152-ФЗ, ст. 9 as amended by 156-ФЗ).

The curator sends a parent (or an adult participant) a link: only the token's SHA-256 is kept, the
link expires and gives consents once; afterwards it serves withdrawals, purpose by purpose. The page
shows each purpose's full text with its own yes/no (nothing chosen in advance); the signer types
their full name and confirms with a one-time code sent to the e-mail on file (kept as an HMAC,
a limited number of attempts, a short term). Each consent keeps the text version and hash, the
time, IP address, user agent and the code's channel (services.consent_record).
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from organisations.models import Organisation

from .models import (
    Consent,
    ConsentLink,
    ConsentText,
    ParentLink,
    PartnerOrganisation,
    Person,
    normalise_for_search,
    text_sha256,
)
from .selectors import consent_purposes
from .services import consent_record, consent_signer_rule, consent_withdraw

LINK_DAYS = 14
CODE_MINUTES = 15
CODE_ATTEMPTS = 5
CODE_CHANNEL_EMAIL = "электронная почта"

ERROR_INVALID_LINK = "Ссылка не найдена: проверьте, что она скопирована полностью, или попросите у куратора новую."
ERROR_EXPIRED = "Срок действия ссылки истёк {date}. Попросите у куратора программы наставничества новую ссылку."
ERROR_USED = (
    "По этой ссылке согласие уже дано {date}. Повторно дать согласие по ней нельзя; "
    "по ней можно только отозвать согласие. Новую ссылку выдаёт куратор."
)
ERROR_CHOICE_MISSING = "Выберите «Согласен» или «Не согласен» для каждой цели: {purposes}."
ERROR_NOTHING_AGREED = "Вы не дали ни одного согласия. Если вы не согласны ни с одной целью, просто закройте страницу."
ERROR_NAME_MISMATCH = "Введённые фамилия, имя и отчество не совпадают с указанными у куратора: {name}."
ERROR_CHILD_NAME = (
    "Обучающемуся исполнилось {age} лет: он подтверждает согласие сам — введите его фамилию, имя и отчество."
)
ERROR_NO_EMAIL = "Не указана электронная почта ({name}): код подтверждения отправить некуда. Укажите почту в карточке."
ERROR_SIGNER = "Согласие за участника младше {adult_age} лет даёт родитель (законный представитель) из базы школы."
ERROR_SIGNER_ADULT = "Участнику исполнилось {adult_age} лет: он даёт согласие сам, ссылка отправляется ему."
ERROR_BIRTH_DATE = "Укажите дату рождения участника: по ней определяется, кто даёт согласие."
ERROR_NO_CODE = "Сначала выберите ответы и запросите код подтверждения."
ERROR_CODE_WRONG = "Код неверный. Осталось попыток: {left}."
ERROR_CODE_EXPIRED = "Срок действия кода истёк. Запросите новый код."
ERROR_CODE_ATTEMPTS = "Код введён неверно {attempts} раз. Запросите новый код."
ERROR_NOTHING_TO_WITHDRAW = "Отметьте, какие согласия вы отзываете."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(link: ConsentLink, code: str) -> str:
    return salted_hmac("participants.econsent.code", f"{link.pk}:{code}").hexdigest()


def purpose_key(kind: str, partner: PartnerOrganisation | None) -> str:
    """«participation», «authority», «publication» or «partner:12»: a purpose in a form and in JSON."""
    return f"{kind}:{partner.pk}" if partner is not None else str(kind)


@dataclass
class PurposeItem:
    key: str
    kind: str
    partner: PartnerOrganisation | None
    text: ConsentText
    title: str
    body: str
    sha256: str
    valid: Consent | None  # the person's valid consent for it, if any

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


def purpose_items(*, person: Person) -> list[PurposeItem]:
    """The school's purposes with their current texts and the person's valid consents: three queries."""
    texts = {text.purpose: text for text in ConsentText.objects.filter(is_current=True)}
    valid = {
        purpose_key(c.purpose, c.partner): c
        for c in Consent.objects.filter(person=person, status=Consent.Status.VALID).select_related("partner", "text")
    }
    items = []
    for kind, partner in consent_purposes(organisation=person.organisation):
        text = texts.get(kind)
        if text is None:
            continue
        title, body = text.rendered(partner)
        key = purpose_key(kind, partner)
        items.append(PurposeItem(key, kind, partner, text, title, body, text_sha256(title, body), valid.get(key)))
    return items


# --- Sending ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentLink:
    link: ConsentLink
    token: str


def _signer_check(*, organisation: Organisation, person: Person, signer: Person) -> None:
    rule = consent_signer_rule(organisation=organisation, person=person, on=timezone.localdate())
    if rule is None:
        raise ValidationError(ERROR_BIRTH_DATE, code="birth_date")
    if rule.needs_representative:
        if not ParentLink.objects.filter(organisation=organisation, parent=signer, child=person).exists():
            raise ValidationError(ERROR_SIGNER.format(adult_age=organisation.consent_adult_age), code="signer")
    elif signer.pk != person.pk:
        raise ValidationError(ERROR_SIGNER_ADULT.format(adult_age=organisation.consent_adult_age), code="signer")
    if not signer.email:
        raise ValidationError(ERROR_NO_EMAIL.format(name=signer.full_name), code="email")


@transaction.atomic
def consent_link_send(
    *, organisation: Organisation, person: Person, signer: Person, user, url_for, days: int = LINK_DAYS
) -> SentLink:
    """A new personal link for the signer, e-mailed to the address on file; url_for(token) is its URL."""
    if person.organisation_id != organisation.pk or signer.organisation_id != organisation.pk:
        raise ValidationError("Участник относится к другой организации.", code="foreign")
    if person.anonymised_at is not None:
        raise ValidationError("Данные участника обезличены.", code="anonymised")
    _signer_check(organisation=organisation, person=person, signer=signer)
    token = secrets.token_urlsafe(32)
    link = ConsentLink.objects.create(
        organisation=organisation,
        person=person,
        signer=signer,
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=user,
    )
    about = "вашего ребёнка " + person.full_name if signer.pk != person.pk else "ваших"
    body = (
        f"Здравствуйте, {signer.first_name} {signer.patronymic}".rstrip()
        + f".\n\n{organisation.short_name} просит вас ознакомиться с согласиями на обработку персональных данных "
        f"{about} для участия в программе наставничества. Каждое согласие даётся отдельно, "
        f"вы можете согласиться с одними целями и не согласиться с другими.\n\n"
        f"Ваша персональная ссылка (действует до {timezone.localtime(link.expires_at):%d.%m.%Y}):\n{url_for(token)}\n\n"
        f"По этой же ссылке согласие можно отозвать.\n"
    )
    EmailMessage("Согласие на обработку персональных данных", body, settings.DEFAULT_FROM_EMAIL, [signer.email]).send()
    return SentLink(link=link, token=token)


# --- The public page ----------------------------------------------------------------------------


def consent_link_by_token(token: str) -> ConsentLink | None:
    if not token or len(token) > 100:
        return None
    return (
        ConsentLink.objects.select_related("organisation", "person", "signer")
        .filter(token_hash=token_hash(token), person__anonymised_at__isnull=True)
        .first()
    )


def consent_link_refusal(link: ConsentLink) -> str | None:
    """Why the link cannot give consents now (Russian), or None."""
    if link.used_at is not None:
        return ERROR_USED.format(date=f"{timezone.localtime(link.used_at):%d.%m.%Y %H:%M}")
    if link.is_expired:
        return ERROR_EXPIRED.format(date=f"{timezone.localtime(link.expires_at):%d.%m.%Y}")
    return None


def child_must_cosign(link: ConsentLink) -> int | None:
    """The child's age when the child confirms the consent too (from the school's co-sign age)."""
    rule = consent_signer_rule(organisation=link.organisation, person=link.person, on=timezone.localdate())
    return rule.age if rule is not None and rule.child_cosigns else None


def _normalised_name(text: str) -> str:
    return " ".join(normalise_for_search(text or "").split())


def _names_match(typed: str, person: Person) -> bool:
    return _normalised_name(typed) == _normalised_name(person.full_name)


def _mask(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:2]}{'*' * max(len(name) - 2, 1)}@{domain}"


@transaction.atomic
def consent_link_choose(*, link: ConsentLink, choices: dict, signer_name: str, child_name: str = "") -> str:
    """Keeps the signer's yes/no per purpose and sends a one-time code; returns the masked address.

    ``choices`` maps purpose keys to True/False/None (None: not chosen). Only purposes without a
    valid consent are asked.
    """
    link = _locked(link)
    refusal = consent_link_refusal(link)
    if refusal:
        raise ValidationError(refusal, code="link")
    open_items = [item for item in purpose_items(person=link.person) if item.valid is None]
    missing = [item.title for item in open_items if choices.get(item.key) is None]
    errors = {}
    if missing:
        errors["choices"] = ERROR_CHOICE_MISSING.format(purposes="; ".join(f"«{t}»" for t in missing))
    elif not any(choices.get(item.key) for item in open_items):
        errors["choices"] = ERROR_NOTHING_AGREED
    if not _names_match(signer_name, link.signer):
        errors["signer_name"] = ERROR_NAME_MISMATCH.format(name=link.signer.short_name)
    age = child_must_cosign(link)
    if age is not None and not _names_match(child_name, link.person):
        errors["child_name"] = ERROR_CHILD_NAME.format(age=age)
    if not link.signer.email:
        errors["signer_name"] = ERROR_NO_EMAIL.format(name=link.signer.full_name)
    if errors:
        raise ValidationError(errors)
    code = f"{secrets.randbelow(10**6):06d}"
    link.pending = {
        "choices": {item.key: bool(choices[item.key]) for item in open_items},
        "hashes": {item.key: item.sha256 for item in open_items},
        "signer_name": signer_name.strip(),
        "child_confirmed": age is not None,
    }
    link.code_hash = _code_hash(link, code)
    link.code_expires_at = timezone.now() + datetime.timedelta(minutes=CODE_MINUTES)
    link.code_attempts = 0
    link.save(update_fields=["pending", "code_hash", "code_expires_at", "code_attempts"])
    EmailMessage(
        "Код подтверждения согласия",
        f"Код подтверждения согласия на обработку персональных данных: {code}\n\n"
        f"Код действует {CODE_MINUTES} минут. Никому его не сообщайте. Если вы не запрашивали код, "
        f"просто проигнорируйте это письмо.\n",
        settings.DEFAULT_FROM_EMAIL,
        [link.signer.email],
    ).send()
    return _mask(link.signer.email)


def _locked(link: ConsentLink) -> ConsentLink:
    return ConsentLink.objects.select_for_update().select_related("organisation", "person", "signer").get(pk=link.pk)


def _code_refusal(link: ConsentLink, code: str, now) -> str | None:
    if not link.code_hash or not link.pending:
        return ERROR_NO_CODE
    if link.code_attempts >= CODE_ATTEMPTS:
        return ERROR_CODE_ATTEMPTS.format(attempts=CODE_ATTEMPTS)
    if link.code_expires_at is None or link.code_expires_at <= now:
        return ERROR_CODE_EXPIRED
    return None


def consent_link_confirm(
    *, link: ConsentLink, code: str, ip_address: str | None, user_agent: str, now: datetime.datetime | None = None
) -> list[Consent]:
    """Checks the code and records a consent for every purpose answered «yes»; the link is then used.

    A wrong code counts as an attempt even though the call fails (its own transaction).
    """
    now = now or timezone.now()
    with transaction.atomic():
        link = _locked(link)
        refusal = consent_link_refusal(link) or _code_refusal(link, code, now)
        if refusal:
            raise ValidationError({"code": refusal})
        if not constant_time_compare(_code_hash(link, (code or "").strip()), link.code_hash):
            link.code_attempts += 1
            link.save(update_fields=["code_attempts"])
            left = CODE_ATTEMPTS - link.code_attempts
            wrong = ERROR_CODE_WRONG.format(left=left) if left else ERROR_CODE_ATTEMPTS.format(attempts=CODE_ATTEMPTS)
        else:
            wrong = None
    if wrong:
        raise ValidationError({"code": wrong})
    return _record(link=link, ip_address=ip_address, user_agent=user_agent, now=now)


@transaction.atomic
def _record(*, link: ConsentLink, ip_address, user_agent: str, now) -> list[Consent]:
    link = _locked(link)
    items = {item.key: item for item in purpose_items(person=link.person)}
    pending = link.pending
    consents = []
    for key, agreed in pending["choices"].items():
        item = items.get(key)
        if not agreed or item is None or item.valid is not None:
            continue
        if item.sha256 != pending["hashes"].get(key):
            raise ValidationError({"code": "Текст согласия изменился, пока вы его читали. Откройте ссылку снова."})
        representative = link.signer if link.signer_id != link.person_id else None
        consents.append(
            consent_record(
                organisation=link.organisation,
                person=link.person,
                purpose=item.kind,
                partner=item.partner,
                signed_on=timezone.localdate(now),
                representative=representative,
                signed_by_subject=representative is None or pending.get("child_confirmed", False),
                user=None,
                electronic={
                    "signer_name": pending["signer_name"],
                    "confirmed_at": now,
                    "ip_address": ip_address,
                    "user_agent": (user_agent or "")[:500],
                    "code_channel": f"{CODE_CHANNEL_EMAIL} ({_mask(link.signer.email)})",
                },
            )
        )
    link.used_at = now
    link.code_hash = ""
    # The typed name now lives in the consents; the link keeps only what was chosen.
    link.pending = {key: value for key, value in pending.items() if key != "signer_name"}
    link.save(update_fields=["used_at", "code_hash", "pending"])
    return consents


# --- Withdrawal ---------------------------------------------------------------------------------


@transaction.atomic
def consent_link_withdraw(*, link: ConsentLink, keys: list[str], now: datetime.datetime | None = None) -> list[Consent]:
    """Withdraws the person's valid consents of the chosen purposes at once (no code needed)."""
    now = now or timezone.now()
    chosen = {item.key: item.valid for item in purpose_items(person=link.person) if item.valid is not None}
    consents = [chosen[key] for key in keys if key in chosen]
    if not consents:
        raise ValidationError({"withdraw": ERROR_NOTHING_TO_WITHDRAW})
    return [
        consent_withdraw(consent=consent, withdrawn_on=timezone.localdate(now), user=None, now=now)
        for consent in consents
    ]
