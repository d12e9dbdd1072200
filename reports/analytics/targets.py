"""The indicators an organisation's pages show and the target of each for a school year.

The indicator records (reports.analytics.models) name a measure of the library
(reports.analytics.indicators); a page reads ``specs_for``: the library's declaration of each
active computed indicator, with the record's titles and the target that applies. Two queries.

Which target applies, for a school year: the federal one (the seed; a year's own record before
the every-year one), then the region's for that year, then the district's for that year when the
region's allows tightening (may_tighten) and the district's is stricter, or the region set none.
A school sees its district's chain, a district its own and its region's, a region its own.
A measure of the library that no record names keeps its declaration (a measure just added).
"""

from __future__ import annotations

import dataclasses

from django.db.models import Q

from organisations.models import Organisation
from reports.analytics import indicators
from reports.analytics.indicators import HIGHER, IndicatorSpec
from reports.analytics.models import ENTERED, Indicator, IndicatorTarget


def chain_of(organisation: Organisation) -> list[Organisation]:
    """The organisation and those above it, nearest first: school, district, region."""
    chain, current = [], organisation
    while current is not None and len(chain) < 3:
        chain.append(current)
        current = current.parent if current.parent_id else None
    return chain


def _stricter(candidate: IndicatorTarget, current: IndicatorTarget) -> bool:
    if candidate.target is None or current.target is None:
        return current.target is None
    if current.direction == HIGHER:
        return candidate.target >= current.target
    return candidate.target <= current.target


def resolve(targets: list[IndicatorTarget], chain: list[Organisation], school_year: int) -> IndicatorTarget | None:
    """The target that applies, among one indicator's target records (see the module's docstring)."""
    federal = [t for t in targets if t.organisation_id is None and t.school_year in (school_year, None)]
    federal.sort(key=lambda t: t.school_year is None)
    result = federal[0] if federal else None
    for organisation in reversed([o for o in chain if o.kind != Organisation.Kind.SCHOOL]):
        own = next((t for t in targets if t.organisation_id == organisation.pk and t.school_year == school_year), None)
        if own is None:
            continue
        above_set = result is not None and result.organisation_id is not None
        if not above_set or (result.may_tighten and _stricter(own, result)):
            result = own
    return result


def indicator_records(organisation: Organisation) -> list[Indicator]:
    """The indicators of the organisation's chain, used or not: the standard set and its region's and district's own."""
    ids = [o.pk for o in chain_of(organisation) if o.kind != Organisation.Kind.SCHOOL]
    return list(
        Indicator.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=ids)).order_by("position", "pk")
    )


def specs_for(organisation: Organisation, school_year: int, *, entered: bool = False) -> list[IndicatorSpec]:
    """The declarations a page of the organisation computes, with the records' titles and targets."""
    chain = chain_of(organisation)
    records = indicator_records(organisation)
    if not records:
        return indicators.all_indicators()
    targets: dict[int, list[IndicatorTarget]] = {}
    ids = [o.pk for o in chain if o.kind != Organisation.Kind.SCHOOL]
    for target in IndicatorTarget.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id__in=ids), indicator__in=[r.pk for r in records]
    ):
        targets.setdefault(target.indicator_id, []).append(target)
    result, named = [], set()
    for record in records:
        named.add(record.measure)
        if not record.is_active:
            continue
        if record.measure == ENTERED:
            if entered:
                result.append(entered_spec(record, resolve(targets.get(record.pk, []), chain, school_year)))
            continue
        if not indicators.exists(record.measure):
            continue
        applied = resolve(targets.get(record.pk, []), chain, school_year)
        result.append(
            dataclasses.replace(
                indicators.get(record.measure),
                code=record.code,
                title=record.title,
                short_title=record.short_title,
                description=record.description or indicators.get(record.measure).description,
                target=float(applied.target) if applied and applied.target is not None else None,
                direction=applied.direction if applied else HIGHER,
            )
        )
    codes = {record.code for record in records}
    # A standard measure no record names (declared after the seed, or a test's throw-away one).
    result += [spec for spec in indicators.all_indicators() if spec.code not in named and spec.code not in codes]
    return result


class _Entered:
    """The «formula» of an indicator the school enters: nothing to count."""

    def counts(self, organisation_ids, period, dates):
        return {}


def entered_spec(record: Indicator, applied: IndicatorTarget | None) -> IndicatorSpec:
    return IndicatorSpec(
        code=record.code,
        title=record.title,
        short_title=record.short_title,
        description=record.description,
        unit=record.unit,
        formula=_Entered(),
        target=float(applied.target) if applied and applied.target is not None else None,
        direction=applied.direction if applied else HIGHER,
    )
