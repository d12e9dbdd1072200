"""Demo orders that tell the same story as the demo programmes (mentorship/demo.py).

The programmes' pairs, plans and register were approved «on paper» before the orders module
knew of them, so these orders are recorded as approved on those days (with the numbers the
demo programmes cite), without applying their effects again. What is still ahead is left as a
draft or waiting for the director, so every page of the orders module has something to show.
"""

import datetime

from django.db.models import Max
from django.utils import timezone

from mentorship.demo import AT_START, FINISHED, MID_YEAR
from mentorship.models import IndividualPlan, Programme
from organisations.models import Membership, Organisation
from organisations.roles import Role
from organisations.school_year import current_school_year
from participants.models import MentorEntry
from reports.orders.documents import order_snapshot
from reports.orders.drafting import with_people
from reports.orders.kinds import order_types
from reports.orders.models import Order, OrderKind, OrderNumberSequence
from reports.orders.route import StepRow, holders_of, route_save, visa_agree, waiting_visa
from reports.orders.services import order_draft, order_submit

# The approval route of a demo school that has the people for it: методист → заместитель →
# (главный бухгалтер, for the pay orders only) → директор.
ROUTE = (Role.METHODIST, Role.DEPUTY_DIRECTOR)
PAY_KINDS = (OrderKind.MENTORING_PAY,)

K = OrderKind
# (kind, month, day, number) of the orders approved so far; None as the number leaves a draft,
# "submitted" sends it through the school's visas to the director, "visa" leaves it waiting for
# the first visa of the route.
STORIES = {
    MID_YEAR: [
        (K.IMPLEMENTATION, 9, 1, 31),
        (K.MENTOR_REGISTER, 9, 14, 38),
        (K.TRAINING, 9, 21, 41),
        (K.PAIRS, 10, 1, 45),
        (K.PLANS, 10, 12, 47),
        (K.FINAL_EVENT, 0, 0, "submitted"),
        (K.ENCOURAGEMENT, 0, 0, "visa"),
    ],
    AT_START: [
        (K.IMPLEMENTATION, 9, 1, 29),
        (K.MENTOR_REGISTER, 0, 0, None),
    ],
    FINISHED: [
        (K.IMPLEMENTATION, 9, 1, 33),
        (K.MENTOR_REGISTER, 9, 7, 35),
        (K.TRAINING, 9, 10, 36),
        (K.PAIRS, 9, 11, 38),
        (K.PLANS, 9, 21, 40),
        (K.FINAL_EVENT, 11, 18, 61),
        (K.ENCOURAGEMENT, 0, 0, None),
    ],
}


def _user(school: Organisation, role: str):
    membership = Membership.objects.filter(organisation=school, role=role).select_related("user").order_by("pk").first()
    return membership.user if membership else None


def _subjects(order: Order, programme: Programme) -> None:
    """The programme's pairs, plans and mentors, whatever their state now."""
    if order.kind == K.PAIRS:
        order.pairs.set(programme.pairs.all())
    elif order.kind == K.PLANS:
        order.plans.set(IndividualPlan.objects.filter(pair__programme=programme))
    elif order.kind == K.MENTOR_REGISTER:
        order.mentor_entries.set(
            MentorEntry.objects.filter(organisation=programme.organisation, school_year=programme.school_year)
        )
    elif order.kind == K.ENCOURAGEMENT:
        people = sorted({pair.mentor for pair in programme.pairs.select_related("mentor")}, key=lambda p: p.full_name)
        order.people.set(people)
        # As the edit page does when the curator picks them: their names replace the placeholder.
        for point in order.points.all():
            action = with_people([{"action": point.action}], before=[], after=people)[0]["action"]
            if action != point.action:
                point.action = action
                point.save(update_fields=["action"])


def _record_approved(order: Order, *, on: datetime.date, number: int, director) -> None:
    organisation = order.organisation
    order.status = Order.Status.APPROVED
    order.number_year, order.number = on.year, number
    order.number_label = f"{number}{organisation.order_number_suffix}"
    order.approved_on = on
    order.approved_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(11)))
    order.approved_by = director
    order.signer_position = organisation.director_position
    order.signer_name = organisation.director_name
    order.snapshot = order_snapshot(order)
    order.save()


def visas_through(order: Order, *, on: datetime.date | None = None) -> Order:
    """Gives every visa of a submitted demo order, each by the first person who holds it, so the
    order waits for the director (the demo's orders approved in the story went through the route).
    ``on``: the day the story's order was submitted and agreed, so that the «Лист согласования»
    does not date its visas after the order they agreed."""
    order.refresh_from_db(fields=["status"])
    while order.status == Order.Status.VISAS and (visa := waiting_visa(order)) is not None:
        visa_agree(order=order, user=holders_of(visa).order_by("pk").first())
        order.refresh_from_db(fields=["status"])
    if on is not None:
        moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
        order.visas.update(turn_at=moment, decided_at=moment)
        Order.objects.filter(pk=order.pk).update(submitted_at=moment)
    return order


def demo_orders(*, schools, today: datetime.date | None = None) -> int:
    """Orders of the demo schools' current programmes; a school that has orders is left alone."""
    year = current_school_year(today or timezone.localdate())
    created = 0
    for school in schools:
        story = STORIES.get(school.slug)
        programme = school.programmes.filter(school_year=year).first()
        if not story or programme is None or school.orders.exists():
            continue
        curator = _user(school, Role.CURATOR) or _user(school, Role.DIRECTOR)
        director = _user(school, Role.DIRECTOR) or curator
        if all(_user(school, role) for role in ROUTE) and not school.approval_steps.exists():
            steps = [StepRow(role=role) for role in ROUTE]
            if _user(school, Role.ACCOUNTANT):
                other_kinds = tuple(t.code for t in order_types(district=False) if t.code not in PAY_KINDS)
                steps.append(StepRow(role=Role.ACCOUNTANT, skip_kinds=other_kinds))
            route_save(organisation=school, steps=steps)
        for kind, month, day, number in story:
            order = order_draft(organisation=school, kind=kind, programme=programme, user=curator)
            _subjects(order, programme)
            if number == "visa":
                order_submit(order=order, user=curator)
            elif number == "submitted":
                order_submit(order=order, user=curator)
                visas_through(order)  # the visas are given: the order waits for the director
            elif number is not None:
                _record_approved(order, on=datetime.date(year, month, day), number=number, director=director)
            created += 1
        last = school.orders.filter(number_year=year).aggregate(last=Max("number"))["last"] or 0
        OrderNumberSequence.objects.update_or_create(organisation=school, year=year, defaults={"last_number": last})
    return created
