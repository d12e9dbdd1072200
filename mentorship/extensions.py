"""What the programme adds to participants' pages: the person card and the mentor register."""

from django import forms
from django.db.models import Q

from organisations.russian import plural
from participants.extensions import (
    MENTOR_REGISTER_COLUMNS,
    PERSON_CARD_SECTIONS,
    PERSON_FORM_FIELDS,
    CardSection,
    FormFields,
    RegisterColumn,
)

from .employment import EmploymentTerms
from .models import Pair
from .selectors_employees import STAFF_CATEGORIES, employment_of
from .selectors_training import training_summary
from .services_employees import employment_contract_set


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


def contract_fields(*, person, organisation) -> dict:
    """The labour contract of staff (ст. 351.8 ТК РФ): the same EmploymentTerms row the employees page edits."""
    terms = employment_of(person) if person is not None else None
    number = EmploymentTerms._meta.get_field("contract_number").formfield(required=False)
    date = forms.DateField(
        label="Дата трудового договора",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    number.label = "Номер трудового договора"
    if terms is not None:
        number.initial, date.initial = terms.contract_number, terms.contract_date
    return {"contract_number": number, "contract_date": date}


def contract_save(*, person, organisation, cleaned_data) -> None:
    number, date = cleaned_data.get("contract_number") or "", cleaned_data.get("contract_date")
    terms = employment_of(person)
    if terms is None and not number and date is None:
        return  # nothing typed: no empty record for a teacher who is not yet anyone's mentor
    if terms is not None and (terms.contract_number, terms.contract_date) == (number.strip(), date):
        return
    employment_contract_set(organisation=organisation, person=person, contract_number=number, contract_date=date)


def register() -> None:
    PERSON_FORM_FIELDS.append(
        FormFields(
            title="Трудовой договор",
            categories=frozenset(STAFF_CATEGORIES),
            fields=contract_fields,
            save=contract_save,
            help_text="Для педагогов и других работников школы: номер и дата попадают в дополнительное соглашение "
            "о наставничестве (ст. 351.8 ТК РФ).",
        )
    )
    PERSON_CARD_SECTIONS.append(CardSection(template="mentorship/_person_card.html", context=person_card_programme))
    MENTOR_REGISTER_COLUMNS.append(RegisterColumn(title="Школа наставника", values=register_training_column))
