"""The life of an order: draft → submitted → approved (or returned), cancellation, numbering."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mentorship.models import IndividualPlan, Pair, Programme
from mentorship.services import pair_activate, pair_approve
from mentorship.services_plans import plan_approve
from organisations.models import Organisation
from participants.models import MentorEntry
from participants.services_bases import mentor_set_status
from reports.models import DISTRICT_ORDER_KINDS, Order, OrderKind, OrderNumberSequence, OrderPoint
from reports.orders.documents import order_snapshot
from reports.orders.drafting import DraftSubjects, fill, placeholder_values, regulation_for, template_for, with_people

EDITABLE_FIELDS = (
    "title",
    "preamble",
    "control_text",
    "curator",
    "include_regulation",
    "include_roadmap",
    "regulation_text",
)

ERROR_NOT_EDITABLE = "Приказ «{status}» изменить нельзя: утверждённый приказ отменяют или изменяют новым приказом."
ERROR_SUBMIT_STATUS = "На утверждение передают черновик или возвращённый приказ, а этот приказ «{status}»."
ERROR_APPROVE_STATUS = "Утвердить можно только приказ, переданный на утверждение, а этот приказ «{status}»."
ERROR_RETURN_STATUS = "Вернуть на доработку можно только приказ, переданный на утверждение."
ERROR_RETURN_COMMENT = "Напишите, что нужно исправить: замечание увидит составитель приказа."
ERROR_CANCEL_STATUS = "Отменить можно только утверждённый приказ."
ERROR_CANCEL_REASON = "Укажите основание отмены приказа."
ERROR_NO_POINTS = "В приказе нет ни одного пункта после «ПРИКАЗЫВАЮ»."
ERROR_NO_PAIRS = "В приказ не включено ни одной пары: отметьте пары, которые он закрепляет."
ERROR_PAIR_NOT_DRAFT = "Пара «{pair}» уже {status}: закрепить приказом можно только черновик пары."
ERROR_NO_PLANS = "В приказ не включено ни одного индивидуального плана."
ERROR_NO_MENTORS = "В приказ не включено ни одного наставника."
ERROR_NO_CURATOR = "Выберите куратора: приказ назначает его."
ERROR_NO_PEOPLE = "Выберите участников, которых приказ поощряет."
ERROR_WRONG_LEVEL = "Приказ этого вида издаёт {level}."
ERROR_SEQUENCE = "Номер не может быть меньше последнего выданного в {year} году (№ {number})."
ERROR_NUMBER_TAKEN = "Номер приказа уже занят: попробуйте утвердить ещё раз."


def _check_level(organisation: Organisation, kind: str) -> None:
    if organisation.is_district and kind not in DISTRICT_ORDER_KINDS:
        raise ValidationError(ERROR_WRONG_LEVEL.format(level="школа"))
    if not organisation.is_district and kind in DISTRICT_ORDER_KINDS:
        raise ValidationError(ERROR_WRONG_LEVEL.format(level="управление образования"))


def default_subjects(*, organisation: Organisation, kind: str, programme: Programme | None) -> dict:
    """What a new order of a kind is about, taken from the programme's current state."""
    subjects: dict = {"pairs": [], "plans": [], "mentor_entries": [], "people": [], "curator": None}
    if programme is None:
        return subjects
    subjects["curator"] = programme.curator
    if kind == OrderKind.PAIRS:
        subjects["pairs"] = list(organisation.pairs.filter(programme=programme, status=Pair.Status.DRAFT))
    elif kind == OrderKind.PLANS:
        subjects["plans"] = list(
            IndividualPlan.objects.filter(
                organisation=organisation, pair__programme=programme, status=IndividualPlan.Status.DRAFT
            ).exclude(pair__status=Pair.Status.DRAFT)
        )
    elif kind == OrderKind.MENTOR_REGISTER:
        subjects["mentor_entries"] = list(
            organisation.mentor_entries.filter(
                school_year=programme.school_year, status=MentorEntry.Status.CANDIDATE
            ).select_related("person")
        )
    return subjects


@transaction.atomic
def order_draft(
    *, organisation: Organisation, kind: str, user, programme: Programme | None = None, people: Iterable = ()
) -> Order:
    """A new draft from the organisation's template, with the programme's live data filled in."""
    _check_level(organisation, kind)
    template = template_for(organisation=organisation, kind=kind)
    subjects = default_subjects(organisation=organisation, kind=kind, programme=programme)
    curator = subjects["curator"] or (user if kind in {OrderKind.IMPLEMENTATION, OrderKind.DISTRICT_CURATOR} else None)
    people = list(people)
    values = placeholder_values(
        organisation=organisation,
        kind=kind,
        subjects=DraftSubjects(programme=programme, curator=curator, people=tuple(people)),
    )
    order = Order.objects.create(
        organisation=organisation,
        kind=kind,
        template=template,
        programme=programme,
        title=fill(template.title, values) if template else OrderKind(kind).label,
        preamble=fill(template.preamble, values) if template else "",
        control_text=template.control_text if template else "",
        curator=curator,
        include_regulation=kind in {OrderKind.IMPLEMENTATION, OrderKind.DISTRICT_IMPLEMENTATION},
        include_roadmap=kind in {OrderKind.IMPLEMENTATION, OrderKind.DISTRICT_IMPLEMENTATION},
        created_by=user,
    )
    if order.include_regulation:
        regulation = regulation_for(organisation=organisation)
        if regulation:
            order.regulation_text = fill(regulation.body, values)
            order.save(update_fields=["regulation_text"])
    order.pairs.set(subjects["pairs"])
    order.plans.set(subjects["plans"])
    order.mentor_entries.set(subjects["mentor_entries"])
    order.people.set(people)
    for position, point in enumerate(template.points if template else [], start=1):
        OrderPoint.objects.create(
            organisation=organisation,
            order=order,
            position=position,
            action=fill(point.get("action", ""), values),
            responsible=fill(point.get("responsible", ""), values),
            deadline=fill(point.get("deadline", ""), values),
        )
    return order


def _editable(order: Order) -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not order.is_editable:
        raise ValidationError(ERROR_NOT_EDITABLE.format(status=order.get_status_display()))
    return order


@transaction.atomic
def order_save(
    *,
    order: Order,
    fields: dict,
    points: Iterable[dict],
    pairs: Iterable[Pair] = (),
    plans: Iterable[IndividualPlan] = (),
    mentor_entries: Iterable[MentorEntry] = (),
    people: Iterable = (),
    partners: Iterable = (),
) -> Order:
    """Saves the editable text and subjects of a draft; points replace the old ones in the given order.

    The names of the people the order lists follow the people picked (an encouragement order).
    """
    locked = _editable(order)
    people = list(people)
    points = with_people(
        list(points), before=list(locked.people.order_by("last_name", "first_name", "patronymic")), after=people
    )
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    locked.save()
    locked.points.all().delete()
    OrderPoint.objects.bulk_create(
        OrderPoint(organisation=locked.organisation, order=locked, position=position, **point)
        for position, point in enumerate(points, start=1)
        if point.get("action", "").strip()
    )
    locked.pairs.set(pairs)
    locked.plans.set(plans)
    locked.mentor_entries.set(mentor_entries)
    locked.people.set(people)
    locked.partners.set(partners)
    return locked


def order_problems(order: Order) -> list[str]:
    """What stops the order from being submitted or approved, in Russian."""
    problems = []
    if not order.points.exists():
        problems.append(ERROR_NO_POINTS)
    if order.kind == OrderKind.PAIRS:
        pairs = list(order.pairs.select_related("mentor", "form"))
        if not pairs:
            problems.append(ERROR_NO_PAIRS)
        problems += [
            ERROR_PAIR_NOT_DRAFT.format(pair=pair, status=pair.get_status_display())
            for pair in pairs
            if pair.status != Pair.Status.DRAFT
        ]
    elif order.kind == OrderKind.PLANS and not order.plans.exists():
        problems.append(ERROR_NO_PLANS)
    elif order.kind == OrderKind.MENTOR_REGISTER and not order.mentor_entries.exists():
        problems.append(ERROR_NO_MENTORS)
    elif order.kind in {OrderKind.IMPLEMENTATION, OrderKind.DISTRICT_CURATOR} and order.curator_id is None:
        problems.append(ERROR_NO_CURATOR)
    elif order.kind == OrderKind.ENCOURAGEMENT and not (order.people.exists() or order.partners.exists()):
        problems.append(ERROR_NO_PEOPLE)
    return problems


@transaction.atomic
def order_submit(*, order: Order, user) -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not order.is_editable:
        raise ValidationError(ERROR_SUBMIT_STATUS.format(status=order.get_status_display()))
    problems = order_problems(order)
    if problems:
        raise ValidationError(problems)
    order.status = Order.Status.SUBMITTED
    order.submitted_at = timezone.now()
    order.submitted_by = user
    order.return_comment = ""
    order.save(update_fields=["status", "submitted_at", "submitted_by", "return_comment", "updated_at"])
    return order


@transaction.atomic
def order_return(*, order: Order, comment: str, user) -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != Order.Status.SUBMITTED:
        raise ValidationError(ERROR_RETURN_STATUS)
    if not comment.strip():
        raise ValidationError(ERROR_RETURN_COMMENT)
    order.status = Order.Status.RETURNED
    order.return_comment = comment.strip()
    order.save(update_fields=["status", "return_comment", "updated_at"])
    return order


def _next_number(organisation: Organisation, year: int) -> int:
    """The next register number of the year. The UPDATE takes the row lock first, so
    concurrent approvals wait for each other instead of reading the same last number."""
    try:
        with transaction.atomic():
            OrderNumberSequence.objects.get_or_create(organisation=organisation, year=year)
    except IntegrityError:
        pass  # created by a concurrent approval a moment ago
    OrderNumberSequence.objects.filter(organisation=organisation, year=year).update(last_number=F("last_number") + 1)
    return OrderNumberSequence.objects.get(organisation=organisation, year=year).last_number


def _apply_effects(order: Order, user) -> None:
    """What approval changes in the programme: pairs, register, plans, curator."""
    label = f"Приказ {order.label}"
    if order.kind == OrderKind.PAIRS:
        for pair in order.pairs.all():
            pair_approve(pair=pair, user=user, order_label=label)
            pair_activate(pair=pair, user=user)
    elif order.kind == OrderKind.PLANS:
        for plan in order.plans.all():
            plan_approve(plan=plan, user=user, on=order.approved_on)
    elif order.kind == OrderKind.MENTOR_REGISTER:
        for entry in order.mentor_entries.filter(status=MentorEntry.Status.CANDIDATE):
            mentor_set_status(entry=entry, status=MentorEntry.Status.APPROVED, user=user, on=order.approved_on)
    elif order.kind == OrderKind.IMPLEMENTATION and order.programme_id and order.curator_id:
        Programme.objects.filter(pk=order.programme_id).update(curator=order.curator_id)


@transaction.atomic
def order_approve(*, order: Order, user, on: datetime.date | None = None) -> Order:
    """Submitted → approved: the date, the next number of the register, the frozen appendices,
    and the order's effects, all or nothing."""
    order = Order.objects.select_for_update().select_related("organisation").get(pk=order.pk)
    if order.status != Order.Status.SUBMITTED:
        raise ValidationError(ERROR_APPROVE_STATUS.format(status=order.get_status_display()))
    problems = order_problems(order)
    if problems:
        raise ValidationError(problems)
    organisation = order.organisation
    on = on or timezone.localdate()
    order.number_year = on.year
    order.number = _next_number(organisation, on.year)
    order.number_label = f"{order.number}{organisation.order_number_suffix}"
    order.approved_on = on
    order.approved_at = timezone.now()
    order.approved_by = user
    order.signer_position = organisation.director_position
    order.signer_name = organisation.director_name or user.display_name
    order.status = Order.Status.APPROVED
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError as error:
        raise ValidationError(ERROR_NUMBER_TAKEN) from error
    _apply_effects(order, user)
    order.snapshot = order_snapshot(order)
    order.save(update_fields=["snapshot"])
    return order


@transaction.atomic
def order_cancel(*, order: Order, reason: str, user) -> Order:
    """An approved order is never edited; it is cancelled (its effects stay: a new order changes them)."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != Order.Status.APPROVED:
        raise ValidationError(ERROR_CANCEL_STATUS)
    if not reason.strip():
        raise ValidationError(ERROR_CANCEL_REASON)
    order.status = Order.Status.CANCELLED
    order.cancelled_at = timezone.now()
    order.cancel_reason = reason.strip()
    order.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    return order


@transaction.atomic
def order_amend(*, order: Order, user) -> Order:
    """A new draft of the same kind that amends an approved order, starting from its text."""
    if order.status != Order.Status.APPROVED:
        raise ValidationError("Изменить новым приказом можно только утверждённый приказ.")
    draft = Order.objects.create(
        organisation=order.organisation,
        kind=order.kind,
        template=order.template,
        programme=order.programme,
        title=f"О внесении изменений в приказ {order.label}",
        preamble=order.preamble,
        control_text=order.control_text,
        curator=order.curator,
        amends=order,
        created_by=user,
    )
    OrderPoint.objects.bulk_create(
        OrderPoint(
            organisation=order.organisation,
            order=draft,
            position=point.position,
            action=point.action,
            responsible=point.responsible,
            deadline=point.deadline,
        )
        for point in order.points.all()
    )
    return draft


@transaction.atomic
def sequence_set(*, organisation: Organisation, year: int, last_number: int) -> OrderNumberSequence:
    """Where the register stands: schools come to us mid-year with orders already numbered on paper."""
    sequence, _ = OrderNumberSequence.objects.select_for_update().get_or_create(organisation=organisation, year=year)
    used = (
        Order.objects.filter(organisation=organisation, number_year=year, number__isnull=False)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    if used and last_number < used:
        raise ValidationError(ERROR_SEQUENCE.format(year=year, number=used))
    sequence.last_number = last_number
    sequence.save(update_fields=["last_number"])
    return sequence
