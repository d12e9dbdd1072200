"""An order as files: the PDF, the DOCX and the лист ознакомления (PDF), served by their exporters
(reports.orders.exporters). ``?format=html`` on the PDFs shows the HTML they are made from.
"""

from django.views import View

from organisations.tenancy import OrganisationMixin
from reports.exports.base import REGISTRY
from reports.exports.serving import export_response
from reports.orders.exporters import order_name

__all__ = ["OrderAcquaintancePdfView", "OrderDocxView", "OrderPdfView", "order_name"]


class _OrderFileView(OrganisationMixin, View):
    identifier = ""

    def get_required_capability(self) -> str:
        return REGISTRY[self.identifier].required_capability(self.access)

    def get(self, request, *args, **kwargs):
        exporter = REGISTRY[self.identifier]
        return export_response(
            request=request,
            organisation=self.organisation,
            access=self.access,
            exporter=exporter,
            params={"order": kwargs["pk"]},
            fmt=exporter.fmt_of(request.GET.get("format")),
        )


class OrderPdfView(_OrderFileView):
    identifier = "order-pdf"


class OrderAcquaintancePdfView(_OrderFileView):
    identifier = "order-acquaintance"


class OrderDocxView(_OrderFileView):
    identifier = "order-docx"
