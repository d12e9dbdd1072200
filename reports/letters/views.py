"""Thank-you letters to a mentor or a partner organisation, and a mentor's portfolio (PDF).

A letter's page shows the default wording in a textarea (GET); the user may edit it and prints
the PDF (POST). The salutation and the addressee stay outside the text, declined by the program.
The portfolio is printed at once (GET, ``?year=2026`` for one school year, all years without it;
``?format=html`` shows the HTML). Staff with «reports.view» print any person's portfolio, a
mentor (with «meetings.log» only) their own, and gets 404 for anyone else's. Every print goes to
the access journal.
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views import View

from organisations.school_year import current_school_year, school_year_choices, school_year_label
from organisations.tenancy import OrganisationMixin
from participants.forms import DateInput
from participants.journal import access_record
from participants.models import AccessLogEntry
from participants.views_bases import selected_year
from reports.exports.pdf import render_html, render_pdf
from reports.letters.documents import can_be_processed, mentor_portfolio_context, thank_you_letter_context

LETTER_TEMPLATE = "reports/pdf/thank_you_letter.html"
PORTFOLIO_TEMPLATE = "reports/pdf/mentor_portfolio.html"
PAGE_TEMPLATE = "reports/letters/letter_form.html"
BLOCKED_TEMPLATE = "reports/letters/blocked.html"
TEXT_MAX_LENGTH = 6000


class LetterForm(forms.Form):
    text = forms.CharField(
        label="Текст письма",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Абзацы разделяйте пустой строкой. Адресат и обращение печатаются над текстом.",
        error_messages={"required": "Текст письма не может быть пустым."},
    )
    signed_on = forms.DateField(label="Дата письма", widget=DateInput())


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _filename(title: str, name: str) -> str:
    # «Кляпка О.В.» would give «… О.В..pdf».
    return f"{title} — {name}".rstrip(".") + ".pdf"


class _LetterView(OrganisationMixin, View):
    required_capability = "orders.draft"

    @cached_property
    def year(self) -> int:
        return selected_year(self.request)

    def addressee(self) -> dict:
        """{"person": …} or {"partner": …}, of this school only."""
        raise NotImplementedError

    def page_context(self) -> dict:
        raise NotImplementedError

    def blocked(self) -> bool:
        return False

    def letter_context(self, **kwargs) -> dict:
        return thank_you_letter_context(
            organisation=self.organisation, school_year=self.year, **self.addressee(), **kwargs
        )

    def page(self, form, letter: dict):
        choices = school_year_choices(around=current_school_year())
        if self.year not in dict(choices):
            choices = sorted([*choices, (self.year, school_year_label(self.year))])
        context = {
            "organisation": self.organisation,
            "access": self.access,
            "form": form,
            "letter": letter,
            "year": self.year,
            "year_choices": choices,
            "blocked": self.blocked(),
            **self.page_context(),
        }
        return render(self.request, PAGE_TEMPLATE, context)

    def get(self, request, *args, **kwargs):
        letter = self.letter_context()
        form = LetterForm(initial={"text": letter["text"], "signed_on": timezone.localdate()})
        return self.page(form, letter)

    def post(self, request, *args, **kwargs):
        form = LetterForm(request.POST)
        if self.blocked() or not form.is_valid():
            return self.page(form, self.letter_context())
        letter = self.letter_context(text=form.cleaned_data["text"], signed_on=form.cleaned_data["signed_on"])
        access_record(
            request=request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.PRINT,
            what=f"Благодарственное письмо: {self.journal_name(letter)}",
            person=letter.get("person"),
            people_count=self.people_count(letter),
        )
        content = render_pdf(template_name=LETTER_TEMPLATE, context=letter)
        return _pdf_response(content, _filename("Благодарственное письмо", self.journal_name(letter)))

    def journal_name(self, letter: dict) -> str:
        raise NotImplementedError

    def people_count(self, letter: dict) -> int:
        return 1


class MentorLetterView(_LetterView):
    """A letter to a mentor: «Уважаемая Ольга Викторовна!»."""

    @cached_property
    def person(self):
        return get_object_or_404(self.organisation.people.select_related("partner"), pk=self.kwargs["pk"])

    def addressee(self) -> dict:
        return {"person": self.person}

    def blocked(self) -> bool:
        return not can_be_processed(self.person)

    def page_context(self) -> dict:
        return {"person": self.person}

    def journal_name(self, letter: dict) -> str:
        return self.person.short_name


class PartnerLetterView(_LetterView):
    """A letter to a partner organisation, naming its employees who mentored in the year."""

    @cached_property
    def partner(self):
        return get_object_or_404(self.organisation.partners.all(), pk=self.kwargs["pk"])

    def addressee(self) -> dict:
        return {"partner": self.partner}

    def page_context(self) -> dict:
        return {"partner": self.partner}

    def journal_name(self, letter: dict) -> str:
        return self.partner.name

    def people_count(self, letter: dict) -> int:
        return len(letter["employees"])


class MentorPortfolioView(OrganisationMixin, View):
    """The mentor's portfolio for certification: pairs, plans, feedback, training, awards."""

    def get_required_capability(self) -> str:
        if self.sees_everyone:
            return "reports.view"
        if self.access.can("meetings.log"):
            return "meetings.log"  # a mentor: only their own portfolio (get_person)
        # A district officer in a school has «reports.view» but sees no personal data.
        return "participants.view" if self.access.can("reports.view") else "reports.view"

    @property
    def sees_everyone(self) -> bool:
        return self.access.can("reports.view") and self.access.can("participants.view")

    def get_person(self):
        people = self.organisation.people.select_related("partner")
        if not self.sees_everyone:
            # Someone else's portfolio looks the same as a missing one.
            people = people.filter(user=self.request.user)
        return get_object_or_404(people, pk=self.kwargs["pk"])

    def school_year(self) -> int | None:
        return selected_year(self.request) if self.request.GET.get("year") else None

    def get(self, request, *args, **kwargs):
        person = self.get_person()
        if not can_be_processed(person):
            context = {"organisation": self.organisation, "access": self.access, "person": person}
            return render(request, BLOCKED_TEMPLATE, context)
        context = mentor_portfolio_context(
            organisation=self.organisation, person=person, school_year=self.school_year()
        )
        as_html = request.GET.get("format") == "html"
        access_record(
            request=request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.VIEW if as_html else AccessLogEntry.Action.PRINT,
            what=f"Портфолио наставника: {person.short_name}",
            person=person,
            people_count=1 + context["totals"]["mentees"],
        )
        if as_html:
            response = HttpResponse(
                render_html(template_name=PORTFOLIO_TEMPLATE, context={**context, "html_preview": True})
            )
            response["Cache-Control"] = "private, no-store"
            return response
        content = render_pdf(template_name=PORTFOLIO_TEMPLATE, context=context)
        return _pdf_response(content, _filename("Портфолио наставника", person.short_name))
