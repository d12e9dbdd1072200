"""The orders each programme stage must produce, for the stage checklist (mentorship.stage_documents)."""

from django.urls import reverse

from mentorship.stage_documents import StageDocument, StageIndicator
from roadmap.stages import Stage

from .kpi import NONE, OK, Period, school_indicator
from .models import Order, OrderKind

STAGE_ORDER_KINDS: dict[int, tuple[str, ...]] = {
    Stage.PREPARATION: (OrderKind.IMPLEMENTATION,),
    Stage.MENTOR_BASE: (OrderKind.MENTOR_REGISTER,),
    Stage.MENTOR_TRAINING: (OrderKind.TRAINING,),
    Stage.PAIRING: (OrderKind.PAIRS,),
    Stage.PAIR_WORK: (OrderKind.PLANS,),
    Stage.COMPLETION: (OrderKind.FINAL_EVENT, OrderKind.ENCOURAGEMENT),
}


def stage_order_documents(programme, stage: int) -> list[StageDocument]:
    kinds = STAGE_ORDER_KINDS.get(stage, ())
    if not kinds:
        return []
    orders = (
        Order.objects.filter(organisation_id=programme.organisation_id, programme=programme, kind__in=kinds)
        .exclude(status=Order.Status.CANCELLED)
        .order_by("-approved_on", "-created_at")
    )
    latest: dict[str, Order] = {}
    for order in orders:
        latest.setdefault(order.kind, order)
    slug = programme.organisation.slug
    documents = []
    for kind in kinds:
        order = latest.get(kind)
        title = f"Приказ «{OrderKind(kind).label}»"
        if order is None:
            url = reverse("reports:order_new", kwargs={"org": slug}) + f"?kind={kind}"
            documents.append(StageDocument(title, present=False, url=url, detail="не составлен"))
            continue
        url = reverse("reports:order_detail", kwargs={"org": slug, "pk": order.pk})
        if order.status == Order.Status.APPROVED:
            documents.append(StageDocument(title, present=True, url=url, detail=order.label))
        else:
            documents.append(
                StageDocument(title, present=False, url=url, detail=f"проект: {order.get_status_display()}")
            )
    return documents


# The monitoring indicators each stage moves (reports.kpi codes).
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
    from mentorship.stage_documents import STAGE_DOCUMENT_SOURCES, STAGE_INDICATOR_SOURCES

    if stage_order_documents not in STAGE_DOCUMENT_SOURCES:
        STAGE_DOCUMENT_SOURCES.append(stage_order_documents)
    if stage_kpi not in STAGE_INDICATOR_SOURCES:
        STAGE_INDICATOR_SOURCES.append(stage_kpi)
