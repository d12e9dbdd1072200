"""The school's archive page: what the archive holds, and the button that orders it (built by the worker)."""

from django.views.generic import TemplateView

from organisations.tenancy import OrganisationMixin
from reports.registers.archive import SchoolArchiveExporter


class SchoolArchiveView(OrganisationMixin, TemplateView):
    """For the school's director, or the district's officer handing a leaving school's data over."""

    template_name = "reports/registers/school_archive.html"

    def get_required_capability(self) -> str:
        return SchoolArchiveExporter().required_capability(self.access)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            exporter=SchoolArchiveExporter, handover=not self.access.can("school.archive"), **kwargs
        )
