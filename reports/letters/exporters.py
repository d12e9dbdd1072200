"""Thank-you letters to a mentor or a partner organisation and a mentor's portfolio (PDF), as exporters.

A letter's params: ``person`` or ``partner`` (of this school), ``year``, and the text and date
the user edited (``text``, ``signed_on``); without them the default wording and today. The
portfolio's params: ``person`` and ``year`` (all years without it). Every print is journalled.
"""

import datetime

from django.http import Http404

from organisations.school_year import school_year_from
from participants.models import AccessLogEntry
from reports.exports.base import HTML_CONTENT_TYPE, ExportContext, Exporter, ExportResult
from reports.exports.pdf import render_html, render_pdf
from reports.letters.documents import can_be_processed, mentor_portfolio_context, thank_you_letter_context

LETTER_TEMPLATE = "reports/pdf/thank_you_letter.html"
PORTFOLIO_TEMPLATE = "reports/pdf/mentor_portfolio.html"


def pdf_filename(title: str, name: str) -> str:
    # «Кляпка О.В.» would give «… О.В..pdf».
    return f"{title} — {name}".rstrip(".") + ".pdf"


def _object_of(queryset, value):
    value = str(value or "")
    if not value.isdigit():
        raise Http404
    try:
        return queryset.get(pk=int(value))
    except queryset.model.DoesNotExist:
        raise Http404 from None


def _date(value) -> datetime.date | None:
    if not value or isinstance(value, datetime.date):
        return value or None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


class _LetterExporter(Exporter):
    capability = "orders.draft"
    personal_data = True
    formats = ("pdf",)

    def addressee(self, *, organisation, params) -> dict:
        """{"person": …} or {"partner": …}, of this school only."""
        raise NotImplementedError

    def letter(self, *, organisation, params) -> dict:
        text = params.get("text")
        return thank_you_letter_context(
            organisation=organisation,
            school_year=school_year_from(params),
            text=str(text) if text else None,
            signed_on=_date(params.get("signed_on")),
            **self.addressee(organisation=organisation, params=params),
        )

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        letter = self.letter(organisation=organisation, params=params)
        name = self.journal_name(letter)
        return ExportResult(
            pdf_filename("Благодарственное письмо", name),
            "application/pdf",
            render_pdf(template_name=LETTER_TEMPLATE, context=letter),
            what=f"Благодарственное письмо: {name}",
            action=AccessLogEntry.Action.PRINT,
            person=letter.get("person"),
            people_count=self.people_count(letter),
        )

    def journal_name(self, letter: dict) -> str:
        raise NotImplementedError

    def people_count(self, letter: dict) -> int:
        return 1


class MentorLetterExporter(_LetterExporter):
    """A letter to a mentor: «Уважаемая Ольга Викторовна!»."""

    identifier = "letter-mentor"
    title = "Благодарственное письмо наставнику"

    def person_of(self, *, organisation, params):
        return _object_of(organisation.people.select_related("partner"), params.get("person"))

    def addressee(self, *, organisation, params) -> dict:
        person = self.person_of(organisation=organisation, params=params)
        if not can_be_processed(person):
            raise Http404  # the page says why; a file is not made for this person
        return {"person": person}

    def journal_name(self, letter: dict) -> str:
        return letter["person"].short_name


class PartnerLetterExporter(_LetterExporter):
    """A letter to a partner organisation, naming its employees who mentored in the year."""

    identifier = "letter-partner"
    title = "Благодарственное письмо организации-партнёру"

    def partner_of(self, *, organisation, params):
        return _object_of(organisation.partners.all(), params.get("partner"))

    def addressee(self, *, organisation, params) -> dict:
        return {"partner": self.partner_of(organisation=organisation, params=params)}

    def journal_name(self, letter: dict) -> str:
        return letter["partner"].name

    def people_count(self, letter: dict) -> int:
        return len(letter["employees"])


class MentorPortfolioExporter(Exporter):
    """The mentor's portfolio for certification: pairs, plans, feedback, training, awards.

    Staff with «reports.view» and «participants.view» print anyone's, a mentor («meetings.log»)
    only their own: anyone else's is the same 404 as a missing person.
    """

    identifier = "mentor-portfolio"
    title = "Портфолио наставника"
    capability = "reports.view"
    personal_data = True
    formats = ("pdf", "html")

    @staticmethod
    def sees_everyone(access) -> bool:
        return access is not None and access.can("reports.view") and access.can("participants.view")

    def required_capability(self, access) -> str:
        if self.sees_everyone(access):
            return "reports.view"
        if access.can("meetings.log"):
            return "meetings.log"  # a mentor: only their own portfolio (person_of)
        # A district officer in a school has «reports.view» but sees no personal data.
        return "participants.view" if access.can("reports.view") else "reports.view"

    def person_of(self, *, organisation, params, context: ExportContext | None):
        people = organisation.people.select_related("partner")
        if not self.sees_everyone(context.access if context else None):
            # Someone else's portfolio looks the same as a missing one.
            people = people.filter(user=context.user) if context and context.user else people.none()
        return _object_of(people, params.get("person"))

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        person = self.person_of(organisation=organisation, params=params, context=context)
        if not can_be_processed(person):
            raise Http404  # the page says why; a file is not made for this person
        school_year = school_year_from(params) if params.get("year") else None
        data = mentor_portfolio_context(organisation=organisation, person=person, school_year=school_year)
        journal = {
            "what": f"Портфолио наставника: {person.short_name}",
            "action": AccessLogEntry.Action.VIEW if fmt == "html" else AccessLogEntry.Action.PRINT,
            "person": person,
            "people_count": 1 + data["totals"]["mentees"],
        }
        filename = pdf_filename("Портфолио наставника", person.short_name)
        if fmt == "html":
            html = render_html(template_name=PORTFOLIO_TEMPLATE, context={**data, "html_preview": True})
            return ExportResult(filename, HTML_CONTENT_TYPE, html.encode(), **journal)
        return ExportResult(
            filename, "application/pdf", render_pdf(template_name=PORTFOLIO_TEMPLATE, context=data), **journal
        )


# The files of this room, registered at start-up (reports.exports.registry).
EXPORTERS = (MentorLetterExporter, PartnerLetterExporter, MentorPortfolioExporter)
