"""Deadlines of roadmap items: the text as schools type it and the real value behind it.

Pure: no database access. ``parse_deadline(text, period=…)`` turns the spellings found in real
roadmaps («Сентябрь 2024г», «01.09.2024г», «До конца октября», «В течение всего периода
реализации ЦМН», «Ежегодно (сентябрь)», «1 раз в квартал»…) into a ``Deadline``;
``Deadline.display()`` writes it in our own format («сентябрь 2024 г.», «01.09.2024»,
«в течение всего периода», «ежегодно в сентябре»…), which parses back to the same value.

A month without a year («до конца октября», «Май») means the first such month within the
roadmap's period. A school year runs from 1 September to 31 August (organisations.school_year).
Text that cannot be understood becomes a ``TEXT`` deadline: kept as typed, with no due date.

A recurring deadline (``RECURRING``) produces occurrences within the period, each with its
own span: yearly (in a given month, or through each school year), quarterly, monthly.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, replace

from django.db import models

from organisations.russian import MONTHS_GENITIVE
from organisations.school_year import SCHOOL_YEAR_START_MONTH


class DeadlineKind(models.TextChoices):
    DATE = "date", "точная дата"
    BY = "by", "не позднее даты"
    MONTH = "month", "месяц"
    RANGE = "range", "промежуток"
    PERIOD = "period", "в течение всего периода"
    SCHEDULE = "schedule", "по отдельному графику"
    RECURRING = "recurring", "повторяется"
    NONE = "none", "срок не указан"
    TEXT = "text", "срок не распознан"


class Recurrence(models.TextChoices):
    YEARLY = "yearly", "ежегодно"
    QUARTERLY = "quarterly", "ежеквартально"
    MONTHLY = "monthly", "ежемесячно"


MONTHS_NOMINATIVE = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
MONTHS_PREPOSITIONAL = (
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
)
_MONTH_NUMBERS = {
    name: number
    for forms in (MONTHS_NOMINATIVE, MONTHS_GENITIVE, MONTHS_PREPOSITIONAL)
    for number, name in enumerate(forms, start=1)
}
_MONTH = "(" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + ")"
_YEAR = r"(\d{4})"
_DATE = r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})"
_TEXT_DATE = r"(\d{1,2}) " + _MONTH + r"(?: (\d{4}))?"


@dataclass(frozen=True)
class Period:
    """The period of a roadmap, both days included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def of_school_years(cls, first_year: int, last_year: int) -> Period:
        """2024, 2026 -> 01.09.2024–31.08.2026 (the school years 2024/2025 and 2025/2026)."""
        return cls(datetime.date(first_year, SCHOOL_YEAR_START_MONTH, 1), _last_day(last_year, 8))


@dataclass(frozen=True)
class Deadline:
    """The real value of a deadline.

    ``start``/``end`` are real days (``end`` is the due date) for DATE, BY, MONTH and RANGE.
    PERIOD and an unbounded RECURRING deadline take their span from the roadmap's period, so
    they follow it when the period changes; a bounded RECURRING one («Август 2024–2026г.»)
    keeps its own span. ``month`` is the month of a yearly recurrence (None: through the whole
    school year). ``note`` is what followed the deadline in brackets, kept for display.
    ``text`` is the original text of a TEXT deadline.
    """

    kind: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    recurrence: str = ""
    month: int | None = None
    note: str = ""
    text: str = ""

    @property
    def recognised(self) -> bool:
        return self.kind not in (DeadlineKind.TEXT, DeadlineKind.NONE)

    def occurrences(self, period: Period) -> list[tuple[datetime.date | None, datetime.date | None]]:
        """(start, due) of every occurrence; one for a one-off item, (None, None) when it has no date."""
        if self.kind == DeadlineKind.RECURRING:
            return _recurring_spans(self, period)
        if self.kind == DeadlineKind.PERIOD:
            return [(period.start, period.end)]
        if self.kind == DeadlineKind.BY:
            return [(None, self.end)]
        if self.kind in (DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.RANGE):
            return [(self.start, self.end)]
        return [(None, None)]

    def display(self) -> str:
        """Our spelling: «сентябрь 2024 г.», «до 10.03.2025», «ежегодно в сентябре»…"""
        text = _display_head(self)
        if self.note:
            text = f"{text} {self.note}" if text else self.note
        return text

    def shifted(self, months: int) -> Deadline:
        """The same deadline moved by whole months (a copy into another period)."""
        if not months or self.kind in (DeadlineKind.PERIOD, DeadlineKind.SCHEDULE, DeadlineKind.NONE):
            return self
        if self.kind == DeadlineKind.TEXT:
            return self
        start = shift_months(self.start, months) if self.start else None
        end = shift_months(self.end, months) if self.end else None
        return replace(self, start=start, end=end)


# --- Dates ---------------------------------------------------------------------------------


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _month_span(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), _last_day(year, month)


def shift_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later; the last day of a month stays the last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return datetime.date(year, month, last)
    return datetime.date(year, month, min(day.day, last))


def months_between(first: datetime.date, second: datetime.date) -> int:
    """Whole months from the month of ``first`` to the month of ``second``."""
    return (second.year - first.year) * 12 + second.month - first.month


def ru_date(day: datetime.date) -> str:
    """«1 сентября 2025 г.»"""
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def short_date(day: datetime.date) -> str:
    """«25.10.2025»"""
    return f"{day:%d.%m.%Y}"


def month_label(year: int, month: int) -> str:
    """«Сентябрь 2026»"""
    return f"{MONTHS_NOMINATIVE[month - 1].capitalize()} {year}"


def _first_in_period(month: int, period: Period) -> int:
    """The year of the first such month on or after the period's start."""
    return period.start.year if month >= period.start.month else period.start.year + 1


def _school_year_end(day: datetime.date) -> datetime.date:
    """31 August of the school year that contains the day."""
    year = day.year + 1 if day.month >= SCHOOL_YEAR_START_MONTH else day.year
    return _last_day(year, 8)


def _recurring_spans(deadline: Deadline, period: Period) -> list[tuple[datetime.date, datetime.date]]:
    start = deadline.start or period.start
    end = deadline.end or period.end
    spans = []
    if deadline.recurrence == Recurrence.YEARLY and deadline.month:
        for year in range(start.year, end.year + 1):
            first, last = _month_span(year, deadline.month)
            if first >= start.replace(day=1) and last <= _last_day(end.year, end.month):
                spans.append((max(first, start), min(last, end)))
    elif deadline.recurrence == Recurrence.YEARLY:
        year = start.year if start.month >= SCHOOL_YEAR_START_MONTH else start.year - 1
        while datetime.date(year, SCHOOL_YEAR_START_MONTH, 1) <= end:
            first, last = datetime.date(year, SCHOOL_YEAR_START_MONTH, 1), _last_day(year + 1, 8)
            if last >= start:
                spans.append((max(first, start), min(last, end)))
            year += 1
    elif deadline.recurrence in (Recurrence.QUARTERLY, Recurrence.MONTHLY):
        step = 3 if deadline.recurrence == Recurrence.QUARTERLY else 1
        month = ((start.month - 1) // step) * step + 1
        first = datetime.date(start.year, month, 1)
        while first <= end:
            last = shift_months(first, step) - datetime.timedelta(days=1)
            spans.append((max(first, start), min(last, end)))
            first = shift_months(first, step)
    return spans


# --- Display ------------------------------------------------------------------------------


def _is_month_aligned(start: datetime.date, end: datetime.date) -> bool:
    return start.day == 1 and end == _last_day(end.year, end.month)


def _display_head(deadline: Deadline) -> str:
    kind, start, end = deadline.kind, deadline.start, deadline.end
    if kind == DeadlineKind.DATE:
        return short_date(end)
    if kind == DeadlineKind.BY:
        return f"до {short_date(end)}"
    if kind == DeadlineKind.MONTH:
        return f"{MONTHS_NOMINATIVE[end.month - 1]} {end.year} г."
    if kind == DeadlineKind.RANGE:
        if not _is_month_aligned(start, end):
            return f"{short_date(start)} – {short_date(end)}"
        first, last = MONTHS_NOMINATIVE[start.month - 1], MONTHS_NOMINATIVE[end.month - 1]
        if start.year == end.year:
            return f"{first} – {last} {end.year} г."
        return f"{first} {start.year} г. – {last} {end.year} г."
    if kind == DeadlineKind.PERIOD:
        return "в течение всего периода"
    if kind == DeadlineKind.SCHEDULE:
        return "по отдельному графику"
    if kind == DeadlineKind.RECURRING:
        if deadline.recurrence == Recurrence.YEARLY:
            text = (
                f"ежегодно в {MONTHS_PREPOSITIONAL[deadline.month - 1]}"
                if deadline.month
                else ("ежегодно, в течение учебного года")
            )
        else:
            text = Recurrence(deadline.recurrence).label
        if start and end:
            text += f", {start.year}–{end.year} гг."
        return text
    if kind == DeadlineKind.TEXT:
        return deadline.text
    return ""


# --- Parsing ------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """One line without markup, list numbering or doubled spaces; case kept."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = " ".join(text.split())
    text = re.sub(r"^\d{1,2}\.\s+(?=\D)", "", text)  # «2. Сентябрь-ноябрь 2022» from a numbered list
    return text.strip()


def _fold(text: str) -> str:
    """Lower case, «ё» as «е», one kind of dash without spaces, no «г.»/«гг.»/«года» after years."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"\s*[-–—]\s*", "-", text)
    text = re.sub(r"(\d{4})\s*(?:гг|г|года|год|годы|годов)\.?(?=[^а-я]|$)", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip(" .,;")
    return text


def _year(value: str) -> int:
    year = int(value)
    return year + 2000 if year < 100 else year


def _date(day: str, month: str, year: str) -> datetime.date | None:
    try:
        return datetime.date(_year(year), int(month), int(day))
    except ValueError:
        return None


def _month_in(month_name: str, year: str | None, period: Period) -> tuple[int, int]:
    month = _MONTH_NUMBERS[month_name]
    return (int(year) if year else _first_in_period(month, period)), month


def _text_date(day: str, month_name: str, year: str | None, period: Period) -> datetime.date | None:
    year_value, month = _month_in(month_name, year, period)
    try:
        return datetime.date(year_value, month, int(day))
    except ValueError:
        return None


def _range(start: datetime.date, end: datetime.date) -> Deadline | None:
    if end < start:
        return None
    return Deadline(DeadlineKind.RANGE, start, end)


def _months_range(first: tuple[int, int], last: tuple[int, int]) -> Deadline | None:
    return _range(_month_span(*first)[0], _month_span(*last)[1])


def _parse_folded(t: str, period: Period) -> Deadline | None:
    """One rule per spelling met in real roadmaps; None when no rule fits."""
    if not t:
        return Deadline(DeadlineKind.NONE)
    if re.fullmatch(r"по (?:отдельному|особому|утвержденному) (?:графику|плану)", t):
        return Deadline(DeadlineKind.SCHEDULE)
    if re.match(r"в течение (?:всего )?(?:периода|времени|срока)(?: |$)", t):
        return Deadline(DeadlineKind.PERIOD)
    if re.fullmatch(r"(?:ежегодно,? )?в течение (?:каждого )?(?:учебного )?года", t) or t == "ежегодно":
        return Deadline(DeadlineKind.RECURRING, recurrence=Recurrence.YEARLY)
    if m := re.fullmatch(r"ежегодно,? (?:в )?\(?(?:в )?" + _MONTH + r"\)?(?:, (\d{4})-(\d{4}))?", t):
        bounds = (None, None)
        if m[2]:
            bounds = (_month_span(int(m[2]), _MONTH_NUMBERS[m[1]])[0], _month_span(int(m[3]), _MONTH_NUMBERS[m[1]])[1])
        return Deadline(DeadlineKind.RECURRING, *bounds, recurrence=Recurrence.YEARLY, month=_MONTH_NUMBERS[m[1]])
    if re.fullmatch(r"(?:ежеквартально|(?:1|один) раз в квартал|каждый квартал)", t):
        return Deadline(DeadlineKind.RECURRING, recurrence=Recurrence.QUARTERLY)
    if re.fullmatch(r"(?:ежемесячно|(?:1|один) раз в месяц|каждый месяц)", t):
        return Deadline(DeadlineKind.RECURRING, recurrence=Recurrence.MONTHLY)
    # «Май 2025-2026», «Август 2024-2026г.»: the month of every year from the first to the last.
    if m := re.fullmatch(_MONTH + r" (\d{4})-(\d{4})", t):
        month = _MONTH_NUMBERS[m[1]]
        if int(m[3]) > int(m[2]):
            start, end = _month_span(int(m[2]), month)[0], _month_span(int(m[3]), month)[1]
            return Deadline(DeadlineKind.RECURRING, start, end, recurrence=Recurrence.YEARLY, month=month)
    if m := re.fullmatch(r"в течение (?:первого|1) полугодия", t):
        start = period.start
        end = datetime.date(start.year, 12, 31) if start.month >= 7 else datetime.date(start.year, 6, 30)
        return _range(start, end)
    if m := re.fullmatch(r"(?:в течение )?(\d{4})[-/](\d{4}) (?:учебного|учебных) (?:года|годов)", t):
        return _range(datetime.date(int(m[1]), SCHOOL_YEAR_START_MONTH, 1), _last_day(int(m[2]), 8))
    if m := re.fullmatch(r"до (?:конца|окончания) (\d{4})[-/](\d{4}) учебного года", t):
        return Deadline(DeadlineKind.BY, end=_last_day(int(m[2]), 8))
    if re.fullmatch(r"до (?:конца|окончания) учебного года", t):
        return Deadline(DeadlineKind.BY, end=_school_year_end(period.start))
    if re.fullmatch(r"(?:в конце|до конца|до окончания|до завершения) (?:отчетного )?периода", t):
        return Deadline(DeadlineKind.BY, end=period.end)
    if m := re.fullmatch(r"до (?:конца|окончания) " + _MONTH + r"(?: (\d{4}))?", t):
        return Deadline(DeadlineKind.BY, end=_last_day(*_month_in(m[1], m[2], period)))
    if m := re.fullmatch(r"до " + _MONTH + r"(?: (\d{4}))?", t):
        year, month = _month_in(m[1], m[2], period)
        return Deadline(DeadlineKind.BY, end=datetime.date(year, month, 1) - datetime.timedelta(days=1))
    if m := re.fullmatch(r"(?:до|не позднее) " + _DATE, t):
        day = _date(m[1], m[2], m[3])
        return Deadline(DeadlineKind.BY, end=day) if day else None
    if m := re.fullmatch(r"(?:до|не позднее) " + _TEXT_DATE, t):
        day = _text_date(m[1], m[2], m[3], period)
        return Deadline(DeadlineKind.BY, end=day) if day else None
    if m := re.fullmatch(r"(?:с )?" + _DATE + r"(?:-| по )" + _DATE, t):
        first, last = _date(m[1], m[2], m[3]), _date(m[4], m[5], m[6])
        return _range(first, last) if first and last else None
    if m := re.fullmatch(_DATE, t):
        day = _date(m[1], m[2], m[3])
        return Deadline(DeadlineKind.DATE, day, day) if day else None
    if m := re.fullmatch(_TEXT_DATE, t):
        day = _text_date(m[1], m[2], m[3], period)
        return Deadline(DeadlineKind.DATE, day, day) if day else None
    if m := re.fullmatch(_MONTH + r"(?: (\d{4}))?", t):
        return Deadline(DeadlineKind.MONTH, *_month_span(*_month_in(m[1], m[2], period)))
    # «Сентябрь-ноябрь 2022», «Октябрь-ноябрь», «Декабрь-январь 2022-2023гг.»
    if m := re.fullmatch(_MONTH + "-" + _MONTH + r"(?: (\d{4})(?:-(\d{4}))?)?", t):
        first = _month_in(m[1], m[3], period)
        second_month = _MONTH_NUMBERS[m[2]]
        second_year = int(m[4]) if m[4] else first[0] + (1 if second_month < first[1] else 0)
        return _months_range(first, (second_year, second_month))
    # «Декабрь 2022 – январь 2023», as we display a range over two years.
    if m := re.fullmatch(_MONTH + r" (\d{4})-" + _MONTH + r" (\d{4})", t):
        return _months_range(_month_in(m[1], m[2], period), _month_in(m[3], m[4], period))
    return None


def parse_deadline(value, *, period: Period) -> Deadline:
    """The deadline a cell or a form field means; TEXT (kept as typed) when it is not understood."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return Deadline(DeadlineKind.DATE, value, value)
    text = _clean(str(value) if value is not None else "")
    result = _parse_folded(_fold(text), period)
    if result is None and "(" in text:
        # «Ежегодно сентябрь (дополнительно по запросу педагогов)»: the head is the deadline,
        # the rest a note kept for display.
        head, tail = text.split("(", 1)
        if head.strip():
            result = _parse_folded(_fold(head), period)
            if result is not None and result.kind != DeadlineKind.NONE:
                return replace(result, note="(" + tail.strip())
            result = None
    if result is None:
        return Deadline(DeadlineKind.TEXT, text=text)
    return result
