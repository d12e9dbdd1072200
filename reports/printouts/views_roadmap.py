"""The roadmap as a printable PDF (``?format=html`` shows the HTML it is made from)."""

from django.views import View

from organisations.tenancy import OrganisationMixin
from reports.exports.serving import export_response
from reports.printouts.roadmap import ROADMAP_PDF


class RoadmapPdfView(OrganisationMixin, View):
    required_capability = ROADMAP_PDF.capability

    def get(self, request, *args, **kwargs):
        return export_response(
            request=request,
            organisation=self.organisation,
            access=self.access,
            exporter=ROADMAP_PDF,
            params={"roadmap": str(kwargs["pk"])},
            fmt=ROADMAP_PDF.fmt_of(request.GET.get("format")),
        )
