"""Reads of meetings: a pair's meetings, the month calendar, the pairs needing attention."""

import calendar
import dataclasses
import datetime

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from .models import Meeting, Pair, PairMentee
from .selectors_plans import mentor_own_pairs, plan_item_counts, with_mentees


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def meetings_with_people(meetings):
    """Meetings with the pair's mentor and the attendees, in a fixed number of queries."""
    return meetings.select_related("pair__mentor", "pair__form").prefetch_related(
        Prefetch("attendees", to_attr="attendee_list")
    )


def pair_meetings(*, pair: Pair):
    return meetings_with_people(pair.meetings.all()).order_by("-starts_at")


@dataclasses.dataclass
class CalendarMonth:
    year: int
    month: int
    weeks: list[list[tuple[datetime.date, list[Meeting]]]]
    previous: tuple[int, int]
    next: tuple[int, int]
    count: int

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)


def month_calendar(*, organisation, year: int, month: int, pairs=None) -> CalendarMonth:
    """The month's grid (Monday first, whole weeks) with each day's meetings, in one query."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    meetings = organisation.meetings.filter(
        starts_at__gte=_day_start(first), starts_at__lt=_day_start(last + datetime.timedelta(days=1))
    )
    if pairs is not None:
        meetings = meetings.filter(pair__in=pairs)
    by_day: dict[datetime.date, list[Meeting]] = {}
    in_month = 0
    for meeting in meetings.select_related("pair__mentor").order_by("starts_at"):
        day = timezone.localtime(meeting.starts_at).date()
        by_day.setdefault(day, []).append(meeting)
        in_month += day.month == month
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return CalendarMonth(
        year=year,
        month=month,
        weeks=[[(day, by_day.get(day, [])) for day in week] for week in weeks],
        previous=previous,
        next=following,
        count=in_month,
    )


def pairs_with_last_meeting(pairs):
    """Annotates ``last_meeting_at`` and ``meetings_count``."""
    return pairs.annotate(last_meeting_at=Max("meetings__starts_at"), meetings_count=Count("meetings"))


# An active pair that has not met for longer than this shows «Требует внимания» (lists, pair page, home
# pages; the nudge to the mentor reads the same selector); longer than CLOSE_OFFER_DAYS, the curator is
# offered on the pair page to close it with a reason or to re-pair it.
INACTIVE_DAYS = 30
CLOSE_OFFER_DAYS = 60


def with_last_meeting(pairs) -> QuerySet[Pair]:
    """Annotates ``last_meeting_at`` (the latest meeting, planned ones too) by a subquery: no GROUP BY,
    so it composes with any filter or prefetch of a list."""
    latest = Meeting.objects.filter(pair=OuterRef("pk")).order_by("-starts_at").values("starts_at")[:1]
    return pairs.annotate(last_meeting_at=Subquery(latest))


def days_without_meeting(pair: Pair, *, today: datetime.date) -> int | None:
    """Days since an active pair's last meeting (since its start if it never met); None for a pair
    that is not working. Reads ``last_meeting_at`` (``with_last_meeting`` or ``pairs_with_last_meeting``)."""
    if pair.status != Pair.Status.ACTIVE:
        return None
    since = timezone.localtime(pair.last_meeting_at).date() if pair.last_meeting_at else pair.starts_on
    return max((today - since).days, 0)


def mark_inactivity(pairs, *, today: datetime.date):
    """Sets ``days_without_meeting``, ``needs_attention`` (over INACTIVE_DAYS) and ``offer_close``
    (over CLOSE_OFFER_DAYS) on each pair of a loaded list; returns the list."""
    pairs = list(pairs)
    for pair in pairs:
        days = days_without_meeting(pair, today=today)
        pair.days_without_meeting = days
        pair.needs_attention = days is not None and days > INACTIVE_DAYS
        pair.offer_close = days is not None and days > CLOSE_OFFER_DAYS
    return pairs


def pairs_without_meeting_since(*, organisation, today: datetime.date, days: int = INACTIVE_DAYS) -> QuerySet[Pair]:
    """Active pairs (started by ``today``) with no meeting for more than ``days`` days: the one
    definition of an inactive pair (home pages, badges, the nudge). A pair that never met counts
    from its start. One query; ``last_meeting_at`` annotated; the longest silent first."""
    cutoff = today - datetime.timedelta(days=days)
    recent = Meeting.objects.filter(pair=OuterRef("pk"), starts_at__gte=_day_start(cutoff))
    return (
        with_last_meeting(organisation.pairs.filter(status=Pair.Status.ACTIVE, starts_on__lt=cutoff))
        .filter(~Exists(recent))
        .order_by(F("last_meeting_at").asc(nulls_first=True), "starts_on", "pk")
    )


def pairs_needing_attention(*, organisation, today: datetime.date) -> list[Pair]:
    """Active pairs with no meeting for more than their programme's ``attention_weeks`` weeks.

    A pair that never met counts from its start. One query for the pairs (the last meeting is
    annotated) and one for their mentees. Each pair gets ``days_without_meeting``; the longest first.
    """
    pairs = with_mentees(
        pairs_with_last_meeting(organisation.pairs.filter(status=Pair.Status.ACTIVE, starts_on__lte=today))
        .select_related("mentor", "programme", "form")
        .order_by("mentor__last_name", "mentor__first_name", "pk")
    )
    result = []
    for pair in pairs:
        pair.days_without_meeting = days_without_meeting(pair, today=today)
        if pair.days_without_meeting > pair.programme.attention_weeks * 7:
            result.append(pair)
    result.sort(key=lambda p: -p.days_without_meeting)
    return result


def feed_meetings(*, organisation, pairs=None, since: datetime.date):
    """Meetings for the iCalendar feed, from a day on."""
    meetings = organisation.meetings.filter(starts_at__gte=_day_start(since))
    if pairs is not None:
        meetings = meetings.filter(pair__in=pairs)
    links = PairMentee.objects.select_related("mentee").order_by("mentee__last_name", "mentee__first_name")
    return (
        meetings.select_related("pair__mentor")
        .prefetch_related(Prefetch("pair__pair_mentees", queryset=links, to_attr="mentee_links"))
        .order_by("starts_at")
    )


def my_pairs(*, organisation, user):
    """The pairs of the mentor whose person record is the user's, with plan fulfilment and last meeting."""
    pairs = mentor_own_pairs(organisation.pairs.all(), user=user).exclude(status=Pair.Status.DRAFT)
    return with_mentees(
        pairs.annotate(
            last_meeting_at=Max("meetings__starts_at"),
            meetings_count=Count("meetings", distinct=True),
            **plan_item_counts(),
        )
        .select_related("mentor", "form", "programme")
        .order_by("status", "starts_on", "pk")
    )
