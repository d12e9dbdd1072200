"""{% monitoring_entry %}: the dashboard's entry to monitoring campaigns, one query.

A school sees the forms it still has to send (with their deadlines); a region or district the
link to its campaigns. Kept apart from the home page's view so the home page stays its own."""

from django import template

from reports.monitoring.models import Response

register = template.Library()


@register.inclusion_tag("reports/monitoring/_entry.html", takes_context=True)
def monitoring_entry(context):
    organisation, access = context.get("organisation"), context.get("access")
    result = {"organisation": organisation, "responses": [], "manage": False}
    if organisation is None or access is None:
        return result
    if organisation.is_authority:
        result["manage"] = access.can("campaigns.manage") and not access.via_region
    elif access.can("campaigns.fill"):
        result["responses"] = list(
            Response.objects.filter(organisation=organisation)
            .exclude(status=Response.Status.ACCEPTED)
            .select_related("campaign__organisation")
            .order_by("campaign__deadline", "pk")
        )
    return result
