"""The monitoring indicators of DESIGN.md §5 for a school and a period, and for a district.

One code path serves both: every indicator is computed for a list of schools in ONE query
grouped by organisation (conditional aggregation, ``Count(filter=...)`` over subquery
annotations), so the school page asks for one school and the district page for all of its
schools with the same number of queries. District totals are sums of numerators over sums of
denominators, never means of the schools' percentages.

Ratio indicators (value = numerator / denominator × 100 %) share one idea: each counted row
(a student, a plan item, a partner…) gets the date from which it counts in the numerator
(``since``: the start of its first counted pair, the approval in the mentor register, the
signing of the consent…). The value at a date ``d`` is then the rows with ``since <= d``, so
the monthly trend is one column per month of the same query, and the value of the period is
the trend at ``as_of`` (the period's end, or today while the period runs). Denominators are
the rows as they are now (people who left and were anonymised are no longer counted).

A pair counts in a period when it is not a draft (approved, working or closed), started by the
date in question and was not closed before the period began. A mentor counts when they are
the mentor of such a pair or in the school year's register (approved or working).

Means (satisfaction, growth) are sums of answers over the number of answers, so that a
district total is again Σ sums / Σ counts. They read answers exactly as
``reports.analytics.questionnaire_results.satisfaction`` and ``growth`` do (submitted responses of people
with a valid participation consent, latest answers per item, items matched by text) and equal
them for one school (test_kpi checks it); the school's own functions compute one school only,
which is why the district needs the grouped queries below. Growth is weighted by answers
(Σ (exit − entry) over person-item pairs / their number); ``Growth.mean`` of the questionnaire
module weighs each item equally, and the two agree when every item has the same respondents.

Status colours (``Indicator.status``):
  ``none`` — nothing to count yet (no denominator) or the indicator has no target;
  ``ok``   — the value reaches the target;
  ``warn`` — the value reaches 80 % of the target (WARN_SHARE), e.g. 56–70 % of students;
  ``bad``  — below that.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, DateField, Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.formats import number_format

from mentorship.models import Pair, PairMentee, PlanItem
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
    Question,
    QuestionnaireTemplate,
    Response,
)
from participants.selectors import PARTICIPANT_CATEGORIES, valid_consent_exists
from reports.analytics.questionnaire_results import MENTEE_AUDIENCES, SCALE_MAX, AnswerNumber, item_key
from roadmap.models import Occurrence
from roadmap.selectors import counted_occurrences as roadmap_counted
from roadmap.selectors import on_time_occurrences as roadmap_on_time

OK, WARN, BAD, NONE = "ok", "warn", "bad", "none"
WARN_SHARE = 0.8
STATUS_LABELS = {OK: "цель достигнута", WARN: "близко к цели", BAD: "ниже цели", NONE: "без цели"}
# Bootstrap's contextual colours of the statuses.
STATUS_COLOURS = {OK: "success", WARN: "warning", BAD: "danger", NONE: "secondary"}

# A date after every real one: rows that never count get it, so comparisons never meet NULL.
NEVER = datetime.date(9999, 12, 31)

COUNTED_PAIR_STATUSES = (Pair.Status.APPROVED, Pair.Status.ACTIVE, Pair.Status.CLOSED)
REGISTER_STATUSES = (MentorEntry.Status.APPROVED, MentorEntry.Status.ACTIVE)
POOL_STATUSES = (MenteeEntry.Status.INCLUDED, MenteeEntry.Status.IN_PAIR, MenteeEntry.Status.COMPLETED)

Audience = QuestionnaireTemplate.Audience
Phase = QuestionnaireTemplate.Phase
GROWTH_AUDIENCES = (Audience.MENTOR, *MENTEE_AUDIENCES)

# Column headers of the district tables, shorter than the indicators' titles.
SHORT_TITLES = {
    "students_involved": "Обучающиеся в программе",
    "mentors_students": "Наставники из обучающихся",
    "mentors_teachers": "Наставники из педагогов",
    "young_specialists": "Молодые специалисты с наставником",
    "pairs_coverage": "База наставляемых в парах",
    "consent_coverage": "Согласия",
    "plan_fulfilment": "Выполнение планов",
    "partner_share": "Партнёры с наставниками",
    "satisfaction_mentees": "Удовлетворённость наставляемых",
    "satisfaction_mentors": "Удовлетворённость наставников",
    "growth": "Рост участников",
    "roadmap_completion": "Дорожная карта в срок",
}

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


# --- Results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    label: str
    date: datetime.date | None
    value: float | None


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    value: float | None
    numerator: float | None
    denominator: float | None
    target: float | None
    unit: str
    status: str
    description: str
    trend: tuple[TrendPoint, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def is_ratio(self) -> bool:
        return self.unit == "%"

    @property
    def display(self) -> str:
        """«4,5 %», «7,85 из 10», «+0,6 балла»; «—» without a value."""
        return _display(self.value, self.unit)

    @property
    def target_display(self) -> str:
        return "" if self.target is None else _display(self.target, self.unit)


def _display(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        text = number_format(value, decimal_pos=0 if float(value).is_integer() else 1)
    else:
        text = number_format(value, decimal_pos=2)
        if unit == "балла" and value > 0:
            text = f"+{text}"
    return f"{text}\u00a0{unit}"


def status_of(value: float | None, target: float | None) -> str:
    """The colour rule of the module's docstring."""
    if value is None or target is None:
        return NONE
    if value >= target:
        return OK
    if value >= target * WARN_SHARE:
        return WARN
    return BAD


# --- Shared pieces of the queries -------------------------------------------------------------


def _counted_pair(period: Period, prefix: str = "") -> Q:
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
        _counted_pair(period), organisation=OuterRef("organisation"), mentor=OuterRef(person_ref)
    )
    return _first(pairs, "starts_on")


def _mentee_since(period: Period, person_ref: str = "pk") -> Coalesce:
    """When the person became a mentee of a counted pair or group."""
    rows = PairMentee.objects.filter(
        _counted_pair(period, "pair__"), organisation=OuterRef("organisation"), mentee=OuterRef(person_ref)
    )
    return _first(rows, "pair__starts_on")


def _register_since(period: Period, **match) -> Coalesce:
    """When a matching entry joined the school year's register (approval date, else the period's start)."""
    entries = MentorEntry.objects.filter(
        organisation=OuterRef("organisation"), school_year=period.school_year, status__in=REGISTER_STATUSES, **match
    ).annotate(since=Coalesce("approved_on", Value(period.start)))
    return _first(entries, "since")


def _since(d: datetime.date) -> Q:
    return Q(since__lte=d)


def _not_yet(d: datetime.date) -> Q:
    return Q(since__gt=d)


# --- Ratio indicators -------------------------------------------------------------------------


@dataclass(frozen=True)
class RatioSpec:
    code: str
    title: str
    target: float | None
    description: str
    # What a drill-down lists: people, entries, plan_items, partners, occurrences.
    rows: str
    included_label: str
    missing_label: str
    # The rows of the denominator's universe, annotated (not yet filtered by organisation).
    base: Callable[[Period], QuerySet]
    numerator: Callable[[Period, datetime.date], Q] = lambda period, d: _since(d)
    # In the numerator's universe but not counted yet.
    missing: Callable[[Period, datetime.date], Q] = lambda period, d: _not_yet(d)
    # None: every row of the base counts in the denominator.
    denominator: Callable[[Period, datetime.date], Q | None] = lambda period, d: None
    unit: str = "%"


def _people(categories, **filters):
    return Person.objects.filter(category__in=categories, anonymised_at__isnull=True, **filters)


def _students_involved_base(period):
    return _people([Person.Category.STUDENT]).annotate(
        since=Least(_mentor_since(period), _mentee_since(period), output_field=DateField())
    )


def _mentors_base(category):
    def base(period):
        return _people([category]).annotate(
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
    return _people(PARTICIPANT_CATEGORIES).annotate(since=_first(consents, "signed_on"))


def _pool_base(period):
    return MenteeEntry.objects.filter(
        school_year=period.school_year, status__in=POOL_STATUSES, person__anonymised_at__isnull=True
    ).annotate(since=_mentee_since(period, person_ref="person"))


def _young_base(period):
    return _people([Person.Category.TEACHER], experience_years__lte=YOUNG_SPECIALIST_MAX_YEARS).annotate(
        since=_mentee_since(period)
    )


def _partner_base(period):
    pairs = Pair.objects.filter(
        _counted_pair(period), organisation=OuterRef("organisation"), mentor__partner=OuterRef("pk")
    )
    return PartnerOrganisation.objects.annotate(
        since=Least(
            _first(pairs, "starts_on"),
            _register_since(period, person__partner=OuterRef("pk")),
            output_field=DateField(),
        )
    )


def _plan_base(period):
    return PlanItem.objects.filter(
        Q(due_on__isnull=True) | Q(due_on__gte=period.start, due_on__lte=period.end),
        plan__pair__in=Pair.objects.filter(_counted_pair(period)),
    )


def _plan_done(period, d):
    return Q(done=True) & (Q(done_on__isnull=True) | Q(done_on__lte=d))


def _plan_counted(period, d):
    # An item counts once its date has come or once it is done; at the period's end every item does.
    if d >= period.end:
        return None
    return Q(due_on__lte=d) | _plan_done(period, d)


def _plan_missing(period, d):
    not_done = Q(done=False) | Q(done_on__gt=d)
    counted = _plan_counted(period, d)
    return not_done if counted is None else counted & not_done


def _roadmap_base(period):
    return Occurrence.objects.filter(due_on__gte=period.start, due_on__lte=period.end)


def _roadmap_missing(period, d):
    return roadmap_counted(d) & (~Q(status=Occurrence.Status.DONE) | Q(done_on__gt=F("due_on")))


RATIOS: tuple[RatioSpec, ...] = (
    RatioSpec(
        code="students_involved",
        title="Обучающиеся в программе наставничества",
        target=70,
        description=(
            "Доля обучающихся школы, которые в этом периоде состоят в наставнической паре или группе "
            "наставником или наставляемым. Федеральный ориентир — 70 %."
        ),
        rows="people",
        included_label="В парах и группах",
        missing_label="Не в паре",
        base=_students_involved_base,
    ),
    RatioSpec(
        code="mentors_students",
        title="Наставники среди обучающихся",
        target=10,
        description=(
            "Доля обучающихся, которые стали наставниками: в реестре наставников учебного года или "
            "наставник пары. Ориентир — не менее 10 %."
        ),
        rows="people",
        included_label="Наставники",
        missing_label="Не наставники",
        base=_mentors_base(Person.Category.STUDENT),
    ),
    RatioSpec(
        code="mentors_teachers",
        title="Наставники среди педагогов",
        target=10,
        description=(
            "Доля педагогов, которые стали наставниками: в реестре наставников учебного года или "
            "наставник пары. Ориентир — не менее 10 %."
        ),
        rows="people",
        included_label="Наставники",
        missing_label="Не наставники",
        base=_mentors_base(Person.Category.TEACHER),
    ),
    RatioSpec(
        code="consent_coverage",
        title="Согласия на обработку персональных данных",
        target=100,
        description=(
            "Доля участников (обучающиеся, педагоги, выпускники, сотрудники партнёров) с действующим "
            "согласием на участие в программе. Цель — 100 %."
        ),
        rows="people",
        included_label="Есть согласие",
        missing_label="Нет согласия",
        base=_consent_base,
    ),
    RatioSpec(
        code="pairs_coverage",
        title="Наставляемые из базы в парах",
        target=100,
        description=(
            "Доля участников базы наставляемых учебного года (включённых в базу, в паре или завершивших), "
            "которые состоят в паре или группе. Цель — 100 %."
        ),
        rows="entries",
        included_label="В паре или группе",
        missing_label="Без наставника",
        base=_pool_base,
    ),
    RatioSpec(
        code="plan_fulfilment",
        title="Выполнение индивидуальных планов",
        target=90,
        description=(
            "Выполненные пункты индивидуальных планов пар из тех, чей срок наступил; по окончании периода — "
            "из всех запланированных. Цель — не менее 90 %."
        ),
        rows="plan_items",
        included_label="Выполнено",
        missing_label="Не выполнено",
        base=_plan_base,
        numerator=_plan_done,
        missing=_plan_missing,
        denominator=_plan_counted,
    ),
    RatioSpec(
        code="young_specialists",
        title="Молодые специалисты с наставником",
        target=None,
        description=(
            f"Доля педагогов со стажем до {YOUNG_SPECIALIST_MAX_YEARS} лет, которые состоят наставляемыми "
            "в паре или группе."
        ),
        rows="people",
        included_label="С наставником",
        missing_label="Без наставника",
        base=_young_base,
    ),
    RatioSpec(
        code="partner_share",
        title="Партнёры, предоставившие наставников",
        target=None,
        description=(
            "Доля организаций-партнёров школы, сотрудники которых стали наставниками "
            "(в реестре наставников учебного года или наставник пары)."
        ),
        rows="partners",
        included_label="Предоставили наставников",
        missing_label="Пока без наставников",
        base=_partner_base,
    ),
    RatioSpec(
        code="roadmap_completion",
        title="Выполнение дорожной карты",
        target=None,
        description=(
            "Мероприятия дорожной карты, выполненные в срок, из тех, срок которых в периоде уже наступил "
            "(выполненные досрочно тоже считаются); отменённые не учитываются."
        ),
        rows="occurrences",
        included_label="Выполнено в срок",
        missing_label="Просрочено или выполнено с опозданием",
        base=_roadmap_base,
        numerator=lambda period, d: roadmap_on_time(d),
        missing=_roadmap_missing,
        denominator=lambda period, d: roadmap_counted(d),
    ),
)


def _ratio_counts(
    spec: RatioSpec, organisation_ids: list[int], period: Period, dates: list[datetime.date]
) -> dict[int, list[tuple[int, int]]]:
    """(numerator, denominator) at each date for each organisation: one query."""
    aggregates = {}
    for index, d in enumerate(dates):
        counted = spec.denominator(period, d)
        numerator = spec.numerator(period, d)
        aggregates[f"d{index}"] = Count("pk") if counted is None else Count("pk", filter=counted)
        aggregates[f"n{index}"] = Count("pk", filter=numerator if counted is None else numerator & counted)
    rows = (
        spec.base(period)
        .filter(organisation_id__in=organisation_ids)
        .values("organisation_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {row["organisation_id"]: [(row[f"n{i}"], row[f"d{i}"]) for i in range(len(dates))] for row in rows}


def _percent(numerator, denominator) -> float | None:
    return round(numerator * 100 / denominator, 1) if denominator else None


# --- Means: satisfaction and growth -----------------------------------------------------------


@dataclass(frozen=True)
class MeanSpec:
    code: str
    title: str
    unit: str
    description: str
    rows: str = "people"
    included_label: str = ""
    missing_label: str = ""
    target: float | None = None


SATISFACTION_MENTEES = MeanSpec(
    code="satisfaction_mentees",
    title="Удовлетворённость наставляемых",
    unit="из 10",
    description=(
        "Среднее по вопросам со шкалой от 1 до 10 итоговых анкет наставляемых (обучающихся и педагогов), "
        "отправленных в периоде; каждый ответ весит одинаково."
    ),
    included_label="Ответили на итоговую анкету",
    missing_label="Наставляемые пар без ответа",
)
SATISFACTION_MENTORS = MeanSpec(
    code="satisfaction_mentors",
    title="Удовлетворённость наставников",
    unit="из 10",
    description=(
        "Среднее по вопросам со шкалой от 1 до 10 итоговых анкет наставников, отправленных в периоде; "
        "каждый ответ весит одинаково."
    ),
    included_label="Ответили на итоговую анкету",
    missing_label="Наставники пар без ответа",
)
GROWTH = MeanSpec(
    code="growth",
    title="Рост участников",
    unit="балла",
    description=(
        "Средняя разница «итоговая анкета − входная анкета» по одинаковым вопросам со шкалой "
        "у всех, кто ответил на обе (наставники и наставляемые); каждый ответ весит одинаково."
    ),
    included_label="Ответили на входную и итоговую анкеты",
    missing_label="Участники пар без пары анкет",
)
MEANS = (SATISFACTION_MENTEES, SATISFACTION_MENTORS, GROWTH)
SATISFACTION_GROUPS = {
    SATISFACTION_MENTEES.code: MENTEE_AUDIENCES,
    SATISFACTION_MENTORS.code: (Audience.MENTOR,),
}


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


def _satisfaction_sums(organisation_ids: list[int], period: Period) -> dict[str, dict[int, tuple[float, int]]]:
    """Per satisfaction indicator and organisation: (sum of 1–10 exit answers, their number).

    One query for the questions and one per indicator, whatever the number of schools.
    """
    exit_templates = _visible_templates(organisation_ids).filter(phase=Phase.EXIT)
    questions = list(
        Question.objects.filter(template__in=exit_templates, kind=Question.Kind.SCALE_10).values_list(
            "pk", "template__audience"
        )
    )
    result: dict[str, dict[int, tuple[float, int]]] = {}
    for code, audiences in SATISFACTION_GROUPS.items():
        keys = [pk for pk, audience in questions if audience in audiences]
        result[code] = {}
        if not keys:
            continue
        aggregates = {}
        for pk in keys:
            aggregates[f"s{pk}"] = Sum(AnswerNumber(pk))
            aggregates[f"c{pk}"] = Count(AnswerNumber(pk))
        rows = (
            _responses_in(period, organisation_ids)
            .filter(template__phase=Phase.EXIT, template__audience__in=audiences)
            .values("organisation_id")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            total = sum(float(row[f"s{pk}"] or 0) for pk in keys)
            count = sum(row[f"c{pk}"] for pk in keys)
            result[code][row["organisation_id"]] = (total, count)
    return result


@dataclass(frozen=True)
class _Item:
    entry: tuple[tuple[int, int], ...]  # (question pk, template pk)
    exit: tuple[tuple[int, int], ...]


def _growth_items(organisation_ids: list[int]) -> list[_Item]:
    """Scale items asked on entry and on exit of the same audience (the rule of
    questionnaire_results.entry_exit_items, for every template the schools see): one query."""
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


def _growth_sums(organisation_ids: list[int], period: Period) -> dict[int, tuple[float, int]]:
    """Per organisation: (Σ exit − entry over people and items with both answers, their number).

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
    rows = people.annotate(**annotations).values("organisation_id").annotate(**aggregates).order_by()
    return {
        row["organisation_id"]: (
            sum(float(row[f"s{i}"] or 0) for i in range(len(items))),
            sum(row[f"n{i}"] for i in range(len(items))),
        )
        for row in rows
    }


# --- Putting it together --------------------------------------------------------------------


SPECS: dict[str, RatioSpec | MeanSpec] = {spec.code: spec for spec in (*RATIOS, *MEANS)}
# The order of the pages: participation first, then quality, then the roadmap.
ORDER = (
    "students_involved",
    "mentors_students",
    "mentors_teachers",
    "young_specialists",
    "pairs_coverage",
    "consent_coverage",
    "plan_fulfilment",
    "partner_share",
    "satisfaction_mentees",
    "satisfaction_mentors",
    "growth",
    "roadmap_completion",
)


def _ratio_indicator(spec: RatioSpec, numerator, denominator, trend=()) -> Indicator:
    value = _percent(numerator, denominator)
    return Indicator(
        code=spec.code,
        title=spec.title,
        value=value,
        numerator=numerator,
        denominator=denominator,
        target=spec.target,
        unit=spec.unit,
        status=status_of(value, spec.target),
        description=spec.description,
        trend=tuple(trend),
    )


def _mean_indicator(spec: MeanSpec, total: float, count: int) -> Indicator:
    value = round(total / count, 2) if count else None
    return Indicator(
        code=spec.code,
        title=spec.title,
        value=value,
        numerator=total if count else None,
        denominator=count,
        target=spec.target,
        unit=spec.unit,
        status=status_of(value, spec.target),
        description=spec.description,
    )


def _compute(
    organisation_ids: list[int], period: Period, today: datetime.date, *, with_trend: bool
) -> dict[int, dict[str, Indicator]]:
    """Every indicator of every organisation: one query per ratio indicator, four for the means."""
    as_of = period.as_of(today)
    months = period.month_ends(today) if with_trend else []
    dates = [as_of, *(d for _, d in months if d is not None)]
    result: dict[int, dict[str, Indicator]] = {pk: {} for pk in organisation_ids}
    for spec in RATIOS:
        counts = _ratio_counts(spec, organisation_ids, period, dates)
        for pk in organisation_ids:
            values = counts.get(pk) or [(0, 0)] * len(dates)
            trend, monthly = [], iter(values[1:])
            for label, d in months:
                n, den = next(monthly) if d is not None else (0, 0)
                trend.append(TrendPoint(label, d, _percent(n, den) if d is not None else None))
            result[pk][spec.code] = _ratio_indicator(spec, *values[0], trend)
    satisfaction = _satisfaction_sums(organisation_ids, period)
    growth = _growth_sums(organisation_ids, period)
    for pk in organisation_ids:
        for spec in (SATISFACTION_MENTEES, SATISFACTION_MENTORS):
            result[pk][spec.code] = _mean_indicator(spec, *satisfaction[spec.code].get(pk, (0.0, 0)))
        result[pk][GROWTH.code] = _mean_indicator(GROWTH, *growth.get(pk, (0.0, 0)))
    return {pk: {code: indicators[code] for code in ORDER} for pk, indicators in result.items()}


def school_indicators(
    *, organisation: Organisation, period: Period | None = None, today: datetime.date | None = None
) -> list[Indicator]:
    """The indicators of one school with their monthly trends, in the order of the pages.

    A fixed number of queries (one per ratio indicator, four for the means), whatever the
    number of people.
    """
    period = period or Period.of_school_year()
    today = today or timezone.localdate()
    return list(_compute([organisation.pk], period, today, with_trend=True)[organisation.pk].values())


def school_indicator(
    *, organisation: Organisation, code: str, period: Period | None = None, today: datetime.date | None = None
) -> Indicator:
    """One indicator of a school without its trend (the drill-down page's header). KeyError for an unknown code."""
    spec = SPECS[code]
    period = period or Period.of_school_year()
    as_of = period.as_of(today or timezone.localdate())
    if isinstance(spec, RatioSpec):
        counts = _ratio_counts(spec, [organisation.pk], period, [as_of]).get(organisation.pk) or [(0, 0)]
        return _ratio_indicator(spec, *counts[0])
    if spec is GROWTH:
        sums = _growth_sums([organisation.pk], period)
    else:
        sums = _satisfaction_sums([organisation.pk], period)[spec.code]
    return _mean_indicator(spec, *sums.get(organisation.pk, (0.0, 0)))


@dataclass
class SchoolRow:
    school: Organisation
    indicators: dict[str, Indicator]
    rank: int | None = None


@dataclass
class DistrictKpi:
    period: Period
    schools: list[SchoolRow]
    totals: dict[str, Indicator] = field(default_factory=dict)


def district_indicators(
    *, district: Organisation, period: Period | None = None, today: datetime.date | None = None
) -> DistrictKpi:
    """Every indicator of every school of the district and the district's totals.

    One query for the schools, one per ratio indicator, four for the means: the count does not
    depend on the number of schools. Totals are Σ numerators / Σ denominators.
    """
    period = period or Period.of_school_year()
    today = today or timezone.localdate()
    schools = list(district.schools.order_by("short_name", "pk"))
    values = _compute([school.pk for school in schools], period, today, with_trend=False) if schools else {}
    rows = [SchoolRow(school, values[school.pk]) for school in schools]
    totals = {}
    for code in ORDER:
        spec = SPECS[code]
        numerator = sum(row.indicators[code].numerator or 0 for row in rows)
        denominator = sum(row.indicators[code].denominator or 0 for row in rows)
        if isinstance(spec, RatioSpec):
            totals[code] = _ratio_indicator(spec, numerator, denominator)
        else:
            totals[code] = _mean_indicator(spec, numerator, denominator)
    return DistrictKpi(period=period, schools=rows, totals=totals)


def rank_schools(rows: list[SchoolRow], code: str) -> list[SchoolRow]:
    """Schools by the indicator, best first (a higher value is better for every indicator);
    schools without a value last, by name. Equal values share a rank."""
    with_value = sorted(
        (row for row in rows if row.indicators[code].value is not None),
        key=lambda row: (-row.indicators[code].value, row.school.short_name),
    )
    without = [row for row in rows if row.indicators[code].value is None]
    previous, rank = None, 0
    for position, row in enumerate(with_value, start=1):
        value = row.indicators[code].value
        if value != previous:
            rank, previous = position, value
        row.rank = rank
    for row in without:
        row.rank = None
    return with_value + without


# --- Drill-down ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillDown:
    """The rows behind an indicator: ``included`` counted in the numerator, ``missing`` not yet."""

    code: str
    rows: str
    included: QuerySet
    missing: QuerySet
    included_label: str
    missing_label: str


ROW_ORDER = {
    "people": ("last_name", "first_name", "patronymic", "pk"),
    "entries": ("person__last_name", "person__first_name", "person__patronymic", "pk"),
    "plan_items": ("due_on", "plan__pair__mentor__last_name", "position", "pk"),
    "partners": ("name", "pk"),
    "occurrences": ("due_on", "item__position", "pk"),
}
ROW_RELATED = {
    "people": (),
    "entries": ("person",),
    "plan_items": ("plan__pair__mentor",),
    "partners": (),
    "occurrences": ("item__roadmap",),
}


def _pair_people(organisation: Organisation, period: Period, *, mentors: bool, mentees: bool) -> Q:
    """People who are mentors and/or mentees of the school's counted pairs in the period."""
    pairs = Pair.objects.filter(_counted_pair(period), organisation=organisation)
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


def _mean_drill_down(spec: MeanSpec, organisation: Organisation, period: Period) -> tuple[QuerySet, QuerySet]:
    people = Person.objects.filter(organisation=organisation)
    if spec is GROWTH:
        # Respondents with both an entry and an exit response in the period (answers to the same
        # items are what the value counts; the list shows who took part on both ends).
        both = Q(_answered(organisation, period, phase=Phase.ENTRY, audiences=GROWTH_AUDIENCES)) & Q(
            _answered(organisation, period, phase=Phase.EXIT, audiences=GROWTH_AUDIENCES)
        )
        included = people.filter(valid_consent_exists()).filter(both)
        missing = people.filter(_pair_people(organisation, period, mentors=True, mentees=True)).exclude(both)
        return included, missing
    audiences = SATISFACTION_GROUPS[spec.code]
    answered = Q(_answered(organisation, period, phase=Phase.EXIT, audiences=audiences))
    included = people.filter(valid_consent_exists()).filter(answered)
    is_mentor = spec is SATISFACTION_MENTORS
    in_pairs = _pair_people(organisation, period, mentors=is_mentor, mentees=not is_mentor)
    return included, people.filter(in_pairs).exclude(answered)


def drill_down(
    *, organisation: Organisation, code: str, period: Period | None = None, today: datetime.date | None = None
) -> DrillDown:
    """The people (entries, plan items, partners, roadmap dates) behind one indicator of a school.

    ``included`` are counted in the numerator at the date the value is taken; ``missing`` are in
    the denominator and not (yet) in the numerator: e.g. students in no pair. KeyError for an
    unknown code.
    """
    spec = SPECS[code]
    period = period or Period.of_school_year()
    as_of = period.as_of(today or timezone.localdate())
    if isinstance(spec, RatioSpec):
        base = spec.base(period).filter(organisation=organisation)
        counted = spec.denominator(period, as_of)
        numerator = spec.numerator(period, as_of)
        included = base.filter(numerator if counted is None else numerator & counted)
        missing = base.filter(spec.missing(period, as_of))
    else:
        included, missing = _mean_drill_down(spec, organisation, period)
    order, related = ROW_ORDER[spec.rows], ROW_RELATED[spec.rows]
    return DrillDown(
        code=code,
        rows=spec.rows,
        included=included.select_related(*related).order_by(*order),
        missing=missing.select_related(*related).order_by(*order),
        included_label=spec.included_label,
        missing_label=spec.missing_label,
    )
