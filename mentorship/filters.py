"""Filters of the programme's lists, shared by the pages and their exports (reports).

Each filter set takes the organisation: its choices and searches stay in that school.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from participants.forms import DateInput
from participants.models import MentoringForm

from .models import Meeting, Pair, PairMentee, Programme
from .selectors_meetings import INACTIVE_DAYS, pairs_without_meeting_since


class PairFilter(django_filters.FilterSet):
    """The pairs list: search by a name of the mentor or a mentee, programme, status, form, and
    ``?person=`` (the pairs of one person, from the person's card)."""

    q = django_filters.CharFilter(label="Поиск", method="filter_name")
    programme = django_filters.ModelChoiceFilter(
        label="Программа", queryset=Programme.objects.none(), empty_label="— все программы —"
    )
    status = django_filters.ChoiceFilter(label="Статус", choices=Pair.Status.choices, empty_label="— любой —")
    form = django_filters.ModelChoiceFilter(
        label="Форма", queryset=MentoringForm.objects.all(), empty_label="— любая —"
    )
    person = django_filters.NumberFilter(method="filter_person", widget=forms.HiddenInput)
    inactive = django_filters.BooleanFilter(
        label=f"Только требующие внимания: без встреч больше {INACTIVE_DAYS} дней",
        method="filter_inactive",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Pair
        fields = ["q", "programme", "status", "form", "person", "inactive"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.filters["programme"].queryset = organisation.programmes.all()

    def _pairs_of(self, people):
        """Pairs where one of the people (a values() queryset or ids) is the mentor or a mentee.

        A subquery rather than a join on the mentees: no duplicate rows, no DISTINCT."""
        as_mentee = PairMentee.objects.filter(organisation=self.organisation, mentee__in=people).values("pair_id")
        return Q(mentor__in=people) | Q(pk__in=as_mentee)

    def filter_name(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(self._pairs_of(self.organisation.people.search(value).values("pk")))

    def filter_inactive(self, queryset, name, value):
        if not value:
            return queryset
        silent = pairs_without_meeting_since(organisation=self.organisation, today=timezone.localdate())
        return queryset.filter(pk__in=silent.values("pk"))

    def filter_person(self, queryset, name, value):
        return queryset.filter(self._pairs_of(self.organisation.people.filter(pk=value).values("pk")))


MONTHS_RANGE = (2000, 2100)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def parse_month(value: str) -> tuple[int, int] | None:
    """«2026-09» as (2026, 9); None for anything else."""
    try:
        year, month = (int(part) for part in value.split("-"))
    except ValueError:
        return None
    if MONTHS_RANGE[0] <= year <= MONTHS_RANGE[1] and 1 <= month <= 12:
        return year, month
    return None


class MeetingFilter(django_filters.FilterSet):
    """Meetings of the school: a month of the calendar (``?month=2026-09``), a range of days, a pair.

    Days are the school's local days, as the calendar shows them."""

    month = django_filters.CharFilter(label="Месяц", method="filter_month")
    date_from = django_filters.DateFilter(label="С даты", method="filter_from", widget=DateInput())
    date_to = django_filters.DateFilter(label="По дату", method="filter_to", widget=DateInput())
    pair = django_filters.NumberFilter(field_name="pair_id", widget=forms.HiddenInput)

    class Meta:
        model = Meeting
        fields = ["month", "date_from", "date_to", "pair"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def filter_month(self, queryset, name, value):
        month = parse_month(value.strip())
        if month is None:
            return queryset
        first = datetime.date(*month, 1)
        following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return queryset.filter(starts_at__gte=_day_start(first), starts_at__lt=_day_start(following))

    def filter_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=_day_start(value + datetime.timedelta(days=1)))
