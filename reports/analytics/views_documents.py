"""Analytical reports (reports.analytics.documents): the school's «Аналитическая справка» (PDF, DOCX), the
district's annual analytical report (PDF, XLSX) and the mentor registers received from schools.

The school's page shows the period form, the report's indicators and conclusions and the
recommendations in a textarea (GET: the default text); the curator edits them and prints (POST to
the PDF or DOCX address; a GET there prints the defaults). The names of the best cases'
participants are printed only for a user who may see the school's people ("participants.view":
a district officer visiting the school sees aggregates), and such a print is journalled.

The district's files go through the exporter registry: a large district's file is built by a
background task (reports.exports.tasks) and the user is sent to the job's page; a small one is answered
at once. The registers name people: their page and every export are journalled.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from organisations.school_year import current_school_year, school_year_choices, school_year_label
from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from participants.models import AccessLogEntry
from reports.analytics import documents as analytics
from reports.analytics import kpi
from reports.analytics.exporters import SchoolReportExporter
from reports.analytics.forms import PeriodForm, RecommendationsForm
from reports.exports.base import REGISTRY
from reports.exports.serving import export_or_job, export_response

PERSONAL_CAPABILITY = "participants.view"


def _period_params(data) -> dict:
    return {key: data.get(key) for key in ("year", "start", "end") if data.get(key)}


# --- School ---------------------------------------------------------------------------------------


class _SchoolReportMixin(OrganisationMixin):
    required_capability = "reports.view"

    @cached_property
    def with_names(self) -> bool:
        return self.access.can(PERSONAL_CAPABILITY)

    def period_form(self, data) -> PeriodForm:
        bound = any(data.get(key) for key in ("year", "start", "end"))
        return PeriodForm(data if bound else None, initial={"year": current_school_year()})

    def report(self, period: kpi.Period, recommendations: str | None = None) -> dict:
        return analytics.school_report(
            organisation=self.organisation, period=period, with_names=self.with_names, recommendations=recommendations
        )

    def page(self, *, period_form: PeriodForm, text_form: RecommendationsForm | None = None, report=None):
        period = period_form.period()
        report = report or self.report(period)
        if text_form is None:
            text_form = RecommendationsForm(initial={"recommendations": report["default_recommendations"]})
        params = _period_params(period_form.data) if period_form.is_bound and period_form.is_valid() else {}
        context = {
            "organisation": self.organisation,
            "access": self.access,
            "period_form": period_form,
            "text_form": text_form,
            "report": report,
            "period": period,
            "period_params": params,
            "with_names": self.with_names,
        }
        return render(self.request, "reports/analytics/school.html", context)


class AnalyticsView(_SchoolReportMixin, View):
    """The report's page: period, indicators and conclusions, the editable recommendations."""

    def get(self, request, *args, **kwargs):
        if self.organisation.is_authority:
            return redirect("reports:district_report", org=self.organisation.slug)
        return self.page(period_form=self.period_form(request.GET))


class _AnalyticsFileView(_SchoolReportMixin, View):
    extension = ""

    def get(self, request, *args, **kwargs):
        if self.organisation.is_authority:
            raise Http404
        return self.respond(request.GET, recommendations=None)

    def post(self, request, *args, **kwargs):
        if self.organisation.is_authority:
            raise Http404
        period_form, text_form = self.period_form(request.POST), RecommendationsForm(request.POST)
        # The page sends no period until one is chosen: an unbound period form means this school year.
        period_valid = not period_form.is_bound or period_form.is_valid()
        if not (period_valid and text_form.is_valid()):
            return self.page(period_form=period_form, text_form=text_form)
        text = text_form.cleaned_data["recommendations"] if "recommendations" in request.POST else None
        return self.respond(request.POST, recommendations=text)

    def respond(self, data, *, recommendations: str | None):
        # The exporter reads the same period fields (an invalid period there means this school year, as here).
        params = _period_params(data)
        if recommendations is not None:
            params["recommendations"] = recommendations
        return export_response(
            request=self.request,
            organisation=self.organisation,
            access=self.access,
            exporter=REGISTRY[SchoolReportExporter.identifier],
            params=params,
            fmt=self.extension,
        )


class AnalyticsPdfView(_AnalyticsFileView):
    extension = "pdf"


class AnalyticsDocxView(_AnalyticsFileView):
    extension = "docx"


# --- District -------------------------------------------------------------------------------------


class _DistrictMixin(OrganisationMixin):
    required_capability = "reports.view"

    def district_only(self) -> None:
        if not self.organisation.is_district:
            raise Http404

    def authority_only(self) -> None:
        """The annual report: a district's schools, or a region's schools of every district."""
        if not self.organisation.is_authority:
            raise Http404

    def year_context(self, period: kpi.Period) -> dict:
        choices = school_year_choices()
        if period.school_year not in dict(choices):
            choices = sorted([*choices, (period.school_year, school_year_label(period.school_year))])
        return {"year": period.school_year, "year_choices": choices, "period": period}


class DistrictReportView(_DistrictMixin, TemplateView):
    """The annual report's page: the year, the main tables, the editable forecast, PDF and XLSX."""

    template_name = "reports/analytics/district.html"
    # The annual report names no one: a region officer reads every district's.
    open_to_region = True

    def get(self, request, *args, **kwargs):
        self.authority_only()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        period = analytics.district_period(self.request.GET)
        report = analytics.district_report(district=self.organisation, period=period)
        kwargs.update(self.year_context(period))
        kwargs.update(
            report=report,
            text_form=RecommendationsForm(
                initial={"recommendations": report["default_recommendations"]},
            ),
        )
        kwargs["text_form"].fields["recommendations"].label = "Прогноз и задачи на следующий этап"
        return super().get_context_data(**kwargs)


class _DistrictFileView(_DistrictMixin, View):
    """A district file through its exporter: at once, or by a background task for a large district."""

    identifier = ""
    fmt = "xlsx"

    def get(self, request, *args, **kwargs):
        return self.export(request.GET)

    def post(self, request, *args, **kwargs):
        return self.export(request.POST)

    def export(self, params):
        if self.identifier == analytics.DistrictReportExporter.identifier:
            self.authority_only()
        else:
            self.district_only()
        return export_or_job(
            request=self.request,
            organisation=self.organisation,
            access=self.access,
            exporter=REGISTRY[self.identifier],
            params=params,
            fmt=self.fmt,
            as_attachment=self.fmt != "pdf",
        )


class DistrictReportPdfView(_DistrictFileView):
    open_to_region = True
    identifier = analytics.DistrictReportExporter.identifier
    fmt = "pdf"


class DistrictReportXlsxView(_DistrictFileView):
    open_to_region = True
    identifier = analytics.DistrictReportExporter.identifier
    fmt = "xlsx"


class DistrictRegistersXlsxView(_DistrictFileView):
    identifier = analytics.DistrictRegistersExporter.identifier
    fmt = "xlsx"


class DistrictRegistersView(_DistrictMixin, TemplateView):
    """Each school's approved mentor register of the year; the list names people: journalled."""

    template_name = "reports/analytics/registers.html"

    def get(self, request, *args, **kwargs):
        self.district_only()
        response = super().get(request, *args, **kwargs)
        people = sum(len(register.rows) for register in response.context_data["registers"])
        if people:
            access_record(
                request=request,
                organisation=self.organisation,
                action=AccessLogEntry.Action.VIEW,
                what=f"Реестры наставников школ, {school_year_label(self.period.school_year)} учебный год",
                people_count=people,
            )
        return response

    def get_context_data(self, **kwargs):
        self.period = analytics.district_period(self.request.GET)
        registers = analytics.district_registers(district=self.organisation, year=self.period.school_year)
        kwargs.update(self.year_context(self.period))
        kwargs.update(
            registers=registers,
            people_total=sum(register.people_count for register in registers),
            today=timezone.localdate(),
        )
        return super().get_context_data(**kwargs)
