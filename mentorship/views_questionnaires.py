"""Sending a questionnaire to a pair or group, or to everyone in a programme's pairs: a mentors'
questionnaire to the mentors, a mentees' one to the mentees, any other to both.

The people come from here (mentorship is above participants); the links are made by the
participants service, which keeps its rules: no link without a valid consent (those people are
named), no second link to the same version, links shown once.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views import View

from organisations.tenancy import OrganisationMixin
from participants.models import QuestionnaireTemplate
from participants.questionnaires.forms import PeopleSendForm
from participants.questionnaires.views import links_sent

from .models import Pair, PairMentee
from .views import PairMixin, ProgrammeMixin

SEND = "participants.edit"
WORKING = [Pair.Status.APPROVED, Pair.Status.ACTIVE]


class ProgrammeSendForm(PeopleSendForm):
    include_closed = forms.BooleanField(
        label="И участникам завершённых пар",
        required=False,
        help_text="Без отметки анкету получат участники утверждённых и работающих пар и групп.",
    )


MENTEE_AUDIENCES = {QuestionnaireTemplate.Audience.STUDENT_MENTEE, QuestionnaireTemplate.Audience.TEACHER_MENTEE}


def for_audience(template: QuestionnaireTemplate, *, mentors, mentees) -> set[int]:
    """A mentors' questionnaire goes to the mentors, a mentees' one to the mentees, others to both."""
    if template.audience == QuestionnaireTemplate.Audience.MENTOR:
        return set(mentors)
    if template.audience in MENTEE_AUDIENCES:
        return set(mentees)
    return set(mentors) | set(mentees)


def programme_people_ids(*, programme, include_closed: bool, template: QuestionnaireTemplate) -> set[int]:
    """Mentors and/or mentees (by the questionnaire's audience) of the programme's approved and
    working pairs (and closed ones if asked)."""
    statuses = [*WORKING, Pair.Status.CLOSED] if include_closed else WORKING
    pairs = programme.pairs.filter(status__in=statuses)
    mentors = pairs.values_list("mentor_id", flat=True)
    mentees = PairMentee.objects.filter(organisation=programme.organisation_id, pair__in=pairs).values_list(
        "mentee_id", flat=True
    )
    return for_audience(template, mentors=mentors, mentees=mentees)


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
