import django_filters

from .models import Person


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск по ФИО", method="filter_name")
    category = django_filters.ChoiceFilter(label="Категория", choices=Person.Category.choices, empty_label="Все")
    grade = django_filters.NumberFilter(label="Класс (параллель)", min_value=1, max_value=11)

    class Meta:
        model = Person
        fields = ["q", "category", "grade"]

    def filter_name(self, queryset, name, value):
        return queryset.search(value)
