"""The monitoring indicators each programme stage moves, for the stage checklist (mentorship.stage_documents)."""

from django.urls import reverse

from mentorship.stage_documents import StageIndicator
from reports.analytics.kpi import NONE, OK, Period, school_indicator
from roadmap.stages import Stage

# The monitoring indicators each stage moves (reports.analytics.kpi codes).
STAGE_KPI_CODES: dict[int, tuple[str, ...]] = {
    Stage.MENTEE_BASE: ("consent_coverage",),
    Stage.MENTOR_BASE: ("mentors_students", "mentors_teachers"),
    Stage.PAIRING: ("pairs_coverage", "students_involved"),
    Stage.PAIR_WORK: ("students_involved", "plan_fulfilment"),
    Stage.COMPLETION: ("satisfaction_mentees", "satisfaction_mentors", "growth", "roadmap_completion"),
}


def stage_kpi(programme, stage: int) -> list[StageIndicator]:
    period = Period.of_school_year(programme.school_year)
    slug = programme.organisation.slug
    rows = []
    for code in STAGE_KPI_CODES.get(stage, ()):
        indicator = school_indicator(organisation=programme.organisation, code=code, period=period)
        detail = []
        if indicator.is_ratio and indicator.denominator:
            detail.append(f"{indicator.numerator:g} из {indicator.denominator:g}")
        if indicator.target is not None:
            detail.append(f"цель {indicator.target_display}")
        url = reverse("reports:kpi_detail", kwargs={"org": slug, "code": code}) + f"?year={programme.school_year}"
        ok = None if indicator.status == NONE else indicator.status == OK
        rows.append(StageIndicator(indicator.title, indicator.display, ", ".join(detail), ok, url))
    return rows


def register() -> None:
    from mentorship.stage_documents import STAGE_INDICATOR_SOURCES

    if stage_kpi not in STAGE_INDICATOR_SOURCES:
        STAGE_INDICATOR_SOURCES.append(stage_kpi)
