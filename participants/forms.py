from django import forms
from django.utils import timezone

from organisations.models import User

from .models import Gender, Person
from .services_bases import tags_parse


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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
        self.fields["user"].queryset = User.objects.filter(memberships__organisation=organisation).distinct()
        self.fields["user"].help_text = "Если у человека есть учётная запись в «Наставнике»."
        self.fields["gender"].choices = Gender.choices
        self.fields["class_letter"].help_text = "Например, «Б» для 7Б."
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(tag.name for tag in self.instance.tags.all())

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
        return cleaned

    @property
    def tag_names(self) -> list[str]:
        return tags_parse(self.cleaned_data.get("tags_text", ""))


class ParentAddForm(forms.Form):
    """Links a child with an existing parent record or with a new one."""

    existing = forms.ModelChoiceField(
        label="Родитель из базы школы",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— создать новую запись —",
    )
    last_name = forms.CharField(label="Фамилия", max_length=150, required=False)
    first_name = forms.CharField(label="Имя", max_length=150, required=False)
    patronymic = forms.CharField(label="Отчество", max_length=150, required=False)
    gender = forms.ChoiceField(label="Пол", choices=[("", "—"), *Gender.choices], required=False)
    phone = forms.CharField(label="Телефон", max_length=50, required=False)

    def __init__(self, *args, organisation, child, **kwargs):
        super().__init__(*args, **kwargs)
        # Parents sharing the child's surname first: usually the one the curator looks for.
        self.fields["existing"].queryset = organisation.people.filter(category=Person.Category.PARENT).exclude(
            pk__in=child.parent_links.values("parent")
        )
        self.fields["last_name"].initial = child.last_name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("existing"):
            return cleaned
        for name in ("last_name", "first_name", "gender"):
            if not cleaned.get(name):
                self.add_error(name, "Заполните поле или выберите родителя из базы школы.")
        return cleaned
