"""Working days on the Russian production calendar, for the three days' notice of ст. 351.8 ТК РФ.

The `holidays` package knows Russia's public holidays and the government's transfers of days off
(«Day off (substituted …)») and the Saturdays made working days; a school corrects a day the
package does not know yet (CalendarCorrection).
"""

import datetime
from functools import lru_cache

import holidays

NOTICE_WORKING_DAYS = 3


@lru_cache(maxsize=16)
def _russian_calendar(year: int):
    return holidays.country_holidays("RU", years=[year])


def is_working_day(day: datetime.date, corrections: dict[datetime.date, bool] | None = None) -> bool:
    if corrections and day in corrections:
        return corrections[day]
    calendar = _russian_calendar(day.year)
    if day in getattr(calendar, "weekend_workdays", set()):
        return True
    return day.weekday() < 5 and day not in calendar


def add_working_days(day: datetime.date, count: int, corrections: dict[datetime.date, bool] | None = None):
    """The count-th working day after ``day`` (the day of notice itself is not counted)."""
    current = day
    found = 0
    while found < count:
        current += datetime.timedelta(days=1)
        if is_working_day(current, corrections):
            found += 1
    return current


def earliest_end(notice_on: datetime.date, corrections: dict[datetime.date, bool] | None = None) -> datetime.date:
    """The earliest day mentoring may end after a written notice given on ``notice_on``."""
    return add_working_days(notice_on, NOTICE_WORKING_DAYS, corrections)
