"""The monitoring indicators of DESIGN.md §5 for a school and a period, and for a district.

The indicators are declared in reports.analytics.indicators (title, target, unit, formula) and
computed by their formulas (reports.analytics.formulas): each formula gives the numerator and
denominator of a list of schools in ONE query grouped by organisation, so the school page asks for
one school and the district page for all of its schools with the same number of queries.
District totals are sums of numerators over sums of denominators, never means of the schools'
percentages.

Status colours (``Indicator.status``):
  ``none`` — nothing to count yet (no denominator) or the indicator has no target;
  ``ok``   — the value reaches the target;
  ``warn`` — the value reaches 80 % of the target (WARN_SHARE), e.g. 56–70 % of students;
  ``bad``  — below that.
For an indicator where lower is better the comparisons turn round (warn up to the target / 80 %).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format

from organisations.figures import SUPPRESSED_TEXT, is_small, mean, suppress_cells, whole_percent
from organisations.models import Organisation
from organisations.russian import plural
from reports.analytics import indicators, targets
from reports.analytics.formulas import REGISTER_STATUSES, Period, counted_pairs
from reports.analytics.indicators import COUNT, HIGHER, MEAN, PERCENT, IndicatorSpec

__all__ = ["REGISTER_STATUSES", "Period", "counted_pairs"]

OK, WARN, BAD, NONE = "ok", "warn", "bad", "none"
WARN_SHARE = 0.8
STATUS_LABELS = {OK: "цель достигнута", WARN: "близко к цели", BAD: "ниже цели", NONE: "без цели"}
# Bootstrap's contextual colours of the statuses.
STATUS_COLOURS = {OK: "success", WARN: "warning", BAD: "danger", NONE: "secondary"}


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
    kind: str = PERCENT
    drillable: bool = True
    direction: str = HIGHER
    # Means: the people whose answers are averaged, and the people asked (pairs' participants).
    respondents: int | None = None
    asked: int | None = None
    # What the value counts, in words: «обучающихся» after «84 из 120 ».
    counted: tuple[str, str, str] | None = None
    # How it is computed, for the hover and the справка's notes.
    formula_text: str = ""
    # A group under MIN_GROUP shown above the school (organisations.figures): «менее 5», no value.
    suppressed: bool = False
    # Counts people or averages their answers (IndicatorSpec.about_people): the groups rule applies.
    about_people: bool = False

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def is_ratio(self) -> bool:
        return self.kind == PERCENT

    @property
    def is_count(self) -> bool:
        return self.kind == COUNT

    @property
    def display(self) -> str:
        """«4,5 %», «7,85 из 10», «+0,6 балла»; «—» without a value; «менее 5» for a hidden small group."""
        if self.suppressed:
            return SUPPRESSED_TEXT
        return _display(self.value, self.unit, self.kind)

    @property
    def trend_rows(self) -> list[tuple[str, str]]:
        """The trend as text, month by month: the chart's alternative for screen readers."""
        return [(point.label, _display(point.value, self.unit, self.kind)) for point in self.trend]

    @property
    def counts_text(self) -> str:
        """What the value counts: «84 из 120 обучающихся», «ответили 3 человека из 25»; «» without data."""
        if self.suppressed:
            return "группа меньше 5 человек не показывается"
        if self.kind == MEAN:
            return _respondents_text(self.code, self.respondents, self.asked)
        if self.kind == COUNT or not self.denominator:
            return ""
        noun = f" {plural(int(self.denominator), *self.counted)}" if self.counted else ""
        return f"{int(self.numerator)} из {int(self.denominator)}{noun}"

    @property
    def counts_short(self) -> str:
        """The narrow columns' form: «84 из 120», «ответили 3 из 25»."""
        if self.suppressed:
            return SUPPRESSED_TEXT
        if self.kind == MEAN:
            if not self.respondents and not self.asked:
                return ""
            n = self.respondents or 0
            return f"{_answered_verb(n)} {n} из {self.asked or n}"
        if self.kind == COUNT or not self.denominator:
            return ""
        return f"{int(self.numerator)} из {int(self.denominator)}"

    @property
    def target_prefix(self) -> str:
        """«не менее » before a share's target below 100 %, «не более » where lower is better."""
        if self.direction != HIGHER:
            return "не более "
        return "не менее " if self.is_ratio and self.target is not None and self.target < 100 else ""

    @property
    def target_display(self) -> str:
        return "" if self.target is None else _display(self.target, self.unit, self.kind)


def _display(value: float | None, unit: str, kind: str = PERCENT) -> str:
    if value is None:
        return "—"
    if kind == COUNT:
        text = number_format(value, decimal_pos=0)
        return f"{text}\u00a0{unit}" if unit else text
    if unit == "%":
        text = number_format(value, decimal_pos=0 if float(value).is_integer() else 1)
    else:
        text = number_format(value, decimal_pos=2)
        if unit == "балла" and value > 0:
            text = f"+{text}"
    return f"{text}\u00a0{unit}"


def _respondents_text(code: str, respondents: int | None, asked: int | None) -> str:
    if not respondents and not asked:
        return "ответов пока нет"
    respondents = respondents or 0
    both = " на обе анкеты" if code == "growth" else ""
    people = plural(respondents, "человек", "человека", "человек")
    return f"{_answered_verb(respondents)}{both} {respondents}\u00a0{people} из {asked or respondents}"


def _answered_verb(n: int) -> str:
    """«ответил 1 (21, 101) человек», «ответили 3 человека»: the verb agrees with the numeral."""
    return "ответил" if plural(n, "one", "few", "many") == "one" else "ответили"


def status_of(value: float | None, target: float | None, *, direction: str = HIGHER) -> str:
    """The colour rule of the module's docstring."""
    if value is None or target is None:
        return NONE
    if direction != HIGHER:
        if value <= target:
            return OK
        return WARN if value * WARN_SHARE <= target else BAD
    if value >= target:
        return OK
    if value >= target * WARN_SHARE:
        return WARN
    return BAD


# --- Putting it together --------------------------------------------------------------------


def _percent(numerator, denominator) -> int | None:
    # The one rounding of every figure (organisations.figures): whole percent, half up.
    return whole_percent(numerator, denominator)


def _indicator(spec: IndicatorSpec, numerator, denominator, respondents=None, asked=None, *, trend=()) -> Indicator:
    """The value of a declaration from its numerator and denominator (means: sum and count).

    The value is the figure as printed (whole percent, a mean to two places, both half up); the
    status compares the exact share with the target, so 89.6 % of a 90 % target shows «90 %»
    and is still «близко к цели» — the target is reached when it really is.
    """
    exact = None
    if spec.unit == MEAN:
        value = mean(numerator, denominator)
        exact = numerator / denominator if denominator else None
        numerator = numerator if denominator else None
    elif spec.unit == COUNT:
        value, denominator = numerator, None
        exact = value
    else:
        value = _percent(numerator, denominator)
        exact = numerator * 100 / denominator if denominator else None
    return Indicator(
        code=spec.code,
        title=spec.title,
        value=value,
        numerator=numerator,
        denominator=denominator,
        target=spec.target,
        unit=spec.label,
        status=status_of(exact, spec.target, direction=spec.direction),
        description=spec.description,
        trend=tuple(trend),
        kind=spec.unit,
        drillable=spec.has_drill_down,
        direction=spec.direction,
        respondents=respondents if spec.unit == MEAN else None,
        asked=asked if spec.unit == MEAN else None,
        counted=spec.counted or None,
        formula_text=spec.formula_text,
        about_people=spec.about_people,
    )


def _trend_value(spec: IndicatorSpec, numerator, denominator) -> float | None:
    return numerator if spec.unit == COUNT else _percent(numerator, denominator)


def _compute(
    organisation_ids: list[int],
    period: Period,
    today: datetime.date,
    *,
    with_trend: bool,
    only: str | None = None,
    specs: list[IndicatorSpec] | None = None,
) -> dict[int, dict[str, Indicator]]:
    """Every indicator (or ``only`` one) of every organisation: one query per formula.

    ``specs``: the declarations with the records' titles and targets (reports.analytics.targets);
    the library's own by default."""
    as_of = period.as_of(today)
    result: dict[int, dict[str, Indicator]] = {pk: {} for pk in organisation_ids}
    specs = indicators.all_indicators() if specs is None else specs
    if only is not None:
        specs = [spec for spec in specs if spec.code == only] or [indicators.get(only)]
    for spec in specs:
        months = period.month_ends(today) if with_trend and spec.has_trend else []
        dates = [as_of, *(d for _, d in months if d is not None)]
        counts = spec.formula.counts(organisation_ids, period, dates)
        empty = (0.0, 0, 0, 0) if spec.unit == MEAN else (0, 0)
        for pk in organisation_ids:
            values = counts.get(pk) or [empty] * len(dates)
            trend, monthly = [], iter(values[1:])
            for label, d in months:
                n, den = next(monthly) if d is not None else (0, 0)
                trend.append(TrendPoint(label, d, _trend_value(spec, n, den) if d is not None else None))
            result[pk][spec.code] = _indicator(spec, *values[0], trend=trend)
    return result


def school_indicators(
    *, organisation: Organisation, period: Period | None = None, today: datetime.date | None = None
) -> list[Indicator]:
    """The indicators of one school with their monthly trends, in the order of the pages.

    A fixed number of queries (one per ratio indicator, a few for the means), whatever the
    number of people.
    """
    period = period or Period.of_school_year()
    today = today or timezone.localdate()
    specs = targets.specs_for(organisation, period.school_year)
    return list(_compute([organisation.pk], period, today, with_trend=True, specs=specs)[organisation.pk].values())


def school_indicator(
    *, organisation: Organisation, code: str, period: Period | None = None, today: datetime.date | None = None
) -> Indicator:
    """One indicator of a school without its trend (the drill-down page's header). KeyError for an unknown code."""
    period = period or Period.of_school_year()
    today = today or timezone.localdate()
    specs = targets.specs_for(organisation, period.school_year)
    return _compute([organisation.pk], period, today, with_trend=False, only=code, specs=specs)[organisation.pk][code]


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
    # The declarations of the columns, in order, with the records' titles and targets.
    specs: list[IndicatorSpec] = field(default_factory=list)


def district_indicators(
    *, district: Organisation, period: Period | None = None, today: datetime.date | None = None, suppress: bool = True
) -> DistrictKpi:
    """Every indicator of every school of the district and the district's totals.

    One query for the schools, one per ratio indicator, a few for the means: the count does not
    depend on the number of schools. Totals are Σ numerators / Σ denominators.
    """
    period = period or Period.of_school_year()
    today = today or timezone.localdate()
    schools = list(district.schools_below().order_by("short_name", "pk"))
    specs = targets.specs_for(district, period.school_year)
    values = _compute([s.pk for s in schools], period, today, with_trend=False, specs=specs) if schools else {}
    rows = [SchoolRow(school, values[school.pk]) for school in schools]
    totals = _totals([row.indicators for row in rows], specs)
    # Everything here is shown above the school: no group under 5 (organisations.figures).
    # ``suppress=False`` only for tests of the arithmetic itself.
    if suppress:
        _suppress_district(rows, totals)
    return DistrictKpi(period=period, schools=rows, totals=totals, specs=specs)


def _totals(cells_of_rows: list[dict[str, Indicator]], specs: list[IndicatorSpec]) -> dict[str, Indicator]:
    """Σ numerators / Σ denominators of every indicator over the rows (schools or districts)."""
    totals = {}
    for spec in specs:
        cells = [row[spec.code] for row in cells_of_rows]
        numerator = sum(cell.numerator or 0 for cell in cells)
        denominator = sum(cell.denominator or 0 for cell in cells)
        respondents = sum(cell.respondents or 0 for cell in cells)
        asked = sum(cell.asked or 0 for cell in cells)
        totals[spec.code] = _indicator(spec, numerator, denominator, respondents, asked)
    return totals


def region_indicators(
    *, region: Organisation, period: Period | None = None, today: datetime.date | None = None, suppress: bool = True
) -> DistrictKpi:
    """Every indicator of every district of the region (its schools' sums) and the region's totals.

    The rows are the districts (``SchoolRow.school`` is the district). The schools of every
    district are computed together: one query for the districts, one for the schools, one per
    ratio indicator, a few for the means, whatever the number of schools.
    """
    period = period or Period.of_school_year()
    today = today or timezone.localdate()
    districts = list(region.schools.filter(kind=Organisation.Kind.DISTRICT).order_by("short_name", "pk"))
    schools = list(region.schools_below().values_list("pk", "parent_id"))
    specs = targets.specs_for(region, period.school_year)
    values = _compute([pk for pk, _ in schools], period, today, with_trend=False, specs=specs) if schools else {}
    by_district: dict[int, list[dict[str, Indicator]]] = {district.pk: [] for district in districts}
    for pk, district_id in schools:
        by_district[district_id].append(values[pk])
    rows = [SchoolRow(district, _totals(by_district[district.pk], specs)) for district in districts]
    totals = _totals([values[pk] for pk, _ in schools], specs)
    if suppress:
        _suppress_district(rows, totals)
    return DistrictKpi(period=period, schools=rows, totals=totals, specs=specs)


def _group_size(indicator: Indicator) -> tuple[float | None, float | None]:
    """(the people counted, the people asked or the whole) of an indicator about people."""
    if indicator.kind == MEAN:
        return indicator.respondents, indicator.asked
    return indicator.numerator, indicator.denominator


def suppressed(indicator: Indicator) -> Indicator:
    """The indicator shown as «менее 5»: no value, no counts, no trend."""
    return replace(
        indicator,
        value=None,
        numerator=None,
        denominator=None,
        respondents=None,
        asked=None,
        status=NONE,
        trend=(),
        suppressed=True,
    )


def suppress_small_groups(indicators_of: dict[str, Indicator]) -> dict[str, Indicator]:
    """One organisation's indicators as a district or region user sees them (organisations.figures):
    an indicator about people whose counted group or whole is 1–4 people reads «менее 5»."""
    result = {}
    for code, indicator in indicators_of.items():
        small = indicator.about_people and any(is_small(n) for n in _group_size(indicator))
        result[code] = suppressed(indicator) if small else indicator
    return result


def _suppress_district(rows: list[SchoolRow], totals: dict[str, Indicator]) -> None:
    """Small groups of the schools and of the district hidden, plus a complementary cell wherever the
    district's total would give a hidden school's figure back by subtraction."""
    for code, total in list(totals.items()):
        if not total.about_people:
            continue
        cells = [row.indicators[code] for row in rows]
        total_small = any(is_small(n) for n in _group_size(total))
        hidden = suppress_cells(
            [_group_size(cell)[0] for cell in cells],
            total_shown=not total_small,
            also_hidden=[i for i, cell in enumerate(cells) if is_small(_group_size(cell)[1])],
        )
        for i in hidden:
            rows[i].indicators[code] = suppressed(cells[i])
        if total_small:
            totals[code] = suppressed(total)


def rank_schools(rows: list[SchoolRow], code: str) -> list[SchoolRow]:
    """Schools by the indicator, best first (a higher value, or a lower one where the declaration
    says so); schools without a value last, by name. Equal values share a rank."""
    direction = rows[0].indicators[code].direction if rows else HIGHER
    sign = -1 if direction == HIGHER else 1
    with_value = sorted(
        (row for row in rows if row.indicators[code].value is not None),
        key=lambda row: (sign * row.indicators[code].value, row.school.short_name),
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


def drill_down(
    *, organisation: Organisation, code: str, period: Period | None = None, today: datetime.date | None = None
) -> DrillDown:
    """The people (entries, plan items, partners, roadmap dates) behind one indicator of a school.

    ``included`` are counted in the numerator at the date the value is taken; ``missing`` are in
    the denominator and not (yet) in the numerator: e.g. students in no pair. KeyError for an
    unknown code or an indicator without a drill-down.
    """
    spec = indicators.get(code)
    if not spec.has_drill_down:
        raise KeyError(code)
    period = period or Period.of_school_year()
    as_of = period.as_of(today or timezone.localdate())
    included, missing = spec.drill_rows(organisation, period, as_of)
    order, related = ROW_ORDER[spec.rows], ROW_RELATED[spec.rows]
    return DrillDown(
        code=code,
        rows=spec.rows,
        included=included.select_related(*related).order_by(*order),
        missing=missing.select_related(*related).order_by(*order),
        included_label=spec.included_label,
        missing_label=spec.missing_label,
    )
