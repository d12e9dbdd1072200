from django.db.models import Count, Q

from organisations.models import Organisation

from .models import YOUNG_SPECIALIST_MAX_YEARS, Person


def people_counts(*, organisation: Organisation) -> dict[str, int]:
    """People of one school by category, plus young specialists: one query."""
    Category = Person.Category
    return organisation.people.aggregate(
        total=Count("pk"),
        **{category.value: Count("pk", filter=Q(category=category)) for category in Category},
        young_specialists=Count(
            "pk", filter=Q(category=Category.TEACHER, experience_years__lte=YOUNG_SPECIALIST_MAX_YEARS)
        ),
    )


def district_schools_with_counts(*, district: Organisation):
    """The district's schools, each annotated with its people by category: one query."""
    Category = Person.Category
    return district.schools.annotate(
        people_total=Count("people"),
        students=Count("people", filter=Q(people__category=Category.STUDENT)),
        teachers=Count("people", filter=Q(people__category=Category.TEACHER)),
        young_specialists=Count(
            "people",
            filter=Q(people__category=Category.TEACHER, people__experience_years__lte=YOUNG_SPECIALIST_MAX_YEARS),
        ),
    ).order_by("short_name")
