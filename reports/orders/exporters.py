"""An order as files: the PDF, the DOCX and the лист ознакомления (PDF), each an exporter.

Orders name people (mentors, mentees, the curator), so each print and download goes to the
access journal. ``fmt="html"`` on the PDFs gives the HTML they are made from.
"""

import re

from django.http import Http404

from participants.models import AccessLogEntry
from reports.exports.base import HTML_CONTENT_TYPE, Exporter, ExportResult
from reports.exports.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from reports.exports.pdf import render_html, render_pdf
from reports.orders import register
from reports.orders.documents import ORDER_TEMPLATE, order_context
from reports.orders.docx import docx_from_context
from reports.orders.models import Order
from reports.orders.services import order_file_keep
from reports.orders.verification import approved_pdf_bytes

ACQUAINTANCE_TEMPLATE = "reports/pdf/order_acquaintance.html"
TITLE_IN_FILENAME = 80


def order_name(order: Order) -> str:
    """«Приказ № 56-ОД от 25.10.2026», or «Проект приказа — О закреплении…» for an unnumbered order."""
    if order.number_label:
        return f"Приказ № {order.number_label} от {order.approved_on:%d.%m.%Y}"
    title = re.sub(r'[\\/:*?"<>|\s]+', " ", order.title).strip()
    if len(title) > TITLE_IN_FILENAME:
        title = title[:TITLE_IN_FILENAME].rstrip() + "…"
    return f"Проект приказа — {title}"


def order_of(*, organisation, params) -> Order:
    """``params["order"]`` of this organisation; another school's order is the same 404 as a missing one."""
    value = str(params.get("order") or "")
    if not value.isdigit():
        raise Http404
    orders = Order.objects.select_related("organisation", "programme", "curator")
    try:
        return orders.get(organisation=organisation, pk=int(value))
    except Order.DoesNotExist:
        raise Http404 from None


class _OrderExporter(Exporter):
    capability = "orders.view"
    personal_data = True
    journal_what = "Приказ"
    journal_action = AccessLogEntry.Action.PRINT

    def journal_what_of(self, order: Order) -> str:
        what = f"{self.journal_what}: {order_name(order)}"
        if order.number_label:
            what += f" «{order.title}»"
        return what

    def people_count_of(self, context: dict) -> int:
        return max(1, len(context["data"].get("acquaintance", [])))


class _OrderPdfExporter(_OrderExporter):
    formats = ("pdf", "html")
    template_name = ORDER_TEMPLATE
    filename_prefix = ""
    serves_approved_file = False

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        order = order_of(organisation=organisation, params=params)
        data = order_context(order)
        journal = {
            "what": self.journal_what_of(order),
            "people_count": self.people_count_of(data),
            "action": AccessLogEntry.Action.VIEW if fmt == "html" else self.journal_action,
        }
        filename = f"{self.filename_prefix}{order_name(order)}.pdf"
        stored = None
        if self.serves_approved_file and fmt == "pdf" and order.number_label:
            if not order.approved_pdf:
                order = order_file_keep(order=order, absolute_url=context.absolute_url if context else None)
            stored = approved_pdf_bytes(order)
        if stored is not None:
            # The file as approved: its SHA-256 is the one the verification page shows.
            return ExportResult(filename, "application/pdf", stored, **journal)
        if fmt == "html":
            html = render_html(template_name=self.template_name, context={**data, "html_preview": True})
            return ExportResult(filename, HTML_CONTENT_TYPE, html.encode(), **journal)
        return ExportResult(
            filename, "application/pdf", render_pdf(template_name=self.template_name, context=data), **journal
        )


class OrderPdfExporter(_OrderPdfExporter):
    """The order with its appendices and the лист ознакомления, as printed for signing."""

    identifier = "order-pdf"
    title = "Приказ (PDF)"
    serves_approved_file = True


class OrderAcquaintanceExporter(_OrderPdfExporter):
    """The лист ознакомления alone: printed again when the first one is full or lost."""

    identifier = "order-acquaintance"
    title = "Лист ознакомления с приказом (PDF)"
    template_name = ACQUAINTANCE_TEMPLATE
    filename_prefix = "Лист ознакомления — "
    journal_what = "Лист ознакомления с приказом"


class OrderDocxExporter(_OrderExporter):
    """The same content as a Word document, for a director who edits the wording in Word."""

    identifier = "order-docx"
    title = "Приказ (DOCX)"
    formats = ("docx",)

    def render(self, *, organisation, params, fmt: str = "docx", context=None) -> ExportResult:
        order = order_of(organisation=organisation, params=params)
        data = order_context(order)
        return ExportResult(
            f"{order_name(order)}.docx",
            DOCX_CONTENT_TYPE,
            docx_from_context(data),
            what=self.journal_what_of(order),
            people_count=self.people_count_of(data),
            action=AccessLogEntry.Action.EXPORT,
        )


# The files of this room, registered at start-up (reports.exports.registry).
EXPORTERS = (register.OrdersExporter, OrderPdfExporter, OrderDocxExporter, OrderAcquaintanceExporter)
