"""Reads of individual plans: fulfilment counted in the database.

Plan fulfilment has one definition (DESIGN.md §5): done items / planned items of the plan, in
whole percent rounded half up (organisations.figures). The plans list, the pair's plan page and
PDF, «Мои пары», the mentor's portfolio, the plan-fulfilment XLSX and the KPI
(reports.analytics.formulas.PLAN_FULFILMENT) all count ``PLAN_ITEM_DONE`` over every item.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from organisations.figures import whole_percent
from participants.models import ConsentPurpose
from participants.selectors import valid_consent_exists

from .models import Pair, PairMentee

# An item counts as done when it is marked done; nothing else (its date, a comment) matters.
PLAN_ITEM_DONE = Q(done=True)


def mentor_own_pairs(pairs, *, user):
    """The pairs of the mentor whose person record is the user's, as far as the consents allow: a
    partner organisation's employee sees a pair only when each of its mentees has a valid consent
    to the transfer to that partner (participants.selectors.valid_consent_exists, the one rule)."""
    without_consent = PairMentee.objects.filter(pair=OuterRef("pk")).exclude(
        valid_consent_exists(
            purpose=ConsentPurpose.PARTNER_TRANSFER, person_field="mentee", partner_field="pair__mentor__partner"
        )
    )
    return pairs.filter(mentor__user=user).filter(Q(mentor__partner__isnull=True) | ~Exists(without_consent))


def fulfilment_percent(done: int, total: int) -> int | None:
    """Done items / planned items in whole percent, half up (5 of 8 → 63 %); None without items."""
    return whole_percent(done, total)


def plan_item_counts(prefix: str = "plan__items") -> dict:
    """The annotations ``items_total`` and ``items_done`` of pairs (distinct: safe beside other joins)."""
    done = Q(**{f"{prefix}__done": True})  # PLAN_ITEM_DONE through the join
    return {
        "items_total": Count(prefix, distinct=True),
        "items_done": Count(prefix, filter=done, distinct=True),
    }


def with_mentees(pairs):
    """Prefetches each pair's mentees as ``pair.mentee_list`` (one query for any number of pairs)."""
    links = PairMentee.objects.select_related("mentee").order_by("mentee__last_name", "mentee__first_name")
    return pairs.prefetch_related(Prefetch("pair_mentees", queryset=links, to_attr="mentee_links"))


def pairs_with_plan_fulfilment(pairs):
    """Annotates ``items_total``, ``items_done`` and the plan's status and id (None without a plan)."""
    return pairs.annotate(**plan_item_counts()).select_related("mentor", "form", "programme", "plan")


def school_plans(*, organisation, status: str = ""):
    """Pairs of the school (not drafts) with their plans' fulfilment, for the plans list."""
    pairs = organisation.pairs.exclude(status=Pair.Status.DRAFT)
    if status in Pair.Status.values:
        pairs = pairs.filter(status=status)
    return with_mentees(pairs_with_plan_fulfilment(pairs)).order_by("mentor__last_name", "mentor__first_name", "pk")
