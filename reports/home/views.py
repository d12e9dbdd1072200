from django.utils import timezone
from django.views.generic import TemplateView

from mentorship.selectors import current_programmes
from organisations.tenancy import OrganisationMixin
from participants.selectors import (
    consent_coverage,
    district_schools_with_counts,
    people_counts,
    region_districts_with_counts,
)
from roadmap.selectors import dashboard_due
from roadmap.stages import STAGE_SUMMARIES, Stage

from .sections import home_sections


class DashboardView(OrganisationMixin, TemplateView):
    """The organisation's front page: what each of the user's roles has to do (reports.home.sections),
    then a school's programme stages or a district's schools."""

    required_capability = "dashboard.view"
    open_to_region = True

    def get_template_names(self):
        if self.organisation.is_region:
            return ["reports/region_dashboard.html"]
        if self.organisation.is_district:
            return ["reports/district_dashboard.html"]
        return ["reports/school_dashboard.html"]

    def get_context_data(self, **kwargs):
        # «Что сделать»: the sections of the user's roles (reports.home.sections), above the figures.
        kwargs["home"] = home_sections(access=self.access, user=self.request.user)
        if self.organisation.is_region:
            districts = list(region_districts_with_counts(region=self.organisation))
            kwargs["districts"] = districts
            kwargs["totals"] = {
                field: sum(getattr(district, field) for district in districts)
                for field in ("school_count", "people_total", "students", "teachers", "young_specialists")
            }
        elif self.organisation.is_district:
            schools = list(district_schools_with_counts(district=self.organisation))
            kwargs["schools"] = schools
            kwargs["totals"] = {
                field: sum(getattr(school, field) for school in schools)
                for field in ("people_total", "students", "teachers", "young_specialists")
            }
        else:
            kwargs["stages"] = [(stage, STAGE_SUMMARIES[stage]) for stage in Stage]
            kwargs["programmes"] = current_programmes(organisation=self.organisation)
            kwargs["current_stages"] = {programme.current_stage for programme in kwargs["programmes"]}
            kwargs["counts"] = people_counts(organisation=self.organisation)
            kwargs["consent_coverage"] = consent_coverage(organisation=self.organisation)
            if self.access.can("roadmap.view"):
                kwargs["roadmap_due"] = dashboard_due(organisation=self.organisation, today=timezone.localdate())
        return super().get_context_data(**kwargs)
