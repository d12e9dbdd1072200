"""Forms of roadmaps: every choice scoped to one organisation; writes go through services."""

from django import forms
from django.utils import timezone

from organisations.school_year import current_school_year
from participants.forms import DateInput
from participants.importing import MAX_FILE_SIZE, format_size
from participants.validators import validate_scan

from .deadlines import Period
from .models import Item, Occurrence, Roadmap, Section
from .selectors import responsible_people_choices, responsible_user_choices
from .texts import default_title

DATE_WIDGET = DateInput()
ERROR_YEARS = "Последний учебный год не может начинаться раньше первого."
DEADLINE_HELP = (
    "Как в документе: «сентябрь 2026», «01.09.2026», «до 15.10.2026», «до конца октября», «октябрь – ноябрь 2026», "
    "«в течение всего периода», «по отдельному графику», «ежегодно в сентябре», «1 раз в квартал». "
    "Непонятный срок сохранится как текст, без даты."
)


def _year_choices(around: int) -> list[tuple[int, str]]:
    return [(year, str(year)) for year in range(around - 6, around + 7)]


class PeriodForm(forms.Form):
    """The period as whole school years: from 1 September of the first to 31 August after the last."""

    first_year = forms.TypedChoiceField(label="С 1 сентября", coerce=int, choices=())
    last_year = forms.TypedChoiceField(label="По 31 августа", coerce=int, choices=())

    def __init__(self, *args, period: Period | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        start = current_school_year()
        years = _year_choices(start)
        if period is not None:
            years = sorted(
                {*years, (period.start.year, str(period.start.year)), (period.end.year, str(period.end.year))}
            )
        self.fields["first_year"].choices = years
        self.fields["last_year"].choices = [(year + 1, str(year + 1)) for year, _ in years]
        if period is None:
            period = Period.of_school_years(start, start + 1)
        self.fields["first_year"].initial = period.start.year
        self.fields["last_year"].initial = period.end.year
        self.order_fields(["title", "first_year", "last_year"])

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last <= first:
            self.add_error("last_year", ERROR_YEARS)
        return cleaned

    @property
    def period(self) -> Period:
        return Period.of_school_years(self.cleaned_data["first_year"], self.cleaned_data["last_year"])

    def title_or_default(self) -> str:
        return self.cleaned_data.get("title", "").strip() or default_title(self.period)


class RoadmapCreateForm(PeriodForm):
    STANDARD, EMPTY = "standard", "empty"

    title = forms.CharField(
        label="Название",
        max_length=500,
        required=False,
        help_text="Если оставить пустым: «Дорожная карта внедрения целевой модели наставничества на …».",
    )
    source = forms.ChoiceField(
        label="Содержание",
        choices=[
            (STANDARD, "Типовая дорожная карта ЦМН: семь этапов программы, сроки перенесены в выбранный период"),
            (EMPTY, "Пустая: разделы и мероприятия добавлю сам"),
        ],
        initial=STANDARD,
        widget=forms.RadioSelect,
    )


class RoadmapEditForm(PeriodForm):
    title = forms.CharField(label="Название", max_length=500)


class RoadmapCopyForm(PeriodForm):
    title = forms.CharField(
        label="Название",
        max_length=500,
        required=False,
        help_text="Если оставить пустым, название составится по периоду.",
    )


class ApproveForm(forms.Form):
    approver_position = forms.CharField(
        label="Должность", max_length=300, help_text="Как в грифе «УТВЕРЖДАЮ», например «Директор МБОУ СОШ № 1»."
    )
    approver_name = forms.CharField(label="Подпись", max_length=200, help_text="Инициалы и фамилия: «О.В. Кляпка».")
    approved_on = forms.DateField(label="Дата утверждения", widget=DATE_WIDGET)
    approval_order = forms.CharField(
        label="Приказ",
        max_length=200,
        required=False,
        help_text="Если дорожная карта утверждена приказом: «приказ от 02.09.2024 № 56-ОД».",
    )

    def clean_approved_on(self):
        day = self.cleaned_data["approved_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Дата утверждения не может быть позже сегодняшнего дня.")
        return day


class SectionForm(forms.Form):
    title = forms.CharField(label="Название раздела", max_length=500)


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name}" + (f" ({obj.position})" if obj.position else "")


class SchoolsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name


def _responsible_users_field() -> UserChoiceField:
    return UserChoiceField(
        label="Ответственные пользователи",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Получат напоминания о сроках и увидят мероприятие в разделе «Мои мероприятия».",
    )


def _responsible_people_field() -> PersonMultipleChoiceField:
    return PersonMultipleChoiceField(
        label="Ответственные педагоги из базы участников",
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class ItemForm(forms.ModelForm):
    section = forms.ModelChoiceField(label="Раздел", queryset=Section.objects.none(), empty_label=None)
    responsible_users = _responsible_users_field()
    responsible_people = _responsible_people_field()

    class Meta:
        model = Item
        fields = [
            "section",
            "content",
            "deadline_text",
            "expected_result",
            "document_kind",
            "indicator",
            "target_value",
            "target_unit",
            "actual_value",
            "responsible_text",
        ]
        labels = {"deadline_text": "Сроки", "responsible_text": "Ответственный (как в документе)"}
        help_texts = {"deadline_text": DEADLINE_HELP}
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "indicator": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, roadmap: Roadmap, deadline_check_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        organisation = roadmap.organisation
        self.roadmap = roadmap
        self.fields["section"].queryset = roadmap.sections.order_by("position", "pk")
        self.fields["responsible_users"].queryset = responsible_user_choices(organisation=organisation)
        if organisation.is_authority:
            del self.fields["responsible_people"]
            self.fields["schools"] = SchoolsField(
                label="Назначить управлениям образования" if organisation.is_region else "Назначить школам",
                queryset=organisation.schools.order_by("short_name"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=(
                    "Каждая школа получит своё мероприятие со своим статусом; вы увидите, сколько школ его выполнили."
                ),
            )
        else:
            self.fields["responsible_people"].queryset = responsible_people_choices(organisation=organisation)
        if self.instance.pk:
            responsibles = list(self.instance.responsibles.all())
            self.fields["responsible_users"].initial = [r.user_id for r in responsibles if r.user_id]
            if "responsible_people" in self.fields:
                self.fields["responsible_people"].initial = [r.person_id for r in responsibles if r.person_id]
            if "schools" in self.fields:
                self.fields["schools"].initial = list(
                    self.instance.school_items.values_list("organisation_id", flat=True)
                )
        if deadline_check_url:
            self.fields["deadline_text"].widget.attrs.update(
                {
                    "hx-get": deadline_check_url,
                    "hx-trigger": "load, keyup changed delay:400ms, change",
                    "hx-target": "#deadline-check",
                    "hx-swap": "innerHTML",
                    "autocomplete": "off",
                }
            )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in self.Meta.fields}
        kwargs["document_kind"] = data["document_kind"] or ""
        kwargs["responsible_users"] = data["responsible_users"]
        kwargs["responsible_people"] = data.get("responsible_people") or []
        if "schools" in self.fields:
            kwargs["schools"] = data["schools"]
        return kwargs


class ItemProgressForm(forms.ModelForm):
    """A school's item assigned by the district: only the value reached and the responsible people."""

    responsible_users = _responsible_users_field()
    responsible_people = _responsible_people_field()

    class Meta:
        model = Item
        fields = ["actual_value"]

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = roadmap.organisation
        self.fields["responsible_users"].queryset = responsible_user_choices(organisation=organisation)
        self.fields["responsible_people"].queryset = responsible_people_choices(organisation=organisation)
        responsibles = list(self.instance.responsibles.all())
        self.fields["responsible_users"].initial = [r.user_id for r in responsibles if r.user_id]
        self.fields["responsible_people"].initial = [r.person_id for r in responsibles if r.person_id]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "actual_value": data["actual_value"],
            "responsible_users": data["responsible_users"],
            "responsible_people": data["responsible_people"],
        }


class DoneForm(forms.Form):
    done_on = forms.DateField(label="Дата выполнения", widget=DATE_WIDGET)
    comment = forms.CharField(
        label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    url = forms.URLField(
        label="Ссылка на подтверждение",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Например, на публикацию на сайте школы.",
    )
    file = forms.FileField(label="Файл-подтверждение", required=False, help_text="PDF, JPEG или PNG, не больше 10 МБ.")

    def __init__(self, *args, occurrence: Occurrence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators.append(validate_scan)
        today = timezone.localdate()
        self.fields["done_on"].initial = min(today, occurrence.due_on) if occurrence.due_on else today


class EvidenceForm(forms.Form):
    comment = forms.CharField(
        label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    url = forms.URLField(label="Ссылка", required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label="Файл", required=False, help_text="PDF, JPEG или PNG, не больше 10 МБ.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators.append(validate_scan)


class ImportForm(PeriodForm):
    title = forms.CharField(
        label="Название",
        max_length=500,
        required=False,
        help_text="Если оставить пустым, название составится по периоду.",
    )
    file = forms.FileField(
        label="Файл с дорожной картой",
        help_text=f"Книга Excel (.xlsx) или CSV, не больше {format_size(MAX_FILE_SIZE)}.",
        error_messages={"required": "Выберите файл с дорожной картой."},
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def next_period(roadmap: Roadmap) -> Period:
    """The period right after the roadmap's, of the same number of school years."""
    years = max(1, roadmap.ends_on.year - roadmap.starts_on.year)
    first = roadmap.ends_on.year
    return Period.of_school_years(first, first + years)
