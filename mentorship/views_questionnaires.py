"""Sending a questionnaire to a pair or group, or to everyone in a programme's pairs: a mentors'
questionnaire to the mentors, a mentees' one to the mentees, any other to both.

The people come from mentorship.selectors (pairs are above participants); the links are made by
participants.questionnaires, which keeps its rules: no link without a valid consent (those
people are named), no second link to the same version, links shown once.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views import View

from organisations.tenancy import OrganisationMixin
from participants.questionnaires.forms import PeopleSendForm
from participants.questionnaires.selectors import for_audience
from participants.questionnaires.views import links_sent

from .selectors import programme_people_ids
from .views import PairMixin, ProgrammeMixin

SEND = "participants.edit"


class ProgrammeSendForm(PeopleSendForm):
    include_closed = forms.BooleanField(
        label="И участникам завершённых пар",
        required=False,
        help_text="Без отметки анкету получат участники утверждённых и работающих пар и групп.",
    )


class _SendView(OrganisationMixin, View):
    required_capability = SEND
    form_class = PeopleSendForm

    def people(self, form) -> list[int]:
        raise NotImplementedError

    def context(self) -> dict:
        raise NotImplementedError

    def render(self, form, **extra):
        return render(
            self.request,
            "mentorship/questionnaire_send.html",
            {"organisation": self.organisation, "access": self.access, "form": form} | self.context() | extra,
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.form_class(organisation=self.organisation))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, organisation=self.organisation)
        if not form.is_valid():
            return self.render(form)
        try:
            result = links_sent(
                request=request,
                organisation=self.organisation,
                template=form.cleaned_data["questionnaire"],
                people=self.organisation.people.filter(pk__in=self.people(form), anonymised_at__isnull=True),
                expires_on=form.cleaned_data["expires_on"],
                repeat=form.cleaned_data["repeat"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form)
        return self.render(form, **result)


class PairQuestionnaireSendView(PairMixin, _SendView):
    """The pair's mentor and mentees."""

    def people(self, form) -> list[int]:
        mentees = [link.mentee_id for link in self.pair.pair_mentees.all()]
        template = form.cleaned_data["questionnaire"]
        return sorted(for_audience(template, mentors=[self.pair.mentor_id], mentees=mentees))

    def context(self) -> dict:
        return {"pair": self.pair, "target": "pair"}


class ProgrammeQuestionnaireSendView(ProgrammeMixin, _SendView):
    """Everyone in the programme's pairs and groups."""

    form_class = ProgrammeSendForm

    def people(self, form) -> list[int]:
        return sorted(
            programme_people_ids(
                programme=self.programme,
                include_closed=form.cleaned_data["include_closed"],
                template=form.cleaned_data["questionnaire"],
            )
        )

    def context(self) -> dict:
        return {"programme": self.programme, "target": "programme"}
