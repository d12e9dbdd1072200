"""Dates inside one order agree: the period a point names comes from the pairs its appendix lists,
and an order whose point names a date outside its appendix's period is refused before approval,
saying which point and which date."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from reports.models import Order, OrderKind
from reports.orders.consistency import dates_in, point_date_problems
from reports.orders.services import order_approve, order_draft, order_problems, order_save, order_submit
from roadmap.tests.factories import RoadmapFactory

pytestmark = pytest.mark.django_db

PAIRS_START = datetime.date(2026, 10, 5)
PAIRS_END = datetime.date(2027, 5, 25)


@pytest.fixture
def programme(school_a):
    # The programme starts on 1 September; its pairs are formed a month later.
    return ProgrammeFactory(organisation=school_a, school_year=2026)


@pytest.fixture
def pairs(school_a, programme):
    return [
        PairFactory(
            organisation=school_a,
            programme=programme,
            status=Pair.Status.DRAFT,
            starts_on=PAIRS_START,
            planned_end_on=PAIRS_END,
        )
        for _ in range(2)
    ]


def _draft(school_a, curator_a, programme, kind=OrderKind.PAIRS):
    return order_draft(organisation=school_a, kind=kind, user=curator_a, programme=programme)


def _points(order) -> list[dict]:
    return [{"action": p.action, "responsible": p.responsible, "deadline": p.deadline} for p in order.points.all()]


def test_dates_are_read_as_the_documents_write_them():
    text = "с 5 октября 2026 г. по 31\u00a0мая 2027 года, до 01.09.2027, не 31.02.2027"
    assert [day for day, _written in dates_in(text)] == [
        datetime.date(2026, 10, 5),
        datetime.date(2027, 5, 31),
        datetime.date(2027, 9, 1),
    ]


def test_the_pairs_point_names_the_period_of_the_pairs_its_appendix_lists(school_a, curator_a, programme, pairs):
    order = _draft(school_a, curator_a, programme)
    first = order.points.get(position=1).action
    assert "с 5 октября 2026 г. по 25 мая 2027 г." in first
    assert "1 сентября 2026" not in first  # the programme's start, which no pair of the appendix has
    assert order_problems(order) == []


def test_picking_other_pairs_moves_the_period_of_the_point(school_a, curator_a, programme, pairs):
    order = _draft(school_a, curator_a, programme)
    later = PairFactory(
        organisation=school_a,
        programme=programme,
        status=Pair.Status.DRAFT,
        starts_on=datetime.date(2026, 11, 2),
        planned_end_on=datetime.date(2027, 5, 31),
    )
    order = order_save(order=order, fields={}, points=_points(order), pairs=[later])
    assert "с 2 ноября 2026 г. по 31 мая 2027 г." in order.points.get(position=1).action
    assert point_date_problems(order) == []


def test_a_point_dated_outside_its_appendix_is_refused_saying_which_point_and_date(
    school_a, curator_a, programme, pairs
):
    order = _draft(school_a, curator_a, programme)
    points = _points(order)
    points[0]["action"] = (
        "Закрепить наставнические пары (группы) на период с 1 сентября 2026 г. по 25 мая 2027 г. "
        "согласно приложению № 1."
    )
    points[1]["deadline"] = "до 01.06.2027"  # no appendix named in this point: not the appendix's period
    order = order_save(order=order, fields={}, points=points, pairs=pairs)
    with pytest.raises(ValidationError) as error:
        order_submit(order=order, user=curator_a)
    assert error.value.messages == [
        "Пункт 1: дата «1 сентября 2026 г.» выходит за сроки пар в приложении № 1 "
        "(с 5 октября 2026 г. по 25 мая 2027 г.). Исправьте дату в пункте или состав приложения."
    ]
    assert Order.objects.get(pk=order.pk).status == Order.Status.DRAFT


def test_approval_refuses_an_order_whose_pairs_moved_after_submission(
    school_a, curator_a, director_a, programme, pairs
):
    order = _draft(school_a, curator_a, programme)
    order_submit(order=order, user=curator_a)
    Pair.objects.filter(pk__in=[pair.pk for pair in pairs]).update(planned_end_on=datetime.date(2027, 4, 30))
    with pytest.raises(ValidationError, match=r"Пункт 1: дата «25 мая 2027 г\.» выходит за сроки пар"):
        order_approve(order=order, user=director_a, on=datetime.date(2026, 10, 26))
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED and order.number is None and not order.snapshot
    assert Pair.objects.filter(status=Pair.Status.DRAFT).count() == 2  # no effect applied


def test_a_roadmap_point_is_checked_against_the_roadmap_period(school_a, curator_a, programme):
    RoadmapFactory(organisation=school_a)  # 1 September 2026 – 31 August 2027
    order = _draft(school_a, curator_a, programme, kind=OrderKind.IMPLEMENTATION)
    assert point_date_problems(order) == []
    points = _points(order)
    roadmap_point = next(i for i, p in enumerate(points) if "дорожную карту" in p["action"])
    points[roadmap_point]["deadline"] = "до 15.09.2027"
    order = order_save(order=order, fields={}, points=points)
    (problem,) = point_date_problems(order)
    assert problem.startswith(f"Пункт {roadmap_point + 1}: дата «15.09.2027» выходит за период дорожной карты")
    assert "(с 1 сентября 2026 г. по 31 августа 2027 г.)" in problem
