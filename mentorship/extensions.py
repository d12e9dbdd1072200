"""What the programme adds to participants' pages: the person card and the mentor register."""

from django.db.models import Q

from organisations.russian import plural
from participants.extensions import MENTOR_REGISTER_COLUMNS, PERSON_CARD_SECTIONS, CardSection, RegisterColumn

from .models import Pair
from .selectors_training import training_summary


def _training_text(attended: int, held: int) -> str:
    if not held:
        return "—"
    return f"{attended} из {held} {plural(held, 'занятия', 'занятий', 'занятий')}"


def register_training_column(*, organisation, person_ids) -> dict[int, str]:
    summary = training_summary(organisation=organisation, person_ids=person_ids)
    return {person_id: _training_text(*counts) for person_id, counts in summary.items()}


def person_card_programme(*, person, organisation, access) -> dict | None:
    """The person's pairs (as mentor or mentee) and training, for staff who may see pairs."""
    pairs = list(
        Pair.objects.filter(organisation=organisation)
        .filter(Q(mentor=person) | Q(pair_mentees__mentee=person))
        .distinct()
        .select_related("form")
        .order_by("-starts_on")
    )
    attended, held = training_summary(organisation=organisation, person_ids=[person.pk]).get(person.pk, (0, 0))
    if not pairs and not held:
        return None
    return {"pairs": pairs, "training": _training_text(attended, held) if held else "", "person": person}


def register() -> None:
    PERSON_CARD_SECTIONS.append(CardSection(template="mentorship/_person_card.html", context=person_card_programme))
    MENTOR_REGISTER_COLUMNS.append(RegisterColumn(title="Школа наставника", values=register_training_column))
