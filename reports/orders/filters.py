import django_filters
from django.db.models import Q

from reports.orders.kinds import kind_choices
from reports.orders.models import Order


class OrderFilter(django_filters.FilterSet):
    """The register of orders: status, kind, year and a search by title or number."""

    q = django_filters.CharFilter(label="Заголовок или номер", method="filter_text")
    status = django_filters.ChoiceFilter(label="Статус", choices=Order.Status.choices, empty_label="Все статусы")
    kind = django_filters.ChoiceFilter(label="Вид", choices=kind_choices, empty_label="Все виды")
    year = django_filters.NumberFilter(label="Год", method="filter_year")

    class Meta:
        model = Order
        fields = ["q", "status", "kind", "year"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(title__icontains=value) | Q(number_label__iexact=value.lstrip("№ ")))
            if value
            else queryset
        )

    def filter_year(self, queryset, name, value):
        # An approved order belongs to the year of its number; a draft to the year it was started.
        return queryset.filter(Q(number_year=value) | Q(number_year__isnull=True, created_at__year=value))
