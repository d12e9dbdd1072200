"""Questionnaire results pages: one questionnaire per question with charts, entry against exit,
the quarterly table, and the XLSX file (participants.questionnaires.results does the counting;
mentorship.selectors.results_filter turns a form or pair choice into the people of those pairs).

The pages need "reports.view". Names of people (the per-participant table, the pair filter, the
XLSX rows) and the free-text answers are personal data: they also need "participants.view",
which a district officer visiting a school does not have (aggregates only).
"""

from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from organisations.tenancy import OrganisationMixin, require
from participants.journal import access_record
from participants.models import AccessLogEntry, QuestionnaireTemplate
from participants.questionnaires.results import (
    audiences_with_responses,
    entry_exit,
    quarterly_dynamics,
    suppress_entry_exit,
    suppress_quarterly,
    suppress_template_results,
    template_results,
    template_versions,
)
from participants.questionnaires.services import templates_for
from reports.analytics.forms import ResultsFilterForm
from reports.exports.base import REGISTRY
from reports.exports.serving import export_response

PERSONAL_CAPABILITY = "participants.view"
Audience = QuestionnaireTemplate.Audience


def _filter_form(view, **kwargs) -> ResultsFilterForm:
    fields = {"form", "school_class", "pair", "start", "end"}
    data = view.request.GET if fields & set(view.request.GET) else None
    return ResultsFilterForm(data, organisation=view.organisation, personal=view.personal, **kwargs)


class _ResultsMixin(OrganisationMixin):
    required_capability = "reports.view"

    @property
    def personal(self) -> bool:
        return self.access.can(PERSONAL_CAPABILITY)

    def audience(self, phase: str) -> tuple[str, list[tuple[str, str, bool]]]:
        """The audience asked for (?audience=), or the first with responses; and the choices."""
        with_data = audiences_with_responses(self.organisation, phase=phase)
        asked = self.request.GET.get("audience", "")
        if asked not in Audience.values:
            asked = next((a for a in Audience.values if a in with_data), Audience.STUDENT_MENTEE)
        return asked, [(value, label, value in with_data) for value, label in Audience.choices]


class QuestionnaireResultsView(_ResultsMixin, TemplateView):
    """One version of a questionnaire: per question the distribution, the mean, the texts."""

    template_name = "reports/questionnaires/results.html"

    def get_context_data(self, **kwargs):
        template = get_object_or_404(templates_for(organisation=self.organisation), pk=self.kwargs["pk"])
        form = _filter_form(self)
        filters = form.filters()
        results = template_results(self.organisation, template=template, filters=filters)
        if not self.personal:
            results = suppress_template_results(results)  # no group under 5 (organisations.figures)
        kwargs.update(
            questionnaire=template,
            versions=template_versions(self.organisation, template=template),
            filter_form=form,
            results=results,
            charts=results.charts(),
            personal=self.personal,
            query=self.request.GET.urlencode(),
            filtered=bool(filters.describe()),
        )
        return super().get_context_data(**kwargs)


class QuestionnaireResultsXlsxView(_ResultsMixin, View):
    """The XLSX file of one version (reports.analytics.exporters.QuestionnaireResultsExporter):
    people's rows, so it also needs "participants.view"."""

    def get(self, request, *args, **kwargs):
        require(self.access, PERSONAL_CAPABILITY)
        # Another school's version is the same 404 as a missing one.
        get_object_or_404(templates_for(organisation=self.organisation), pk=kwargs["pk"])
        params = request.GET.copy()
        params["questionnaire"] = str(kwargs["pk"])
        return export_response(
            request=request,
            organisation=self.organisation,
            access=self.access,
            exporter=REGISTRY["questionnaire-results"],
            params=params,
            fmt="xlsx",
        )


class EntryExitView(_ResultsMixin, TemplateView):
    """Entry against exit of one audience: growth per item and, with names, per participant."""

    template_name = "reports/questionnaires/entry_exit.html"

    def get_context_data(self, **kwargs):
        audience, audiences = self.audience(QuestionnaireTemplate.Phase.EXIT)
        form = _filter_form(self)
        result = entry_exit(self.organisation, audience=audience, filters=form.filters())
        if not self.personal:
            result = suppress_entry_exit(result)
        if self.personal and result.participants:
            access_record(
                request=self.request,
                organisation=self.organisation,
                action=AccessLogEntry.Action.VIEW,
                what=f"Результаты входной и итоговой анкет: {Audience(audience).label}",
                people_count=len(result.participants),
            )
        chart = result.chart()
        kwargs.update(
            audience=audience,
            audience_label=Audience(audience).label,
            audiences=audiences,
            filter_form=form,
            result=result,
            charts=[chart] if chart else [],
            personal=self.personal,
        )
        return super().get_context_data(**kwargs)


class QuarterlyView(_ResultsMixin, TemplateView):
    """Quarterly diagnostics of one audience: mean per scale item per calendar quarter."""

    template_name = "reports/questionnaires/quarterly.html"

    def get_context_data(self, **kwargs):
        audience, audiences = self.audience(QuestionnaireTemplate.Phase.QUARTERLY)
        form = _filter_form(self)
        table = quarterly_dynamics(self.organisation, audience=audience, filters=form.filters())
        if not self.personal:
            table = suppress_quarterly(table)
        chart = table.chart()
        kwargs.update(
            audience=audience,
            audience_label=Audience(audience).label,
            audiences=audiences,
            filter_form=form,
            table=table,
            rows=[(row, list(zip(table.labels, row.means, strict=True))) for row in table.rows],
            charts=[chart] if chart else [],
            personal=self.personal,
        )
        return super().get_context_data(**kwargs)
