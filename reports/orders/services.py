"""The life of an order: draft → (visas →) submitted → approved (or returned), cancellation, numbering.

The visas between submission and the director are the organisation's approval route
(reports.orders.route); an organisation without a route sends orders straight to the director."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mentorship.models import IndividualPlan, Pair, Programme
from organisations.models import Organisation
from participants.models import MentorEntry
from reports.orders.consistency import point_date_problems
from reports.orders.documents import order_pdf, order_snapshot
from reports.orders.drafting import (
    DraftSubjects,
    fill,
    placeholder_values,
    regulation_for,
    template_text_for,
    with_people,
    with_period,
)
from reports.orders.kinds import OrderType, order_type, order_type_of
from reports.orders.models import Order, OrderNumberSequence, OrderPoint
from reports.orders.notifications import (
    notify_order_approved,
    notify_order_awaiting,
    notify_order_returned,
    order_approvers,
)
from reports.orders.route import route_blocks_approval, visas_reset, visas_restart, visas_start
from reports.orders.verification import approved_pdf_store, new_token, verification_url

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
ERROR_RETURN_STATUS = "Вернуть на доработку можно только приказ, переданный на согласование или утверждение."
ERROR_RETURN_COMMENT = "Напишите, что нужно исправить: замечание увидит составитель приказа."
ERROR_CANCEL_STATUS = "Отменить можно только утверждённый приказ."
ERROR_CANCEL_REASON = "Укажите основание отмены приказа."
ERROR_NO_POINTS = "В приказе нет ни одного пункта после «ПРИКАЗЫВАЮ»."
ERROR_UNKNOWN_KIND = "Неизвестный вид приказа."
ERROR_WRONG_LEVEL = "Приказ этого вида издаёт {level}."
ERROR_SEQUENCE = "Номер не может быть меньше последнего выданного в {year} году (№ {number})."
ERROR_NUMBER_TAKEN = "Номер приказа уже занят: попробуйте утвердить ещё раз."
ERROR_ESIGN_STATUS = "Отметку об электронной подписи ставят на утверждённый приказ, а этот приказ «{status}»."
ERROR_ESIGN_TWICE = "Приказ уже отмечен как подписанный электронной подписью (сертификат {certificate})."
ERROR_ESIGN_FIELDS = "Укажите {what} сертификата электронной подписи."
ERROR_ESIGN_PERIOD = "Сертификат не может быть действителен по {to}, раньше начала срока {since}."
ERROR_ESIGN_OUTSIDE = (
    "Сертификат действителен с {since} по {to}, а приказ подписан {on}: подпись на эту дату недействительна."
)


def _declared(organisation: Organisation, kind: str) -> OrderType:
    """The type's declaration, if the organisation's level issues orders of it."""
    try:
        declared = order_type(kind)
    except LookupError as error:
        raise ValidationError(ERROR_UNKNOWN_KIND) from error
    if organisation.is_authority and not declared.district:
        raise ValidationError(ERROR_WRONG_LEVEL.format(level="школа"))
    if not organisation.is_authority and declared.district:
        raise ValidationError(ERROR_WRONG_LEVEL.format(level="управление образования"))
    return declared


def default_subjects(*, organisation: Organisation, kind: str, programme: Programme | None) -> dict:
    """What a new order of a kind is about, taken from the programme's current state."""
    subjects: dict = {"pairs": [], "plans": [], "mentor_entries": [], "people": [], "curator": None}
    if programme is None:
        return subjects
    subjects["curator"] = programme.curator
    declared = order_type(kind)
    if declared.default_subjects is not None:
        subjects.update(declared.default_subjects(organisation, programme))
    return subjects


@transaction.atomic
def order_draft(
    *, organisation: Organisation, kind: str, user, programme: Programme | None = None, people: Iterable = ()
) -> Order:
    """A new draft from the organisation's template, with the programme's live data filled in."""
    declared = _declared(organisation, kind)
    template, text = template_text_for(organisation=organisation, kind=kind)
    subjects = default_subjects(organisation=organisation, kind=kind, programme=programme)
    curator = subjects["curator"] or (user if declared.author_is_curator else None)
    people = list(people)
    values = placeholder_values(
        organisation=organisation,
        kind=kind,
        subjects=DraftSubjects(
            programme=programme, curator=curator, people=tuple(people), pairs=tuple(subjects["pairs"])
        ),
    )
    order = Order.objects.create(
        organisation=organisation,
        kind=kind,
        template=template,
        programme=programme,
        title=fill(text.title, values) if text else declared.title,
        preamble=fill(text.preamble, values) if text else "",
        control_text=text.control_text if text else "",
        curator=curator,
        include_regulation=declared.appends_regulation,
        include_roadmap=declared.appends_roadmap,
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
    for position, point in enumerate(text.points if text else [], start=1):
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
    An order on visas may be edited too: the visas given are taken back and the route starts again.
    """
    locked = _editable(order)
    visas_restart(locked)
    people = list(people)
    points = with_people(
        list(points), before=list(locked.people.order_by("last_name", "first_name", "patronymic")), after=people
    )
    pairs = list(pairs)
    # The period a point names follows the pairs picked, as the pairs appendix does.
    points = with_period(points, programme=locked.programme, before=list(locked.pairs.all()), after=pairs)
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
    problems += order_type_of(order).problems(order)
    problems += point_date_problems(order)
    return problems


@transaction.atomic
def order_submit(*, order: Order, user) -> Order:
    """Draft or returned → on visas (the route's first visa waits), or straight to the director
    when the organisation's route has no step for this kind of order."""
    order = Order.objects.select_for_update().select_related("organisation").get(pk=order.pk)
    if order.status not in {Order.Status.DRAFT, Order.Status.RETURNED}:
        raise ValidationError(ERROR_SUBMIT_STATUS.format(status=order.get_status_display()))
    problems = order_problems(order)
    if problems:
        raise ValidationError(problems)
    order.submitted_at = timezone.now()
    order.submitted_by = user
    order.return_comment = ""
    # The route's first visa holders are told by visas_start; without visas, the director.
    order.status = Order.Status.VISAS if visas_start(order) else Order.Status.SUBMITTED
    order.save(update_fields=["status", "submitted_at", "submitted_by", "return_comment", "updated_at"])
    if order.status == Order.Status.SUBMITTED:
        notify_order_awaiting(order, [approver for approver in order_approvers(order) if approver != user])
    return order


@transaction.atomic
def order_return(*, order: Order, comment: str, user) -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status not in {Order.Status.SUBMITTED, Order.Status.VISAS}:
        raise ValidationError(ERROR_RETURN_STATUS)
    if not comment.strip():
        raise ValidationError(ERROR_RETURN_COMMENT)
    order.status = Order.Status.RETURNED
    order.return_comment = comment.strip()
    order.returned_by = user
    order.save(update_fields=["status", "return_comment", "returned_by", "updated_at"])
    visas_reset(order)
    notify_order_returned(order, by=user)
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


def _approved_file_keep(order: Order) -> None:
    """Renders the approved order once and keeps the file and its SHA-256 (reports.orders.verification)."""
    approved_pdf_store(order, order_pdf(order))
    order.save(update_fields=["approved_pdf", "approved_pdf_sha256"])


def order_verification_issue(*, order: Order, absolute_url=None) -> Order:
    """The QR code's token and link (ГОСТ Р 7.0.97-2025) and the approved file; called at approval
    (and by the demo for orders recorded as approved on paper)."""
    order.verification_token = new_token()
    order.verification_url = verification_url(order.verification_token, absolute_url=absolute_url)
    order.save(update_fields=["verification_token", "verification_url"])
    _approved_file_keep(order)
    return order


@transaction.atomic
def order_file_keep(*, order: Order, absolute_url=None) -> Order:
    """An order approved before the product kept files (or recorded as approved by the demo) gets its
    QR code and its file on the first download; from then on that file is served, like any other."""
    order = Order.objects.select_for_update().select_related("organisation").get(pk=order.pk)
    if order.approved_pdf or order.status not in {Order.Status.APPROVED, Order.Status.CANCELLED}:
        return order
    if not order.verification_token:
        return order_verification_issue(order=order, absolute_url=absolute_url)
    _approved_file_keep(order)
    return order


@transaction.atomic
def order_approve(*, order: Order, user, on: datetime.date | None = None, absolute_url=None) -> Order:
    """Submitted → approved: the date, the next number of the register, the frozen appendices,
    the order's effects, the QR code's verification link and the approved PDF, all or nothing.
    ``absolute_url`` turns the link's path into the address the QR code prints (the request's)."""
    order = Order.objects.select_for_update().select_related("organisation").get(pk=order.pk)
    if order.status == Order.Status.VISAS:
        raise ValidationError(route_blocks_approval(order))
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
    order_type_of(order).apply_effects(order, user)
    order.snapshot = order_snapshot(order)
    order.save(update_fields=["snapshot"])
    order_verification_issue(order=order, absolute_url=absolute_url)
    notify_order_approved(order, by=user)
    return order


@transaction.atomic
def order_esign_mark(
    *,
    order: Order,
    certificate: str,
    owner: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    user,
) -> Order:
    """Records that the director signed the approved order with an electronic signature: the PDF
    then shows the mark in the signature's place, and is kept again (the page shows its new hash)."""
    order = Order.objects.select_for_update().select_related("organisation").get(pk=order.pk)
    if order.status != Order.Status.APPROVED:
        raise ValidationError(ERROR_ESIGN_STATUS.format(status=order.get_status_display()))
    if order.is_esigned:
        raise ValidationError(ERROR_ESIGN_TWICE.format(certificate=order.esign_certificate))
    certificate, owner = " ".join(certificate.split()), " ".join(owner.split())
    missing = [
        what
        for what, value in (
            ("серийный номер", certificate),
            ("владельца", owner),
            ("начало срока действия", valid_from),
            ("конец срока действия", valid_to),
        )
        if not value
    ]
    if missing:
        raise ValidationError(ERROR_ESIGN_FIELDS.format(what=", ".join(missing)))
    if valid_to < valid_from:
        raise ValidationError(ERROR_ESIGN_PERIOD.format(to=f"{valid_to:%d.%m.%Y}", since=f"{valid_from:%d.%m.%Y}"))
    if not valid_from <= order.approved_on <= valid_to:
        raise ValidationError(
            ERROR_ESIGN_OUTSIDE.format(
                since=f"{valid_from:%d.%m.%Y}", to=f"{valid_to:%d.%m.%Y}", on=f"{order.approved_on:%d.%m.%Y}"
            )
        )
    order.esign_certificate = certificate
    order.esign_owner = owner
    order.esign_valid_from = valid_from
    order.esign_valid_to = valid_to
    order.save(update_fields=["esign_certificate", "esign_owner", "esign_valid_from", "esign_valid_to", "updated_at"])
    if not order.verification_token:
        order_verification_issue(order=order)
    else:
        _approved_file_keep(order)
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
