"""School years start on 1 September; a year is stored as the calendar year it starts in."""

import datetime

from django.utils import timezone

SCHOOL_YEAR_START_MONTH = 9


def current_school_year(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= SCHOOL_YEAR_START_MONTH else today.year - 1


def school_year_label(year: int) -> str:
    """2026 -> «2026/2027»"""
    return f"{year}/{year + 1}"


def school_year_choices(around: int | None = None, before: int = 2, after: int = 1) -> list[tuple[int, str]]:
    year = around if around is not None else current_school_year()
    return [(y, school_year_label(y)) for y in range(year - before, year + after + 1)]


def school_year_from(params) -> int:
    """The school year of ``?year=2026`` (2000–2100) in a request's GET or an export's params; else the current one."""
    value = str(params.get("year", "") or "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return current_school_year()
