"""The printable individual plan of a pair or group (PDF), served by its exporter
(reports.printouts.exporters.PlanPdfExporter). ``?format=html`` shows the HTML.
"""

from django.views import View

from organisations.tenancy import OrganisationMixin
from reports.exports.base import REGISTRY
from reports.exports.serving import export_response

IDENTIFIER = "plan-pdf"


class PlanPdfView(OrganisationMixin, View):
    def get_required_capability(self) -> str:
        return REGISTRY[IDENTIFIER].required_capability(self.access)

    def get(self, request, *args, **kwargs):
        exporter = REGISTRY[IDENTIFIER]
        return export_response(
            request=request,
            organisation=self.organisation,
            access=self.access,
            exporter=exporter,
            params={"pair": kwargs["pair_pk"]},
            fmt=exporter.fmt_of(request.GET.get("format")),
        )
