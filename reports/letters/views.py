"""Thank-you letters to a mentor or a partner organisation, and a mentor's portfolio (PDF).

A letter's page shows the default wording in a textarea (GET); the user may edit it and prints
the PDF (POST). The salutation and the addressee stay outside the text, declined by the program.
The portfolio is printed at once (GET, ``?year=2026`` for one school year, all years without it;
``?format=html`` shows the HTML). Staff with «reports.view» print any person's portfolio, a
mentor (with «meetings.log» only) their own, and gets 404 for anyone else's. Every print goes to
the access journal.
"""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View

from organisations.school_year import current_school_year, school_year_choices, school_year_label
from organisations.tenancy import OrganisationMixin
from participants.forms import DateInput
from participants.views_bases import selected_year
from reports.exports.base import REGISTRY
from reports.exports.serving import export_response, request_context
from reports.letters.documents import can_be_processed, thank_you_letter_context
from reports.letters.exporters import MentorLetterExporter, MentorPortfolioExporter, PartnerLetterExporter

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


def _export(view, identifier: str, params: dict, fmt: str = "pdf"):
    return export_response(
        request=view.request,
        organisation=view.organisation,
        access=view.access,
        exporter=REGISTRY[identifier],
        params=params,
        fmt=fmt,
    )


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
        params = {
            **self.exporter_params(),
            "year": self.year,
            "text": form.cleaned_data["text"],
            "signed_on": form.cleaned_data["signed_on"],
        }
        return _export(self, self.identifier, params)

    def exporter_params(self) -> dict:
        raise NotImplementedError


class MentorLetterView(_LetterView):
    """A letter to a mentor: «Уважаемая Ольга Викторовна!»."""

    identifier = MentorLetterExporter.identifier

    @cached_property
    def person(self):
        return get_object_or_404(self.organisation.people.select_related("partner"), pk=self.kwargs["pk"])

    def addressee(self) -> dict:
        return {"person": self.person}

    def blocked(self) -> bool:
        return not can_be_processed(self.person)

    def page_context(self) -> dict:
        return {"person": self.person}

    def exporter_params(self) -> dict:
        return {"person": self.person.pk}


class PartnerLetterView(_LetterView):
    """A letter to a partner organisation, naming its employees who mentored in the year."""

    identifier = PartnerLetterExporter.identifier

    @cached_property
    def partner(self):
        return get_object_or_404(self.organisation.partners.all(), pk=self.kwargs["pk"])

    def addressee(self) -> dict:
        return {"partner": self.partner}

    def page_context(self) -> dict:
        return {"partner": self.partner}

    def exporter_params(self) -> dict:
        return {"partner": self.partner.pk}


class MentorPortfolioView(OrganisationMixin, View):
    """The mentor's portfolio for certification (reports.letters.exporters.MentorPortfolioExporter)."""

    exporter = MentorPortfolioExporter()

    def get_required_capability(self) -> str:
        return self.exporter.required_capability(self.access)

    def get(self, request, *args, **kwargs):
        params = {"person": kwargs["pk"], "year": request.GET.get("year", "")}
        context = request_context(request, self.access)
        person = self.exporter.person_of(organisation=self.organisation, params=params, context=context)
        if not can_be_processed(person):
            context = {"organisation": self.organisation, "access": self.access, "person": person}
            return render(request, BLOCKED_TEMPLATE, context)
        fmt = self.exporter.fmt_of(request.GET.get("format"))
        return _export(self, self.exporter.identifier, params, fmt)
