"""Forms of the analytical pages that their exporters read too: the report's period and text,
the questionnaire results' filter bar."""

import re

from django import forms

from mentorship.models import Pair
from mentorship.selectors import results_filter
from organisations.school_year import current_school_year, school_year_choices
from participants.forms import DateInput
from participants.models import MentoringForm
from participants.questionnaires.results import ResultsFilter
from participants.selectors import school_classes
from reports.analytics import documents as analytics
from reports.analytics import kpi

# A longer period is not a monitoring period: the bases are kept per school year.
MAX_PERIOD_DAYS = 2 * 366
_CLASS_RE = re.compile(r"^(\d{1,2})(.*)$")


class PeriodForm(forms.Form):
    """The school year, or dates from–to (both) inside at most two years."""

    year = forms.TypedChoiceField(label="Учебный год", coerce=int, required=False)
    start = forms.DateField(label="С", required=False, widget=DateInput())
    end = forms.DateField(label="По", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = school_year_choices()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise forms.ValidationError("Укажите обе даты периода или ни одной (тогда отчёт строится за учебный год).")
        if start and end:
            if end < start:
                raise forms.ValidationError("Дата окончания периода раньше даты начала.")
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError("Период не может быть длиннее двух лет.")
        return data

    def period(self) -> kpi.Period:
        """The chosen period; the current school year when the form is unbound or invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return analytics.custom_period(data["start"], data["end"])
        return kpi.Period.of_school_year(data.get("year") or current_school_year())


class RecommendationsForm(forms.Form):
    recommendations = forms.CharField(
        label="Рекомендации",
        required=False,
        max_length=analytics.RECOMMENDATIONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Каждая строка печатается отдельным абзацем. Текст можно изменить перед печатью.",
    )


class PairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, pair):
        return pair.label  # the queryset is ``labelled()``: no query per option


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
            self.fields["pair"].queryset = pairs.labelled().order_by(
                "mentor__last_name", "mentor__first_name", "-programme__school_year", "pk"
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
