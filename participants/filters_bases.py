"""Filters of the mentor and mentee bases; every choice of objects is scoped to one school."""

import django_filters
from django.core.exceptions import ValidationError

from .importing import CellError, parse_class
from .models import MenteeEntry, MentorEntry, MentoringForm, Person, Tag, name_search_condition

ERROR_CLASS = "Укажите класс в виде «7» или «7Б»."


def validate_class(value: str) -> None:
    """«7Б», «7 б», «VII Б»: what the import understands, the filter understands too."""
    try:
        parse_class(value)
    except CellError as error:
        raise ValidationError(ERROR_CLASS) from error


class _BaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск по ФИО", method="filter_name")
    tag = django_filters.ModelChoiceFilter(
        label="Тег", field_name="person__tags", queryset=Tag.objects.none(), empty_label="Все"
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["tag"].queryset = organisation.tags.all()

    def filter_name(self, queryset, name, value):
        return queryset.filter(name_search_condition(value, person_prefix="person__"))


class MentorFilter(_BaseFilter):
    status = django_filters.ChoiceFilter(label="Статус", choices=MentorEntry.Status.choices, empty_label="Все")
    category = django_filters.ChoiceFilter(
        label="Категория", field_name="person__category", choices=Person.Category.choices, empty_label="Все"
    )
    preferred_form = django_filters.ModelChoiceFilter(
        label="Предпочтительная форма",
        field_name="preferred_forms",
        queryset=MentoringForm.objects.filter(is_active=True),
        empty_label="Все",
    )

    class Meta:
        model = MentorEntry
        fields = ["q", "status", "category", "tag", "preferred_form"]


class MenteeFilter(_BaseFilter):
    status = django_filters.ChoiceFilter(label="Статус", choices=MenteeEntry.Status.choices, empty_label="Все")
    need_kind = django_filters.ChoiceFilter(
        label="Вид запроса", choices=MenteeEntry.NeedKind.choices, empty_label="Все"
    )
    class_name = django_filters.CharFilter(
        label="Класс",
        method="filter_class",
        validators=[validate_class],
    )

    class Meta:
        model = MenteeEntry
        fields = ["q", "status", "need_kind", "class_name", "tag"]

    def filter_class(self, queryset, name, value):
        try:
            grade, letter = parse_class(value)
        except CellError:
            return queryset.none()
        queryset = queryset.filter(person__grade=grade)
        return queryset.filter(person__class_letter=letter) if letter else queryset
