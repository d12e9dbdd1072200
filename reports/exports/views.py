from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views import View

from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from reports.analytics import documents as analytics  # noqa: F401 - registers the exporters
from reports.exports.base import REGISTRY
from reports.exports.tasks import report_job_request
from reports.orders import register as order_register  # noqa: F401 - registers the exporters
from reports.printouts import roadmap as roadmap_documents  # noqa: F401 - registers the exporters
from reports.registers import people as registers  # noqa: F401 - registers the exporters
from reports.registers import programme as programme_registers  # noqa: F401 - registers the exporters


class ExportView(OrganisationMixin, View):
    """Any registered exporter; GET takes the list's filters, POST the selected people."""

    def get_required_capability(self) -> str:
        self.exporter = REGISTRY.get(self.kwargs["identifier"])
        if self.exporter is None:
            raise Http404
        return self.exporter.capability

    def get(self, request, *args, **kwargs):
        return self._export(request.GET)

    def post(self, request, *args, **kwargs):
        return self._export(request.POST)

    def _export(self, params):
        fmt = "csv" if params.get("format") == "csv" else "xlsx"
        if self.exporter.in_background(organisation=self.organisation, params=params):
            # A long file is built by a background task; the job page shows its progress.
            job = report_job_request(
                organisation=self.organisation, request=self.request, exporter=self.exporter, params=params, fmt=fmt
            )
            return redirect("reports:job_detail", org=self.organisation.slug, pk=job.pk)
        result = self.exporter.render(organisation=self.organisation, params=params, fmt=fmt)
        if result.people_count:
            access_record(
                request=self.request,
                organisation=self.organisation,
                action="export",
                what=f"Выгрузка: {self.exporter.title} ({fmt.upper()})",
                people_count=result.people_count,
            )
        response = HttpResponse(result.content, content_type=result.content_type)
        response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
        return response
