"""Dates inside one order agree with each other (issue #16, point 3).

A point that refers to an appendix («… согласно приложению № 1») names no date outside that
appendix's period: the pairs' terms for the pairs table, the plans' pairs' terms for the list of
plans, the roadmap's period for the roadmap. The period placeholder of a draft is built from the
same source (reports.orders.drafting.period_text), so a standard draft passes; this check catches
a date typed by hand or pairs changed after drafting, before the director signs.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Max, Min

from organisations.russian import MONTH_NUMBERS
from reports.orders.documents import order_roadmap
from reports.orders.drafting import appendix_numbers
from reports.orders.models import Order
from roadmap.deadlines import ru_date

# «1 сентября 2026 г.», «1 сентября 2026 года», «01.09.2026»; any space, a non-breaking one too.
WORDS_DATE = re.compile(
    r"\b(\d{1,2})\s+(" + "|".join(MONTH_NUMBERS) + r")\s+(\d{4})(?:\s*(?:г\.|года))?", re.IGNORECASE
)
DIGITS_DATE = re.compile(r"\b(\d{2})\.(\d{2})\.(\d{4})\b")
APPENDIX_REFERENCE = re.compile(r"приложени[еияю]\w*\s+№\s*(\d+)", re.IGNORECASE)

ERROR_DATE_OUTSIDE = (
    "Пункт {point}: дата «{date}» выходит за {what} в приложении № {appendix} "
    "(с {start} по {end}). Исправьте дату в пункте или состав приложения."
)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    what: str  # «сроки пар»: what the appendix's period is, in the accusative after «выходит за»

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def dates_in(text: str) -> list[tuple[datetime.date, str]]:
    """(date, as written) of every date the text names; an impossible date («31.02.2026») is skipped."""
    found = []
    for match in WORDS_DATE.finditer(text):
        day, month, year = int(match[1]), MONTH_NUMBERS[match[2].lower()], int(match[3])
        found.append((match.start(), day, month, year, match[0]))
    for match in DIGITS_DATE.finditer(text):
        found.append((match.start(), int(match[1]), int(match[2]), int(match[3]), match[0]))
    dates = []
    for _start, day, month, year, written in sorted(found):
        try:
            dates.append((datetime.date(year, month, day), " ".join(written.split())))
        except ValueError:
            continue
    return dates


def _pairs_period(pairs, what: str) -> Period | None:
    span = pairs.aggregate(start=Min("starts_on"), end=Max("planned_end_on"))
    return Period(span["start"], span["end"], what) if span["start"] else None


def appendix_periods(order: Order) -> dict[int, Period]:
    """{appendix number: its period} for the appendices of the order that have one."""
    numbers = appendix_numbers(
        order.kind, include_regulation=order.include_regulation, include_roadmap=order.include_roadmap
    )
    periods: dict[int, Period | None] = {}
    if "pairs" in numbers:
        periods[numbers["pairs"]] = _pairs_period(order.pairs.all(), "сроки пар")
    if "plans" in numbers:
        pairs = order.organisation.pairs.filter(plan__in=order.plans.all())
        periods[numbers["plans"]] = _pairs_period(pairs, "сроки пар, планы которых перечислены")
    if "roadmap" in numbers:
        roadmap = order_roadmap(order)
        if roadmap is not None:
            periods[numbers["roadmap"]] = Period(roadmap.starts_on, roadmap.ends_on, "период дорожной карты")
    return {number: period for number, period in periods.items() if period is not None}


def point_date_problems(order: Order) -> list[str]:
    """Each date a point names outside the period of the appendix the point refers to, in Russian."""
    periods = appendix_periods(order)
    if not periods:
        return []
    problems = []
    for position, point in enumerate(order.points.order_by("position"), start=1):
        text = f"{point.action} {point.responsible} {point.deadline}"
        referred = sorted({int(number) for number in APPENDIX_REFERENCE.findall(text)} & periods.keys())
        for number in referred:
            period = periods[number]
            problems += [
                ERROR_DATE_OUTSIDE.format(
                    point=position,
                    date=written,
                    what=period.what,
                    appendix=number,
                    start=ru_date(period.start),
                    end=ru_date(period.end),
                )
                for day, written in dates_in(text)
                if day not in period
            ]
    return problems
