"""Writes about people that touch several objects: keyword-only, atomic."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from organisations.models import Organisation

from .models import ParentLink, Person

PARENT_OF_ANOTHER_SCHOOL = "Родитель и ребёнок должны быть записями одной школы."
PARENT_MUST_BE_PARENT = "Законным представителем может быть только запись категории «Родитель»."
PERSON_IS_REPRESENTATIVE = (
    "Нельзя удалить: на эту запись ссылаются документы — например, согласия, подписанные ею как законным "
    "представителем. Сначала отзовите или удалите их."
)


@transaction.atomic
def parent_link_add(
    *, organisation: Organisation, child: Person, parent: Person | None = None, new_parent: dict | None = None
) -> ParentLink:
    """Links the child with an existing parent record, or creates the parent from new_parent."""
    if parent is None:
        parent = Person(organisation=organisation, category=Person.Category.PARENT, **(new_parent or {}))
        parent.full_clean()
        parent.save()
    if parent.organisation_id != organisation.pk or child.organisation_id != organisation.pk:
        raise ValidationError(PARENT_OF_ANOTHER_SCHOOL)
    if parent.category != Person.Category.PARENT:
        raise ValidationError(PARENT_MUST_BE_PARENT)
    link, _ = ParentLink.objects.get_or_create(organisation=organisation, parent=parent, child=child)
    return link


@transaction.atomic
def person_delete(*, person: Person) -> None:
    try:
        person.delete()
    except ProtectedError as error:
        raise ValidationError(PERSON_IS_REPRESENTATIVE) from error
