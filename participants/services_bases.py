"""The mentor and mentee bases: adding people, statuses, documents of external mentors, tags.

Every function is keyword-only and atomic; rule violations raise ``ValidationError`` with one
of the messages below, which the tests assert on.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organisations.models import Organisation

from .history import history_record_created
from .models import MenteeEntry, MentorDocument, MentorEntry, MentorPreferredForm, Person, PersonTag, Tag

BASE_MENTOR = "mentor"
BASE_MENTEE = "mentee"
BASE_MODELS = {BASE_MENTOR: MentorEntry, BASE_MENTEE: MenteeEntry}

ERROR_UNKNOWN_BASE = "Неизвестная база участников."
ERROR_NOBODY_SELECTED = "Не выбрано ни одного участника."
ERROR_FOREIGN_PEOPLE = "Среди выбранных есть участники другой организации или удалённые записи. Ничего не добавлено."
ERROR_PROCESSING_BLOCKED = (
    "Обработка персональных данных приостановлена (согласие отозвано), в базу их включить нельзя: {names}. "
    "Ничего не добавлено."
)
ERROR_MENTEE_CATEGORY = (
    "В базу наставляемых включают только обучающихся и педагогов; не подходят: {names}. Ничего не добавлено."
)
ERROR_UNKNOWN_STATUS = "Неизвестный статус."
ERROR_SAME_STATUS = "Запись уже в статусе «{status}»."
ERROR_TRANSITION = "Статус «{old}» нельзя сменить на «{new}»."
ERROR_MENTOR_LEFT = "Наставник выбыл. Вернуть его можно только новой записью в базу следующего учебного года."
ERROR_MENTEE_CLOSED = (
    "Наставляемый уже в статусе «{status}». Вернуть его можно только новой записью в базу следующего учебного года."
)
ERROR_APPROVAL_DOCUMENTS = (
    "Нельзя утвердить внешнего наставника: {problems}. Внесите действующие документы в карточку участника."
)
DOCUMENT_MISSING = "нет {kind}"
DOCUMENT_EXPIRED = "{kind} просрочена (действовала до {date:%d.%m.%Y})"
ERROR_TAG_TOO_LONG = "Тег «{name}» длиннее 60 символов."
ERROR_FOREIGN_PERSON = "Участник принадлежит другой организации."

# Mentors from outside the school bring both certificates before they are approved.
EXTERNAL_MENTOR_CATEGORIES = frozenset(
    {Person.Category.GRADUATE, Person.Category.PARTNER_EMPLOYEE, Person.Category.PARENT}
)
REQUIRED_DOCUMENTS = (MentorDocument.Kind.NO_CRIMINAL_RECORD, MentorDocument.Kind.MEDICAL)
# «нет …»: the genitive of each document's name.
DOCUMENT_GENITIVE = {
    MentorDocument.Kind.NO_CRIMINAL_RECORD: "справки об отсутствии судимости",
    MentorDocument.Kind.MEDICAL: "медицинской справки",
}
MENTEE_CATEGORIES = frozenset({Person.Category.STUDENT, Person.Category.TEACHER})

MentorStatus = MentorEntry.Status
MenteeStatus = MenteeEntry.Status

MENTOR_TRANSITIONS: dict[str, frozenset[str]] = {
    MentorStatus.CANDIDATE: frozenset({MentorStatus.APPROVED, MentorStatus.LEFT}),
    MentorStatus.APPROVED: frozenset({MentorStatus.ACTIVE, MentorStatus.LEFT}),
    MentorStatus.ACTIVE: frozenset({MentorStatus.LEFT}),
    MentorStatus.LEFT: frozenset(),
}
MENTEE_TRANSITIONS: dict[str, frozenset[str]] = {
    MenteeStatus.CANDIDATE: frozenset({MenteeStatus.INCLUDED, MenteeStatus.LEFT}),
    MenteeStatus.INCLUDED: frozenset({MenteeStatus.IN_PAIR, MenteeStatus.LEFT}),
    # A pair that ended early returns the mentee to the base until a new pair is formed.
    MenteeStatus.IN_PAIR: frozenset({MenteeStatus.COMPLETED, MenteeStatus.INCLUDED, MenteeStatus.LEFT}),
    MenteeStatus.COMPLETED: frozenset(),
    MenteeStatus.LEFT: frozenset(),
}


def _names(people) -> str:
    return ", ".join(person.short_name for person in people)


@transaction.atomic
def bases_add_people(*, organisation: Organisation, person_ids, base: str, school_year: int, user) -> tuple[int, int]:
    """Adds people to the mentor or mentee base of a school year as candidates.

    Returns (how many were added, how many were already in that base). All or nothing: one
    person of another organisation, with blocked processing or (for mentees) of a category
    that is never mentored rejects the whole selection.
    """
    model = BASE_MODELS.get(base)
    if model is None:
        raise ValidationError(ERROR_UNKNOWN_BASE, code="unknown_base")
    try:
        ids = {int(pk) for pk in person_ids}
    except (TypeError, ValueError):
        raise ValidationError(ERROR_FOREIGN_PEOPLE, code="foreign") from None
    if not ids:
        raise ValidationError(ERROR_NOBODY_SELECTED, code="empty")
    people = list(
        organisation.people.filter(pk__in=ids).only(
            "pk", "last_name", "first_name", "patronymic", "category", "processing_blocked_at", "anonymised_at"
        )
    )
    if len(people) != len(ids):
        raise ValidationError(ERROR_FOREIGN_PEOPLE, code="foreign")
    blocked = [p for p in people if p.processing_blocked_at or p.anonymised_at]
    if blocked:
        raise ValidationError(ERROR_PROCESSING_BLOCKED.format(names=_names(blocked)), code="blocked")
    if base == BASE_MENTEE:
        unfit = [p for p in people if p.category not in MENTEE_CATEGORIES]
        if unfit:
            raise ValidationError(ERROR_MENTEE_CATEGORY.format(names=_names(unfit)), code="category")
    already = set(
        model.objects.filter(organisation=organisation, school_year=school_year, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    new_ids = sorted(ids - already)
    model.objects.bulk_create(
        [model(organisation=organisation, person_id=pk, school_year=school_year) for pk in new_ids],
        ignore_conflicts=True,  # a concurrent request added the same person: still one entry
    )
    created = model.objects.filter(organisation=organisation, school_year=school_year, person_id__in=new_ids)
    history_record_created(objects=created.select_related("person"), actor=user)
    return len(new_ids), len(already)


# --- Documents of external mentors -------------------------------------------------------


@dataclass(frozen=True)
class DocumentState:
    """The state of one required document of a mentor on a date."""

    kind: str
    document: MentorDocument | None  # the one valid longest, or the latest expired one
    expired: bool

    @property
    def label(self) -> str:
        return MentorDocument.Kind(self.kind).label

    @property
    def ok(self) -> bool:
        return self.document is not None and not self.expired

    @property
    def problem(self) -> str:
        if self.document is None:
            return DOCUMENT_MISSING.format(kind=DOCUMENT_GENITIVE[self.kind])
        if self.expired:
            return DOCUMENT_EXPIRED.format(kind=self.label, date=self.document.valid_until)
        return ""


def _validity_key(document: MentorDocument):
    # Without an expiry date a document never expires.
    return (document.valid_until or datetime.date.max, document.issued_on)


def documents_state(documents: Iterable[MentorDocument], on: datetime.date | None = None) -> list[DocumentState]:
    """The required documents among the given ones (e.g. prefetched): no queries."""
    on = on or timezone.localdate()
    states = []
    for kind in REQUIRED_DOCUMENTS:
        # A certificate dated after the day in question did not exist on that day.
        of_kind = [d for d in documents if d.kind == kind and d.issued_on <= on]
        valid = [d for d in of_kind if not d.is_expired(on)]
        if valid:
            states.append(DocumentState(kind=kind, document=max(valid, key=_validity_key), expired=False))
        elif of_kind:
            states.append(DocumentState(kind=kind, document=max(of_kind, key=_validity_key), expired=True))
        else:
            states.append(DocumentState(kind=kind, document=None, expired=False))
    return states


def needs_documents(person: Person) -> bool:
    return person.category in EXTERNAL_MENTOR_CATEGORIES


# --- Statuses ------------------------------------------------------------------------------


def _check_transition(*, old: str, new: str, statuses, transitions) -> None:
    if new not in statuses.values:
        raise ValidationError(ERROR_UNKNOWN_STATUS, code="unknown_status")
    if new == old:
        raise ValidationError(ERROR_SAME_STATUS.format(status=statuses(old).label), code="same_status")
    if new not in transitions[old]:
        raise ValidationError(
            ERROR_TRANSITION.format(old=statuses(old).label, new=statuses(new).label), code="transition"
        )


@transaction.atomic
def mentor_set_status(*, entry: MentorEntry, status: str, user, on: datetime.date | None = None) -> MentorEntry:
    """Moves a mentor along candidate → approved → active → left (or straight to left).

    Approving an external mentor (graduate, partner employee, parent) requires both
    certificates, valid on the day of approval.
    """
    on = on or timezone.localdate()
    locked = MentorEntry.objects.select_for_update().select_related("person").get(pk=entry.pk)
    if locked.status == MentorStatus.LEFT and status != MentorStatus.LEFT:
        raise ValidationError(ERROR_MENTOR_LEFT, code="left")
    _check_transition(old=locked.status, new=status, statuses=MentorStatus, transitions=MENTOR_TRANSITIONS)
    if status == MentorStatus.APPROVED and needs_documents(locked.person):
        documents = MentorDocument.objects.filter(organisation_id=locked.organisation_id, person_id=locked.person_id)
        problems = [state.problem for state in documents_state(documents, on) if not state.ok]
        if problems:
            raise ValidationError(ERROR_APPROVAL_DOCUMENTS.format(problems="; ".join(problems)), code="documents")
    update_fields = ["status"]
    locked.status = status
    if status == MentorStatus.APPROVED:
        locked.approved_on = on
        update_fields.append("approved_on")
    elif status == MentorStatus.LEFT:
        locked.left_on = on
        update_fields.append("left_on")
    locked.save(update_fields=update_fields)
    entry.status, entry.approved_on, entry.left_on = locked.status, locked.approved_on, locked.left_on
    return entry


@transaction.atomic
def mentee_set_status(*, entry: MenteeEntry, status: str, user, on: datetime.date | None = None) -> MenteeEntry:
    """Moves a mentee along candidate → included → in a pair → completed; any open status → left."""
    locked = MenteeEntry.objects.select_for_update().get(pk=entry.pk)
    if MENTEE_TRANSITIONS[locked.status] == frozenset() and status != locked.status:
        raise ValidationError(ERROR_MENTEE_CLOSED.format(status=MenteeStatus(locked.status).label), code="closed")
    _check_transition(old=locked.status, new=status, statuses=MenteeStatus, transitions=MENTEE_TRANSITIONS)
    locked.status = status
    locked.save(update_fields=["status"])
    entry.status = locked.status
    return entry


# --- Entries' own fields -----------------------------------------------------------------


@transaction.atomic
def mentor_entry_save(*, entry: MentorEntry, preferred_forms, tag_names: list[str] | None, user) -> MentorEntry:
    """Saves a mentor entry (new or changed) with its preferred forms and the person's tags."""
    entry.save()
    forms = list(preferred_forms)
    MentorPreferredForm.objects.filter(entry=entry).exclude(form__in=forms).delete()
    have = set(MentorPreferredForm.objects.filter(entry=entry).values_list("form_id", flat=True))
    MentorPreferredForm.objects.bulk_create(
        [
            MentorPreferredForm(organisation_id=entry.organisation_id, entry=entry, form=f)
            for f in forms
            if f.pk not in have
        ]
    )
    if tag_names is not None:
        tags_set(organisation=entry.organisation, person=entry.person, names=tag_names)
    return entry


@transaction.atomic
def mentee_entry_save(*, entry: MenteeEntry, tag_names: list[str] | None, user) -> MenteeEntry:
    """Saves a mentee entry (new or changed) with the person's tags."""
    entry.save()
    if tag_names is not None:
        tags_set(organisation=entry.organisation, person=entry.person, names=tag_names)
    return entry


# --- Tags ----------------------------------------------------------------------------------

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
_TAG_SEPARATORS = re.compile(r"[,;#\n]")


def tag_normalise(name: str) -> str:
    """«  #Робототехника » -> «робототехника»; inner spaces collapse to one."""
    return " ".join(name.strip().lstrip("#").split()).lower()


def tags_parse(text: str) -> list[str]:
    """Tags typed in one field: «#Робототехника #шахматы, 3D-моделирование» -> three tags."""
    names: list[str] = []
    for piece in _TAG_SEPARATORS.split(text or ""):
        name = tag_normalise(piece)
        if name and name not in names:
            names.append(name)
    return names


@transaction.atomic
def tags_set(*, organisation: Organisation, person: Person, names: Iterable[str]) -> list[Tag]:
    """Gives the person exactly these tags, creating the school's missing tags; returns them by name."""
    if person.organisation_id != organisation.pk:
        raise ValidationError(ERROR_FOREIGN_PERSON, code="foreign")
    wanted: list[str] = []
    for raw in names:
        name = tag_normalise(raw)
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError(ERROR_TAG_TOO_LONG.format(name=name), code="tag_too_long")
        if name and name not in wanted:
            wanted.append(name)
    existing = {tag.name: tag for tag in organisation.tags.filter(name__in=wanted)}
    missing = [name for name in wanted if name not in existing]
    if missing:
        Tag.objects.bulk_create([Tag(organisation=organisation, name=name) for name in missing], ignore_conflicts=True)
        existing = {tag.name: tag for tag in organisation.tags.filter(name__in=wanted)}
    tags = [existing[name] for name in wanted]
    PersonTag.objects.filter(person=person).exclude(tag__in=tags).delete()
    have = set(PersonTag.objects.filter(person=person).values_list("tag_id", flat=True))
    PersonTag.objects.bulk_create(
        [PersonTag(organisation=organisation, person=person, tag=tag) for tag in tags if tag.pk not in have]
    )
    return sorted(tags, key=lambda tag: tag.name)
