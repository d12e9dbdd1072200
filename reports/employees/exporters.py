"""The employee mentor's files: consent, additional agreement, refusal or notice (PDF, DOCX), the
register of additional agreements (XLSX) and the monthly pay register (XLSX, PDF). All name people:
every download is journalled."""

import datetime

from django.http import Http404
from django.utils import timezone

from mentorship.employment import AdditionalAgreement, EarlyEnd
from mentorship.models import Pair
from mentorship.selectors_employees import employee_pair_condition
from organisations.russian import signature_name
from participants.models import AccessLogEntry
from reports.employees.documents import (
    PAPER_TEMPLATE,
    PaperDocument,
    agreement_document,
    consent_document,
    early_end_document,
    pay_text,
)
from reports.employees.docx import paper_docx
from reports.employees.pay import pay_register, pay_total
from reports.employees.services import agreement_pdf_keep, agreement_verification_issue
from reports.exports.base import (
    HTML_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Column,
    Exporter,
    ExportResult,
    Sheet,
    TableExporter,
    write_workbook,
)
from reports.exports.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from reports.exports.pdf import render_html, render_pdf
from roadmap.deadlines import MONTHS_NOMINATIVE, month_label

CAPABILITY = "orders.draft"
PAY_TEMPLATE = "reports/pdf/pay_register.html"


def _pk(value) -> int:
    value = str(value or "")
    if not value.isdigit():
        raise Http404
    return int(value)


def _employee_pair(organisation, params) -> Pair:
    pairs = organisation.pairs.filter(employee_pair_condition()).select_related(
        "organisation", "mentor", "mentor__employment", "form", "programme"
    )
    try:
        return pairs.get(pk=_pk(params.get("pair")))
    except Pair.DoesNotExist:
        raise Http404 from None


def _journal(paper: PaperDocument, *, fmt: str, person) -> dict:
    return {
        "what": paper.filename,
        "action": AccessLogEntry.Action.VIEW if fmt == "html" else AccessLogEntry.Action.PRINT,
        "person": person,
        "people_count": 1,
    }


def _paper_result(paper: PaperDocument, *, fmt: str, person, context) -> ExportResult:
    journal = _journal(paper, fmt=fmt, person=person)
    if fmt == "docx":
        author = getattr(getattr(context, "user", None), "display_name", "") or ""
        return ExportResult(
            f"{paper.filename}.docx", DOCX_CONTENT_TYPE, paper_docx(paper, author=author or "Наставник"), **journal
        )
    data = {"paper": paper, "html_preview": fmt == "html"}
    if fmt == "html":
        html = render_html(template_name=PAPER_TEMPLATE, context=data)
        return ExportResult(f"{paper.filename}.pdf", HTML_CONTENT_TYPE, html.encode(), **journal)
    pdf = render_pdf(template_name=PAPER_TEMPLATE, context=data)
    return ExportResult(f"{paper.filename}.pdf", "application/pdf", pdf, **journal)


class EmployeeConsentExporter(Exporter):
    """The written consent of an employee to one assignment, to print and sign (ст. 351.8 ТК РФ)."""

    identifier = "employee-consent"
    title = "Согласие работника на наставничество"
    capability = CAPABILITY
    personal_data = True
    formats = ("pdf", "docx", "html")

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        pair = _employee_pair(organisation, params)
        return _paper_result(consent_document(pair), fmt=fmt, person=pair.mentor, context=context)


class AgreementExporter(Exporter):
    """The additional agreement to the labour contract for one assignment."""

    identifier = "employee-agreement"
    title = "Дополнительное соглашение о наставничестве"
    capability = CAPABILITY
    personal_data = True
    formats = ("pdf", "docx", "html")

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        pair = _employee_pair(organisation, params)
        agreement = AdditionalAgreement.objects.filter(pair=pair).select_related("organisation").first()
        if agreement is None:
            raise Http404
        absolute_url = getattr(context, "absolute_url", None)
        if fmt == "pdf":
            # The kept file: its SHA-256 is the one the agreement's verification page shows.
            content = agreement_pdf_keep(agreement=agreement, absolute_url=absolute_url)
            paper = agreement_document(agreement)
            return ExportResult(
                f"{paper.filename}.pdf", "application/pdf", content, **_journal(paper, fmt=fmt, person=pair.mentor)
            )
        agreement_verification_issue(agreement=agreement, absolute_url=absolute_url)
        return _paper_result(agreement_document(agreement), fmt=fmt, person=pair.mentor, context=context)


class EarlyEndExporter(Exporter):
    """The mentor's application refusing mentoring, or the school's notice cancelling it."""

    identifier = "employee-early-end"
    title = "Заявление об отказе (уведомление об отмене) наставничества"
    capability = CAPABILITY
    personal_data = True
    formats = ("pdf", "docx", "html")

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        pair = _employee_pair(organisation, params)
        end = EarlyEnd.objects.filter(pair=pair).first()
        if end is None:
            raise Http404
        return _paper_result(early_end_document(end), fmt=fmt, person=pair.mentor, context=context)


class AgreementRegisterExporter(TableExporter):
    """The register of additional agreements on mentoring, with numbers, dates, terms and pay."""

    identifier = "employee-agreements"
    title = "Реестр дополнительных соглашений о наставничестве"
    capability = CAPABILITY
    personal_data = True
    formats = ("xlsx", "csv")
    sheet_title = "Соглашения"
    columns = (
        Column("№ соглашения", 12),
        Column("Дата соглашения", 14),
        Column("Работник", 34),
        Column("Должность", 24),
        Column("Трудовой договор", 22),
        Column("Наставляемые", 40),
        Column("Срок наставничества", 24),
        Column("Выплата", 44),
        Column("Согласие от", 14),
        Column("Досрочное прекращение", 34),
    )

    def _agreements(self, organisation):
        return (
            AdditionalAgreement.objects.filter(organisation=organisation)
            .select_related("pair__mentor__employment", "pair__employee_consent", "pair__early_end")
            .prefetch_related("pair__mentees")
            .order_by("year", "number")
        )

    def rows(self, *, organisation, params):
        for agreement in self._agreements(organisation):
            pair = agreement.pair
            mentor = pair.mentor
            terms = getattr(mentor, "employment", None)
            consent = getattr(pair, "employee_consent", None)
            end = getattr(pair, "early_end", None)
            yield (
                agreement.number,
                agreement.concluded_on,
                mentor.full_name,
                mentor.position,
                f"от {terms.contract_date:%d.%m.%Y} № {terms.contract_number}" if terms and terms.contract_date else "",
                "; ".join(m.full_name for m in sorted(pair.mentees.all(), key=lambda m: m.last_name)),
                f"{agreement.starts_on:%d.%m.%Y}–{agreement.ends_on:%d.%m.%Y}",
                pay_text(agreement),
                consent.signed_on if consent else None,
                f"{end.get_initiator_display()}, последний день {end.ends_on:%d.%m.%Y}" if end else "",
            )

    def people_count(self, *, organisation, params) -> int:
        return AdditionalAgreement.objects.filter(organisation=organisation).values("pair__mentor").distinct().count()


def month_of(params, today: datetime.date | None = None) -> tuple[int, int]:
    """«2026-01» from ?month=, else the current month; 404 for a value that is not a month."""
    value = str(params.get("month") or "")
    if not value:
        today = today or timezone.localdate()
        return today.year, today.month
    try:
        day = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise Http404 from None
    return day.year, day.month


PAY_COLUMNS = (
    Column("№", 5),
    Column("Работник", 34),
    Column("Должность", 22),
    Column("Основание", 46),
    Column("Выплата в месяц, руб.", 14),
    Column("Период наставничества в месяце", 22),
    Column("Дней наставничества", 12),
    Column("Дней в месяце", 10),
    Column("Сумма к начислению, руб.", 16),
    Column("Отметка", 30),
)


class PayRegisterExporter(Exporter):
    """The month's mentoring pay for the accountant: XLSX to work with, PDF to sign."""

    identifier = "employee-pay-register"
    title = "Реестр выплат за наставничество"
    capability = "pay.view"
    personal_data = True
    formats = ("xlsx", "pdf", "html")

    def render(self, *, organisation, params, fmt: str = "xlsx", context=None) -> ExportResult:
        year, month = month_of(params)
        rows, without_order = pay_register(organisation=organisation, year=year, month=month)
        period = f"{MONTHS_NOMINATIVE[month - 1]} {year} г."
        title = f"Реестр выплат за наставничество за {period}"
        notes = [organisation.full_name]
        if without_order:
            notes.append(
                "Не включены (нет утверждённого приказа об установлении выплаты): " + ", ".join(without_order) + "."
            )
        journal = {"what": f"{title} ({fmt.upper()})", "people_count": len(rows)}
        name = f"Реестр выплат за наставничество {year}-{month:02d}"
        total = pay_total(rows)
        if fmt == "xlsx":
            table = [
                (
                    n,
                    row.mentor,
                    row.position,
                    f"{row.agreement}; {row.order}",
                    row.monthly,
                    f"{row.first_day:%d.%m.%Y}–{row.last_day:%d.%m.%Y}",
                    row.days,
                    row.month_days,
                    row.amount,
                    row.ended,
                )
                for n, row in enumerate(rows, start=1)
            ]
            table.append(("", "Итого", "", "", None, "", None, None, total, ""))
            content = write_workbook([Sheet("Реестр", title, PAY_COLUMNS, table, notes=notes)])
            return ExportResult(f"{name}.xlsx", XLSX_CONTENT_TYPE, content, **journal)
        data = {
            "html_preview": fmt == "html",
            "organisation": organisation,
            "title": title,
            "period": period,
            # ГОСТ Р 7.0.97-2025: initials before the surname under a signature.
            "director_signed": signature_name(organisation.director_name or ""),
            "month_label": month_label(year, month),
            "rows": rows,
            "total": total,
            "without_order": without_order,
            "printed_on": timezone.localdate(),
        }
        if fmt == "html":
            html = render_html(template_name=PAY_TEMPLATE, context=data)
            return ExportResult(f"{name}.pdf", HTML_CONTENT_TYPE, html.encode(), **journal)
        return ExportResult(
            f"{name}.pdf", "application/pdf", render_pdf(template_name=PAY_TEMPLATE, context=data), **journal
        )


EXPORTERS = [
    EmployeeConsentExporter,
    AgreementExporter,
    EarlyEndExporter,
    AgreementRegisterExporter,
    PayRegisterExporter,
]
