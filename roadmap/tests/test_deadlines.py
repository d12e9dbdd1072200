"""Deadlines: every spelling of the seeds parsed and displayed; recurring occurrences; overdue."""

import datetime

import pytest

from roadmap.deadlines import (
    Deadline,
    DeadlineKind,
    Period,
    Recurrence,
    months_between,
    parse_deadline,
    ru_date,
    shift_months,
)
from roadmap.models import Occurrence

D = datetime.date
P2024 = Period.of_school_years(2024, 2026)  # seed 000: «на 2024-2026 годы»
P2022 = Period.of_school_years(2022, 2023)  # seeds 002 and 004: the 2022/2023 school year
P2021 = Period.of_school_years(2021, 2022)  # seed 003: approved in April 2022

# (text as in the seed, period, kind, our display, (start, due) of the first occurrence, occurrences)
SEED_DEADLINES = [
    # seed 000
    ("Сентябрь 2024г", P2024, "month", "сентябрь 2024 г.", (D(2024, 9, 1), D(2024, 9, 30)), 1),
    ("01.09.2024г", P2024, "date", "01.09.2024", (D(2024, 9, 1), D(2024, 9, 1)), 1),
    (
        "В течение всего периода реализации ЦМН",
        P2024,
        "period",
        "в течение всего периода",
        (D(2024, 9, 1), D(2026, 8, 31)),
        1,
    ),
    ("До 10.03.2025г", P2024, "by", "до 10.03.2025", (None, D(2025, 3, 10)), 1),
    ("До конца 2024-2025 учебного года", P2024, "by", "до 31.08.2025", (None, D(2025, 8, 31)), 1),
    ("По отдельному графику", P2024, "schedule", "по отдельному графику", (None, None), 1),
    ("18.09.2024", P2024, "date", "18.09.2024", (D(2024, 9, 18), D(2024, 9, 18)), 1),
    ("До октября 2024г", P2024, "by", "до 30.09.2024", (None, D(2024, 9, 30)), 1),
    ("До конца октября", P2024, "by", "до 31.10.2024", (None, D(2024, 10, 31)), 1),
    ("До конца октября 2024", P2024, "by", "до 31.10.2024", (None, D(2024, 10, 31)), 1),
    (
        "В течение 2024-2026 учебного года",
        P2024,
        "range",
        "сентябрь 2024 г. – август 2026 г.",
        (D(2024, 9, 1), D(2026, 8, 31)),
        1,
    ),
    ("Май 2025", P2024, "month", "май 2025 г.", (D(2025, 5, 1), D(2025, 5, 31)), 1),
    ("До конца августа 2025", P2024, "by", "до 31.08.2025", (None, D(2025, 8, 31)), 1),
    ("До конца мая 2025", P2024, "by", "до 31.05.2025", (None, D(2025, 5, 31)), 1),
    ("", P2024, "none", "", (None, None), 1),
    ("Май 2025- 2026", P2024, "recurring", "ежегодно в мае, 2025–2026 гг.", (D(2025, 5, 1), D(2025, 5, 31)), 2),
    ("Май 2025-2026", P2024, "recurring", "ежегодно в мае, 2025–2026 гг.", (D(2025, 5, 1), D(2025, 5, 31)), 2),
    ("1 раз в квартал", P2024, "recurring", "ежеквартально", (D(2024, 9, 1), D(2024, 9, 30)), 9),
    (
        "В течение всего времени реализации ЦПН",
        P2024,
        "period",
        "в течение всего периода",
        (D(2024, 9, 1), D(2026, 8, 31)),
        1,
    ),
    ("Август 2024", P2024, "month", "август 2024 г.", (D(2024, 8, 1), D(2024, 8, 31)), 1),
    ("Август 2024-2026г.", P2024, "recurring", "ежегодно в августе, 2024–2026 гг.", (D(2024, 8, 1), D(2024, 8, 31)), 3),
    ("В течение года", P2024, "recurring", "ежегодно, в течение учебного года", (D(2024, 9, 1), D(2025, 8, 31)), 2),
    ("Май 2026", P2024, "month", "май 2026 г.", (D(2026, 5, 1), D(2026, 5, 31)), 1),
    # seed 001 (stages of a programme)
    (
        "В течение \nпервого \nполугодия",
        P2024,
        "range",
        "сентябрь – декабрь 2024 г.",
        (D(2024, 9, 1), D(2024, 12, 31)),
        1,
    ),
    ("В конце \nотчетного \nпериода", P2024, "by", "до 31.08.2026", (None, D(2026, 8, 31)), 1),
    # seed 002
    ("Сентябрь-ноябрь 2022", P2022, "range", "сентябрь – ноябрь 2022 г.", (D(2022, 9, 1), D(2022, 11, 30)), 1),
    ("2. Сентябрь-ноябрь 2022", P2022, "range", "сентябрь – ноябрь 2022 г.", (D(2022, 9, 1), D(2022, 11, 30)), 1),
    ("Ноябрь 2022", P2022, "month", "ноябрь 2022 г.", (D(2022, 11, 1), D(2022, 11, 30)), 1),
    ("Ежегодно", P2022, "recurring", "ежегодно, в течение учебного года", (D(2022, 9, 1), D(2023, 8, 31)), 1),
    ("5. Ежегодно", P2022, "recurring", "ежегодно, в течение учебного года", (D(2022, 9, 1), D(2023, 8, 31)), 1),
    # seed 003 (cells with the markup of the source)
    ("Апрель 2022г", P2021, "month", "апрель 2022 г.", (D(2022, 4, 1), D(2022, 4, 30)), 1),
    (
        "<p>Ежегодно сентябрь</p> <p>(дополнительно по запросу педагогов)</p>",
        P2021,
        "recurring",
        "ежегодно в сентябре (дополнительно по запросу педагогов)",
        (D(2021, 9, 1), D(2021, 9, 30)),
        1,
    ),
    ("Май", P2021, "month", "май 2022 г.", (D(2022, 5, 1), D(2022, 5, 31)), 1),
    (
        "В течение учебного года",
        P2021,
        "recurring",
        "ежегодно, в течение учебного года",
        (D(2021, 9, 1), D(2022, 8, 31)),
        1,
    ),
    # seed 004 (a district, line breaks inside cells)
    ("Август\n2022г.", P2022, "month", "август 2022 г.", (D(2022, 8, 1), D(2022, 8, 31)), 1),
    ("Сентябрь \n2022г.", P2022, "month", "сентябрь 2022 г.", (D(2022, 9, 1), D(2022, 9, 30)), 1),
    ("Ноябрь \n 2022г.", P2022, "month", "ноябрь 2022 г.", (D(2022, 11, 1), D(2022, 11, 30)), 1),
    ("Октябрь-ноябрь ", P2022, "range", "октябрь – ноябрь 2022 г.", (D(2022, 10, 1), D(2022, 11, 30)), 1),
    ("Ноябрь-декабрь 2022г.", P2022, "range", "ноябрь – декабрь 2022 г.", (D(2022, 11, 1), D(2022, 12, 31)), 1),
    (
        "В течение всего периода реализаци и ЦМН",
        P2022,
        "period",
        "в течение всего периода",
        (D(2022, 9, 1), D(2023, 8, 31)),
        1,
    ),
    ("Январь  2023г.", P2022, "month", "январь 2023 г.", (D(2023, 1, 1), D(2023, 1, 31)), 1),
    ("Ежегодно ", P2022, "recurring", "ежегодно, в течение учебного года", (D(2022, 9, 1), D(2023, 8, 31)), 1),
    (
        "Декабрь-январь\n2022-2023гг.",
        P2022,
        "range",
        "декабрь 2022 г. – январь 2023 г.",
        (D(2022, 12, 1), D(2023, 1, 31)),
        1,
    ),
    # the issue's own examples
    ("Ежегодно (сентябрь)", P2024, "recurring", "ежегодно в сентябре", (D(2024, 9, 1), D(2024, 9, 30)), 2),
    ("ежегодно в сентябре", P2024, "recurring", "ежегодно в сентябре", (D(2024, 9, 1), D(2024, 9, 30)), 2),
    ("ежеквартально", P2024, "recurring", "ежеквартально", (D(2024, 9, 1), D(2024, 9, 30)), 9),
]


@pytest.mark.parametrize(("text", "period", "kind", "display", "first", "count"), SEED_DEADLINES)
def test_seed_deadline_is_parsed_and_displayed(text, period, kind, display, first, count):
    deadline = parse_deadline(text, period=period)
    assert deadline.kind == kind
    assert deadline.display() == display
    occurrences = deadline.occurrences(period)
    assert occurrences[0] == first
    assert len(occurrences) == count


@pytest.mark.parametrize(("text", "period"), [(row[0], row[1]) for row in SEED_DEADLINES])
def test_our_display_parses_back_to_the_same_deadline(text, period):
    deadline = parse_deadline(text, period=period)
    assert parse_deadline(deadline.display(), period=period) == deadline


@pytest.mark.parametrize(
    "text",
    [
        "В течение \nгода этапа 5 (до \nзавершения \nотчетного \nпериода)",  # seed 001
        "по мере необходимости",
        "31.02.2025",
        "Сентябрь-май 2025-2024",
    ],
)
def test_text_that_is_not_understood_is_kept_without_a_date(text):
    deadline = parse_deadline(text, period=P2024)
    assert deadline.kind == DeadlineKind.TEXT
    assert not deadline.recognised
    assert deadline.display() == " ".join(text.split())
    assert deadline.occurrences(P2024) == [(None, None)]


def test_a_date_cell_of_a_spreadsheet_is_an_exact_date():
    deadline = parse_deadline(datetime.datetime(2024, 9, 18, 0, 0), period=P2024)
    assert (deadline.kind, deadline.display()) == ("date", "18.09.2024")


def test_month_without_a_year_is_the_first_such_month_of_the_period():
    assert parse_deadline("Май", period=P2024).end == D(2025, 5, 31)
    assert parse_deadline("Сентябрь", period=P2024).end == D(2024, 9, 30)
    assert parse_deadline("до конца декабря", period=P2024).end == D(2024, 12, 31)


def test_yearly_occurrences_follow_the_period():
    deadline = parse_deadline("Ежегодно (сентябрь)", period=P2024)
    assert deadline == Deadline(DeadlineKind.RECURRING, recurrence=Recurrence.YEARLY, month=9)
    assert deadline.occurrences(P2024) == [(D(2024, 9, 1), D(2024, 9, 30)), (D(2025, 9, 1), D(2025, 9, 30))]
    three_years = Period.of_school_years(2026, 2029)
    assert [due for _, due in deadline.occurrences(three_years)] == [D(2026, 9, 30), D(2027, 9, 30), D(2028, 9, 30)]


def test_through_the_school_year_gives_one_occurrence_per_school_year():
    deadline = parse_deadline("В течение года", period=P2024)
    assert deadline.occurrences(P2024) == [(D(2024, 9, 1), D(2025, 8, 31)), (D(2025, 9, 1), D(2026, 8, 31))]


def test_quarterly_occurrences_are_calendar_quarters_clipped_to_the_period():
    dues = [due for _, due in parse_deadline("1 раз в квартал", period=P2024).occurrences(P2024)]
    assert dues == [
        D(2024, 9, 30),
        D(2024, 12, 31),
        D(2025, 3, 31),
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
        D(2026, 3, 31),
        D(2026, 6, 30),
        D(2026, 8, 31),
    ]


def test_monthly_occurrences():
    occurrences = parse_deadline("ежемесячно", period=P2022).occurrences(P2022)
    assert len(occurrences) == 12
    assert occurrences[4] == (D(2023, 1, 1), D(2023, 1, 31))


def test_bounded_yearly_keeps_its_own_years():
    deadline = parse_deadline("Август 2024-2026г.", period=P2024)
    assert [due for _, due in deadline.occurrences(P2024)] == [D(2024, 8, 31), D(2025, 8, 31), D(2026, 8, 31)]


def test_shifting_keeps_the_last_day_of_a_month():
    assert shift_months(D(2024, 9, 30), 24) == D(2026, 9, 30)
    assert shift_months(D(2025, 2, 28), 12) == D(2026, 2, 28)
    assert shift_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert shift_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert shift_months(D(2024, 1, 15), -2) == D(2023, 11, 15)
    assert months_between(D(2024, 9, 1), D(2026, 9, 1)) == 24
    moved = parse_deadline("До октября 2024г", period=P2024).shifted(24)
    assert moved.display() == "до 30.09.2026"
    whole = parse_deadline("В течение всего периода", period=P2024)
    assert whole.shifted(24) == whole


def test_dates_in_words():
    assert ru_date(D(2025, 9, 1)) == "1 сентября 2025 г."
    assert ru_date(D(2024, 9, 2)) == "2 сентября 2024 г."


TODAY = D(2025, 3, 15)


@pytest.mark.parametrize(
    ("due_on", "status", "overdue", "label"),
    [
        (D(2025, 3, 14), "planned", True, "просрочено"),
        (D(2025, 3, 14), "in_progress", True, "просрочено"),
        (D(2025, 3, 15), "planned", False, "запланировано"),
        (D(2025, 3, 16), "in_progress", False, "выполняется"),
        (D(2025, 3, 1), "done", False, "выполнено"),
        (D(2025, 3, 1), "cancelled", False, "отменено"),
        (None, "planned", False, "запланировано"),
    ],
)
def test_overdue_is_computed_around_today(due_on, status, overdue, label):
    occurrence = Occurrence(due_on=due_on, status=status, done_on=TODAY if status == "done" else None)
    assert occurrence.is_overdue(TODAY) is overdue
    assert occurrence.state_label(TODAY) == label
    assert occurrence.state(TODAY) == ("overdue" if overdue else status)
