"""The orders each programme stage must produce, for the stage checklist (mentorship.stage_documents)."""

from django.urls import reverse

from mentorship.stage_documents import StageDocument
from reports.orders.kinds import codes_of_stage, order_type
from reports.orders.models import Order


def stage_order_documents(programme, stage: int) -> list[StageDocument]:
    """The orders the stage must produce are the declared types of that stage, in list order."""
    kinds = codes_of_stage(stage)
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
        title = f"Приказ «{order_type(kind).title}»"
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


def register() -> None:
    from mentorship.stage_documents import STAGE_DOCUMENT_SOURCES

    if stage_order_documents not in STAGE_DOCUMENT_SOURCES:
        STAGE_DOCUMENT_SOURCES.append(stage_order_documents)
