"""Checks of the orders that set employees to mentoring: written consent first (ст. 351.8 ТК РФ)."""

from mentorship.models import Pair
from mentorship.selectors_employees import consent_problems

LABOUR_CODE = "Трудовым кодексом Российской Федерации (статья 351.8)"
LABOUR_CODE_ARTICLE = "статьи 351.8 Трудового кодекса Российской Федерации"
ACCOUNTANT = "Главный бухгалтер"


def employee_mentors_consented(order) -> list[str]:
    """A pairs order: every employee mentor in it has given written consent to this assignment."""
    return consent_problems(order.pairs.all())


def register_mentors_consented(order) -> list[str]:
    """A register order: the employee mentors in it have consented to the pairs they already lead."""
    entries = list(order.mentor_entries.values_list("person_id", "school_year"))
    if not entries:
        return []
    pairs = Pair.objects.none()
    for person_id, school_year in entries:
        pairs |= Pair.objects.filter(
            organisation=order.organisation, mentor_id=person_id, programme__school_year=school_year
        ).exclude(status=Pair.Status.CLOSED)
    return consent_problems(pairs)
