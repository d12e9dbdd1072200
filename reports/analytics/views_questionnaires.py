"""Questionnaire results pages: one questionnaire per question with charts, entry against exit,
the quarterly table, and the XLSX file (participants.questionnaires.results does the counting;
mentorship.selectors.results_filter turns a form or pair choice into the people of those pairs).

The pages need "reports.view". Names of people (the per-participant table, the pair filter, the
XLSX rows) and the free-text answers are personal data: they also need "participants.view",
which a district officer visiting a school does not have (aggregates only).
"""

import re

from django import forms
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView

from mentorship.models import Pair
from mentorship.selectors import results_filter
from organisations.tenancy import OrganisationMixin, require
from participants.forms import DateInput
from participants.journal import access_record
from participants.models import AccessLogEntry, MentoringForm, QuestionnaireTemplate
from participants.questionnaires.results import (
    ResultsFilter,
    audiences_with_responses,
    entry_exit,
    quarterly_dynamics,
    template_results,
    template_versions,
)
from participants.questionnaires.services import templates_for
from participants.selectors import school_classes
from reports.analytics.questionnaire_results import results_xlsx

PERSONAL_CAPABILITY = "participants.view"
_CLASS_RE = re.compile(r"^(\d{1,2})(.*)$")
Audience = QuestionnaireTemplate.Audience


class PairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, pair):
        year = pair.programme.school_year
        kind = "группа" if getattr(pair, "mentees_count", 1) > 1 else "пара"
        return f"{pair.mentor.short_name} — {pair.form.name} ({kind}, {year}/{year + 1})"


class ResultsFilterForm(forms.Form):
    """The filter bar (GET): form, class, pair and dates; an invalid field is left out of the filter."""

    form = forms.ModelChoiceField(
        label="Форма наставничества", queryset=MentoringForm.objects.none(), required=False, empty_label="Все формы"
    )
    school_class = forms.ChoiceField(label="Класс", required=False)
    pair = PairChoiceField(label="Пара или группа", queryset=Pair.objects.none(), required=False, empty_label="Все")
    start = forms.DateField(label="Ответы с", required=False, widget=DateInput())
    end = forms.DateField(label="по", required=False, widget=DateInput())

    def __init__(self, *args, organisation, personal: bool, with_dates: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        pairs = Pair.objects.filter(organisation=organisation).exclude(status=Pair.Status.DRAFT)
        self.fields["form"].queryset = MentoringForm.objects.filter(pk__in=pairs.values("form")).order_by(
            "audience", "position", "name"
        )
        classes = [f"{grade}{letter}" for grade, letter in school_classes(organisation=organisation)]
        self.fields["school_class"].choices = [("", "Все классы"), *((c, c) for c in classes)]
        if personal:
            self.fields["pair"].queryset = (
                pairs.select_related("mentor", "form", "programme")
                .annotate(mentees_count=Count("pair_mentees"))
                .order_by("mentor__last_name", "mentor__first_name", "-programme__school_year", "pk")
            )
        else:
            del self.fields["pair"]
        if not with_dates:
            del self.fields["start"], self.fields["end"]

    def filters(self) -> ResultsFilter:
        if not self.is_bound:
            return ResultsFilter()
        self.is_valid()
        data = self.cleaned_data
        grade, letter = None, ""
        if match := _CLASS_RE.match(data.get("school_class") or ""):
            grade, letter = int(match[1]), match[2]
        return results_filter(
            organisation=self.organisation,
            form=data.get("form"),
            grade=grade,
            class_letter=letter,
            pair=data.get("pair"),
            start=data.get("start"),
            end=data.get("end"),
        )


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
    """The XLSX file of one version: people's rows, so it also needs "participants.view"."""

    def get(self, request, *args, **kwargs):
        require(self.access, PERSONAL_CAPABILITY)
        template = get_object_or_404(templates_for(organisation=self.organisation), pk=kwargs["pk"])
        filters = _filter_form(self).filters()
        result = results_xlsx(self.organisation, template=template, filters=filters)
        if result.people_count:
            access_record(
                request=request,
                organisation=self.organisation,
                action=AccessLogEntry.Action.EXPORT,
                what=f"Выгрузка: ответы на анкету «{template.title}» (XLSX)",
                people_count=result.people_count,
            )
        response = HttpResponse(result.content, content_type=result.content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=result.filename)
        response["Cache-Control"] = "private, no-store"
        return response


class EntryExitView(_ResultsMixin, TemplateView):
    """Entry against exit of one audience: growth per item and, with names, per participant."""

    template_name = "reports/questionnaires/entry_exit.html"

    def get_context_data(self, **kwargs):
        audience, audiences = self.audience(QuestionnaireTemplate.Phase.EXIT)
        form = _filter_form(self)
        result = entry_exit(self.organisation, audience=audience, filters=form.filters())
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
