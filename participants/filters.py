import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from organisations.models import User
from organisations.school_year import current_school_year

from .forms import DateInput
from .importing import CellError, parse_class
from .models import AccessLogEntry, Consent, ConsentPurpose, MenteeEntry, MentorEntry, Person, Tag
from .selectors import PARTICIPANT_CATEGORIES, school_classes, valid_consent_exists


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск по ФИО", method="filter_name")
    category = django_filters.ChoiceFilter(label="Категория", choices=Person.Category.choices, empty_label="Все")
    grade = django_filters.NumberFilter(label="Класс", min_value=1, max_value=11)
    class_letter = django_filters.CharFilter(label="Литера", method="filter_class_letter")
    tags = django_filters.ModelMultipleChoiceFilter(
        label="Теги", queryset=Tag.objects.none(), widget=forms.SelectMultiple(attrs={"size": 3})
    )
    consent = django_filters.ChoiceFilter(
        label="Согласие на участие",
        choices=[("valid", "есть действующее"), ("missing", "нет действующего")],
        empty_label="Любое",
        method="filter_consent",
    )
    base = django_filters.ChoiceFilter(
        label="База текущего года",
        choices=[("mentor", "в базе наставников"), ("mentee", "в базе наставляемых"), ("none", "ни в одной базе")],
        empty_label="Любая",
        method="filter_base",
    )

    left = django_filters.ChoiceFilter(
        label="Выбывшие",
        choices=[("with", "вместе с выбывшими"), ("only", "только выбывшие")],
        empty_label="без выбывших",
        method="filter_left",
    )

    class Meta:
        model = Person
        fields = ["q", "category", "grade", "class_letter", "tags", "consent", "base", "left"]

    @property
    def qs(self):
        queryset = super().qs
        # People archived by the year change (left the school) are out of the list unless asked for.
        if not (self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("left")):
            queryset = queryset.filter(left_on__isnull=True)
        return queryset

    def filter_left(self, queryset, name, value):
        return queryset.filter(left_on__isnull=False) if value == "only" else queryset

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.filters["tags"].queryset = organisation.tags.all()

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def filter_class_letter(self, queryset, name, value):
        return queryset.filter(class_letter=value.strip().upper())

    def filter_consent(self, queryset, name, value):
        valid = valid_consent_exists()
        return queryset.filter(valid) if value == "valid" else queryset.exclude(valid)

    def filter_base(self, queryset, name, value):
        year = current_school_year()
        in_mentors = Exists(MentorEntry.objects.filter(person=OuterRef("pk"), school_year=year))
        in_mentees = Exists(MenteeEntry.objects.filter(person=OuterRef("pk"), school_year=year))
        if value == "mentor":
            return queryset.filter(in_mentors)
        if value == "mentee":
            return queryset.filter(in_mentees)
        return queryset.exclude(in_mentors).exclude(in_mentees)


class AccessLogFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(label="С даты", field_name="at", lookup_expr="date__gte", widget=DateInput())
    date_to = django_filters.DateFilter(label="По дату", field_name="at", lookup_expr="date__lte", widget=DateInput())
    user = django_filters.ModelChoiceFilter(label="Пользователь", queryset=User.objects.none(), empty_label="Все")
    action = django_filters.ChoiceFilter(label="Действие", choices=AccessLogEntry.Action.choices, empty_label="Все")
    q = django_filters.CharFilter(label="Участник или раздел", method="filter_text")

    class Meta:
        model = AccessLogEntry
        fields = ["date_from", "date_to", "user", "action", "q"]

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.filters["user"].queryset = User.objects.filter(memberships__organisation=organisation).distinct()

    def filter_text(self, queryset, name, value):
        people = Person.objects.search(value).values("pk")
        return queryset.filter(Q(person__in=people) | Q(what__icontains=value))


def _class_value(grade: int, letter: str) -> str:
    return f"{grade}{letter}"


class ConsentFilter(django_filters.FilterSet):
    """Filters people (rows of the list) by their consents; choices are of this school only."""

    q = django_filters.CharFilter(label="Поиск по ФИО", method="filter_name")
    category = django_filters.ChoiceFilter(
        label="Категория",
        choices=[(c.value, c.label) for c in PARTICIPANT_CATEGORIES],
        empty_label="Все участники",
    )
    school_class = django_filters.ChoiceFilter(label="Класс", method="filter_class", empty_label="Все классы")
    purpose = django_filters.ChoiceFilter(
        label="Цель согласия", choices=ConsentPurpose.choices, method="filter_nothing", empty_label="Любая"
    )
    status = django_filters.ChoiceFilter(
        label="Статус согласия", choices=Consent.Status.choices, method="filter_nothing", empty_label="Любой"
    )
    without_consent = django_filters.BooleanFilter(
        label="Без согласия на участие",
        method="filter_without_consent",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Person
        fields = ["q", "category", "school_class", "purpose", "status", "without_consent"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.classes = school_classes(organisation=organisation)
        self.filters["school_class"].extra["choices"] = [
            (_class_value(grade, letter), _class_value(grade, letter)) for grade, letter in self.classes
        ]

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def filter_class(self, queryset, name, value):
        try:
            grade, letter = parse_class(value)
        except CellError:
            return queryset.none()
        return queryset.filter(grade=grade, class_letter=letter)

    def filter_nothing(self, queryset, name, value):
        # Purpose and status are one condition on the same consent: filter_queryset applies them.
        return queryset

    def filter_without_consent(self, queryset, name, value):
        return queryset.filter(has_valid_consent=False) if value else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        condition = {
            field: self.form.cleaned_data[field] for field in ("purpose", "status") if self.form.cleaned_data.get(field)
        }
        if condition:
            queryset = queryset.filter(Exists(Consent.objects.filter(person=OuterRef("pk"), **condition)))
        return queryset
