"""An order as files: the PDF, the DOCX and the лист ознакомления (PDF).

Orders name people (mentors, mentees, the curator), so each print and download goes to the
access journal. ``?format=html`` on the PDFs shows the HTML they are made from.
"""

import re

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views import View

from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from participants.models import AccessLogEntry
from reports.exports.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from reports.exports.pdf import render_html, render_pdf
from reports.models import Order
from reports.orders.documents import order_context
from reports.orders.docx import docx_from_context

ORDER_TEMPLATE = "reports/pdf/order.html"
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


class _OrderFileView(OrganisationMixin, View):
    required_capability = "orders.draft"
    journal_action = AccessLogEntry.Action.PRINT
    journal_what = "Приказ"

    def get_order(self) -> Order:
        orders = Order.objects.select_related("organisation", "programme", "curator")
        return get_object_or_404(orders, organisation=self.organisation, pk=self.kwargs["pk"])

    def journal(self, context: dict, action: str) -> None:
        order = context["order"]
        what = f"{self.journal_what}: {order_name(order)}"
        if order.number_label:
            what += f" «{order.title}»"
        access_record(
            request=self.request,
            organisation=self.organisation,
            action=action,
            what=what,
            people_count=max(1, len(context["data"].get("acquaintance", []))),
        )

    def file_response(self, content: bytes, content_type: str, filename: str) -> HttpResponse:
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=content_type != "application/pdf", filename=filename
        )
        response["Cache-Control"] = "private, no-store"
        return response


class _OrderPdfView(_OrderFileView):
    template_name = ORDER_TEMPLATE
    filename_prefix = ""

    def get(self, request, *args, **kwargs):
        order = self.get_order()
        context = order_context(order)
        as_html = request.GET.get("format") == "html"
        self.journal(context, AccessLogEntry.Action.VIEW if as_html else self.journal_action)
        if as_html:
            response = HttpResponse(
                render_html(template_name=self.template_name, context={**context, "html_preview": True})
            )
            response["Cache-Control"] = "private, no-store"
            return response
        content = render_pdf(template_name=self.template_name, context=context)
        return self.file_response(content, "application/pdf", f"{self.filename_prefix}{order_name(order)}.pdf")


class OrderPdfView(_OrderPdfView):
    """The order with its appendices and the лист ознакомления, as printed for signing."""


class OrderAcquaintancePdfView(_OrderPdfView):
    """The лист ознакомления alone: printed again when the first one is full or lost."""

    template_name = ACQUAINTANCE_TEMPLATE
    filename_prefix = "Лист ознакомления — "
    journal_what = "Лист ознакомления с приказом"


class OrderDocxView(_OrderFileView):
    """The same content as a Word document, for a director who edits the wording in Word."""

    def get(self, request, *args, **kwargs):
        order = self.get_order()
        context = order_context(order)
        self.journal(context, AccessLogEntry.Action.EXPORT)
        return self.file_response(docx_from_context(context), DOCX_CONTENT_TYPE, f"{order_name(order)}.docx")
