from django import forms

from organisations.models import Organisation
from organisations.school_year import current_school_year, school_year_choices
from reports.analytics import indicators as library
from reports.analytics import targets
from reports.analytics.models import ENTERED, Indicator, IndicatorTarget
from reports.monitoring.models import ExportColumn, Question

QUESTION_ROWS = 3


class CampaignForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300, help_text="Например, «Мониторинг ЦМН за I полугодие».")
    school_year = forms.TypedChoiceField(label="Учебный год", coerce=int)
    deadline = forms.DateField(label="Срок сдачи", widget=forms.DateInput(attrs={"type": "date"}))
    indicators = forms.ModelMultipleChoiceField(
        label="Показатели",
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Рассчитываемые показатели школы увидят уже заполненными; «вводит школа» — заполнят сами.",
    )
    schools = forms.ModelMultipleChoiceField(
        label="Школы", queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = school_year_choices()
        self.fields["school_year"].initial = current_school_year()
        records = [r for r in targets.indicator_records(organisation) if r.is_active]
        self.fields["indicators"].queryset = Indicator.objects.filter(pk__in=[r.pk for r in records]).order_by(
            "position", "pk"
        )
        self.fields["indicators"].label_from_instance = lambda i: i.title + (" (вводит школа)" if i.is_entered else "")
        schools = organisation.schools_below().select_related("parent").order_by("parent__short_name", "short_name")
        self.fields["schools"].queryset = schools
        self.fields["schools"].initial = list(schools)
        if organisation.is_region:
            self.fields["schools"].label_from_instance = lambda s: f"{s.short_name} ({s.parent.short_name})"
        for n in range(1, QUESTION_ROWS + 1):
            self.fields[f"question_{n}"] = forms.CharField(
                label=f"Дополнительный вопрос {n}", max_length=500, required=False
            )
            self.fields[f"question_{n}_kind"] = forms.ChoiceField(
                label=f"Ответ на вопрос {n}", choices=Question.Kind.choices, initial=Question.Kind.NUMBER
            )

    def questions(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"question_{n}"].strip(), data[f"question_{n}_kind"])
            for n in range(1, QUESTION_ROWS + 1)
            if data.get(f"question_{n}", "").strip()
        ]


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что исправить", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class IndicatorForm(forms.ModelForm):
    """An authority's own indicator: a measure of the library or «вводит школа»."""

    class Meta:
        model = Indicator
        fields = ["code", "title", "short_title", "description", "unit", "measure"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["measure"] = forms.ChoiceField(
            label="Как получается значение",
            choices=[(ENTERED, "вводит школа")] + [(spec.code, spec.title) for spec in library.library()],
        )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Indicator.objects.filter(code=code).filter(organisation__isnull=True).exists() or (
            Indicator.objects.filter(organisation=self.organisation, code=code).exists()
        ):
            raise forms.ValidationError("Показатель с таким кодом уже есть: выберите другой код.")
        return code

    def save(self, commit=True):
        self.instance.organisation = self.organisation
        self.instance.position = 1000 + Indicator.objects.filter(organisation=self.organisation).count()
        return super().save(commit)


class TargetForm(forms.Form):
    target = forms.DecimalField(
        label="Цель",
        max_digits=9,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
    )
    direction = forms.ChoiceField(
        label="Направление",
        choices=IndicatorTarget.Direction.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    may_tighten = forms.BooleanField(
        label="Можно ужесточить ниже", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


class ExportColumnForm(forms.ModelForm):
    class Meta:
        model = ExportColumn
        fields = ["column", "header", "source", "indicator"]
        widgets = {
            "column": forms.NumberInput(attrs={"class": "form-control", "min": 1}),
            "header": forms.TextInput(attrs={"class": "form-control"}),
            "source": forms.Select(attrs={"class": "form-select"}),
            "indicator": forms.Select(attrs={"class": "form-select"}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        records = [r.pk for r in targets.indicator_records(organisation)]
        self.fields["indicator"].queryset = Indicator.objects.filter(pk__in=records).order_by("position", "pk")
        self.fields["indicator"].required = False

    def clean(self):
        data = super().clean()
        if data.get("source") == ExportColumn.Source.INDICATOR and not data.get("indicator"):
            self.add_error("indicator", "Выберите показатель для этого столбца.")
        return data
