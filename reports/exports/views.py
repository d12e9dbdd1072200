from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.views import View

from organisations.tenancy import OrganisationMixin
from reports.exports.base import REGISTRY
from reports.exports.serving import export_response
from reports.exports.tasks import report_job_request


class ExportView(OrganisationMixin, View):
    """Any registered exporter; GET takes the list's filters, POST the selected people."""

    def get_required_capability(self) -> str:
        self.exporter = REGISTRY.get(self.kwargs["identifier"])
        if self.exporter is None:
            raise Http404
        return self.exporter.required_capability(self.access)

    def get(self, request, *args, **kwargs):
        if self.exporter.changes_data:
            return HttpResponseNotAllowed(["POST"])
        return self._export(request.GET)

    def post(self, request, *args, **kwargs):
        return self._export(request.POST)

    def _export(self, params):
        fmt = self.exporter.fmt_of(params.get("format"))
        if self.exporter.in_background(organisation=self.organisation, params=params):
            # A long file is built by a background task; the job page shows its progress.
            job = report_job_request(
                organisation=self.organisation, request=self.request, exporter=self.exporter, params=params, fmt=fmt
            )
            return redirect("reports:job_detail", org=self.organisation.slug, pk=job.pk)
        # Tables are always downloaded; a PDF opens in the browser.
        return export_response(
            request=self.request,
            organisation=self.organisation,
            access=self.access,
            exporter=self.exporter,
            params=params,
            fmt=fmt,
        )
