"""Meetings: logging, the mentor's scope, the calendar, the attention list, the iCalendar feed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.ical import escape_text, feed_token, fold
from mentorship.models import Meeting, Pair
from mentorship.selectors_meetings import month_calendar, pairs_needing_attention
from mentorship.services_meetings import ERROR_ATTENDEE_NOT_IN_PAIR, ERROR_PAIR_NOT_WORKING, meeting_log
from mentorship.tests.factories import PairFactory
from organisations.tests.files import assert_private_file
from participants.models import AccessLogEntry
from participants.tests.factories import PersonFactory, TeacherFactory


def _at(year, month, day, hour=15, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def _meeting(pair, starts_at, **kwargs):
    return Meeting.objects.create(organisation=pair.organisation, pair=pair, starts_at=starts_at, **kwargs)


def _org_url(name, school, **kwargs):
    return reverse(f"mentorship:{name}", kwargs={"org": school.slug, **kwargs})


@pytest.fixture
def mentor_person(school_a, mentor_a):
    return TeacherFactory(organisation=school_a, user=mentor_a, last_name="Яковенко")


@pytest.fixture
def own_pair(mentor_person):
    return PairFactory(mentor=mentor_person)


# --- Logging ---------------------------------------------------------------------------------


def test_mentor_logs_a_meeting_of_own_pair(client, own_pair, mentor_a):
    mentee = own_pair.mentees.get()
    client.force_login(mentor_a)
    url = _org_url("meeting_add", own_pair.organisation, pair_pk=own_pair.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "introduction",
            "date": f"{own_pair.starts_on + datetime.timedelta(days=3):%Y-%m-%d}",
            "time": "15:30",
            "duration_minutes": "40",
            "format": "in_person",
            "topic": "Знакомство",
            "attendees": [mentee.pk],
            "notes": "Обсудили интересы",
            "usefulness": "8",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.kind == "introduction" and meeting.usefulness == 8 and meeting.logged_by == mentor_a
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "15:30"
    assert list(meeting.attendees.all()) == [mentee]
    page = client.get(_org_url("meeting_list", own_pair.organisation, pair_pk=own_pair.pk)).content.decode()
    assert "встреча-знакомство" in page and "8 из 10" in page and "40 минут" in page


def test_usefulness_outside_1_to_10_is_refused(client, own_pair, mentor_a):
    client.force_login(mentor_a)
    response = client.post(
        _org_url("meeting_add", own_pair.organisation, pair_pk=own_pair.pk),
        {
            "kind": "regular",
            "date": f"{own_pair.starts_on:%Y-%m-%d}",
            "time": "10:00",
            "duration_minutes": "45",
            "format": "online",
            "usefulness": "11",
        },
    )
    assert response.status_code == 200 and not Meeting.objects.exists()


def test_meeting_log_rules(own_pair, mentor_a, school_a):
    stranger = PersonFactory(organisation=school_a)
    base = {
        "user": mentor_a,
        "kind": "regular",
        "starts_at": _at(own_pair.starts_on.year, 10, 1),
        "duration_minutes": 45,
        "format": "in_person",
    }
    with pytest.raises(ValidationError) as error:
        meeting_log(pair=own_pair, attendee_ids=[stranger.pk], **base)
    assert error.value.message_dict["attendees"] == [ERROR_ATTENDEE_NOT_IN_PAIR]
    own_pair.status = Pair.Status.DRAFT
    with pytest.raises(ValidationError) as error:
        meeting_log(pair=own_pair, **base)
    assert error.value.messages == [ERROR_PAIR_NOT_WORKING]


def test_mentor_gets_404_for_another_pair_and_403_for_staff_pages(client, school_a, own_pair, mentor_a):
    other = PairFactory(organisation=school_a)
    client.force_login(mentor_a)
    for name in ("meeting_list", "meeting_add"):
        assert client.get(_org_url(name, school_a, pair_pk=other.pk)).status_code == 404
        assert client.get(_org_url(name, school_a, pair_pk=own_pair.pk)).status_code == 200
    for name in ("calendar", "meeting_attention", "plan_list", "training_list"):
        assert client.get(_org_url(name, school_a)).status_code == 403


def test_my_pairs_shows_only_own_pairs(client, school_a, own_pair, mentor_a, mentor_person):
    other = PairFactory(organisation=school_a, mentees=[PersonFactory(organisation=school_a, last_name="Чужой")])
    mine = own_pair.mentees.get()
    client.force_login(mentor_a)
    page = client.get(_org_url("my_pairs", school_a)).content.decode()
    assert mine.full_name in page and "Чужой" not in page
    assert _org_url("meeting_add", school_a, pair_pk=own_pair.pk) in page
    assert _org_url("meeting_add", school_a, pair_pk=other.pk) not in page


def test_my_pairs_query_count_does_not_grow(client, school_a, mentor_person, mentor_a):
    client.force_login(mentor_a)

    def rows(count):
        for _ in range(count):
            pair = PairFactory(mentor=mentor_person)
            _meeting(pair, _at(pair.starts_on.year, 10, 2))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_org_url("my_pairs", school_a)).status_code == 200
        return len(captured.captured_queries)

    rows(1)
    few = queries()
    rows(6)
    assert queries() == few


def test_pair_meetings_query_count_does_not_grow(client, school_a, curator_a):
    pair = PairFactory(organisation=school_a, mentees=[PersonFactory(organisation=school_a) for _ in range(3)])
    client.force_login(curator_a)
    url = _org_url("meeting_list", school_a, pair_pk=pair.pk)

    def rows(count):
        for day in range(count):
            meeting = _meeting(pair, _at(pair.starts_on.year, 10, 1 + day))
            meeting.attendees.set(pair.mentees.all(), through_defaults={"organisation": school_a})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    rows(2)
    few = queries()
    rows(8)
    assert queries() == few


# --- The calendar --------------------------------------------------------------------------


def test_month_calendar_grid_and_meetings(school_a, school_b):
    pair = PairFactory(organisation=school_a)
    _meeting(pair, _at(2026, 9, 1, 9))
    _meeting(pair, _at(2026, 9, 30, 18))
    _meeting(pair, _at(2026, 10, 1, 9))  # the next month, shown in the grid's last week
    _meeting(PairFactory(organisation=school_b), _at(2026, 9, 15))  # another school
    month = month_calendar(organisation=school_a, year=2026, month=9)
    days = [day for week in month.weeks for day, _ in week]
    assert days[0] == datetime.date(2026, 8, 31) and days[0].weekday() == 0  # Monday first
    assert days[-1] == datetime.date(2026, 10, 4) and len(days) % 7 == 0
    meetings = {day: items for week in month.weeks for day, items in week if items}
    assert set(meetings) == {datetime.date(2026, 9, 1), datetime.date(2026, 9, 30), datetime.date(2026, 10, 1)}
    assert month.count == 2
    assert (month.previous, month.next) == ((2026, 8), (2026, 10))
    assert month_calendar(organisation=school_a, year=2026, month=12).next == (2027, 1)
    assert month_calendar(organisation=school_a, year=2026, month=1).previous == (2025, 12)


def test_calendar_page(client, school_a, curator_a):
    pair = PairFactory(organisation=school_a, mentor=TeacherFactory(organisation=school_a, last_name="Яковенко"))
    _meeting(pair, _at(2026, 9, 14, 14, 30), kind="trial")
    client.force_login(curator_a)
    page = client.get(_org_url("calendar", school_a) + "?month=2026-09").content.decode()
    assert "Встречи: сентябрь 2026" in page
    assert "14:30 Яковенко" in page and "пробная встреча" in page
    assert "За месяц — 1 встреча." in page
    assert "?month=2026-08" in page and "?month=2026-10" in page
    assert client.get(_org_url("calendar", school_a) + "?month=garbage").status_code == 200


def test_calendar_query_count_does_not_grow(client, school_a, curator_a):
    client.force_login(curator_a)
    url = _org_url("calendar", school_a) + "?month=2026-09"

    def rows(count):
        for day in range(count):
            _meeting(PairFactory(organisation=school_a), _at(2026, 9, 1 + day))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    rows(2)
    few = queries()
    rows(10)
    assert queries() == few


# --- Давно не встречались -------------------------------------------------------------------------


def test_pairs_needing_attention_with_a_fixed_today(school_a, school_b):
    today = datetime.date(2026, 11, 20)
    starts = datetime.date(2026, 9, 1)
    recent = PairFactory(organisation=school_a, starts_on=starts)
    _meeting(recent, _at(2026, 11, 10))
    stale = PairFactory(organisation=school_a, starts_on=starts)  # programme default: 3 weeks
    _meeting(stale, _at(2026, 10, 1))
    _meeting(stale, _at(2026, 10, 29))  # 22 days before today: more than 3 weeks
    never = PairFactory(organisation=school_a, starts_on=starts)
    just_started = PairFactory(organisation=school_a, starts_on=datetime.date(2026, 11, 5))
    edge = PairFactory(organisation=school_a, starts_on=starts)
    _meeting(edge, _at(2026, 10, 30))  # exactly 21 days: not yet
    PairFactory(organisation=school_a, starts_on=starts, status=Pair.Status.APPROVED)  # not active yet
    PairFactory(organisation=school_b, starts_on=starts)  # another school
    pairs = pairs_needing_attention(organisation=school_a, today=today)
    assert [p.pk for p in pairs] == [never.pk, stale.pk]
    assert pairs[0].days_without_meeting == (today - starts).days and pairs[1].days_without_meeting == 22
    assert just_started.pk not in {p.pk for p in pairs} and recent.pk not in {p.pk for p in pairs}


def test_attention_weeks_of_the_programme_count(school_a):
    pair = PairFactory(organisation=school_a, starts_on=datetime.date(2026, 9, 1))
    _meeting(pair, _at(2026, 10, 1))
    today = datetime.date(2026, 10, 20)
    assert pairs_needing_attention(organisation=school_a, today=today) == []
    pair.programme.attention_weeks = 2
    pair.programme.save()
    assert [p.pk for p in pairs_needing_attention(organisation=school_a, today=today)] == [pair.pk]


def test_attention_selector_is_two_queries(school_a, django_assert_num_queries):
    for _ in range(5):
        PairFactory(organisation=school_a, starts_on=datetime.date(2026, 9, 1))
    with django_assert_num_queries(2):  # the pairs with their last meeting, then their mentees
        pairs_needing_attention(organisation=school_a, today=datetime.date(2026, 12, 1))


def test_attention_page(client, school_a, curator_a):
    pair = PairFactory(organisation=school_a, starts_on=timezone.localdate() - datetime.timedelta(days=60))
    client.force_login(curator_a)
    page = client.get(_org_url("meeting_attention", school_a)).content.decode()
    assert pair.mentor.full_name in page and "встреч не было" in page and "60 дней" in page


# --- iCalendar --------------------------------------------------------------------------------


def test_escaping_and_folding():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "Встреча-знакомство наставника с наставляемым " * 3
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == line


def _unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_ics_download_for_staff(client, school_a, school_b, curator_a):
    mentor = TeacherFactory(organisation=school_a, last_name="Яковенко", first_name="Оксана", patronymic="Николаевна")
    mentee = PersonFactory(organisation=school_a, last_name="Черных", first_name="Илья", patronymic="Сергеевич")
    pair = PairFactory(mentor=mentor, mentees=[mentee])
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    meeting = _meeting(pair, start, kind="planning", duration_minutes=30, topic="Дроби, проценты; задачи")
    _meeting(PairFactory(organisation=school_b), start)  # another school: never in the feed
    client.force_login(curator_a)
    response = client.get(_org_url("meetings_ics", school_a))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert_private_file(response, filename=f"meetings-{school_a.slug}.ics", as_attachment=True)
    raw = response.content.decode()
    assert raw.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and raw.endswith("END:VCALENDAR\r\n")
    assert "\n" not in raw.replace("\r\n", "")
    text = _unfold(raw)
    assert text.count("BEGIN:VEVENT") == 1
    utc = start.astimezone(datetime.timezone.utc)
    assert f"DTSTART:{utc:%Y%m%dT%H%M%SZ}" in text
    assert f"DTEND:{utc + datetime.timedelta(minutes=30):%Y%m%dT%H%M%SZ}" in text
    assert "SUMMARY:Встреча-планирование: Яковенко О.Н. — Черных И.С." in text
    assert "DESCRIPTION:Тема: Дроби\\, проценты\\; задачи\\nФормат: очно" in text
    assert f"UID:meeting-{meeting.pk}@{school_a.slug}.nastavnik" in text
    record = AccessLogEntry.objects.get()
    assert record.action == AccessLogEntry.Action.EXPORT and record.user == curator_a


def test_feed_token_gives_the_calendar_without_a_session(client, school_a, curator_a):
    pair = PairFactory(organisation=school_a)
    _meeting(pair, timezone.now() + datetime.timedelta(days=1))
    token = feed_token(user=curator_a, organisation=school_a)
    response = client.get(reverse("meetings_feed", kwargs={"token": token}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert response.content.decode().count("BEGIN:VEVENT") == 1
    assert AccessLogEntry.objects.get().user == curator_a


def test_mentor_token_gives_only_own_pairs(client, school_a, own_pair, mentor_a):
    when = timezone.now() + datetime.timedelta(days=1)
    _meeting(own_pair, when, topic="Моя встреча")
    _meeting(PairFactory(organisation=school_a), when, topic="Чужая встреча")
    response = client.get(reverse("meetings_feed", kwargs={"token": feed_token(user=mentor_a, organisation=school_a)}))
    text = _unfold(response.content.decode())
    assert text.count("BEGIN:VEVENT") == 1 and "Моя встреча" in text and "Чужая встреча" not in text


def test_token_does_not_reach_another_school(client, school_a, school_b, curator_a):
    _meeting(PairFactory(organisation=school_b), timezone.now() + datetime.timedelta(days=1))
    # A token minted for a school the user has no membership in (as if forged by a server bug).
    token = feed_token(user=curator_a, organisation=school_b)
    assert client.get(reverse("meetings_feed", kwargs={"token": token})).status_code == 404
    own = feed_token(user=curator_a, organisation=school_a)
    assert "BEGIN:VEVENT" not in client.get(reverse("meetings_feed", kwargs={"token": own})).content.decode()


def test_tampered_and_revoked_tokens_are_404(client, school_a, curator_a, member):
    token = feed_token(user=curator_a, organisation=school_a)
    assert client.get(reverse("meetings_feed", kwargs={"token": token[:-2] + "xx"})).status_code == 404
    assert client.get(reverse("meetings_feed", kwargs={"token": "garbage"})).status_code == 404
    curator_a.set_password("another-secret-password")
    curator_a.save()
    assert client.get(reverse("meetings_feed", kwargs={"token": token})).status_code == 404
    methodist = member(school_a, "methodist")  # no «meetings.log»
    methodist_token = feed_token(user=methodist, organisation=school_a)
    assert client.get(reverse("meetings_feed", kwargs={"token": methodist_token})).status_code == 404


def test_token_stops_working_when_the_membership_is_removed(client, school_a, curator_a):
    token = feed_token(user=curator_a, organisation=school_a)
    assert client.get(reverse("meetings_feed", kwargs={"token": token})).status_code == 200
    curator_a.memberships.all().delete()
    assert client.get(reverse("meetings_feed", kwargs={"token": token})).status_code == 404
