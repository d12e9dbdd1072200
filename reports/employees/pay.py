"""The monthly register of mentoring pay for the accountant.

A mentor is paid for an assignment under its additional agreement once an approved order
«Об установлении выплаты за наставничество» lists the mentor. The month's amount is the agreed
monthly sum times the calendar days of the month in mentoring over the days of the month: a pair
that started on the 10th is paid from the 10th; an assignment that ended (early or as planned)
is paid up to its last day.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mentorship.employment import AdditionalAgreement
from mentorship.models import Pair
from mentorship.services_employees import month_bounds
from organisations.models import Organisation
from reports.orders.models import Order

PAY_ORDER_KIND = "mentoring_pay"
CENTS = Decimal("0.01")


@dataclass
class PayRow:
    mentor: str
    position: str
    agreement: str
    order: str
    monthly: Decimal
    first_day: datetime.date
    last_day: datetime.date
    days: int
    month_days: int
    amount: Decimal
    ended: str


def _last_day(agreement: AdditionalAgreement) -> tuple[datetime.date, str]:
    """The last day of mentoring under the agreement, and why it ended early if it did."""
    pair = agreement.pair
    last = agreement.ends_on
    reason = ""
    end = getattr(pair, "early_end", None) if _has(pair, "early_end") else None
    if end is not None and end.ends_on < last:
        last = end.ends_on
        reason = end.get_initiator_display()
    if pair.status == Pair.Status.CLOSED and pair.closed_on and pair.closed_on < last:
        last = pair.closed_on
        reason = reason or pair.get_outcome_display()
    return last, reason


def _has(obj, name: str) -> bool:
    try:
        getattr(obj, name)
    except AttributeError:
        return False
    return True


def pay_orders_by_mentor(*, organisation: Organisation, until: datetime.date) -> dict[int, Order]:
    """The latest approved pay order listing each mentor, approved by the day given."""
    orders = (
        Order.objects.filter(
            organisation=organisation, kind=PAY_ORDER_KIND, status=Order.Status.APPROVED, approved_on__lte=until
        )
        .prefetch_related("people")
        .order_by("approved_on", "number")
    )
    result: dict[int, Order] = {}
    for order in orders:
        for person in order.people.all():
            result[person.pk] = order
    return result


def pay_register(*, organisation: Organisation, year: int, month: int) -> tuple[list[PayRow], list[str]]:
    """(the month's rows, the mentors left out for want of a pay order)."""
    start, end = month_bounds(year, month)
    month_days = (end - start).days + 1
    orders = pay_orders_by_mentor(organisation=organisation, until=end)
    agreements = (
        AdditionalAgreement.objects.filter(organisation=organisation, starts_on__lte=end, ends_on__gte=start)
        .select_related("pair", "pair__mentor", "pair__early_end")
        .order_by("pair__mentor__last_name", "pair__mentor__first_name", "number")
    )
    rows, without_order = [], []
    for agreement in agreements:
        mentor = agreement.pair.mentor
        last, reason = _last_day(agreement)
        first = max(agreement.starts_on, start)
        last = min(last, end)
        if last < first:
            continue
        order = orders.get(mentor.pk)
        if order is None:
            without_order.append(mentor.full_name)
            continue
        days = (last - first).days + 1
        amount = (agreement.monthly_amount * days / month_days).quantize(CENTS, rounding=ROUND_HALF_UP)
        rows.append(
            PayRow(
                mentor=mentor.full_name,
                position=mentor.position,
                agreement=f"Доп. соглашение {agreement.label}",
                order=f"Приказ {order.label}",
                monthly=agreement.monthly_amount,
                first_day=first,
                last_day=last,
                days=days,
                month_days=month_days,
                amount=amount,
                ended=f"{reason} ({last:%d.%m.%Y})" if reason and last < end else "",
            )
        )
    return rows, sorted(set(without_order))


def pay_total(rows: list[PayRow]) -> Decimal:
    return sum((row.amount for row in rows), Decimal("0.00"))
