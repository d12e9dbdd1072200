"""Reads of individual plans: fulfilment counted in the database."""

from django.db.models import Count, Prefetch, Q

from .models import Pair, PairMentee


def with_mentees(pairs):
    """Prefetches each pair's mentees as ``pair.mentee_list`` (one query for any number of pairs)."""
    links = PairMentee.objects.select_related("mentee").order_by("mentee__last_name", "mentee__first_name")
    return pairs.prefetch_related(Prefetch("pair_mentees", queryset=links, to_attr="mentee_links"))


def pairs_with_plan_fulfilment(pairs):
    """Annotates ``items_total``, ``items_done`` and the plan's status and id (None without a plan)."""
    return pairs.annotate(
        items_total=Count("plan__items"),
        items_done=Count("plan__items", filter=Q(plan__items__done=True)),
    ).select_related("mentor", "form", "programme", "plan")


def school_plans(*, organisation, status: str = ""):
    """Pairs of the school (not drafts) with their plans' fulfilment, for the plans list."""
    pairs = organisation.pairs.exclude(status=Pair.Status.DRAFT)
    if status in Pair.Status.values:
        pairs = pairs.filter(status=status)
    return with_mentees(pairs_with_plan_fulfilment(pairs)).order_by("mentor__last_name", "mentor__first_name", "pk")
