from django.http import Http404, HttpResponseNotAllowed
from django.views import View

from organisations.tenancy import OrganisationMixin
from reports.exports.base import REGISTRY
from reports.exports.serving import export_or_job


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
        return export_or_job(
            request=self.request,
            organisation=self.organisation,
            access=self.access,
            exporter=self.exporter,
            params=params,
            fmt=fmt,
        )
