"""The roadmap as documents: XLSX (a registered table exporter) and PDF in the table layout schools print.

Both have the five columns of real roadmaps — Содержание | Сроки | Ожидаемый результат |
Показатели эффективности | Ответственный — with section rows between the items; the XLSX adds
the target, the value reached and the status, and reads back through the roadmap import.
"""

from django.http import Http404
from django.utils import timezone

from organisations.models import Organisation
from reports.exports.base import Column, Exporter, ExportResult, TableExporter
from reports.exports.pdf import render_html, render_pdf
from roadmap.deadlines import ru_date
from roadmap.models import Item, Roadmap
from roadmap.selectors import RoadmapTable, roadmap_get, roadmap_table
from roadmap.texts import deadline_cell, responsible_cell, signature_of

PDF_TEMPLATE = "reports/pdf/roadmap.html"
PDF_CONTENT_TYPE = "application/pdf"


def roadmap_from_params(*, organisation: Organisation, params) -> Roadmap:
    value = str(params.get("roadmap", ""))
    if not value.isdigit():
        raise Http404
    return roadmap_get(organisation=organisation, pk=int(value))


def _number(value):
    return float(value) if value is not None else None


def status_cell(item: Item, today) -> str:
    progress = item.progress(today)
    if progress.total > 1:
        return f"{progress.label} (выполнено {progress.done} из {progress.total})"
    return progress.label


class RoadmapExporter(TableExporter):
    """One roadmap (``?roadmap=<id>``) as a table; the roadmap import reads this file back."""

    identifier = "roadmap"
    title = "Дорожная карта"
    capability = "roadmap.view"
    personal_data = False  # events, dates and the responsible staff's positions
    sheet_title = "Дорожная карта"
    columns = (
        Column("Содержание", 60),
        Column("Сроки", 24),
        Column("Ожидаемый результат (вид документа)", 40),
        Column("Показатели эффективности", 40),
        Column("Ответственный", 32),
        Column("Целевое значение", 12),
        Column("Единица измерения", 12),
        Column("Достигнуто", 12),
        Column("Выполнение", 24),
    )

    def table(self, *, organisation, params) -> RoadmapTable:
        roadmap = roadmap_from_params(organisation=organisation, params=params)
        return roadmap_table(roadmap=roadmap, today=timezone.localdate())

    def notes(self, *, organisation, params) -> list[str]:
        roadmap = roadmap_from_params(organisation=organisation, params=params)
        return [
            roadmap.title,
            f"Период: {roadmap.period_label}, с {ru_date(roadmap.starts_on)} по {ru_date(roadmap.ends_on)}",
            roadmap.approval_sentence,
        ]

    def rows(self, *, organisation, params):
        table = self.table(organisation=organisation, params=params)
        today = timezone.localdate()
        for rows in table.sections:
            yield (rows.section.title, None, None, None, None, None, None, None, None)
            for item in rows.items:
                yield (
                    item.content,
                    deadline_cell(item),
                    item.expected_result,
                    item.indicator,
                    responsible_cell(item),
                    _number(item.target_value),
                    item.target_unit,
                    _number(item.actual_value),
                    status_cell(item, today),
                )


class RoadmapPdfExporter(Exporter):
    """The roadmap as schools print it, with the «УТВЕРЖДАЮ» block; ``fmt="html"`` gives the HTML."""

    identifier = "roadmap-pdf"
    title = "Дорожная карта (PDF)"
    capability = "roadmap.view"
    personal_data = False  # the plan of events and the responsible staff's positions
    formats = ("pdf", "html")

    def context(self, *, roadmap: Roadmap) -> dict:
        organisation = roadmap.organisation
        approved = roadmap.status == Roadmap.Status.APPROVED or roadmap.approved_on is not None
        position = roadmap.approver_position if approved else ""
        if not position:
            position = f"{organisation.director_position or 'Директор'} {organisation.short_name}"
        name = roadmap.approver_name if approved else ""
        if not name and organisation.director_name:
            name = signature_of(organisation.director_name)
        return {
            "organisation": organisation,
            "roadmap": roadmap,
            "table": roadmap_table(roadmap=roadmap, today=timezone.localdate()),
            "approval": {
                "position": position,
                "name": name,
                "date": ru_date(roadmap.approved_on) if approved and roadmap.approved_on else "",
                "order": roadmap.approval_order if approved else "",
            },
        }

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        roadmap = roadmap_from_params(organisation=organisation, params=params)
        context = self.context(roadmap=roadmap)
        filename = f"Дорожная карта — {organisation.short_name} — {roadmap.period_label}.{fmt}"
        if fmt == "html":
            html = render_html(template_name=PDF_TEMPLATE, context={**context, "html_preview": True})
            return ExportResult(filename, "text/html; charset=utf-8", html.encode())
        content = render_pdf(template_name=PDF_TEMPLATE, context=context)
        return ExportResult(filename, PDF_CONTENT_TYPE, content)


ROADMAP_PDF = RoadmapPdfExporter()
