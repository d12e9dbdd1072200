"""Writes with rules about participants: consents to personal-data processing (152-ФЗ).

Every function is keyword-only and atomic; errors are ValidationError with the messages below,
keyed by the form field they belong to where there is one, so that forms show them in place.
"""

import datetime
import secrets
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from organisations.models import Organisation
from organisations.scans import SCAN_TYPES, scan_content_type

from .models import (
    AccessLogEntry,
    Consent,
    ConsentLink,
    ConsentPurpose,
    ConsentText,
    ParentLink,
    PartnerOrganisation,
    Person,
    quoted,
    text_sha256,
)

# The scan rule is shared with the other uploads of personal data (PDF, JPEG or PNG by content,
# whatever the file is called; at most 10 MB); its messages are re-exported for tests here.
from .validators import (  # noqa: F401
    ERROR_SCAN_EMPTY,
    ERROR_SCAN_TOO_LARGE,
    ERROR_SCAN_TYPE,
    SCAN_MAX_SIZE,
    validate_scan,
)

ANONYMISE_AFTER_DAYS = 30
ANONYMISED_NAME = "Обезличено"

# Categories whose members are adults by what they are (they work, or they are parents): without
# a birth date they sign for themselves. Students and graduates may be minors: their birth date
# decides who signs, and without it no consent can be recorded.
ADULT_CATEGORIES = frozenset({Person.Category.TEACHER, Person.Category.PARENT, Person.Category.PARTNER_EMPLOYEE})

ERROR_PERSON_OF_ANOTHER_ORGANISATION = "Участник относится к другой организации."
ERROR_PERSON_ANONYMISED = "Данные участника обезличены: согласие внести нельзя."
ERROR_UNKNOWN_PURPOSE = "Выберите цель согласия из списка."
ERROR_PARTNER_REQUIRED = (
    "Согласие на передачу организации-партнёру даётся каждому партнёру отдельно: выберите партнёра школы."
)
ERROR_SIGNED_IN_FUTURE = "Дата подписания не может быть позже сегодняшнего дня."
ERROR_BIRTH_DATE_REQUIRED = (
    "Сначала укажите дату рождения участника в его карточке: по ней определяется, "
    "кто подписывает согласие — сам участник или законный представитель."
)
ERROR_REPRESENTATIVE_REQUIRED = (
    "Участнику на дату подписания не исполнилось {adult_age} лет: согласие подписывает законный представитель."
)
ERROR_REPRESENTATIVE_NOT_EXPECTED = (
    "Участнику на дату подписания исполнилось {adult_age} лет: он подписывает согласие сам, "
    "законный представитель не указывается."
)
ERROR_REPRESENTATIVE_NOT_PARENT = "Законным представителем может быть только родитель этого участника из базы школы."
ERROR_SUBJECT_MUST_SIGN = (
    "Участнику на дату подписания исполнилось {adult_age} лет: согласие должно быть подписано им самим."
)
ERROR_CHILD_MUST_COSIGN = (
    "Участнику на дату подписания исполнилось {cosign_age} лет: он подписывает согласие вместе "
    "с законным представителем. Отметьте подпись участника."
)
ERROR_DUPLICATE = (
    "У участника уже есть действующее согласие с целью «{purpose}» от {signed_on:%d.%m.%Y}. "
    "Чтобы внести новое, сначала отметьте отзыв прежнего."
)
ERROR_NO_CONSENT_TEXT = "Нет действующей редакции текста согласия с целью «{purpose}»: обратитесь к администратору."
ERROR_ALREADY_WITHDRAWN = "Это согласие уже отозвано."
ERROR_WITHDRAWN_IN_FUTURE = "Дата отзыва не может быть позже сегодняшнего дня."
ERROR_WITHDRAWN_BEFORE_SIGNED = "Дата отзыва не может быть раньше даты подписания ({signed_on:%d.%m.%Y})."
# The guard: {name} is the full name, {purpose} the purpose in words.
ERROR_CONSENT_REQUIRED = (
    "{name}: нет действующего согласия на обработку персональных данных ({purpose}). "
    "Внесите согласие в карточке участника."
)
ERROR_PROCESSING_BLOCKED = "{name}: обработка персональных данных приостановлена, так как согласие отозвано."
ERROR_CONSENTS_REQUIRED = "Нет действующего согласия на обработку персональных данных ({purpose}): {names}."
# How many names the guard for several people lists before «и ещё N».
_NAMES_LISTED = 10


# --- The age rule -------------------------------------------------------------------------


def age_on(*, birth_date: datetime.date, on: datetime.date) -> int:
    """Full years on the given day."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class SignerRule:
    """Who signs a person's consent on a given day (Organisation.consent_adult_age / consent_cosign_age)."""

    age: int | None  # None: an adult by category whose birth date is not filled in
    needs_representative: bool  # younger than the adult age: a parent signs
    subject_signs: bool  # adults sign themselves; from the co-sign age the child signs too

    @property
    def child_cosigns(self) -> bool:
        return self.needs_representative and self.subject_signs


def consent_signer_rule(*, organisation: Organisation, person: Person, on: datetime.date) -> SignerRule | None:
    """The signer rule of this school for this person on this day; None when a birth date is needed."""
    if person.birth_date is None:
        if person.category in ADULT_CATEGORIES:
            return SignerRule(age=None, needs_representative=False, subject_signs=True)
        return None
    age = age_on(birth_date=person.birth_date, on=on)
    if age >= organisation.consent_adult_age:
        return SignerRule(age=age, needs_representative=False, subject_signs=True)
    return SignerRule(age=age, needs_representative=True, subject_signs=age >= organisation.consent_cosign_age)


# --- Scans --------------------------------------------------------------------------------


def consent_scan_check(*, scan) -> str:
    """The extension to store a scan under, by its content; ValidationError on the «scan» field otherwise."""
    try:
        validate_scan(scan)
    except ValidationError as error:
        raise ValidationError({"scan": error.messages}) from None
    return SCAN_TYPES[scan_content_type(scan)]


# --- Consents -----------------------------------------------------------------------------


def _valid_consents(*, purpose: str):
    return Consent.objects.filter(purpose=purpose, status=Consent.Status.VALID)


def _signers_errors(*, organisation, person, signed_on, representative, signed_by_subject) -> dict[str, str]:
    rule = consent_signer_rule(organisation=organisation, person=person, on=signed_on)
    if rule is None:
        return {NON_FIELD_ERRORS: ERROR_BIRTH_DATE_REQUIRED}
    adult_age, cosign_age = organisation.consent_adult_age, organisation.consent_cosign_age
    errors = {}
    if rule.needs_representative:
        if representative is None:
            errors["representative"] = ERROR_REPRESENTATIVE_REQUIRED.format(adult_age=adult_age)
        elif not ParentLink.objects.filter(
            organisation=organisation, parent=representative, child=person, parent__organisation=organisation
        ).exists():
            errors["representative"] = ERROR_REPRESENTATIVE_NOT_PARENT
        if rule.child_cosigns and not signed_by_subject:
            errors["signed_by_subject"] = ERROR_CHILD_MUST_COSIGN.format(cosign_age=cosign_age)
    else:
        if representative is not None:
            errors["representative"] = ERROR_REPRESENTATIVE_NOT_EXPECTED.format(adult_age=adult_age)
        if not signed_by_subject:
            errors["signed_by_subject"] = ERROR_SUBJECT_MUST_SIGN.format(adult_age=adult_age)
    return errors


@transaction.atomic
def consent_record(
    *,
    organisation: Organisation,
    person: Person,
    purpose: str,
    signed_on: datetime.date,
    representative: Person | None = None,
    signed_by_subject: bool,
    scan=None,
    user,
    partner: PartnerOrganisation | None = None,
    electronic: dict | None = None,
) -> Consent:
    """Records a signed consent on the current text of its purpose.

    The school's age rule decides who signs: a parent of this person (ParentLink) for anyone
    younger than the adult age, with the child co-signing from the co-sign age; adults alone.
    A new participation consent lifts a block left by an earlier withdrawal. A transfer to a
    partner names the partner (one consent per partner). ``electronic`` holds what an electronic
    consent keeps (signer_name, confirmed_at, ip_address, user_agent, code_channel).
    """
    if person.organisation_id != organisation.pk:
        raise ValidationError(ERROR_PERSON_OF_ANOTHER_ORGANISATION, code="foreign_person")
    # Serialises consents of one person, so that two clerks cannot record the same one twice.
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        raise ValidationError(ERROR_PERSON_ANONYMISED, code="anonymised")
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": ERROR_UNKNOWN_PURPOSE}, code="purpose")
    purpose_label = ConsentPurpose(purpose).label
    if purpose == ConsentPurpose.PARTNER_TRANSFER:
        if partner is None or partner.organisation_id != organisation.pk:
            raise ValidationError({"partner": ERROR_PARTNER_REQUIRED}, code="partner")
        purpose_label = f"{purpose_label} {quoted(partner.name)}"
    else:
        partner = None

    errors: dict[str, str] = {}
    if signed_on > timezone.localdate():
        errors["signed_on"] = ERROR_SIGNED_IN_FUTURE
    else:
        errors.update(
            _signers_errors(
                organisation=organisation,
                person=person,
                signed_on=signed_on,
                representative=representative,
                signed_by_subject=signed_by_subject,
            )
        )
    existing = _valid_consents(purpose=purpose).filter(person=person, partner=partner).first()
    if existing is not None:
        errors["purpose"] = ERROR_DUPLICATE.format(purpose=purpose_label, signed_on=existing.signed_on)
    extension = None
    if scan:
        try:
            extension = consent_scan_check(scan=scan)
        except ValidationError as error:
            errors.update(error.message_dict)
    text = ConsentText.objects.filter(purpose=purpose, is_current=True).first()
    if text is None:
        errors.setdefault(NON_FIELD_ERRORS, ERROR_NO_CONSENT_TEXT.format(purpose=purpose_label))
    if errors:
        raise ValidationError(errors)

    consent = Consent(
        organisation=organisation,
        person=person,
        purpose=purpose,
        partner=partner,
        text=text,
        text_sha256=text_sha256(*text.rendered(partner)),
        representative=representative,
        signed_by_subject=signed_by_subject,
        signed_on=signed_on,
        recorded_by=user,
    )
    if electronic:
        consent.channel = Consent.Channel.ELECTRONIC
        for field, value in electronic.items():
            setattr(consent, field, value)
    if scan:
        # Our own name: the uploaded one may carry a child's name or anything else.
        consent.scan.save(f"consent-{person.pk}-{purpose}-{secrets.token_hex(8)}.{extension}", scan, save=False)
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError:
        if consent.scan:
            consent.scan.delete(save=False)
        raise ValidationError(
            {"purpose": ERROR_DUPLICATE.format(purpose=purpose_label, signed_on=signed_on)}, code="duplicate"
        ) from None
    if purpose == ConsentPurpose.PARTICIPATION and person.processing_blocked_at is not None:
        person.processing_blocked_at = None
        person.save(update_fields=["processing_blocked_at"])
    return consent


@transaction.atomic
def consent_withdraw(
    *, consent: Consent, withdrawn_on: datetime.date, user, now: datetime.datetime | None = None
) -> Consent:
    """Marks a consent withdrawn; without a valid participation consent the person's processing stops.

    The block starts on the day the withdrawal was received (or now, if that is today): the
    30 days after which the data are anonymised (152-ФЗ, ч. 5 ст. 21) count from it.
    """
    now = now or timezone.now()
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    if consent.status != Consent.Status.VALID:
        raise ValidationError(ERROR_ALREADY_WITHDRAWN, code="already_withdrawn")
    if withdrawn_on > timezone.localdate(now):
        raise ValidationError({"withdrawn_on": ERROR_WITHDRAWN_IN_FUTURE}, code="future")
    if withdrawn_on < consent.signed_on:
        raise ValidationError(
            {"withdrawn_on": ERROR_WITHDRAWN_BEFORE_SIGNED.format(signed_on=consent.signed_on)}, code="before_signed"
        )
    consent.status = Consent.Status.WITHDRAWN
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = user
    consent.save(update_fields=["status", "withdrawn_on", "withdrawn_by"])

    person = consent.person
    still_valid = _valid_consents(purpose=ConsentPurpose.PARTICIPATION).filter(person=person).exists()
    # Withdrawing only the publication consent stops publication, not the person's participation.
    if consent.purpose == ConsentPurpose.PARTICIPATION and not still_valid and person.processing_blocked_at is None:
        received = timezone.make_aware(datetime.datetime.combine(withdrawn_on, datetime.time.min))
        person.processing_blocked_at = min(now, received)
        person.save(update_fields=["processing_blocked_at"])
    return consent


@transaction.atomic
def person_anonymise(*, person: Person, now: datetime.datetime | None = None) -> Person:
    """Replaces the person's identifying data; consent rows stay as the legal record, without scans.

    The change history of the person (django-auditlog) holds the old values, so it goes too, and
    this change itself is not logged: a history entry «Иванов → Обезличено» would undo the point.
    """
    now = now or timezone.now()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        return person
    # The forms of the name that other rows may hold: the history's texts are searched for them.
    traces = {person.full_name, f"{person.last_name} {person.first_name}".strip(), person.short_name}
    traces = {trace for trace in traces if trace and len(trace) > 3}
    consents = Consent.objects.filter(person=person)
    scan_names = [name for name in consents.values_list("scan", flat=True) if name]
    scan_names += list({name for name in consents.values_list("copy", flat=True) if name})
    consents.update(scan="", copy="", signer_name="")
    # Signed by this person for a child: the typed name goes, the child's consent stays.
    Consent.objects.filter(representative=person).update(signer_name="")
    ConsentLink.objects.filter(Q(person=person) | Q(signer=person)).update(pending={}, code_hash="")

    person.last_name = ANONYMISED_NAME
    person.first_name = ""
    person.patronymic = ""
    person.birth_date = None
    person.phone = ""
    person.email = ""
    person.notes = ""
    person.name_forms = {}
    person.user = None
    person.processing_blocked_at = person.processing_blocked_at or now
    person.anonymised_at = now
    with disable_auditlog():
        person.save()
    names = Q()
    for trace in traces:
        names |= Q(object_repr__contains=trace) | Q(changes_text__contains=trace) | Q(changes__icontains=trace)
    LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Person), object_pk=str(person.pk))
        | Q(additional_data__person_id=person.pk)
        | names
    ).delete()
    # The access journal keeps who saw whose data; a «what» naming the person loses the name.
    for trace in traces:
        for entry in AccessLogEntry.objects.filter(what__contains=trace).only("pk", "what"):
            AccessLogEntry.objects.filter(pk=entry.pk).update(what=entry.what.replace(trace, f"участник № {person.pk}"))

    # Files last: if a deletion fails, the transaction is rolled back and the next run retries
    # (deleting a file that is already gone is not an error).
    storage = Consent._meta.get_field("scan").storage
    for name in scan_names:
        storage.delete(name)
    return person


# --- The guard for pairs, questionnaire links and exports ---------------------------------


def consent_require(*, person: Person, purpose: str = ConsentPurpose.PARTICIPATION) -> None:
    """Raises ValidationError naming the person unless their data may be processed for the purpose."""
    purpose_label = ConsentPurpose(purpose).label
    if person.processing_blocked_at is not None or person.anonymised_at is not None:
        raise ValidationError(ERROR_PROCESSING_BLOCKED.format(name=person.full_name), code="processing_blocked")
    if not _valid_consents(purpose=purpose).filter(person_id=person.pk).exists():
        raise ValidationError(
            ERROR_CONSENT_REQUIRED.format(name=person.full_name, purpose=purpose_label), code="consent_required"
        )


def consent_require_many(*, people, purpose: str = ConsentPurpose.PARTICIPATION) -> None:
    """consent_require for a list of people in one query; the message lists who lacks consent."""
    people = list(people)
    covered = set(
        _valid_consents(purpose=purpose)
        .filter(person__in=[p.pk for p in people], person__processing_blocked_at__isnull=True)
        .values_list("person_id", flat=True)
    )
    missing = [p for p in people if p.pk not in covered]
    if not missing:
        return
    names = ", ".join(p.short_name for p in missing[:_NAMES_LISTED])
    if len(missing) > _NAMES_LISTED:
        names += f" и ещё {len(missing) - _NAMES_LISTED}"
    raise ValidationError(
        ERROR_CONSENTS_REQUIRED.format(purpose=ConsentPurpose(purpose).label, names=names), code="consent_required"
    )
