"""The school's «Аналитическая справка» (PDF, DOCX) and a questionnaire's results (XLSX) as exporters.

The справка names the best cases' participants only for a user who may see the school's people
("participants.view"); only such a print is journalled. The results' rows are people's answers:
they need "participants.view" as well as "reports.view".
"""

from django.http import Http404

from participants.models import AccessLogEntry
from participants.questionnaires.services import templates_for
from reports.analytics import documents as analytics
from reports.analytics.documents_docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from reports.analytics.documents_docx import school_report_docx
from reports.analytics.forms import PeriodForm, ResultsFilterForm
from reports.analytics.questionnaire_results import results_xlsx
from reports.exports.base import Exporter, ExportResult

PERSONAL_CAPABILITY = "participants.view"
PERIOD_FIELDS = ("year", "start", "end")
FILTER_FIELDS = ("form", "school_class", "pair", "start", "end")


def _can(context, capability: str) -> bool:
    return context is not None and context.access is not None and context.access.can(capability)


def period_of(params):
    """The period of ``year`` or ``start``/``end``; this school year when none is given (or is invalid)."""
    bound = any(params.get(key) for key in PERIOD_FIELDS)
    return PeriodForm(params if bound else None).period()


class SchoolReportExporter(Exporter):
    """Params: ``year`` or ``start``/``end``, and the edited ``recommendations`` (the default text without)."""

    identifier = "school-report"
    title = "Аналитическая справка"
    capability = "reports.view"
    personal_data = True
    formats = ("pdf", "docx")

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        if organisation.is_authority:
            raise Http404
        period = period_of(params)
        text = params.get("recommendations")
        if text is not None:
            text = str(text)[: analytics.RECOMMENDATIONS_MAX_LENGTH]
        report = analytics.school_report(
            organisation=organisation,
            period=period,
            with_names=_can(context, PERSONAL_CAPABILITY),
            recommendations=text,
        )
        if fmt == "docx":
            content, content_type, action = school_report_docx(report), DOCX_CONTENT_TYPE, AccessLogEntry.Action.EXPORT
        else:
            content = analytics.school_report_pdf(report)
            content_type, action = analytics.PDF_CONTENT_TYPE, AccessLogEntry.Action.PRINT
        return ExportResult(
            analytics.school_report_filename(report, fmt),
            content_type,
            content,
            people_count=report["named_people"],
            what=f"Аналитическая справка ({fmt.upper()}), {period.label}: лучшие практики",
            action=action,
            # Without names (a district officer) the справка is aggregates only.
            journalled=bool(report["named_people"]),
        )


class QuestionnaireResultsExporter(Exporter):
    """Params: ``questionnaire`` (a version the school may see) and the page's filters."""

    identifier = "questionnaire-results"
    title = "Результаты анкетирования"
    capability = PERSONAL_CAPABILITY
    personal_data = True

    def required_capability(self, access) -> str:
        return PERSONAL_CAPABILITY if access.can("reports.view") else "reports.view"

    def render(self, *, organisation, params, fmt: str = "xlsx", context=None) -> ExportResult:
        value = str(params.get("questionnaire") or "")
        template = templates_for(organisation=organisation).filter(pk=int(value)).first() if value.isdigit() else None
        if template is None:
            raise Http404
        data = params if any(key in params for key in FILTER_FIELDS) else None
        form = ResultsFilterForm(data, organisation=organisation, personal=True)
        result = results_xlsx(organisation, template=template, filters=form.filters())
        return ExportResult(
            result.filename,
            result.content_type,
            result.content,
            people_count=result.people_count,
            what=f"Выгрузка: ответы на анкету «{template.title}» (XLSX)",
        )


# The files of this room, registered at start-up (reports.exports.registry).
EXPORTERS = (
    SchoolReportExporter,
    QuestionnaireResultsExporter,
    analytics.DistrictReportExporter,
    analytics.DistrictRegistersExporter,
)
