from django import forms
from django.utils import timezone

from organisations.declension import Case, decline_name
from organisations.models import User

from .extensions import PERSON_FORM_FIELDS
from .models import Gender, Person
from .services_bases import tags_parse


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# The cases documents use, with the person's corrections of the declined full name (Person.name_forms).
NAME_FORM_FIELDS = {
    "name_genitive": (Case.GENITIVE, "ФИО в родительном падеже (кого?)"),
    "name_dative": (Case.DATIVE, "ФИО в дательном падеже (кому?)"),
    "name_accusative": (Case.ACCUSATIVE, "ФИО в винительном падеже (кого?)"),
    "name_instrumental": (Case.INSTRUMENTAL, "ФИО в творительном падеже (кем?)"),
}
NAME_PARTS = ("last_name", "first_name", "patronymic", "gender")


class PersonForm(forms.ModelForm):
    """One form for every category; fields that do not apply to the category are cleared."""

    tags_text = forms.CharField(
        label="Теги",
        required=False,
        help_text="Через запятую, например: робототехника, олимпиады, шахматы.",
    )

    class Meta:
        model = Person
        fields = [
            "category",
            "last_name",
            "first_name",
            "patronymic",
            "gender",
            "birth_date",
            "grade",
            "class_letter",
            "position",
            "subjects",
            "experience_years",
            "graduation_year",
            "partner",
            "phone",
            "email",
            "user",
            "notes",
        ]
        widgets = {"birth_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    # Fields kept only for the categories named here.
    CATEGORY_FIELDS = {
        "grade": {Person.Category.STUDENT},
        "class_letter": {Person.Category.STUDENT},
        "position": {Person.Category.TEACHER, Person.Category.PARTNER_EMPLOYEE},
        "subjects": {Person.Category.TEACHER},
        "experience_years": {Person.Category.TEACHER},
        "graduation_year": {Person.Category.GRADUATE},
        "partner": {Person.Category.PARTNER_EMPLOYEE},
    }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["partner"].queryset = organisation.partners.all()
        # Only accounts of this school's staff can be linked: a mentor then sees their own pairs.
        self.fields["user"].queryset = (
            User.objects.filter(memberships__organisation=organisation)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["user"].help_text = "Если у человека есть учётная запись в «Наставнике»."
        # The name first: the curator knows people by name, not by their logins.
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.username})" if user.display_name != user.username else user.username
        )
        self.fields["gender"].choices = Gender.choices
        self.fields["class_letter"].help_text = "Например, «Б» для 7Б."
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(tag.name for tag in self.instance.tags.all())
        saved_forms = self.instance.name_forms or {}
        for name, (case, label) in NAME_FORM_FIELDS.items():
            self.fields[name] = forms.CharField(
                label=label, max_length=460, required=False, initial=saved_forms.get(case.value, "")
            )
            if self.instance.pk:
                # The automatic form as the hint: the field is filled in only to correct it.
                self.fields[name].widget.attrs["placeholder"] = decline_name(
                    *(getattr(self.instance, part) for part in NAME_PARTS), case=case
                )

        # Fields other apps keep about the person (the labour contract of staff), on the same form.
        self.extensions = []
        for extension in PERSON_FORM_FIELDS:
            fields = extension.fields(person=self.instance if self.instance.pk else None, organisation=organisation)
            self.fields.update(fields)
            self.extensions.append((extension, list(fields)))

    @property
    def extension_groups(self):
        return [(extension, [self[name] for name in names]) for extension, names in self.extensions]

    def extensions_save(self, person) -> None:
        """Each app's fields, saved only for the categories they apply to (a student has no contract)."""
        for extension, names in self.extensions:
            if person.category in extension.categories:
                extension.save(
                    person=person,
                    organisation=person.organisation,
                    cleaned_data={name: self.cleaned_data.get(name) for name in names},
                )

    def clean_class_letter(self):
        return self.cleaned_data["class_letter"].strip().upper()

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date and birth_date > timezone.localdate():
            raise forms.ValidationError("Дата рождения не может быть в будущем.")
        return birth_date

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        for name, categories in self.CATEGORY_FIELDS.items():
            if category and category not in categories and name in cleaned:
                cleaned[name] = None if name in {"grade", "experience_years", "graduation_year", "partner"} else ""
                setattr(self.instance, name, cleaned[name])
        self._keep_name_corrections(cleaned)
        return cleaned

    def _keep_name_corrections(self, cleaned):
        """Stores only the forms that differ from the automatic ones; an emptied field means «automatic»."""
        if any(cleaned.get(part) is None for part in NAME_PARTS if part != "patronymic"):
            return  # the name itself is invalid: its errors come first
        name_changed = any(part in self.changed_data for part in NAME_PARTS)
        corrections = {
            key: value
            for key, value in (self.instance.name_forms or {}).items()
            if key not in {case.value for case, _label in NAME_FORM_FIELDS.values()}
        }
        for name, (case, _label) in NAME_FORM_FIELDS.items():
            value = " ".join(cleaned.get(name, "").split())
            if name_changed and name not in self.changed_data:
                continue  # a correction of the old name would be wrong for the new one
            automatic = decline_name(*(cleaned.get(part) or "" for part in NAME_PARTS), case=case)
            if value and value != automatic:
                corrections[case.value] = value
        self.instance.name_forms = corrections

    @property
    def name_form_fields(self):
        return [self[name] for name in NAME_FORM_FIELDS]

    @property
    def tag_names(self) -> list[str]:
        return tags_parse(self.cleaned_data.get("tags_text", ""))


class ParentAddForm(forms.Form):
    """Links a child with an existing parent record (found by search as you type) or with a new one."""

    existing = forms.ModelChoiceField(
        label="Родитель из базы школы",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Выберите родителя из найденных в базе школы."},
    )
    last_name = forms.CharField(label="Фамилия", max_length=150, required=False)
    first_name = forms.CharField(label="Имя", max_length=150, required=False)
    patronymic = forms.CharField(label="Отчество", max_length=150, required=False)
    gender = forms.ChoiceField(label="Пол", choices=[("", "—"), *Gender.choices], required=False)
    phone = forms.CharField(label="Телефон", max_length=50, required=False)
    email = forms.EmailField(
        label="Электронная почта",
        required=False,
        help_text="На неё приходят ссылка на электронное согласие и код подтверждения.",
    )

    def __init__(self, *args, organisation, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing"].queryset = parent_candidates(organisation=organisation, child=child)
        self.fields["last_name"].initial = child.last_name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("existing"):
            return cleaned
        for name in ("last_name", "first_name", "gender"):
            if not cleaned.get(name):
                self.add_error(name, "Заполните поле или выберите родителя из базы школы.")
        return cleaned


# How many parents the search as you type shows: a few to choose from, never a list of hundreds.
PARENT_SEARCH_LIMIT = 8


def parent_candidates(*, organisation, child):
    """Parents of the school not yet linked with the child."""
    return organisation.people.filter(category=Person.Category.PARENT, anonymised_at__isnull=True).exclude(
        pk__in=child.parent_links.values("parent")
    )
