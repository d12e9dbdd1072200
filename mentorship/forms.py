"""Forms of programmes, pairs, matching and weights: every choice scoped to one school."""

from django import forms
from django.utils import timezone

from organisations.models import Organisation, User
from organisations.school_year import current_school_year, school_year_choices, school_year_label
from participants.forms_bases import DATE_WIDGET, PersonChoiceField
from participants.models import MentoringForm, Person, RoleModel

from .matching import CRITERIA, MAX_WEIGHT, MatchingError, Weights
from .models import Pair, Programme
from .selectors import default_pair_dates, programme_forms, programme_role_models

ERROR_PROGRAMME_EXISTS = "Программа {kind} на {year} учебный год уже есть."


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        detail = (obj.class_name and f"{obj.class_name} класс") or obj.get_category_display().lower()
        return f"{obj.full_name} ({detail})"


class RoleModelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.form.name}: {obj.name}"


class RoleModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.form.name}: {obj.name}"


class ProgrammeEditForm(forms.ModelForm):
    """A programme of one kind (fixed on creation): its forms and role models are of its audience."""

    enabled_forms = forms.ModelMultipleChoiceField(
        label="Формы наставничества",
        queryset=MentoringForm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    role_models = RoleModelMultipleChoiceField(
        label="Ролевые модели",
        queryset=RoleModel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Только ролевые модели выбранных форм.",
    )

    class Meta:
        model = Programme
        fields = ["school_year", "title", "starts_on", "ends_on", "curator", "attention_weeks"]
        field_classes = {"curator": UserChoiceField}
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        kind = self.instance.kind
        year = self.instance.school_year or current_school_year()
        choices = school_year_choices(around=current_school_year())
        if year not in dict(choices):
            choices = sorted([*choices, (year, school_year_label(year))])
        self.fields["school_year"] = forms.TypedChoiceField(
            label="Учебный год", choices=choices, coerce=int, initial=year
        )
        self.fields["curator"].queryset = (
            User.objects.filter(memberships__organisation=organisation).distinct().order_by("last_name", "first_name")
        )
        self.fields["curator"].empty_label = "— не назначен —"
        self.fields["enabled_forms"].queryset = MentoringForm.objects.filter(audience=kind, is_active=True)
        self.fields["role_models"].queryset = RoleModel.objects.filter(
            form__audience=kind, form__is_active=True
        ).select_related("form")
        if self.instance.pk:
            self.fields["school_year"].disabled = True
            self.initial["enabled_forms"] = list(self.instance.forms.values_list("pk", flat=True))
            self.initial["role_models"] = list(self.instance.role_models.values_list("pk", flat=True))
        elif not self.is_bound:
            # The unsaved instance puts empty values under these keys, so setdefault would keep them.
            defaults = {
                "school_year": year,
                "starts_on": f"{year}-09-01",
                "ends_on": f"{year + 1}-05-31",
                "title": f"Программа наставничества {self.instance.get_kind_display()}",
            }
            for name, value in defaults.items():
                if not self.initial.get(name):
                    self.initial[name] = value

    def clean(self):
        data = super().clean()
        year = data.get("school_year")
        exists = self.organisation.programmes.filter(school_year=year, kind=self.instance.kind).exists
        if year and not self.instance.pk and exists():
            raise forms.ValidationError(
                ERROR_PROGRAMME_EXISTS.format(kind=self.instance.get_kind_display(), year=school_year_label(year))
            )
        return data


class PairCreateForm(forms.Form):
    mentor = PersonChoiceField(label="Наставник", queryset=Person.objects.none(), empty_label="— выберите наставника —")
    mentees = PersonMultipleChoiceField(
        label="Наставляемые",
        queryset=Person.objects.none(),
        help_text="Один наставляемый — пара, несколько — группа.",
    )
    form = forms.ModelChoiceField(label="Форма наставничества", queryset=MentoringForm.objects.none())
    role_model = RoleModelChoiceField(label="Ролевая модель", queryset=RoleModel.objects.none(), required=False)
    starts_on = forms.DateField(label="Начало", widget=DATE_WIDGET)
    planned_end_on = forms.DateField(label="Плановое окончание", widget=DATE_WIDGET)

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = programme.organisation
        year = programme.school_year
        people = organisation.people.filter(anonymised_at__isnull=True).order_by("last_name", "first_name", "pk")
        self.fields["mentor"].queryset = people.filter(
            mentor_entries__school_year=year, mentor_entries__organisation=organisation
        ).distinct()
        self.fields["mentees"].queryset = people.filter(
            mentee_entries__school_year=year, mentee_entries__organisation=organisation
        ).distinct()
        self.fields["form"].queryset = programme_forms(programme=programme)
        self.fields["role_model"].queryset = programme_role_models(programme=programme)
        starts_on, ends_on = default_pair_dates(programme)
        self.initial.setdefault("starts_on", starts_on)
        self.initial.setdefault("planned_end_on", ends_on)


class PairEditForm(PairCreateForm):
    """A draft pair's mentees, form, role model and dates; the mentor stays (another mentor is a
    re-pairing)."""

    def __init__(self, *args, pair: Pair, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "mentees": [row.mentee_id for row in pair.pair_mentees.all()],
                "form": pair.form_id,
                "role_model": pair.role_model_id,
                "starts_on": pair.starts_on,
                "planned_end_on": pair.planned_end_on,
            },
        )
        super().__init__(*args, programme=pair.programme, **kwargs)
        del self.fields["mentor"]


class PairCloseForm(forms.Form):
    outcome = forms.ChoiceField(label="Итог", choices=Pair.Outcome.choices)
    closed_on = forms.DateField(label="Дата завершения", widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(
        label="Причина прекращения",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Обязательна, если пара прекращена досрочно.",
    )


class PairRepairForm(forms.Form):
    mentor = PersonChoiceField(label="Новый наставник", queryset=Person.objects.none(), empty_label="— выберите —")
    closed_on = forms.DateField(label="Дата прекращения прежней пары", widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(label="Причина замены", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, pair: Pair, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = pair.organisation
        self.fields["mentor"].queryset = (
            organisation.people.filter(
                mentor_entries__school_year=pair.programme.school_year, mentor_entries__organisation=organisation
            )
            .exclude(pk=pair.mentor_id)
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )


class CaseForm(forms.Form):
    description = forms.CharField(label="Описание практики", widget=forms.Textarea(attrs={"rows": 4}))
    results = forms.CharField(label="Результаты", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photo = forms.FileField(label="Фото (JPEG или PNG, до 10 МБ)", required=False)
    caption = forms.CharField(label="Подпись к фото", max_length=300, required=False)


class MatchingRunForm(forms.Form):
    form = forms.ModelChoiceField(label="Форма наставничества", queryset=MentoringForm.objects.none(), empty_label=None)
    role_model = RoleModelChoiceField(
        label="Ролевая модель", queryset=RoleModel.objects.none(), required=False, empty_label="— любая —"
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = programme_forms(programme=programme)
        self.fields["role_model"].queryset = programme_role_models(programme=programme)

    def clean(self):
        data = super().clean()
        form, role_model = data.get("form"), data.get("role_model")
        if form and role_model and role_model.form_id != form.pk:
            self.add_error("role_model", f"Ролевая модель «{role_model.name}» не относится к форме «{form.name}».")
        return data


RULE_LABELS = {
    "min_grade_gap": "Наставник-обучающийся старше не меньше чем на, классов",
    "min_age_gap": "Без данных о классе — старше не меньше чем на, лет",
    "max_grade_gap": "Разница больше этой (классов или лет) считается наполовину",
    "min_experience_gap": "Наставник-педагог опытнее молодого педагога не меньше чем на, лет стажа",
}


class WeightsForm(forms.Form):
    """Weight 0–10 and must-have per criterion, and the age and grade rules."""

    def __init__(self, *args, weights: Weights, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = weights
        for criterion in CRITERIA:
            setting = weights.setting(criterion.code)
            # Not required: a page opened before a criterion was added keeps the saved weight.
            self.fields[f"{criterion.code}_weight"] = forms.IntegerField(
                label=f"{criterion.name}: вес",
                min_value=0,
                max_value=MAX_WEIGHT,
                initial=setting.weight,
                required=False,
                help_text=criterion.description,
            )
            self.fields[f"{criterion.code}_required"] = forms.BooleanField(
                label="обязательный критерий", required=False, initial=setting.required
            )
        for name, label in RULE_LABELS.items():
            self.fields[name] = forms.IntegerField(
                label=label, min_value=0, max_value=20, initial=getattr(weights, name)
            )

    def criterion_rows(self):
        return [(c, self[f"{c.code}_weight"], self[f"{c.code}_required"]) for c in CRITERIA]

    def rule_fields(self):
        return [self[name] for name in RULE_LABELS]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        weights = Weights()
        try:
            for criterion in CRITERIA:
                weight = data[f"{criterion.code}_weight"]
                weights = weights.with_setting(
                    criterion.code,
                    weight=self.current.setting(criterion.code).weight if weight is None else weight,
                    required=data[f"{criterion.code}_required"],
                )
            self.weights = Weights(settings=weights.settings, **{name: data[name] for name in RULE_LABELS})
        except MatchingError as error:
            raise forms.ValidationError(str(error)) from None
        return data
