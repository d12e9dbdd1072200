"""Last year stays as it was after the new school year's change (issue 21): the 2025/26 KPI report
and the year's registers read the same before and after applying, and after undoing."""

import datetime

from mentorship.services_year import year_change_apply, year_change_undo
from mentorship.tests.test_year_change import FROM, media_root, school, uploaded  # noqa: F401 (fixtures)
from reports.analytics import kpi
from reports.analytics.formulas import Period


def _kpi(organisation, year):
    period = Period.of_school_year(year)
    today = datetime.date(year + 1, 6, 30)
    return [
        (i.code, i.numerator, i.denominator, i.value)
        for i in kpi.school_indicators(organisation=organisation, period=period, today=today)
    ]


def test_last_years_kpi_is_identical_before_and_after_the_change(school, curator_a):  # noqa: F811
    before = _kpi(school, FROM)
    students = dict((code, (n, d)) for code, n, d, _v in before)["students_involved"]
    assert students[1] == 9  # nine students in 2025/26
    change = uploaded(school, curator_a)
    year_change_apply(change=change, user=curator_a)
    assert _kpi(school, FROM) == before
    # The new year counts its own people: the graduates and the archived ones are gone, newcomers in.
    new_year = dict((code, (n, d)) for code, n, d, _v in _kpi(school, FROM + 1))
    assert new_year["students_involved"][1] == 9 - 3 - 1 + 3
    year_change_undo(change=change, user=curator_a)
    assert _kpi(school, FROM) == before
