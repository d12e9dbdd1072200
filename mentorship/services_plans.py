"""Individual plans of pairs and groups: who may edit which plan, saving items, approval."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from organisations.tenancy import Access

from .models import IndividualPlan, Pair, PlanItem
from .selectors_plans import mentor_own_pairs

ERROR_PLAN_EMPTY = "Нельзя утвердить пустой план: добавьте хотя бы одно мероприятие."
ERROR_PLAN_APPROVED = "План уже утверждён."
ERROR_PAIR_DRAFT = "План утверждается только для пары, закреплённой приказом или уже работающей."
ERROR_NO_ACCESS = "Недостаточно прав: индивидуальные планы ведут методист, куратор и наставник своей пары."
ERROR_ITEM_NO_ACTIVITY = "Укажите мероприятие."

PLAN_FIELDS = ("goals", "tasks")
ITEM_FIELDS = ("activity", "due_on", "work_form", "expected_result", "done", "comment")


def plan_pairs(*, access: Access, user):
    """The pairs whose plans the user may edit: every pair of the school with «plans.edit»,
    a mentor's own pairs with «meetings.log» (PermissionDenied for anyone else)."""
    pairs = access.organisation.pairs.all()
    if access.can("plans.edit"):
        return pairs
    if access.can("meetings.log"):
        return mentor_own_pairs(pairs, user=user)
    raise PermissionDenied(ERROR_NO_ACCESS)


def plan_for_pair(*, pair: Pair) -> IndividualPlan:
    """The pair's plan, made empty on first use."""
    plan, _ = IndividualPlan.objects.get_or_create(pair=pair, defaults={"organisation_id": pair.organisation_id})
    return plan


@transaction.atomic
def plan_save(*, plan: IndividualPlan, goals: str, tasks: str, items: list[dict], deleted_ids=()) -> IndividualPlan:
    """Saves goals, tasks and items in one go.

    ``items`` are dicts with ITEM_FIELDS and an optional ``id`` of an existing item of this
    plan; their order is the order of the plan. ``done_on`` is set the day an item is marked done.
    """
    plan.goals, plan.tasks = goals.strip(), tasks.strip()
    plan.save(update_fields=["goals", "tasks", "updated_at"])
    existing = {item.pk: item for item in plan.items.all()}
    for pk in deleted_ids:
        if pk in existing:
            existing.pop(pk).delete()
    today = timezone.localdate()
    for position, data in enumerate(items, start=1):
        if not (data.get("activity") or "").strip():
            raise ValidationError({"activity": ERROR_ITEM_NO_ACTIVITY})
        item = existing.get(data.get("id")) or PlanItem(organisation_id=plan.organisation_id, plan=plan)
        was_done = item.done
        for field in ITEM_FIELDS:
            setattr(item, field, data.get(field, getattr(item, field)))
        item.activity = item.activity.strip()
        item.position = position
        if item.done and not was_done:
            item.done_on = item.done_on or today
        elif not item.done:
            item.done_on = None
        item.full_clean(exclude=["plan", "organisation"])
        item.save()
    return plan


@transaction.atomic
def plan_approve(*, plan: IndividualPlan, user, on: datetime.date) -> IndividualPlan:
    """Marks the plan approved on the day of the order (the orders module calls this).

    ``user`` is who approved it: kept for the caller's journal; the plan stores the date.
    """
    plan = IndividualPlan.objects.select_for_update().select_related("pair").get(pk=plan.pk)
    if plan.status == IndividualPlan.Status.APPROVED:
        raise ValidationError(ERROR_PLAN_APPROVED)
    if plan.pair.status == Pair.Status.DRAFT:
        raise ValidationError(ERROR_PAIR_DRAFT)
    if not plan.items.exists():
        raise ValidationError(ERROR_PLAN_EMPTY)
    plan.status = IndividualPlan.Status.APPROVED
    plan.approved_on = on
    plan.save(update_fields=["status", "approved_on", "updated_at"])
    return plan
