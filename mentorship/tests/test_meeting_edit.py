"""Correcting a logged meeting, and the methodist's read-only view of the school's meetings."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Meeting, Pair
from mentorship.services_meetings import ERROR_ATTENDEE_NOT_IN_PAIR, ERROR_EDIT_PAIR_NOT_WORKING, meeting_update
from mentorship.tests.factories import PairFactory
from participants.tests.factories import PersonFactory, TeacherFactory


def _url(name, school, **kwargs):
    return reverse(f"mentorship:{name}", kwargs={"org": school.slug, **kwargs})


def _meeting(pair, *, attendees=(), **kwargs):
    starts_at = timezone.make_aware(datetime.datetime.combine(pair.starts_on, datetime.time(15, 30)))
    meeting = Meeting.objects.create(organisation=pair.organisation, pair=pair, starts_at=starts_at, **kwargs)
    meeting.attendees.set(attendees, through_defaults={"organisation": pair.organisation})
    return meeting


@pytest.fixture
def own_pair(school_a, mentor_a):
    mentor = TeacherFactory(organisation=school_a, user=mentor_a)
    mentees = [PersonFactory(organisation=school_a, last_name=name) for name in ("Черных", "Кляпка")]
    return PairFactory(mentor=mentor, mentees=mentees)


def _form_data(pair, **changes):
    data = {
        "kind": "planning",
        "date": f"{pair.starts_on + datetime.timedelta(days=10):%Y-%m-%d}",
        "time": "16:45",
        "duration_minutes": "60",
        "format": "online",
        "topic": "План на четверть",
        "attendees": [],
        "notes": "Составили план",
        "usefulness": "9",
    }
    return {**data, **changes}


def test_mentor_corrects_a_meeting_of_own_pair(client, own_pair, mentor_a, curator_a):
    first, second = own_pair.mentees.order_by("last_name")
    meeting = _meeting(own_pair, attendees=[first], kind="regular", topic="Знакомство", usefulness=5)
    meeting.logged_by = curator_a
    meeting.save()
    client.force_login(mentor_a)
    url = _url("meeting_edit", own_pair.organisation, pair_pk=own_pair.pk, pk=meeting.pk)

    page = client.get(url).content.decode()
    assert "Исправить встречу" in page and 'value="Знакомство"' in page and 'value="15:30"' in page

    response = client.post(url, _form_data(own_pair, attendees=[second.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.kind, meeting.duration_minutes, meeting.format, meeting.usefulness) == (
        "planning",
        60,
        "online",
        9,
    )
    assert (meeting.topic, meeting.notes) == ("План на четверть", "Составили план")
    assert timezone.localtime(meeting.starts_at).strftime("%d.%m %H:%M") == (
        f"{own_pair.starts_on + datetime.timedelta(days=10):%d.%m} 16:45"
    )
    assert list(meeting.attendees.all()) == [second]  # attendance replaced, not added to
    assert meeting.logged_by == curator_a  # who logged it first stays
    assert Meeting.objects.count() == 1


def test_the_pair_page_links_each_meeting_to_its_correction(client, own_pair, mentor_a):
    meeting = _meeting(own_pair)
    client.force_login(mentor_a)
    page = client.get(_url("meeting_list", own_pair.organisation, pair_pk=own_pair.pk)).content.decode()
    assert _url("meeting_edit", own_pair.organisation, pair_pk=own_pair.pk, pk=meeting.pk) in page


def test_another_mentors_meeting_is_404(client, school_a, own_pair, mentor_a):
    other_pair = PairFactory(organisation=school_a)
    other = _meeting(other_pair, topic="Чужая")
    client.force_login(mentor_a)
    assert client.get(_url("meeting_edit", school_a, pair_pk=other_pair.pk, pk=other.pk)).status_code == 404
    response = client.post(_url("meeting_edit", school_a, pair_pk=other_pair.pk, pk=other.pk), _form_data(other_pair))
    assert response.status_code == 404
    # Own pair in the URL does not reach another pair's meeting either.
    assert client.get(_url("meeting_edit", school_a, pair_pk=own_pair.pk, pk=other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.topic == "Чужая"


def test_correction_keeps_the_rules_of_logging(own_pair, mentor_a, school_a):
    meeting = _meeting(own_pair)
    base = {
        "user": mentor_a,
        "kind": "regular",
        "starts_at": meeting.starts_at,
        "duration_minutes": 45,
        "format": "in_person",
    }
    with pytest.raises(ValidationError) as error:
        meeting_update(meeting=meeting, attendee_ids=[PersonFactory(organisation=school_a).pk], **base)
    assert error.value.message_dict["attendees"] == [ERROR_ATTENDEE_NOT_IN_PAIR]
    Pair.objects.filter(pk=own_pair.pk).update(
        status=Pair.Status.CLOSED, closed_on=own_pair.starts_on, outcome="completed"
    )
    with pytest.raises(ValidationError) as error:
        meeting_update(meeting=meeting, **base)
    assert error.value.messages == [ERROR_EDIT_PAIR_NOT_WORKING.format(status="завершена")]


def test_curator_corrects_any_pair_and_sees_the_form_errors(client, school_a, curator_a):
    pair = PairFactory(organisation=school_a)
    meeting = _meeting(pair)
    client.force_login(curator_a)
    url = _url("meeting_edit", school_a, pair_pk=pair.pk, pk=meeting.pk)
    too_early = _form_data(pair, date=f"{pair.starts_on - datetime.timedelta(days=1):%Y-%m-%d}")
    response = client.post(url, too_early)
    assert response.status_code == 200 and "раньше начала работы пары" in response.content.decode()
    assert client.post(url, _form_data(pair, usefulness="4")).status_code == 302
    meeting.refresh_from_db()
    assert meeting.usefulness == 4


# --- The methodist: every pair's meetings, read-only ------------------------------------------------


def test_methodist_sees_the_calendar_attention_list_and_meetings_read_only(client, school_a, member):
    pair = PairFactory(
        organisation=school_a,
        mentor=TeacherFactory(organisation=school_a, last_name="Яковенко"),
        starts_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    meeting = _meeting(pair, topic="Подготовка к олимпиаде")
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(member(school_a, "methodist"))

    calendar = client.get(_url("calendar", school_a)).content.decode()
    assert "Календарь встреч" in calendar  # in the menu
    assert _url("meetings_ics", school_a) not in calendar  # no feed or download for a reader
    attention = client.get(_url("meeting_attention", school_a)).content.decode()
    assert "Яковенко" in attention and "40 дней" in attention

    page = client.get(_url("meeting_list", school_a, pair_pk=pair.pk)).content.decode()
    assert "Подготовка к олимпиаде" in page
    assert "Внести встречу" not in page and "Исправить" not in page

    edit = _url("meeting_edit", school_a, pair_pk=pair.pk, pk=meeting.pk)
    assert client.get(edit).status_code == 403
    assert client.post(edit, _form_data(pair)).status_code == 403
    assert client.get(_url("meeting_add", school_a, pair_pk=pair.pk)).status_code == 403


def test_a_mentor_still_has_no_school_calendar(client, school_a, own_pair, mentor_a):
    client.force_login(mentor_a)
    assert client.get(_url("calendar", school_a)).status_code == 403
    assert client.get(_url("meeting_attention", school_a)).status_code == 403
    other = PairFactory(organisation=school_a)
    assert client.get(_url("meeting_list", school_a, pair_pk=other.pk)).status_code == 404
