"""The roadmap as a printable PDF (``?format=html`` shows the HTML it is made from)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views import View

from organisations.tenancy import OrganisationMixin
from reports.printouts.roadmap import ROADMAP_PDF


class RoadmapPdfView(OrganisationMixin, View):
    required_capability = ROADMAP_PDF.capability

    def get(self, request, *args, **kwargs):
        fmt = "html" if request.GET.get("format") == "html" else "pdf"
        result = ROADMAP_PDF.render(organisation=self.organisation, params={"roadmap": str(kwargs["pk"])}, fmt=fmt)
        response = HttpResponse(result.content, content_type=result.content_type)
        if fmt == "pdf":
            response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=result.filename)
        response["Cache-Control"] = "private, no-store"
        return response
