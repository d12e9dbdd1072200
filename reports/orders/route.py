"""The approval route of orders (маршрут согласования): the organisation's steps, an order's visas.

An organisation lists its steps (ApprovalStep); on submission an order gets one visa per step that
its type needs (OrderVisa) and goes to them in order (status «на согласовании»), then to the
director (status «на утверждении»), who alone gives it the register number (reports.orders.services).
A return with a comment sends the order back to its author; an edit while on visas takes the
visas given back, so the route starts again.

Every change of an order's visas locks the order's row first (select_for_update), then its visas:
two people pressing «Согласовать» at the same moment queue, and the second sees the visa given.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organisations.models import Membership, Organisation
from organisations.roles import ROLE_CAPABILITIES, Role
from reports.orders.kinds import order_types
from reports.orders.models import ApprovalStep, Order, OrderVisa
from reports.orders.notifications import (
    notify_order_awaiting,
    notify_order_returned,
    order_approvers,
    settle_order_awaiting,
)

VISA = "orders.visa"

ERROR_STEP_EMPTY = "Шаг {number}: выберите роль или сотрудника."
ERROR_STEP_BOTH = "Шаг {number}: укажите либо роль, либо сотрудника, не то и другое сразу."
ERROR_STEP_ROLE = "Шаг {number}: роль «{role}» не согласует приказы."
ERROR_STEP_USER = "Шаг {number}: {name} не может согласовывать приказы в этой организации."
ERROR_STEP_KIND = "Шаг {number}: неизвестный вид приказа «{kind}»."
ERROR_STEP_TWICE = "Шаг {number} повторяет шаг {first}: один согласующий визирует приказ один раз."
ERROR_VISA_STATUS = "Визу дают приказу на согласовании, а этот приказ «{status}»."
ERROR_VISA_GIVEN = "Эту визу уже дал {who} {when}: страница устарела, посмотрите приказ ещё раз."
ERROR_VISA_TURN = "Сейчас очередь другой визы: «{step}». Посмотрите приказ ещё раз."
ERROR_VISA_NOT_YOURS = "Сейчас очередь визы «{step}», её даёт не ваша роль."
ERROR_VISA_COMMENT = "Напишите замечание: его увидит составитель приказа."
ERROR_ON_VISAS = "Приказ ещё на согласовании: ждёт визы «{step}»."


# A visa taken back: not given, not waiting.
TAKEN_BACK = {
    "status": OrderVisa.Status.PENDING,
    "turn_at": None,
    "decided_by": None,
    "decided_at": None,
    "comment": "",
}


def visa_roles() -> list[str]:
    """The roles that may be a step of a route: those holding the visa capability."""
    return [role for role in Role.values if VISA in ROLE_CAPABILITIES[role]]


def route_members(organisation: Organisation):
    """The organisation's users who may be named on a route (one of their roles gives visas)."""
    return (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, memberships__role__in=visa_roles())
        .distinct()
        .order_by("last_name", "first_name", "patronymic")
    )


@dataclass(frozen=True)
class StepRow:
    """One step as the route form gives it."""

    role: str = ""
    user: object = None
    skip_kinds: tuple[str, ...] = ()


@transaction.atomic
def route_save(*, organisation: Organisation, steps: Iterable[StepRow]) -> list[ApprovalStep]:
    """Replaces the organisation's route with these steps, in this order; all or nothing.

    Orders already on visas keep the visas they were given on submission."""
    steps = list(steps)
    kinds = {t.code for t in order_types(district=organisation.is_district)}
    roles = set(visa_roles())
    members = set(route_members(organisation).values_list("pk", flat=True))
    problems: list[str] = []
    seen: dict[object, int] = {}
    for number, step in enumerate(steps, start=1):
        if not step.role and step.user is None:
            problems.append(ERROR_STEP_EMPTY.format(number=number))
            continue
        if step.role and step.user is not None:
            problems.append(ERROR_STEP_BOTH.format(number=number))
            continue
        if step.role and step.role not in roles:
            problems.append(ERROR_STEP_ROLE.format(number=number, role=Role(step.role).label))
        if step.user is not None and step.user.pk not in members:
            problems.append(ERROR_STEP_USER.format(number=number, name=step.user.display_name))
        problems += [ERROR_STEP_KIND.format(number=number, kind=kind) for kind in step.skip_kinds if kind not in kinds]
        key = step.role or step.user.pk
        if key in seen:
            problems.append(ERROR_STEP_TWICE.format(number=number, first=seen[key]))
        seen.setdefault(key, number)
    if problems:
        raise ValidationError(problems)
    ApprovalStep.objects.filter(organisation=organisation).delete()
    return ApprovalStep.objects.bulk_create(
        ApprovalStep(
            organisation=organisation,
            position=position,
            role=step.role,
            user=step.user if not step.role else None,
            skip_kinds=sorted(step.skip_kinds),
        )
        for position, step in enumerate(steps, start=1)
    )


def route_of(organisation: Organisation, kind: str) -> list[ApprovalStep]:
    """The steps an order of this kind goes through before the director."""
    steps = ApprovalStep.objects.filter(organisation=organisation).order_by("position", "pk")
    return [step for step in steps if step.applies_to(kind)]


def holders_of(visa: OrderVisa):
    """Who may give this visa now: the named person, or every member holding the step's role."""
    users = get_user_model().objects.filter(is_active=True)
    if visa.user_id:
        return users.filter(pk=visa.user_id)
    return users.filter(memberships__organisation_id=visa.organisation_id, memberships__role=visa.role).distinct()


def may_give(visa: OrderVisa, user, roles: Iterable[str]) -> bool:
    """Whether ``user``, holding ``roles`` in the visa's organisation, may give this visa."""
    if visa.user_id:
        return visa.user_id == user.pk
    return visa.role in set(roles)


def _roles_of(user, organisation_id: int) -> set[str]:
    return set(Membership.objects.filter(user=user, organisation_id=organisation_id).values_list("role", flat=True))


# What happens when the route moves: the notifications (reports.orders.notifications), sent inside
# the transaction that moves the route, like every order notice.
def _turn_reached(order: Order, visa: OrderVisa, *, again: str = "") -> None:
    """The order now waits for ``visa``: its holders are told («Приказ … ждёт вашей визы»); the
    notices of the step before are done. ``again`` tells a restarted route from the first pass."""
    settle_order_awaiting(order)
    notify_order_awaiting(order, list(holders_of(visa)), step=f"visa-{visa.position}{again}")


def _director_reached(order: Order) -> None:
    """The visas are all given: the order waits for those who approve orders («ждёт вашей подписи»)."""
    settle_order_awaiting(order)
    notify_order_awaiting(order, order_approvers(order))


def _returned(order: Order, by) -> None:
    """A visa returned the order: its author is told (reports.orders.notifications)."""
    notify_order_returned(order, by=by)


def visas_start(order: Order) -> bool:
    """Called by order_submit with the order locked: the order's visas made afresh from the route.

    True when the order goes on visas, False when the route has no steps for its kind (it goes
    straight to the director, as before routes existed)."""
    order.visas.all().delete()
    steps = route_of(order.organisation, order.kind)
    if not steps:
        return False
    now = timezone.now()
    visas = OrderVisa.objects.bulk_create(
        OrderVisa(
            organisation_id=order.organisation_id,
            order=order,
            position=position,
            role=step.role,
            user_id=step.user_id,
            status=OrderVisa.Status.WAITING if position == 1 else OrderVisa.Status.PENDING,
            turn_at=now if position == 1 else None,
        )
        for position, step in enumerate(steps, start=1)
    )
    _turn_reached(order, visas[0])
    return True


def visas_restart(order: Order) -> None:
    """Called by order_save with the order locked: an edit takes back every visa given."""
    if order.status != Order.Status.VISAS:
        return
    visas = list(order.visas.select_for_update().order_by("position"))
    if not visas:
        return
    given = any(visa.status == OrderVisa.Status.AGREED for visa in visas)
    order.visas.update(**TAKEN_BACK)
    order.visas.filter(pk=visas[0].pk).update(status=OrderVisa.Status.WAITING, turn_at=timezone.now())
    if given:
        _turn_reached(order, visas[0], again=f"-{timezone.now():%Y%m%d%H%M%S%f}")


def visas_reset(order: Order) -> None:
    """Called when the director returns the order: the visas given are taken back."""
    order.visas.update(**TAKEN_BACK)


def waiting_visa(order: Order) -> OrderVisa | None:
    """The visa whose turn it is, or None."""
    return order.visas.filter(status=OrderVisa.Status.WAITING).first()


def _locked(order: Order, user, visa_pk: int | None) -> tuple[Order, OrderVisa]:
    """The order and its waiting visa, both locked; the checks every decision shares."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    visas = list(order.visas.select_for_update(of=("self",)).select_related("decided_by").order_by("position"))
    if visa_pk is not None:
        asked = next((visa for visa in visas if visa.pk == visa_pk), None)
        if asked is not None and asked.status in {OrderVisa.Status.AGREED, OrderVisa.Status.RETURNED}:
            raise ValidationError(
                ERROR_VISA_GIVEN.format(
                    who=asked.decided_by.display_name if asked.decided_by else "другой сотрудник",
                    when=timezone.localtime(asked.decided_at).strftime("%d.%m.%Y %H:%M"),
                )
            )
    if order.status != Order.Status.VISAS:
        raise ValidationError(ERROR_VISA_STATUS.format(status=order.get_status_display()))
    visa = next((visa for visa in visas if visa.status == OrderVisa.Status.WAITING), None)
    if visa is None or (visa_pk is not None and visa.pk != visa_pk):
        raise ValidationError(ERROR_VISA_TURN.format(step=visa.step_label if visa else ""))
    if not may_give(visa, user, _roles_of(user, order.organisation_id)):
        raise ValidationError(ERROR_VISA_NOT_YOURS.format(step=visa.step_label))
    return order, visa


@transaction.atomic
def visa_agree(*, order: Order, user, visa_pk: int | None = None) -> OrderVisa:
    """The waiting visa is given; the turn passes to the next visa, or the order to the director.

    ``visa_pk`` is the visa the person saw on the page: if someone gave it meanwhile, nothing changes."""
    order, visa = _locked(order, user, visa_pk)
    visa.status = OrderVisa.Status.AGREED
    visa.decided_by = user
    visa.decided_at = timezone.now()
    visa.comment = ""
    visa.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    following = order.visas.filter(position__gt=visa.position).order_by("position").first()
    if following is not None:
        following.status = OrderVisa.Status.WAITING
        following.turn_at = timezone.now()
        following.save(update_fields=["status", "turn_at"])
        _turn_reached(order, following)
    else:
        order.status = Order.Status.SUBMITTED
        order.save(update_fields=["status", "updated_at"])
        _director_reached(order)
    return visa


@transaction.atomic
def visa_return(*, order: Order, user, comment: str, visa_pk: int | None = None) -> OrderVisa:
    """The waiting visa returns the order to its author with a comment; the route starts again
    on the next submission (the visas given so far are taken back)."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(ERROR_VISA_COMMENT)
    order, visa = _locked(order, user, visa_pk)
    order.visas.exclude(pk=visa.pk).update(**TAKEN_BACK)
    visa.status = OrderVisa.Status.RETURNED
    visa.decided_by = user
    visa.decided_at = timezone.now()
    visa.comment = comment
    visa.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    order.status = Order.Status.RETURNED
    order.return_comment = comment
    order.returned_by = user
    order.save(update_fields=["status", "return_comment", "returned_by", "updated_at"])
    _returned(order, by=user)
    return visa


def route_blocks_approval(order: Order) -> str:
    """Why the director may not approve yet (the order is still on visas), or ''."""
    if order.status != Order.Status.VISAS:
        return ""
    visa = waiting_visa(order)
    return ERROR_ON_VISAS.format(step=visa.step_label if visa else "")
