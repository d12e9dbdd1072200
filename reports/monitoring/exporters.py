"""The consolidated table of a campaign (XLSX in the authority's own layout), registered at start-up."""

from django.http import Http404

from reports.exports.base import Exporter, ExportResult
from reports.monitoring import selectors
from reports.monitoring.models import Campaign
from reports.monitoring.xlsx import XLSX_CONTENT_TYPE, consolidated_xlsx


class CampaignExporter(Exporter):
    """Params: ``campaign`` (one of the organisation's); its newest campaign without one.

    Aggregates and the schools' reported values only: it names no one."""

    identifier = "campaign"
    title = "Сводная таблица мониторинга"
    capability = "campaigns.manage"
    personal_data = False
    formats = ("xlsx",)

    def render(self, *, organisation, params, fmt: str = "xlsx", context=None) -> ExportResult:
        if not organisation.is_authority:
            raise Http404
        campaigns = Campaign.objects.filter(organisation=organisation)
        pk = str(params.get("campaign", "") or "")
        campaign = (campaigns.filter(pk=pk) if pk.isdigit() else campaigns.order_by("-pk")).first()
        if campaign is None:
            raise Http404
        table = selectors.consolidated(campaign)
        content = consolidated_xlsx(table, selectors.export_layout(organisation, campaign))
        return ExportResult(f"monitoring-{campaign.pk}.xlsx", XLSX_CONTENT_TYPE, content)


EXPORTERS = (CampaignExporter,)
