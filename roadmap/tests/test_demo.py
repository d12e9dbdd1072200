"""Demo roadmaps: the standard roadmap for 2026/2027 in every school, a district roadmap for the schools."""

import datetime

import pytest

from organisations.tests.factories import MembershipFactory
from roadmap.demo import DEMO_PERIOD, demo_roadmaps
from roadmap.models import Item, Occurrence, Roadmap
from roadmap.selectors import roadmap_table

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


def test_demo_roadmaps_are_made_once(district, school_a, school_b):
    curator = MembershipFactory(organisation=school_a, role="curator").user
    first = demo_roadmaps(organisations=[district, school_a, school_b], today=TODAY)
    assert (first.created, first.existing) == (3, 0)
    counts = (Roadmap.objects.count(), Item.objects.count(), Occurrence.objects.count())
    again = demo_roadmaps(organisations=[district, school_a, school_b], today=TODAY)
    assert (again.created, again.existing) == (0, 3)
    assert (Roadmap.objects.count(), Item.objects.count(), Occurrence.objects.count()) == counts

    roadmap = Roadmap.objects.get(organisation=school_a, district_roadmap=None)
    assert (roadmap.starts_on, roadmap.ends_on) == (DEMO_PERIOD.start, DEMO_PERIOD.end)
    assert (roadmap.status, roadmap.approver_name) == ("approved", "О.\u00a0В.\u00a0Кляпка")
    assert roadmap.items.filter(responsibles__user=curator).exists()
    completion = roadmap_table(roadmap=roadmap, today=TODAY).completion
    assert completion.overdue == 1
    assert completion.on_time == completion.counted - 1 > 5


def test_the_district_assigns_its_items_to_every_school(district, school_a, school_b):
    demo_roadmaps(organisations=[school_a, school_b, district], today=TODAY)
    district_roadmap = Roadmap.objects.get(organisation=district)
    assert district_roadmap.items.count() == 3
    for school in (school_a, school_b):
        copy = Roadmap.objects.get(organisation=school, district_roadmap=district_roadmap)
        assert copy.items.count() == 3
    done = Occurrence.objects.filter(
        organisation=school_a, item__roadmap__district_roadmap=district_roadmap, status="done"
    )
    assert done.exists()
