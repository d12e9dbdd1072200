"""The printable individual plan of a pair or group (PDF). Every print goes to the access journal.

Who may print is who may edit the plan (mentorship.services_plans.plan_pairs): staff with
«plans.edit» any pair of the school, a mentor only own pairs. ``?format=html`` shows the HTML.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View

from mentorship.selectors_plans import with_mentees
from mentorship.services_plans import fulfilment_percent, plan_for_pair, plan_pairs
from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from participants.models import AccessLogEntry
from reports.exports.pdf import render_html, render_pdf

TEMPLATE = "reports/pdf/plan.html"


class PlanPdfView(OrganisationMixin, View):
    def get_required_capability(self) -> str:
        return "plans.edit" if self.access.can("plans.edit") else "meetings.log"

    def get(self, request, *args, **kwargs):
        pairs = plan_pairs(access=self.access, user=request.user).select_related("mentor", "form", "role_model")
        pair = get_object_or_404(with_mentees(pairs.select_related("programme")), pk=kwargs["pair_pk"])
        plan = plan_for_pair(pair=pair)
        items = list(plan.items.all())
        done = sum(item.done for item in items)
        as_html = request.GET.get("format") == "html"
        context = {
            "html_preview": as_html,
            "organisation": self.organisation,
            "pair": pair,
            "mentees": [link.mentee for link in pair.mentee_links],
            "plan": plan,
            "items": items,
            "items_done": done,
            "fulfilment": fulfilment_percent(done, len(items)),
            "printed_on": timezone.localdate(),
        }
        access_record(
            request=request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.VIEW if as_html else AccessLogEntry.Action.PRINT,
            what=f"Индивидуальный план: {pair.mentor.short_name}",
            person=pair.mentor,
            people_count=1 + len(context["mentees"]),
        )
        if as_html:
            response = HttpResponse(render_html(template_name=TEMPLATE, context=context))
        else:
            response = HttpResponse(render_pdf(template_name=TEMPLATE, context=context), content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=False, filename=f"Индивидуальный план — {pair.mentor.short_name}.pdf"
            )
        response["Cache-Control"] = "private, no-store"
        return response
