"""What happens to a monitoring campaign: opening it, a school's draft and submission, the
authority's return and acceptance, the reminder to those late. Keyword-only, atomic."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from organisations.models import Membership, Organisation
from organisations.notifications.services import notify
from organisations.roles import CAMPAIGN_SUBMITTERS, Role
from organisations.russian import plural
from reports.analytics import kpi, targets
from reports.analytics.models import Indicator
from reports.monitoring.models import Answer, Campaign, Question, Response
from reports.monitoring.notifications import MONITORING_LATE

ERROR_NOT_AUTHORITY = "Мониторинг проводит регион или управление образования, а не школа."
ERROR_NO_SCHOOLS = "Выберите хотя бы одну школу."
ERROR_FOREIGN_SCHOOL = "Школа «{school}» не входит в ваш район (регион)."
ERROR_FROZEN = "Ответ уже отправлен: изменить его можно, только если управление вернёт его на доработку."
ERROR_NOT_SUBMITTER = "Отправить ответ может директор или заместитель директора."
ERROR_REASON = "Значение показателя «{title}» отличается от рассчитанного ({computed}): укажите причину."
ERROR_REQUIRED = "Заполните значение показателя «{title}»."
ERROR_NOT_SUBMITTED = "Вернуть или принять можно только отправленный ответ."
ERROR_COMMENT = "Напишите, что нужно исправить: школа увидит этот комментарий."


@transaction.atomic
def open_campaign(
    *,
    organisation: Organisation,
    title: str,
    school_year: int,
    deadline: datetime.date,
    indicators: list[Indicator],
    schools: list[Organisation],
    questions: list[tuple[str, str]] = (),
    user=None,
) -> Campaign:
    """A campaign with its questions ((text, kind) pairs) and a «не начато» response per school."""
    if not organisation.is_authority:
        raise ValidationError(ERROR_NOT_AUTHORITY)
    if not schools:
        raise ValidationError(ERROR_NO_SCHOOLS)
    below = set(organisation.schools_below().values_list("pk", flat=True))
    for school in schools:
        if school.pk not in below:
            raise ValidationError(ERROR_FOREIGN_SCHOOL.format(school=school.short_name))
    campaign = Campaign.objects.create(
        organisation=organisation, title=title, school_year=school_year, deadline=deadline, created_by=user
    )
    campaign.indicators.set(indicators)
    Question.objects.bulk_create(
        Question(campaign=campaign, position=position, text=text, kind=kind)
        for position, (text, kind) in enumerate(questions, start=1)
    )
    Response.objects.bulk_create(Response(organisation=school, campaign=campaign) for school in schools)
    return campaign


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


@transaction.atomic
def start_response(*, response: Response, today: datetime.date | None = None) -> Response:
    """The school opens the form: a draft whose computable values are filled from its data (kept)."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.status != Response.Status.NOT_STARTED:
        return response
    campaign, school = response.campaign, response.organisation
    period = kpi.Period.of_school_year(campaign.school_year)
    specs = {spec.code: spec for spec in targets.specs_for(school, campaign.school_year)}
    computed = kpi._compute(
        [school.pk],
        period,
        today or timezone.localdate(),
        with_trend=False,
        specs=[specs[i.code] for i in campaign.indicators.all() if not i.is_entered and i.code in specs],
    )[school.pk]
    answers = []
    for indicator in campaign.indicators.all():
        value = computed.get(indicator.code)
        number = _decimal(value.value) if value is not None else None
        answers.append(
            Answer(
                organisation=school,
                response=response,
                indicator=indicator,
                computed=number,
                numerator=_decimal(value.numerator) if value is not None else None,
                denominator=_decimal(value.denominator) if value is not None else None,
                value=number,
            )
        )
    answers += [Answer(organisation=school, response=response, question=q) for q in campaign.questions.all()]
    Answer.objects.bulk_create(answers)
    response.status = Response.Status.DRAFT
    response.save(update_fields=["status"])
    return response


@transaction.atomic
def save_answers(*, response: Response, values: dict[int, dict], submit: bool = False, user=None) -> Response:
    """The school's values (answer pk → {"value", "reason", "text", "file"}); ``submit`` sends them.

    ValidationError with every problem, nothing saved, when a changed value has no reason, a
    value is missing on submission, or the sender is neither the director nor the deputy."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.is_frozen:
        raise ValidationError(ERROR_FROZEN)
    if (
        submit
        and not Membership.objects.filter(
            user=user, organisation=response.organisation, role__in=CAMPAIGN_SUBMITTERS
        ).exists()
    ):
        raise ValidationError(ERROR_NOT_SUBMITTER)
    answers = list(response.answers.select_related("indicator", "question"))
    errors = []
    for answer in answers:
        data = values.get(answer.pk, {})
        if answer.indicator_id:
            answer.value = data.get("value", answer.value)
            answer.reason = (data.get("reason", answer.reason) or "").strip()
            title = answer.indicator.title
            if answer.is_changed and not answer.reason:
                errors.append(
                    ERROR_REASON.format(title=title, computed=f"{answer.computed.normalize():f}".replace(".", ","))
                )
            if submit and answer.value is None:
                errors.append(ERROR_REQUIRED.format(title=title))
        elif answer.question.kind == Question.Kind.NUMBER:
            answer.value = data.get("value", answer.value)
        elif answer.question.kind == Question.Kind.TEXT:
            answer.text = data.get("text", answer.text) or ""
        elif data.get("file"):
            answer.file = data["file"]
    if errors:
        raise ValidationError(errors)
    for answer in answers:
        answer.save()
    if submit:
        response.status = Response.Status.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = user
        response.save(update_fields=["status", "submitted_at", "submitted_by"])
    return response


@transaction.atomic
def return_response(*, response: Response, comment: str) -> Response:
    if response.status != Response.Status.SUBMITTED:
        raise ValidationError(ERROR_NOT_SUBMITTED)
    if not comment.strip():
        raise ValidationError(ERROR_COMMENT)
    response.status = Response.Status.RETURNED
    response.return_comment = comment.strip()
    response.save(update_fields=["status", "return_comment"])
    return response


@transaction.atomic
def accept_response(*, response: Response) -> Response:
    if response.status != Response.Status.SUBMITTED:
        raise ValidationError(ERROR_NOT_SUBMITTED)
    response.status = Response.Status.ACCEPTED
    response.accepted_at = timezone.now()
    response.save(update_fields=["status", "accepted_at"])
    return response


LATE = (Response.Status.NOT_STARTED, Response.Status.DRAFT, Response.Status.RETURNED)
REMINDER_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CURATOR)


@transaction.atomic
def remind_late(*, campaign: Campaign) -> tuple[int, int]:
    """Notifies the director, deputy and curator of every school that has not sent its form (in the
    app and by e-mail as each chooses; organisations.notifications). Once a day per school at most:
    a second press the same day reaches nobody again.

    Returns (schools, people notified now). Two queries for the recipients whatever the number of schools."""
    late = list(campaign.responses.filter(status__in=LATE).select_related("organisation"))
    by_school = {response.organisation_id: response for response in late}
    recipients: dict[int, set[int]] = {}
    memberships = Membership.objects.filter(organisation_id__in=by_school, role__in=REMINDER_ROLES)
    for organisation_id, user_id in memberships.values_list("organisation_id", "user_id"):
        recipients.setdefault(organisation_id, set()).add(user_id)
    deadline = f"{campaign.deadline:%d.%m.%Y}"
    today = timezone.localdate()
    notified = 0
    for organisation_id, users in recipients.items():
        response = by_school[organisation_id]
        school = response.organisation
        notified += len(
            notify(
                kind=MONITORING_LATE.code,
                organisation=school,
                recipients=users,
                text=(
                    f"{campaign.organisation.short_name} напоминает: форма мониторинга «{campaign.title}» ещё не "
                    f"отправлена ({response.get_status_display()}). Срок сдачи — {deadline}."
                ),
                url=reverse("reports:campaign_fill", kwargs={"org": school.slug, "pk": campaign.pk}),
                key=f"monitoring.late:{response.pk}:{today:%Y%m%d}",
            )
        )
    Response.objects.filter(pk__in=[r.pk for r in late]).update(reminded_at=timezone.now())
    return len(late), notified


def reminder_message(schools: int, people: int) -> str:
    return (
        f"Напоминание отправлено {schools} {plural(schools, 'школе', 'школам', 'школам')}: "
        f"{people} {plural(people, 'получатель', 'получателя', 'получателей')}."
    )
