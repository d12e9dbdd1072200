"""The monitoring indicators (reports.analytics.kpi): a school's dashboard with monthly trends, the
people behind one indicator, and the district's table of its schools.

The pages need "reports.view", which a district officer also has in its schools. The
drill-down lists names, which are personal data: it also needs "participants.view" (a
district officer visiting a school sees the numbers only) and every opening is journalled.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import ListView, TemplateView

from organisations.school_year import current_school_year, school_year_choices
from organisations.tenancy import OrganisationMixin, require
from participants.journal import access_record
from participants.models import AccessLogEntry
from reports.analytics import indicators, kpi

PERSONAL_CAPABILITY = "participants.view"
DRILL_DOWN_PAGE_SIZE = 50
# The drill-down lists people (or their base entries and plans): journalled as personal data.
PERSONAL_ROWS = {"people", "entries", "plan_items"}


class PeriodMixin:
    """?year=2025 picks the school year (one of the offered ones); the current one by default."""

    def get_period(self) -> kpi.Period:
        choices = dict(school_year_choices())
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = current_school_year()
        if year not in choices:
            year = current_school_year()
        return kpi.Period.of_school_year(year)

    def period_context(self, period: kpi.Period) -> dict:
        return {
            "period": period,
            "as_of": period.as_of(timezone.localdate()),
            "year_choices": school_year_choices(),
            "year": period.school_year,
        }


def _chart(indicator: kpi.Indicator) -> dict | None:
    if not indicator.trend or all(point.value is None for point in indicator.trend):
        return None
    return {
        "canvas": f"kpi-chart-{indicator.code}",
        "labels": [point.label for point in indicator.trend],
        "data": [point.value for point in indicator.trend],
        "target": indicator.target,
        "label": indicator.title,
    }


class KpiView(PeriodMixin, OrganisationMixin, TemplateView):
    """A school's indicators: value, target, status colour and the monthly trend of each."""

    required_capability = "reports.view"
    template_name = "reports/kpi/school.html"
    open_to_region = True

    def get(self, request, *args, **kwargs):
        if self.organisation.is_authority:
            return redirect("reports:district_kpi", org=self.organisation.slug)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        period = self.get_period()
        indicators = kpi.school_indicators(organisation=self.organisation, period=period)
        if not self.access.can(PERSONAL_CAPABILITY):
            # A district or region officer visiting: no group under 5 (organisations.figures).
            indicators = list(kpi.suppress_small_groups({i.code: i for i in indicators}).values())
        charts = [chart for chart in map(_chart, indicators) if chart]
        kwargs.update(self.period_context(period))
        kwargs.update(
            indicators=indicators,
            charts=charts,
            charted={chart["canvas"] for chart in charts},
            can_drill=self.access.can(PERSONAL_CAPABILITY),
        )
        return super().get_context_data(**kwargs)


class KpiDetailView(PeriodMixin, OrganisationMixin, ListView):
    """The rows behind one indicator: those not counted yet (?show=missing, first) or counted."""

    required_capability = "reports.view"
    template_name = "reports/kpi/detail.html"
    paginate_by = DRILL_DOWN_PAGE_SIZE

    def get(self, request, *args, **kwargs):
        code = kwargs["code"]
        if self.organisation.is_authority or not indicators.exists(code) or not indicators.get(code).has_drill_down:
            raise Http404
        require(self.access, PERSONAL_CAPABILITY)
        self.period = self.get_period()
        self.show = "included" if request.GET.get("show") == "included" else "missing"
        self.drill = kpi.drill_down(organisation=self.organisation, code=kwargs["code"], period=self.period)
        response = super().get(request, *args, **kwargs)
        page = response.context_data["page_obj"]
        if self.drill.rows in PERSONAL_ROWS and len(page.object_list):
            spec = indicators.get(kwargs["code"])
            label = self.drill.included_label if self.show == "included" else self.drill.missing_label
            access_record(
                request=request,
                organisation=self.organisation,
                action=AccessLogEntry.Action.VIEW,
                what=f"Показатель «{spec.title}»: {label.lower()}, {self.period.label}",
                people_count=len(page.object_list),
            )
        return response

    def get_queryset(self):
        return self.drill.included if self.show == "included" else self.drill.missing

    def get_context_data(self, **kwargs):
        kwargs.update(self.period_context(self.period))
        kwargs.update(
            indicator=kpi.school_indicator(
                organisation=self.organisation, code=self.kwargs["code"], period=self.period
            ),
            drill=self.drill,
            show=self.show,
            included_count=self.drill.included.count(),
            missing_count=self.drill.missing.count(),
        )
        return super().get_context_data(**kwargs)


class DistrictKpiView(PeriodMixin, OrganisationMixin, TemplateView):
    """The district's schools × indicators, the totals and a ranking by ?sort=<indicator>; in a
    region, the same table of its districts (each the sum of its schools)."""

    required_capability = "reports.view"
    template_name = "reports/kpi/district.html"
    open_to_region = True

    def get(self, request, *args, **kwargs):
        if not self.organisation.is_authority:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        period = self.get_period()
        if self.organisation.is_region:
            result = kpi.region_indicators(region=self.organisation, period=period)
        else:
            result = kpi.district_indicators(district=self.organisation, period=period)
        specs = result.specs
        sort = self.request.GET.get("sort", "")
        sort = sort if sort in {spec.code for spec in specs} else ""
        rows = kpi.rank_schools(result.schools, sort) if sort else result.schools
        year_query = f"year={period.school_year}"
        columns = [
            {
                "code": spec.code,
                "title": spec.short_title,
                "full_title": spec.title,
                "formula_text": spec.formula_text,
                "target": result.totals[spec.code].target_display,
                "sort_url": f"?{year_query}&sort={spec.code}",
            }
            for spec in specs
        ]
        for row in rows:
            row.url = f"{reverse('reports:kpi', kwargs={'org': row.school.slug})}?{year_query}"
            if self.organisation.is_region:
                row.url = f"{reverse('reports:district_kpi', kwargs={'org': row.school.slug})}?{year_query}"
            row.cells = [row.indicators[spec.code] for spec in specs]
        kwargs.update(self.period_context(period))
        kwargs.update(
            rows=rows,
            columns=columns,
            totals=[result.totals[spec.code] for spec in specs],
            sort=sort,
            sort_title=result.totals[sort].title if sort else "",
            unsorted_url=f"?{year_query}",
        )
        return super().get_context_data(**kwargs)
