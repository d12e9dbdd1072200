"""Forms of the bases, mentor documents, partners and agreements: every choice scoped to one school."""

import re

from django import forms
from django.utils import timezone

from organisations.models import Organisation
from organisations.school_year import current_school_year, school_year_choices, school_year_label

from .forms import DateInput
from .models import (
    MenteeEntry,
    MentorDocument,
    MentorEntry,
    MentoringForm,
    PartnerAgreement,
    PartnerOrganisation,
    Person,
)
from .services_bases import ERROR_TAG_TOO_LONG, MENTEE_CATEGORIES, TAG_MAX_LENGTH, tags_parse
from .validators import validate_scan

ERROR_ALREADY_MENTOR = "{name} уже в базе наставников {year} учебного года."
ERROR_ALREADY_MENTEE = "{name} уже в базе наставляемых {year} учебного года."
ERROR_PERSON_BLOCKED = "Обработка персональных данных этого участника приостановлена (согласие отозвано)."
ERROR_NOT_A_MENTEE = "В базу наставляемых включают только обучающихся и педагогов."
ERROR_VALID_BEFORE_ISSUE = "Срок действия не может закончиться раньше даты выдачи."
ERROR_ISSUED_IN_FUTURE = "Дата выдачи не может быть позже сегодняшнего дня."
ERROR_VALID_BEFORE_SIGNING = "Срок действия не может закончиться раньше даты заключения."
ERROR_PARTNER_EXISTS = "Партнёр с таким наименованием уже есть."
ERROR_AGREEMENT_EXISTS = "Соглашение с этим партнёром с таким номером и датой уже есть."
ERROR_INN = "ИНН состоит из 10 цифр (для организации) или 12 цифр (для индивидуального предпринимателя)."
TAGS_HELP = "Через запятую или с решёткой, например: #робототехника, #шахматы."

DATE_WIDGET = DateInput()


def _person_label(person: Person) -> str:
    detail = (person.class_name and f"{person.class_name} класс") or person.get_category_display().lower()
    return f"{person.full_name} ({detail})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


def _year_field(year: int) -> forms.TypedChoiceField:
    choices = school_year_choices(around=current_school_year())
    if year not in dict(choices):
        choices = sorted([*choices, (year, school_year_label(year))])
    return forms.TypedChoiceField(label="Учебный год", choices=choices, coerce=int, initial=year)


class _EntryForm(forms.ModelForm):
    """A base entry: on creation, the person (fixed or chosen) and the school year."""

    people_categories: frozenset[str] | None = None
    already_message = ""

    tags = forms.CharField(label="Теги", required=False, max_length=1000, help_text=TAGS_HELP)

    def __init__(self, *args, organisation: Organisation, person: Person | None = None, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fixed_person = person
        creating = self.instance.pk is None
        if creating:
            self.fields["school_year"] = _year_field(year)
            self.order_fields(["person", "school_year"])
            if person is None:
                people = organisation.people.filter(processing_blocked_at__isnull=True, anonymised_at__isnull=True)
                if self.people_categories:
                    people = people.filter(category__in=self.people_categories)
                self.fields["person"] = PersonChoiceField(
                    label="Участник", queryset=people, empty_label="— выберите участника —"
                )
                self.order_fields(["person", "school_year"])
        the_person = person or (self.instance.person if not creating else None)
        if the_person is not None and not self.is_bound:
            self.initial["tags"] = ", ".join(tag.name for tag in the_person.tags.all())

    @property
    def person(self) -> Person | None:
        if self.instance.pk:
            return self.instance.person
        return self.fixed_person or self.cleaned_data.get("person")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            person, year = self.person, cleaned.get("school_year")
            field = None if self.fixed_person else "person"
            if person is not None:
                if person.processing_blocked_at or person.anonymised_at:
                    self.add_error(field, ERROR_PERSON_BLOCKED)
                elif self.people_categories and person.category not in self.people_categories:
                    self.add_error(field, ERROR_NOT_A_MENTEE)
                elif (
                    year
                    and self._meta.model.objects.filter(
                        organisation=self.organisation, person=person, school_year=year
                    ).exists()
                ):
                    self.add_error(
                        "school_year", self.already_message.format(name=person.short_name, year=school_year_label(year))
                    )
        return cleaned

    def clean_tags(self):
        text = self.cleaned_data["tags"]
        for name in tags_parse(text):
            if len(name) > TAG_MAX_LENGTH:
                raise forms.ValidationError(ERROR_TAG_TOO_LONG.format(name=name))
        return text

    @property
    def tag_names(self) -> list[str]:
        return tags_parse(self.cleaned_data.get("tags", ""))

    def build_entry(self):
        """The entry with its organisation, person and year set, not saved yet."""
        entry = super().save(commit=False)
        if entry.pk is None:
            entry.organisation = self.organisation
            entry.person = self.person
            entry.school_year = self.cleaned_data["school_year"]
        return entry


class MentorEntryForm(_EntryForm):
    already_message = ERROR_ALREADY_MENTOR

    preferred_forms = forms.ModelMultipleChoiceField(
        label="Предпочтительные формы наставничества",
        queryset=MentoringForm.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MentorEntry
        fields = ["competencies", "motivation", "availability", "capacity"]
        widgets = {
            "competencies": forms.Textarea(attrs={"rows": 3}),
            "motivation": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "competencies": "Чем наставник может быть полезен: предметы, навыки, увлечения, опыт.",
            "availability": "Например: вторник и четверг после 15:00.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["preferred_forms"] = [form.pk for form in self.instance.preferred_forms.all()]
        self.order_fields(
            [
                "person",
                "school_year",
                "competencies",
                "tags",
                "preferred_forms",
                "capacity",
                "availability",
                "motivation",
            ]
        )


class MenteeEntryForm(_EntryForm):
    people_categories = MENTEE_CATEGORIES
    already_message = ERROR_ALREADY_MENTEE

    class Meta:
        model = MenteeEntry
        fields = ["need_kind", "needs"]
        widgets = {"needs": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"needs": "С чем нужна помощь: по анкете или заявлению наставляемого."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_kind"].choices = [("", "— не указан —"), *MenteeEntry.NeedKind.choices]
        self.order_fields(["person", "school_year", "need_kind", "needs", "tags"])


class MentorDocumentForm(forms.ModelForm):
    class Meta:
        model = MentorDocument
        fields = ["kind", "number", "issued_on", "valid_until", "file"]
        widgets = {"issued_on": DATE_WIDGET, "valid_until": DATE_WIDGET}
        help_texts = {
            "valid_until": "Оставьте пустым, если срок не ограничен.",
            "file": "PDF, JPEG или PNG, не больше 10 МБ.",
        }

    def __init__(self, *args, organisation: Organisation, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fixed_person = person
        self.fields["file"].validators.append(validate_scan)
        if self.instance.pk is None and person is None:
            self.fields["person"] = PersonChoiceField(
                label="Участник", queryset=organisation.people.all(), empty_label="— выберите участника —"
            )
            self.order_fields(["person"])

    def clean(self):
        cleaned = super().clean()
        issued_on, valid_until = cleaned.get("issued_on"), cleaned.get("valid_until")
        if issued_on and issued_on > timezone.localdate():
            self.add_error("issued_on", ERROR_ISSUED_IN_FUTURE)
        if issued_on and valid_until and valid_until < issued_on:
            self.add_error("valid_until", ERROR_VALID_BEFORE_ISSUE)
        return cleaned

    def build_document(self) -> MentorDocument:
        document = super().save(commit=False)
        if document.pk is None:
            document.organisation = self.organisation
            document.person = self.fixed_person or self.cleaned_data["person"]
        return document


_INN = re.compile(r"\d{10}|\d{12}")


class PartnerForm(forms.ModelForm):
    class Meta:
        model = PartnerOrganisation
        fields = ["name", "inn", "contact"]

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = self.organisation.partners.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if name and others.exists():
            raise forms.ValidationError(ERROR_PARTNER_EXISTS)
        return name

    def clean_inn(self):
        inn = self.cleaned_data["inn"].strip()
        if inn and not _INN.fullmatch(inn):
            raise forms.ValidationError(ERROR_INN)
        return inn

    def build_partner(self) -> PartnerOrganisation:
        partner = super().save(commit=False)
        partner.organisation = self.organisation
        return partner


class AgreementForm(forms.ModelForm):
    class Meta:
        model = PartnerAgreement
        fields = ["number", "signed_on", "valid_until", "subject", "mentors_planned", "file"]
        widgets = {"signed_on": DATE_WIDGET, "valid_until": DATE_WIDGET}
        help_texts = {
            "valid_until": "Оставьте пустым, если соглашение бессрочное.",
            "mentors_planned": "Сколько наставников партнёр обязался предоставить.",
            "file": "PDF, JPEG или PNG, не больше 10 МБ.",
        }

    def __init__(self, *args, organisation: Organisation, partner: PartnerOrganisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fixed_partner = partner
        self.fields["file"].validators.append(validate_scan)
        if self.instance.pk is None and partner is None:
            self.fields["partner"] = forms.ModelChoiceField(
                label="Партнёр", queryset=organisation.partners.all(), empty_label="— выберите партнёра —"
            )
            self.order_fields(["partner"])

    @property
    def partner(self) -> PartnerOrganisation | None:
        if self.instance.pk:
            return self.instance.partner
        return self.fixed_partner or self.cleaned_data.get("partner")

    def clean(self):
        cleaned = super().clean()
        signed_on, valid_until, number = cleaned.get("signed_on"), cleaned.get("valid_until"), cleaned.get("number")
        if signed_on and valid_until and valid_until < signed_on:
            self.add_error("valid_until", ERROR_VALID_BEFORE_SIGNING)
        partner = self.partner
        if partner and signed_on and number:
            same = PartnerAgreement.objects.filter(partner=partner, number=number, signed_on=signed_on)
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error("number", ERROR_AGREEMENT_EXISTS)
        return cleaned

    def build_agreement(self) -> PartnerAgreement:
        agreement = super().save(commit=False)
        if agreement.pk is None:
            agreement.organisation = self.organisation
            agreement.partner = self.partner
        return agreement
