"""Places where higher apps add to participants' pages without participants importing them.

The person card shows pairs and training, which belong to `mentorship`; imports go only
downward, so mentorship registers its sections here in its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CardSection:
    template: str
    # (person, organisation, access) -> the section's context, or None to leave the section out.
    context: Callable[..., dict | None]
    order: int = 100


@dataclass(frozen=True)
class RegisterColumn:
    title: str
    # (organisation, person_ids) -> {person_id: text}, computed in a fixed number of queries.
    values: Callable[..., dict[int, str]]


@dataclass(frozen=True)
class FormFields:
    """Fields a higher app keeps in its own model but lets the person form edit (one source of truth)."""

    title: str
    categories: frozenset
    # (person or None, organisation) -> {name: forms.Field} with the initial values of the higher app's model.
    fields: Callable[..., dict]
    # (person, organisation, cleaned_data) -> None: writes them in the person form's transaction.
    save: Callable[..., None]
    help_text: str = ""


PERSON_CARD_SECTIONS: list[CardSection] = []
PERSON_FORM_FIELDS: list[FormFields] = []
MENTOR_REGISTER_COLUMNS: list[RegisterColumn] = []


def card_sections(*, person, organisation, access) -> list[tuple[str, dict]]:
    sections = []
    for section in sorted(PERSON_CARD_SECTIONS, key=lambda s: s.order):
        context = section.context(person=person, organisation=organisation, access=access)
        if context is not None:
            sections.append((section.template, context))
    return sections


def register_columns(*, organisation, person_ids) -> list[tuple[str, dict[int, str]]]:
    return [
        (column.title, column.values(organisation=organisation, person_ids=person_ids))
        for column in MENTOR_REGISTER_COLUMNS
    ]
