"""«Школа наставника»: groups from the mentor base, sessions, attendance, the indicator, the summary."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import TrainingGroup, TrainingSession
from mentorship.selectors_training import training_summary
from mentorship.services_training import (
    ERROR_ATTENDEE_NOT_MEMBER,
    ERROR_NOT_IN_MENTOR_BASE,
    training_group_save,
    training_session_save,
)
from mentorship.tests.factories import ProgrammeFactory
from participants.models import MentorEntry
from participants.tests.factories import MentorEntryFactory, TeacherFactory

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def programme(school_a):
    return ProgrammeFactory(organisation=school_a, school_year=2026)


def _mentors(school, count, year=2026):
    return [MentorEntryFactory(organisation=school, school_year=year).person for _ in range(count)]


def _session(group, day, attendees=()):
    return training_session_save(
        group=group, held_on=day, topic=f"Занятие {day:%d.%m}", attendee_ids=[p.pk for p in attendees]
    )


def test_group_members_come_from_the_mentor_base_of_the_programmes_year(school_a, programme):
    mentors = _mentors(school_a, 2)
    last_year = _mentors(school_a, 1, year=2025)[0]
    left = MentorEntryFactory(organisation=school_a, school_year=2026, status=MentorEntry.Status.LEFT).person
    group = training_group_save(
        programme=programme, title="Группа 1", sessions_target=10, member_ids=[m.pk for m in mentors]
    )
    assert set(group.members.all()) == set(mentors)
    for outsider in (last_year, left, TeacherFactory(organisation=school_a)):
        with pytest.raises(ValidationError) as error:
            training_group_save(
                programme=programme, title="Группа 1", sessions_target=10, member_ids=[outsider.pk], group=group
            )
        assert error.value.message_dict["members"] == [ERROR_NOT_IN_MENTOR_BASE.format(year="2026/2027")]
    group = training_group_save(
        programme=programme, title="Группа 1", sessions_target=12, member_ids=[mentors[0].pk], group=group
    )
    assert list(group.members.all()) == [mentors[0]] and group.sessions_target == 12


def test_attendance_only_of_members(school_a, programme):
    member, outsider = _mentors(school_a, 2)
    group = training_group_save(programme=programme, title="Группа", sessions_target=10, member_ids=[member.pk])
    with pytest.raises(ValidationError) as error:
        _session(group, TODAY, attendees=[outsider])
    assert error.value.message_dict["attendees"] == [ERROR_ATTENDEE_NOT_MEMBER]


def test_training_summary_in_one_query(school_a, school_b, programme, django_assert_num_queries):
    a, b, c = _mentors(school_a, 3)
    group = training_group_save(programme=programme, title="Группа", sessions_target=10, member_ids=[a.pk, b.pk])
    _session(group, datetime.date(2026, 10, 1), attendees=[a, b])
    _session(group, datetime.date(2026, 11, 1), attendees=[a])
    _session(group, datetime.date(2026, 11, 15))
    _session(group, datetime.date(2027, 1, 15), attendees=[a])  # after today: not counted yet
    foreign = _mentors(school_b, 1)[0]
    with django_assert_num_queries(1):
        summary = training_summary(organisation=school_a, person_ids=[a.pk, b.pk, c.pk, foreign.pk], today=TODAY)
    assert summary == {a.pk: (2, 3), b.pk: (1, 3), c.pk: (0, 0), foreign.pk: (0, 0)}


def test_indicator_sessions_held_of_planned(client, school_a, programme, curator_a):
    mentors = _mentors(school_a, 2)
    group = training_group_save(
        programme=programme, title="Школа наставника — 1", sessions_target=10, member_ids=[m.pk for m in mentors]
    )
    for day in range(1, 4):
        _session(group, datetime.date(2026, 10, day), attendees=mentors[:1])
    _session(group, datetime.date(2099, 1, 1))  # planned, not yet held
    client.force_login(curator_a)
    page = client.get(reverse("mentorship:training_list", kwargs={"org": school_a.slug})).content.decode()
    assert "3 / 10" in page and "ещё запланировано: 1 занятие" in page
    detail = client.get(reverse("mentorship:training_detail", kwargs={"org": school_a.slug, "pk": group.pk}))
    text = detail.content.decode()
    assert "3 / 10" in text and "3 из 3" in text and "0 из 3" in text


def test_curator_creates_a_group_and_a_session(client, school_a, programme, curator_a):
    mentors = _mentors(school_a, 2)
    client.force_login(curator_a)
    response = client.post(
        reverse("mentorship:training_add", kwargs={"org": school_a.slug}),
        {"programme": programme.pk, "title": "Группа А", "sessions_target": "10", "members": [m.pk for m in mentors]},
    )
    group = TrainingGroup.objects.get()
    assert response.status_code == 302 and group.organisation == school_a and group.members.count() == 2
    response = client.post(
        reverse("mentorship:training_session_add", kwargs={"org": school_a.slug, "pk": group.pk}),
        {
            "held_on": "2026-10-05",
            "topic": "Роль наставника",
            "expert": "Николаева О.А.",
            "format": "lecture",
            "attendees": [mentors[0].pk],
        },
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and list(session.attendees.all()) == [mentors[0]]


def test_training_list_query_count_does_not_grow(client, school_a, programme, curator_a):
    client.force_login(curator_a)
    url = reverse("mentorship:training_list", kwargs={"org": school_a.slug})

    def rows(count):
        for n in range(count):
            mentors = _mentors(school_a, 2)
            group = training_group_save(
                programme=programme,
                title=f"Группа {n}-{mentors[0].pk}",
                sessions_target=10,
                member_ids=[m.pk for m in mentors],
            )
            _session(group, datetime.date(2026, 10, 1), attendees=mentors)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    rows(1)
    few = queries()
    rows(6)
    assert queries() == few


def test_training_detail_query_count_does_not_grow(client, school_a, programme, curator_a):
    client.force_login(curator_a)
    group = training_group_save(programme=programme, title="Группа", sessions_target=10, member_ids=[])
    url = reverse("mentorship:training_detail", kwargs={"org": school_a.slug, "pk": group.pk})

    def rows(count):
        mentors = _mentors(school_a, count)
        ids = set(group.members.values_list("pk", flat=True)) | {m.pk for m in mentors}
        training_group_save(programme=programme, title="Группа", sessions_target=10, member_ids=ids, group=group)
        for day in range(count):
            _session(group, datetime.date(2026, 10, 1) + datetime.timedelta(days=len(ids) * 3 + day), attendees=mentors)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    rows(2)
    few = queries()
    rows(6)
    assert queries() == few
