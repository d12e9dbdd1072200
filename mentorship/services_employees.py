"""Employee mentors (ст. 351.8 ТК РФ): consent, additional agreement, early end, the calendar."""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mentorship.employment import (
    AdditionalAgreement,
    CalendarCorrection,
    EarlyEnd,
    EmploymentTerms,
    MentoringConsent,
    PayRule,
)
from mentorship.models import Pair, PairMentee
from mentorship.selectors_employees import calendar_corrections, employment_of, is_employee, pay_rule_on
from mentorship.workdays import earliest_end
from organisations.declension import Case, declined_full_name
from organisations.models import Organisation
from participants.models import MenteeEntry, Person
from participants.validators import validate_scan

ERROR_NOT_EMPLOYEE = "{name} наставничает не как работник школы: согласие и соглашение по ст. 351.8 ТК РФ не нужны."
ERROR_CONSENT_EXISTS = "Согласие на это наставничество уже внесено."
ERROR_CONSENT_SCAN = "Приложите скан подписанного согласия (PDF, JPEG или PNG)."
ERROR_CONSENT_FUTURE = "Дата согласия не может быть позже сегодняшнего дня."
ERROR_AGREEMENT_EXISTS = "Дополнительное соглашение к этому наставничеству уже оформлено: № {number}."
ERROR_AGREEMENT_NO_CONSENT = "Сначала внесите письменное согласие работника: соглашение оформляют по согласию."
ERROR_AGREEMENT_NO_CONTRACT = (
    "Укажите номер и дату трудового договора {name} (карточка участника или раздел «Наставники-работники»)."
)
ERROR_NO_PAY_RULE = (
    "На {date} не действует ни одно правило оплаты наставничества: добавьте его в разделе «Правила оплаты»."
)
ERROR_NO_SALARY = "Выплата считается процентом от оклада: укажите оклад (ставку) {name}."
ERROR_PAIR_CLOSED = "Пара уже завершена {date}: прекратить наставничество досрочно нельзя."
ERROR_END_NOT_STARTED = (
    "Пара ещё не утверждена приказом: досрочно прекращают начатое наставничество, а черновик пары просто удаляют."
)
ERROR_END_EXISTS = "Досрочное прекращение этого наставничества уже оформлено."
ERROR_END_TOO_EARLY = (
    "Наставничество можно прекратить не ранее {date}: через три рабочих дня после заявления (уведомления) "
    "от {notice} по производственному календарю."
)
ERROR_END_AFTER_TERM = "Дата прекращения позже планового окончания ({date}): это уже не досрочное прекращение."
ERROR_UNKNOWN_INITIATOR = "Выберите, кто прекращает наставничество: работник или работодатель."
ERROR_EXCEPTION_REASON = "Укажите, почему этот работник наставничает не как работник школы."

REFUSAL_REASON = "Работник отказался от наставничества (ч. 4 ст. 351.8 ТК РФ), заявление от {date}"
CANCELLATION_REASON = "Работодатель отменил поручение наставничества (ч. 4 ст. 351.8 ТК РФ), уведомление от {date}"

CENTS = Decimal("0.01")


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def employment_contract_set(
    *, organisation: Organisation, person: Person, contract_number: str, contract_date: datetime.date | None
) -> EmploymentTerms:
    """The labour contract's number and date from the person form; the salary and the exception,
    edited on the employees page, stay as they are."""
    if person.organisation_id != organisation.pk:
        raise ValidationError("Работник принадлежит другой школе.")
    terms, _created = EmploymentTerms.objects.update_or_create(
        person=person,
        defaults={
            "organisation": organisation,
            "contract_number": (contract_number or "").strip(),
            "contract_date": contract_date,
        },
    )
    return terms


@transaction.atomic
def employment_terms_save(
    *,
    organisation: Organisation,
    person: Person,
    contract_number: str,
    contract_date: datetime.date | None,
    salary_rate: Decimal | None,
    not_employee_mentor: bool = False,
    exception_reason: str = "",
) -> EmploymentTerms:
    if person.organisation_id != organisation.pk:
        raise ValidationError("Работник принадлежит другой школе.")
    exception_reason = (exception_reason or "").strip()
    if not_employee_mentor and not exception_reason:
        raise ValidationError(ERROR_EXCEPTION_REASON)
    terms, _created = EmploymentTerms.objects.update_or_create(
        person=person,
        defaults={
            "organisation": organisation,
            "contract_number": (contract_number or "").strip(),
            "contract_date": contract_date,
            "salary_rate": salary_rate,
            "not_employee_mentor": not_employee_mentor,
            "exception_reason": exception_reason if not_employee_mentor else "",
        },
    )
    return terms


def _employee_pair(pair: Pair) -> Pair:
    pair = Pair.objects.select_for_update().select_related("mentor", "programme").get(pk=pair.pk)
    if not is_employee(pair.mentor):
        raise ValidationError(ERROR_NOT_EMPLOYEE.format(name=pair.mentor.full_name))
    return pair


@transaction.atomic
def consent_record(
    *, pair: Pair, signed_on: datetime.date, scan=None, user=None, accepted_text: str = ""
) -> MentoringConsent:
    """The signed consent with its scan; or, without a scan, accepted in the mentor's own account
    (``accepted_text``: the text the mentor saw, kept with the time)."""
    pair = _employee_pair(pair)
    if MentoringConsent.objects.filter(pair=pair).exists():
        raise ValidationError(ERROR_CONSENT_EXISTS)
    if signed_on > _today():
        raise ValidationError(ERROR_CONSENT_FUTURE)
    consent = MentoringConsent(organisation=pair.organisation, pair=pair, signed_on=signed_on, recorded_by=user)
    if scan:
        validate_scan(scan)
        consent.scan = scan
    elif accepted_text:
        consent.accepted_at = timezone.now()
        consent.accepted_text = accepted_text
    else:
        raise ValidationError(ERROR_CONSENT_SCAN)
    consent.save()
    return consent


def mentee_count(pair: Pair) -> int:
    return PairMentee.objects.filter(pair=pair).count()


def monthly_amount(*, basis: str, rate: Decimal, mentees: int, salary: Decimal | None) -> Decimal:
    if basis == PayRule.Basis.FIXED:
        amount = rate
    elif basis == PayRule.Basis.PER_MENTEE:
        amount = rate * mentees
    else:
        amount = (salary or Decimal(0)) * rate / Decimal(100)
    return Decimal(amount).quantize(CENTS, rounding=ROUND_HALF_UP)


@transaction.atomic
def agreement_conclude(*, pair: Pair, concluded_on: datetime.date, user=None) -> AdditionalAgreement:
    """The additional agreement for an assignment: numbered in the school's register of the year,
    with the pay of the rule in force on the agreement's date."""
    pair = _employee_pair(pair)
    existing = AdditionalAgreement.objects.filter(pair=pair).first()
    if existing is not None:
        raise ValidationError(ERROR_AGREEMENT_EXISTS.format(number=existing.number))
    if not MentoringConsent.objects.filter(pair=pair).exists():
        raise ValidationError(ERROR_AGREEMENT_NO_CONSENT)
    terms = employment_of(pair.mentor)
    if terms is None or not terms.contract_number or terms.contract_date is None:
        raise ValidationError(ERROR_AGREEMENT_NO_CONTRACT.format(name=declined_full_name(pair.mentor, Case.GENITIVE)))
    organisation = pair.organisation
    rule = pay_rule_on(organisation=organisation, day=max(concluded_on, pair.starts_on))
    if rule is None:
        raise ValidationError(ERROR_NO_PAY_RULE.format(date=f"{max(concluded_on, pair.starts_on):%d.%m.%Y}"))
    if rule.basis == PayRule.Basis.PERCENT and not terms.salary_rate:
        raise ValidationError(ERROR_NO_SALARY.format(name=declined_full_name(pair.mentor, Case.GENITIVE)))
    # The register of the year is locked through its organisation row, so two agreements never share a number.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    year = concluded_on.year
    last = AdditionalAgreement.objects.filter(organisation=organisation, year=year).aggregate(n=Max("number"))["n"]
    return AdditionalAgreement.objects.create(
        organisation=organisation,
        pair=pair,
        year=year,
        number=(last or 0) + 1,
        concluded_on=concluded_on,
        starts_on=pair.starts_on,
        ends_on=pair.planned_end_on,
        pay_basis=rule.basis,
        pay_rate=rule.amount,
        monthly_amount=monthly_amount(
            basis=rule.basis, rate=rule.amount, mentees=mentee_count(pair), salary=terms.salary_rate
        ),
        pay_source=rule.source,
        created_by=user,
    )


def end_earliest(*, organisation: Organisation, notice_on: datetime.date) -> datetime.date:
    """Three working days after the notice on the production calendar with the school's corrections."""
    return earliest_end(notice_on, calendar_corrections(organisation=organisation))


@transaction.atomic
def early_end_register(
    *, pair: Pair, initiator: str, notice_on: datetime.date, ends_on: datetime.date | None = None, user=None
) -> EarlyEnd:
    """The mentor's refusal or the school's cancellation: the end no earlier than three working days
    after the notice. The pair closes on that day once the order ending it is approved (early_end_apply)."""
    pair = _employee_pair(pair)
    if initiator not in EarlyEnd.Initiator.values:
        raise ValidationError(ERROR_UNKNOWN_INITIATOR)
    if pair.status == Pair.Status.CLOSED:
        raise ValidationError(ERROR_PAIR_CLOSED.format(date=f"{pair.closed_on:%d.%m.%Y}"))
    if pair.status == Pair.Status.DRAFT:
        raise ValidationError(ERROR_END_NOT_STARTED)
    if EarlyEnd.objects.filter(pair=pair).exists():
        raise ValidationError(ERROR_END_EXISTS)
    earliest = end_earliest(organisation=pair.organisation, notice_on=notice_on)
    ends_on = ends_on or earliest
    if ends_on < earliest:
        raise ValidationError(ERROR_END_TOO_EARLY.format(date=f"{earliest:%d.%m.%Y}", notice=f"{notice_on:%d.%m.%Y}"))
    if ends_on > pair.planned_end_on:
        raise ValidationError(ERROR_END_AFTER_TERM.format(date=f"{pair.planned_end_on:%d.%m.%Y}"))
    return EarlyEnd.objects.create(
        organisation=pair.organisation,
        pair=pair,
        initiator=initiator,
        notice_on=notice_on,
        earliest_end_on=earliest,
        ends_on=ends_on,
        created_by=user,
    )


def early_end_reason(end: EarlyEnd) -> str:
    template = REFUSAL_REASON if end.initiator == EarlyEnd.Initiator.MENTOR else CANCELLATION_REASON
    return template.format(date=f"{end.notice_on:%d.%m.%Y}")


@transaction.atomic
def early_end_apply(*, pair: Pair, order_label: str) -> Pair:
    """The order ending the assignment approved: the order is recorded; the pair keeps working until
    its last day (ч. 4 ст. 351.8 ТК РФ gives three working days' notice, and an order may be approved
    before they pass) and closes on it (early_ends_close_due). Pay stops after the same day (the pay
    register reads EarlyEnd.ends_on)."""
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    end = EarlyEnd.objects.select_for_update().get(pair=pair)
    end.order_label = order_label[:200]
    end.save(update_fields=["order_label"])
    if end.ends_on <= _today():
        _early_end_close(pair, end)
    return pair


def _early_end_close(pair: Pair, end: EarlyEnd) -> None:
    """The pair closes on its last day with a neutral outcome («прекращена досрочно») and its
    reason; its mentees go back to the base for a new mentor."""
    if pair.status == Pair.Status.CLOSED:
        return
    pair.status = Pair.Status.CLOSED
    pair.outcome = Pair.Outcome.TERMINATED
    pair.closed_on = end.ends_on
    pair.termination_reason = early_end_reason(end)
    pair.save(update_fields=["status", "outcome", "closed_on", "termination_reason"])
    mentee_ids = PairMentee.objects.filter(pair=pair).values("mentee_id")
    MenteeEntry.objects.filter(
        organisation=pair.organisation, person_id__in=mentee_ids, status=MenteeEntry.Status.IN_PAIR
    ).update(status=MenteeEntry.Status.INCLUDED)


@transaction.atomic
def early_ends_close_due(*, organisation: Organisation | None = None) -> int:
    """Closes the pairs whose early end was ordered and whose last day has come. Called lazily by the
    pair and employee pages of the school (no cron needed for what a user sees) and, for every
    school, by `manage.py close_ended_pairs` once a day. Returns how many pairs it closed."""
    ends = (
        EarlyEnd.objects.filter(ends_on__lte=_today()).exclude(order_label="").exclude(pair__status=Pair.Status.CLOSED)
    )
    if organisation is not None:
        ends = ends.filter(organisation=organisation)
    closed = 0
    for end in ends.select_for_update():
        pair = Pair.objects.select_for_update().get(pk=end.pair_id)
        if pair.status != Pair.Status.CLOSED:
            _early_end_close(pair, end)
            closed += 1
    return closed


@transaction.atomic
def calendar_correction_set(
    *, organisation: Organisation, day: datetime.date, is_working: bool, note: str = ""
) -> CalendarCorrection:
    correction, _ = CalendarCorrection.objects.update_or_create(
        organisation=organisation, day=day, defaults={"is_working": is_working, "note": (note or "").strip()}
    )
    return correction


@transaction.atomic
def pay_rule_add(
    *,
    organisation: Organisation,
    basis: str,
    amount: Decimal,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    source: str = "",
) -> PayRule:
    """A new rule; the one in force before it ends the day before (a rule is never edited: old
    agreements keep the pay they were concluded with)."""
    if basis not in PayRule.Basis.values:
        raise ValidationError("Выберите основу расчёта выплаты.")
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError("Правило не может закончиться раньше, чем начнёт действовать.")
    if basis == PayRule.Basis.PERCENT and amount > 100:
        raise ValidationError("Процент от оклада не может быть больше 100.")
    previous = pay_rule_on(organisation=organisation, day=valid_from)
    if previous is not None and previous.valid_from < valid_from:
        previous.valid_to = valid_from - datetime.timedelta(days=1)
        previous.save(update_fields=["valid_to"])
    return PayRule.objects.create(
        organisation=organisation,
        basis=basis,
        amount=amount,
        valid_from=valid_from,
        valid_to=valid_to,
        source=(source or "").strip(),
    )


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
