"""The formulas of the monitoring indicators: the queries behind reports.analytics.indicators.

Every formula computes its numerator and denominator for a list of schools in ONE query grouped
by organisation (conditional aggregation, ``Count(filter=...)`` over subquery annotations), so
the school page asks for one school and the district page for all of its schools with the same
number of queries. District totals are sums of numerators over sums of denominators, never
means of the schools' percentages.

Ratio formulas (value = numerator / denominator × 100 %) share one idea: each counted row (a
student, a plan item, a partner…) gets the date from which it counts in the numerator
(``since``: the start of its first counted pair, the approval in the mentor register, the
signing of the consent…). The value at a date ``d`` is then the rows with ``since <= d``, so the
monthly trend is one column per month of the same query, and the value of the period is the
trend at ``as_of`` (the period's end, or today while the period runs). Denominators are the rows
as they are now (people who left and were anonymised are no longer counted).

A pair counts in a period when it is not a draft (approved, working or closed), started by the
date in question and was not closed before the period began. A mentor counts when they are the
mentor of such a pair or in the school year's register (approved or working).

Means (satisfaction, growth) are sums of answers over the number of answers, so that a district
total is again Σ sums / Σ counts. They read answers exactly as
``participants.questionnaires.results.satisfaction`` and ``growth`` do (submitted responses of
people with a valid participation consent, latest answers per item, items matched by text) and
equal them for one school (test_kpi checks it); the school's own functions compute one school
only, which is why the district needs the grouped queries below. Growth is weighted by answers
(Σ (exit − entry) over person-item pairs / their number); ``Growth.mean`` of the questionnaire
module weighs each item equally, and the two agree when every item has the same respondents.

A formula is an object with ``counts(organisation_ids, period, dates)`` returning, per
organisation, one (numerator, denominator) per date (means: one tuple at the first date: sum,
number of answers, people who answered, people asked — the mean is over answers, the page says
how many people gave them: «ответили 3 человека из 25»), and
optionally ``rows(organisation, period, as_of)`` returning the querysets of the drill-down:
(counted in the numerator, in the denominator but not counted yet).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, DateField, Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least

from mentorship.models import Pair, PairMentee, PlanItem, TrainingAttendance
from mentorship.selectors import COUNTED_PAIR_STATUSES
from mentorship.selectors_plans import PLAN_ITEM_DONE
from organisations.models import Organisation
from organisations.school_year import SCHOOL_YEAR_START_MONTH, current_school_year, school_year_label
from participants.models import (
    YOUNG_SPECIALIST_MAX_YEARS,
    Consent,
    ConsentPurpose,
    MenteeEntry,
    MentorEntry,
    PartnerOrganisation,
    Person,
    PersonYearRecord,
    Question,
    QuestionnaireTemplate,
    Response,
)
from participants.questionnaires.results import MENTEE_AUDIENCES, SCALE_MAX, AnswerNumber, item_key
from participants.selectors import PARTICIPANT_CATEGORIES, valid_consent_exists
from participants.selectors_bases import REGISTER_STATUSES
from roadmap.models import Occurrence
from roadmap.selectors import counted_occurrences, on_time_occurrences

Counts = dict[int, list[tuple[float, ...]]]


# A date after every real one: rows that never count get it, so comparisons never meet NULL.
NEVER = datetime.date(9999, 12, 31)

POOL_STATUSES = (MenteeEntry.Status.INCLUDED, MenteeEntry.Status.IN_PAIR, MenteeEntry.Status.COMPLETED)

Audience = QuestionnaireTemplate.Audience
Phase = QuestionnaireTemplate.Phase
GROWTH_AUDIENCES = (Audience.MENTOR, *MENTEE_AUDIENCES)

MONTHS_SHORT = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")


# --- Period ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Dates from start to end inclusive; ``school_year`` picks the mentor and mentee bases."""

    start: datetime.date
    end: datetime.date
    school_year: int

    @classmethod
    def of_school_year(cls, year: int | None = None) -> Period:
        year = current_school_year() if year is None else year
        return cls(datetime.date(year, SCHOOL_YEAR_START_MONTH, 1), datetime.date(year + 1, 8, 31), year)

    @property
    def label(self) -> str:
        if (self.start, self.end) == (
            datetime.date(self.school_year, SCHOOL_YEAR_START_MONTH, 1),
            datetime.date(self.school_year + 1, 8, 31),
        ):
            return f"{school_year_label(self.school_year)} учебный год"
        return f"с {self.start:%d.%m.%Y} по {self.end:%d.%m.%Y}"

    def as_of(self, today: datetime.date) -> datetime.date:
        """The date the values are taken at: the end, or today while the period runs."""
        return max(self.start, min(self.end, today))

    def month_ends(self, today: datetime.date) -> list[tuple[str, datetime.date | None]]:
        """Each month of the period: its label and the date its point is taken at (None: future)."""
        points = []
        year, month = self.start.year, self.start.month
        while datetime.date(year, month, 1) <= self.end:
            first = datetime.date(year, month, 1)
            last = datetime.date(year, month, calendar.monthrange(year, month)[1])
            label = f"{MONTHS_SHORT[month - 1]} {year}"
            points.append((label, None if first > today else min(last, self.end, today)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return points


# --- Shared pieces of the queries -------------------------------------------------------------


def counted_pairs(period: Period, prefix: str = "") -> Q:
    """Pairs the indicators and the analytical reports count: not drafts, working at some time in the period."""
    p = prefix
    return Q(**{f"{p}status__in": COUNTED_PAIR_STATUSES, f"{p}starts_on__lte": period.end}) & (
        Q(**{f"{p}closed_on__isnull": True}) | Q(**{f"{p}closed_on__gte": period.start})
    )


def _first(queryset: QuerySet, field_name: str) -> Coalesce:
    """The earliest value of a date field among the rows, NEVER without rows."""
    earliest = queryset.order_by(field_name).values(field_name)[:1]
    return Coalesce(Subquery(earliest), Value(NEVER))


def _mentor_since(period: Period, person_ref: str = "pk") -> Coalesce:
    """When the person became the mentor of a counted pair."""
    pairs = Pair.objects.filter(
        counted_pairs(period), organisation=OuterRef("organisation"), mentor=OuterRef(person_ref)
    )
    return _first(pairs, "starts_on")


def _mentee_since(period: Period, person_ref: str = "pk") -> Coalesce:
    """When the person became a mentee of a counted pair or group."""
    rows = PairMentee.objects.filter(
        counted_pairs(period, "pair__"), organisation=OuterRef("organisation"), mentee=OuterRef(person_ref)
    )
    return _first(rows, "pair__starts_on")


def _register_since(period: Period, **match) -> Coalesce:
    """When a matching entry joined the school year's register (approval date, else the period's start)."""
    entries = MentorEntry.objects.filter(
        organisation=OuterRef("organisation"), school_year=period.school_year, status__in=REGISTER_STATUSES, **match
    ).annotate(since=Coalesce("approved_on", Value(period.start)))
    return _first(entries, "since")


def _people(categories, period: Period | None = None, **filters):
    """People of the categories; in a school year the school has closed (the new year's change),
    those it had that year (PersonYearRecord), so that promotion and newcomers do not alter it."""
    people = Person.objects.filter(anonymised_at__isnull=True, **filters)
    if period is None:
        return people.filter(category__in=categories)
    closed = PersonYearRecord.objects.filter(organisation=OuterRef("organisation"), school_year=period.school_year)
    in_year = PersonYearRecord.objects.filter(
        person=OuterRef("pk"), school_year=period.school_year, category__in=categories
    )
    return people.filter(Exists(in_year) | (Q(category__in=categories, left_on__isnull=True) & ~Exists(closed)))


def _students_involved_base(period):
    return _people([Person.Category.STUDENT], period).annotate(
        since=Least(_mentor_since(period), _mentee_since(period), output_field=DateField())
    )


def _mentors_base(category):
    def base(period):
        return _people([category], period).annotate(
            since=Least(_mentor_since(period), _register_since(period, person=OuterRef("pk")), output_field=DateField())
        )

    return base


def _consent_base(period):
    # The date the consent in force today was signed: history of withdrawn consents is not kept
    # in the trend (their people are anonymised 30 days later and leave the denominator too).
    consents = Consent.objects.filter(
        person=OuterRef("pk"),
        purpose=ConsentPurpose.PARTICIPATION,
        status=Consent.Status.VALID,
        person__processing_blocked_at__isnull=True,
    )
    return _people(PARTICIPANT_CATEGORIES, period).annotate(since=_first(consents, "signed_on"))


def _pool_base(period):
    return MenteeEntry.objects.filter(
        school_year=period.school_year, status__in=POOL_STATUSES, person__anonymised_at__isnull=True
    ).annotate(since=_mentee_since(period, person_ref="person"))


def _young_base(period):
    return _people([Person.Category.TEACHER], period, experience_years__lte=YOUNG_SPECIALIST_MAX_YEARS).annotate(
        since=_mentee_since(period)
    )


def _partner_base(period):
    pairs = Pair.objects.filter(
        counted_pairs(period), organisation=OuterRef("organisation"), mentor__partner=OuterRef("pk")
    )
    return PartnerOrganisation.objects.annotate(
        since=Least(
            _first(pairs, "starts_on"),
            _register_since(period, person__partner=OuterRef("pk")),
            output_field=DateField(),
        )
    )


def _trained_base(period):
    """Mentors of the year (in the register or mentoring a counted pair), since their first
    «Школа наставника» session in the period."""
    mentoring = Pair.objects.filter(counted_pairs(period), mentor=OuterRef("pk"))
    register = MentorEntry.objects.filter(
        person=OuterRef("pk"), school_year=period.school_year, status__in=REGISTER_STATUSES
    )
    attended = TrainingAttendance.objects.filter(
        mentor=OuterRef("pk"), session__held_on__gte=period.start, session__held_on__lte=period.end
    )
    return (
        Person.objects.filter(anonymised_at__isnull=True)
        .filter(Exists(mentoring) | Exists(register))
        .annotate(since=_first(attended, "session__held_on"))
    )


def _plan_base(period):
    return PlanItem.objects.filter(
        Q(due_on__isnull=True) | Q(due_on__gte=period.start, due_on__lte=period.end),
        plan__pair__in=Pair.objects.filter(counted_pairs(period)),
    )


def _plan_done(period, d):
    # mentorship.selectors_plans.PLAN_ITEM_DONE, by the date: the trend's month counts what was done by then.
    return PLAN_ITEM_DONE & (Q(done_on__isnull=True) | Q(done_on__lte=d))


def _plan_missing(period, d):
    # Every planned item is in the denominator (DESIGN.md §5: done items / planned items), the
    # same definition as the plans list, the plan's PDF and the plan-fulfilment XLSX.
    return Q(done=False) | Q(done_on__gt=d)


def _roadmap_base(period):
    return Occurrence.objects.filter(due_on__gte=period.start, due_on__lte=period.end)


def _roadmap_missing(period, d):
    return counted_occurrences(d) & (~Q(status=Occurrence.Status.DONE) | Q(done_on__gt=F("due_on")))


# --- Ratio formulas ----------------------------------------------------------------------------


def _since(d: datetime.date) -> Q:
    return Q(since__lte=d)


def _not_yet(d: datetime.date) -> Q:
    return Q(since__gt=d)


@dataclass(frozen=True)
class Ratio:
    """Rows of ``base`` (annotated with ``since``) counted by ``numerator`` over those ``denominator`` keeps."""

    # The rows of the denominator's universe, annotated (not yet filtered by organisation).
    base: Callable[[Period], QuerySet]
    numerator: Callable[[Period, datetime.date], Q] = lambda period, d: _since(d)
    # In the numerator's universe but not counted yet.
    missing: Callable[[Period, datetime.date], Q] = lambda period, d: _not_yet(d)
    # None: every row of the base counts in the denominator.
    denominator: Callable[[Period, datetime.date], Q | None] = lambda period, d: None

    def counts(self, organisation_ids: list[int], period: Period, dates: list[datetime.date]) -> Counts:
        """(numerator, denominator) at each date for each organisation: one query."""
        aggregates = {}
        for index, d in enumerate(dates):
            counted = self.denominator(period, d)
            numerator = self.numerator(period, d)
            aggregates[f"d{index}"] = Count("pk") if counted is None else Count("pk", filter=counted)
            aggregates[f"n{index}"] = Count("pk", filter=numerator if counted is None else numerator & counted)
        rows = (
            self.base(period)
            .filter(organisation_id__in=organisation_ids)
            .values("organisation_id")
            .annotate(**aggregates)
            .order_by()
        )
        return {row["organisation_id"]: [(row[f"n{i}"], row[f"d{i}"]) for i in range(len(dates))] for row in rows}

    def rows(self, organisation: Organisation, period: Period, as_of: datetime.date) -> tuple[QuerySet, QuerySet]:
        base = self.base(period).filter(organisation=organisation)
        counted = self.denominator(period, as_of)
        numerator = self.numerator(period, as_of)
        return base.filter(numerator if counted is None else numerator & counted), base.filter(
            self.missing(period, as_of)
        )


STUDENTS_INVOLVED = Ratio(base=_students_involved_base)
MENTORS_STUDENTS = Ratio(base=_mentors_base(Person.Category.STUDENT))
MENTORS_TEACHERS = Ratio(base=_mentors_base(Person.Category.TEACHER))
CONSENT_COVERAGE = Ratio(base=_consent_base)
PAIRS_COVERAGE = Ratio(base=_pool_base)
PLAN_FULFILMENT = Ratio(base=_plan_base, numerator=_plan_done, missing=_plan_missing)
YOUNG_SPECIALISTS = Ratio(base=_young_base)
PARTNER_SHARE = Ratio(base=_partner_base)
MENTORS_TRAINED = Ratio(base=_trained_base)
ROADMAP_COMPLETION = Ratio(
    base=_roadmap_base,
    numerator=lambda period, d: on_time_occurrences(d),
    missing=_roadmap_missing,
    denominator=lambda period, d: counted_occurrences(d),
)


# --- Means: satisfaction and growth -----------------------------------------------------------


def _visible_templates(organisation_ids: list[int]):
    """Templates the schools may see: their own and the standard ones (templates_for, for many)."""
    return QuestionnaireTemplate.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=organisation_ids))


def _responses_in(period: Period, organisation_ids: list[int]):
    """Submitted responses in the period of people whose participation consent is valid now."""
    return Response.objects.filter(
        organisation_id__in=organisation_ids,
        submitted_at__isnull=False,
        submitted_at__date__gte=period.start,
        submitted_at__date__lte=period.end,
    ).filter(valid_consent_exists(person_field="person"))


def _satisfaction_sums(organisation_ids: list[int], period: Period, audiences) -> dict[int, tuple[float, int, int]]:
    """Per organisation: (sum of the audiences' 1–10 exit answers, their number, the people who gave them).

    One query for the questions and one for the answers, whatever the number of schools.
    """
    exit_templates = _visible_templates(organisation_ids).filter(phase=Phase.EXIT, audience__in=audiences)
    keys = list(
        Question.objects.filter(template__in=exit_templates, kind=Question.Kind.SCALE_10).values_list("pk", flat=True)
    )
    if not keys:
        return {}
    aggregates = {}
    answered = Q()
    for pk in keys:
        aggregates[f"s{pk}"] = Sum(AnswerNumber(pk))
        aggregates[f"c{pk}"] = Count(AnswerNumber(pk))
        answered |= Q(**{f"a{pk}__isnull": False})
    # A respondent is a person with at least one counted answer (the figure «ответили 3 человека»).
    aggregates["people"] = Count("person", distinct=True, filter=answered)
    rows = (
        _responses_in(period, organisation_ids)
        .filter(template__phase=Phase.EXIT, template__audience__in=audiences)
        .annotate(**{f"a{pk}": AnswerNumber(pk) for pk in keys})
        .values("organisation_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {
        row["organisation_id"]: (
            sum(float(row[f"s{pk}"] or 0) for pk in keys),
            sum(row[f"c{pk}"] for pk in keys),
            row["people"],
        )
        for row in rows
    }


@dataclass(frozen=True)
class _Item:
    entry: tuple[tuple[int, int], ...]  # (question pk, template pk)
    exit: tuple[tuple[int, int], ...]


def _growth_items(organisation_ids: list[int]) -> list[_Item]:
    """Scale items asked on entry and on exit of the same audience (the rule of
    participants.questionnaires.results.entry_exit_items, for every template the schools see): one query."""
    templates = _visible_templates(organisation_ids).filter(
        audience__in=GROWTH_AUDIENCES, phase__in=(Phase.ENTRY, Phase.EXIT)
    )
    rows = (
        Question.objects.filter(template__in=templates, kind__in=list(SCALE_MAX))
        .order_by("-template__created_at", "-template_id", "position", "pk")
        .values("pk", "text", "kind", "template_id", "template__audience", "template__phase")
    )
    groups: dict[tuple[str, str], dict[tuple[str, str], list[tuple[int, int]]]] = defaultdict(dict)
    seen = set()
    for row in rows:
        key = item_key(row["text"], row["kind"])
        if (row["template_id"], key) in seen:
            continue  # inside one template only the first question with a given text counts
        seen.add((row["template_id"], key))
        group = groups[(row["template__audience"], row["template__phase"])]
        group.setdefault(key, []).append((row["pk"], row["template_id"]))
    items = []
    for audience in GROWTH_AUDIENCES:
        entry, exit_ = groups.get((audience, Phase.ENTRY), {}), groups.get((audience, Phase.EXIT), {})
        items.extend(_Item(tuple(entry[key]), tuple(questions)) for key, questions in exit_.items() if key in entry)
    return items


def _latest_answer(questions, period: Period) -> Subquery:
    """The person's answer in their latest submitted response of the period that answered the item."""
    numbers = [AnswerNumber(pk) for pk, _ in sorted(questions)]
    number = numbers[0] if len(numbers) == 1 else Coalesce(*numbers, output_field=FloatField())
    responses = Response.objects.filter(
        organisation=OuterRef("organisation"),
        person=OuterRef("pk"),
        submitted_at__isnull=False,
        submitted_at__date__gte=period.start,
        submitted_at__date__lte=period.end,
        template_id__in={template for _, template in questions},
    ).annotate(value=number)
    latest = responses.filter(value__isnull=False).order_by("-submitted_at", "-pk").values("value")[:1]
    return Subquery(latest, output_field=FloatField())


def _growth_sums(organisation_ids: list[int], period: Period) -> dict[int, tuple[float, int, int]]:
    """Per organisation: (Σ exit − entry over people and items with both answers, their number, the
    people with at least one such item).

    Two queries: the items, then the people with their latest answers grouped by organisation.
    """
    items = _growth_items(organisation_ids)
    if not items:
        return {}
    templates = {template for item in items for _, template in (*item.entry, *item.exit)}
    answered = Response.objects.filter(
        organisation=OuterRef("organisation"),
        person=OuterRef("pk"),
        submitted_at__isnull=False,
        submitted_at__date__gte=period.start,
        submitted_at__date__lte=period.end,
        template_id__in=templates,
    )
    people = (
        Person.objects.filter(organisation_id__in=organisation_ids)
        .filter(valid_consent_exists())
        .filter(Exists(answered))
    )
    annotations, aggregates = {}, {}
    for index, item in enumerate(items):
        annotations[f"e{index}"] = _latest_answer(item.entry, period)
        annotations[f"x{index}"] = _latest_answer(item.exit, period)
        aggregates[f"s{index}"] = Sum(F(f"x{index}") - F(f"e{index}"))
        aggregates[f"n{index}"] = Count("pk", filter=Q(**{f"e{index}__isnull": False, f"x{index}__isnull": False}))
    both = Q()
    for index in range(len(items)):
        both |= Q(**{f"e{index}__isnull": False, f"x{index}__isnull": False})
    aggregates["people"] = Count("pk", filter=both)
    rows = people.annotate(**annotations).values("organisation_id").annotate(**aggregates).order_by()
    return {
        row["organisation_id"]: (
            sum(float(row[f"s{i}"] or 0) for i in range(len(items))),
            sum(row[f"n{i}"] for i in range(len(items))),
            row["people"],
        )
        for row in rows
    }


def _pair_people(organisation: Organisation, period: Period, *, mentors: bool, mentees: bool) -> Q:
    """People who are mentors and/or mentees of the school's counted pairs in the period."""
    pairs = Pair.objects.filter(counted_pairs(period), organisation=organisation)
    as_mentor = Q(Exists(pairs.filter(mentor=OuterRef("pk"))))
    as_mentee = Q(Exists(PairMentee.objects.filter(pair__in=pairs, mentee=OuterRef("pk"))))
    if mentors and mentees:
        return as_mentor | as_mentee
    return as_mentor if mentors else as_mentee


def _answered(organisation: Organisation, period: Period, *, phase: str, audiences) -> Exists:
    return Exists(
        _responses_in(period, [organisation.pk]).filter(
            person=OuterRef("pk"), template__phase=phase, template__audience__in=audiences
        )
    )


def _asked_counts(
    organisation_ids: list[int], period: Period, *, mentors: bool, mentees: bool, respondents: dict[int, tuple]
) -> dict[int, int]:
    """Per organisation: the people a mean is asked of — mentors and/or mentees of the counted
    pairs in the period, plus anyone else who answered — for «ответили 3 человека из 25». One query."""
    pairs = Pair.objects.filter(counted_pairs(period), organisation=OuterRef("organisation"))
    asked = Q()
    if mentors:
        asked |= Q(Exists(pairs.filter(mentor=OuterRef("pk"))))
    if mentees:
        asked |= Q(Exists(PairMentee.objects.filter(counted_pairs(period, "pair__"), mentee=OuterRef("pk"))))
    rows = (
        Person.objects.filter(asked, organisation_id__in=organisation_ids, anonymised_at__isnull=True)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    asked_by_school = {row["organisation_id"]: row["n"] for row in rows}
    # Respondents outside the pairs (a pair closed before the period, a mentor of the register)
    # are added so that «из N» is never less than «ответили».
    return {
        pk: max(asked_by_school.get(pk, 0), respondents.get(pk, (0, 0, 0))[2])
        for pk in set(asked_by_school) | set(respondents)
    }


def _with_people(sums: dict[int, tuple], asked: dict[int, int]) -> Counts:
    """(sum, number of answers, respondents, people asked) per organisation: the means' one point."""
    result = {}
    for pk in set(sums) | set(asked):
        total, count, people = sums.get(pk, (0.0, 0, 0))
        result[pk] = [(total, count, people, asked.get(pk, 0))]
    return result


@dataclass(frozen=True)
class Satisfaction:
    """The mean of the 1–10 answers of the audiences' exit questionnaires."""

    audiences: tuple[str, ...]
    mentors: bool  # whose pairs the drill-down's «not answered yet» lists

    def counts(self, organisation_ids: list[int], period: Period, dates: list[datetime.date]) -> Counts:
        sums = _satisfaction_sums(organisation_ids, period, self.audiences)
        asked = _asked_counts(
            organisation_ids, period, mentors=self.mentors, mentees=not self.mentors, respondents=sums
        )
        return _with_people(sums, asked)

    def rows(self, organisation: Organisation, period: Period, as_of: datetime.date) -> tuple[QuerySet, QuerySet]:
        people = Person.objects.filter(organisation=organisation)
        answered = Q(_answered(organisation, period, phase=Phase.EXIT, audiences=self.audiences))
        included = people.filter(valid_consent_exists()).filter(answered)
        in_pairs = _pair_people(organisation, period, mentors=self.mentors, mentees=not self.mentors)
        return included, people.filter(in_pairs).exclude(answered)


class Growth:
    """The mean of «exit − entry» over the same scale items, for everyone who answered both."""

    def counts(self, organisation_ids: list[int], period: Period, dates: list[datetime.date]) -> Counts:
        sums = _growth_sums(organisation_ids, period)
        asked = _asked_counts(organisation_ids, period, mentors=True, mentees=True, respondents=sums)
        return _with_people(sums, asked)

    def rows(self, organisation: Organisation, period: Period, as_of: datetime.date) -> tuple[QuerySet, QuerySet]:
        people = Person.objects.filter(organisation=organisation)
        # Respondents with both an entry and an exit response in the period (answers to the same
        # items are what the value counts; the list shows who took part on both ends).
        both = Q(_answered(organisation, period, phase=Phase.ENTRY, audiences=GROWTH_AUDIENCES)) & Q(
            _answered(organisation, period, phase=Phase.EXIT, audiences=GROWTH_AUDIENCES)
        )
        included = people.filter(valid_consent_exists()).filter(both)
        missing = people.filter(_pair_people(organisation, period, mentors=True, mentees=True)).exclude(both)
        return included, missing


SATISFACTION_MENTEES = Satisfaction(audiences=MENTEE_AUDIENCES, mentors=False)
SATISFACTION_MENTORS = Satisfaction(audiences=(Audience.MENTOR,), mentors=True)
GROWTH = Growth()
