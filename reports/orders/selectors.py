"""Reused reads of orders: the visas waiting for a person, the orders waiting for the director."""

from django.db.models import Q, QuerySet

from organisations.models import Membership, Organisation
from reports.orders.models import Order, OrderVisa


def visas_waiting_for(user, organisation: Organisation) -> QuerySet[OrderVisa]:
    """The visas whose turn it is and which ``user`` gives in ``organisation`` (named on the step,
    or holding its role), the longest waiting first (``visa.turn_at``: since when it waits);
    ``visa.order`` and its submitter come with them, so a list of any length is one query."""
    roles = Membership.objects.filter(user=user, organisation=organisation).values("role")
    return (
        OrderVisa.objects.filter(
            organisation=organisation, status=OrderVisa.Status.WAITING, order__status=Order.Status.VISAS
        )
        .filter(Q(user=user) | Q(user__isnull=True, role__in=roles))
        .select_related("order", "order__submitted_by", "order__created_by", "user")
        .order_by("turn_at", "order_id")
    )


def orders_awaiting_approval(organisation: Organisation) -> QuerySet[Order]:
    """Orders whose visas are all given (or that needed none), waiting for the director."""
    return (
        organisation.orders.filter(status=Order.Status.SUBMITTED)
        .select_related("submitted_by")
        .order_by("submitted_at", "pk")
    )
