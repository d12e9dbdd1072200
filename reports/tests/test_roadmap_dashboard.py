"""The school dashboard shows overdue roadmap items and those due by the end of the month."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roadmap.models import Roadmap
from roadmap.tests.factories import ItemFactory, RoadmapFactory, SectionFactory

pytestmark = pytest.mark.django_db


def _by(day: datetime.date) -> str:
    return f"До {day:%d.%m.%Y}"


@pytest.fixture
def section(school_a):
    today = timezone.localdate()
    roadmap = RoadmapFactory(
        organisation=school_a,
        starts_on=today - datetime.timedelta(days=200),
        ends_on=today + datetime.timedelta(days=200),
    )
    return SectionFactory(roadmap=roadmap)


def _month_end(today):
    return (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def test_dashboard_lists_overdue_and_this_months_items(client, school_a, curator_a, section):
    today = timezone.localdate()
    ItemFactory(section=section, content="Просроченное мероприятие", deadline=_by(today - datetime.timedelta(days=3)))
    ItemFactory(section=section, content="Мероприятие этого месяца", deadline=_by(_month_end(today)))
    ItemFactory(
        section=section, content="Будущее мероприятие", deadline=_by(_month_end(today) + datetime.timedelta(days=40))
    )
    archived = RoadmapFactory(organisation=school_a, status=Roadmap.Status.ARCHIVED)
    ItemFactory(section__roadmap=archived, content="Из архива", deadline=_by(today - datetime.timedelta(days=3)))
    client.force_login(curator_a)
    response = client.get(school_a.get_absolute_url())
    page = response.content.decode()
    assert "Просрочено: 1 мероприятие" in page
    assert "До конца месяца: 1 мероприятие" in page
    assert "Просроченное мероприятие" in page and "Мероприятие этого месяца" in page
    assert "Будущее мероприятие" not in page and "Из архива" not in page


def test_dashboard_without_a_roadmap_offers_the_template(client, school_a, curator_a):
    client.force_login(curator_a)
    page = client.get(school_a.get_absolute_url()).content.decode()
    assert "Дорожной карты пока нет." in page and "Создать по типовому шаблону" in page


def test_dashboard_roadmap_widget_query_count_is_flat(client, school_a, curator_a, section):
    today = timezone.localdate()
    ItemFactory(section=section, deadline=_by(today - datetime.timedelta(days=3)))
    client.force_login(curator_a)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(school_a.get_absolute_url()).status_code == 200
        return len(context.captured_queries)

    few = queries()
    for days in range(1, 12):
        ItemFactory(section=section, deadline=_by(today - datetime.timedelta(days=days)))
        ItemFactory(section=section, deadline=_by(_month_end(today)))
    assert queries() == few


def test_roles_without_the_roadmap_do_not_see_the_widget(client, school_a, member):
    client.force_login(member(school_a, "administrator"))
    assert 'data-testid="roadmap-due"' not in client.get(school_a.get_absolute_url()).content.decode()
