"""Writes of roadmaps: every function is keyword-only and atomic; errors are Russian constants.

Occurrences follow the item's deadline: ``_sync_occurrences`` keeps the n-th occurrence (with its
status and evidence) as the n-th span of the new deadline, adds the missing ones and drops the
surplus.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from organisations.models import Organisation
from participants.models import normalise_for_search

from .deadlines import Deadline, DeadlineKind, Period, months_between, parse_deadline
from .models import Evidence, Item, ItemResponsible, Occurrence, Roadmap, Section
from .selectors import responsible_people_choices, responsible_user_choices
from .template import BASE_PERIOD, STANDARD_TEMPLATE, TemplateSection

MAX_PERIOD_YEARS = 6

ERROR_PERIOD = "Конец периода не может быть раньше его начала."
ERROR_PERIOD_TOO_LONG = f"Период дорожной карты — не больше {MAX_PERIOD_YEARS} лет."
ERROR_ARCHIVED = "Дорожная карта в архиве: изменять её нельзя. Скопируйте её в новый период, чтобы продолжить работу."
ERROR_APPROVE_NOT_DRAFT = "Утвердить можно только черновик дорожной карты."
ERROR_APPROVE_EMPTY = "В дорожной карте нет ни одного мероприятия: утверждать нечего."
ERROR_APPROVER_REQUIRED = "Укажите должность и подпись утверждающего (например, «Директор» и «О.В. Кляпка»)."
ERROR_NOT_APPROVED = "Вернуть в черновик можно только утверждённую дорожную карту."
ERROR_ALREADY_ARCHIVED = "Дорожная карта уже в архиве."
ERROR_DELETE_NOT_DRAFT = "Удалить можно только черновик. Утверждённую дорожную карту переведите в архив."
ERROR_DISTRICT_COPY = (
    "Эти мероприятия назначило управление образования: их содержание, сроки и статус дорожной карты "
    "меняет управление. Отмечайте выполнение и назначайте ответственных."
)
ERROR_SECTION_NOT_EMPTY = "В разделе есть мероприятия: удалите или перенесите их, затем удалите раздел."
ERROR_SECTION_OTHER_ROADMAP = "Раздел относится к другой дорожной карте."
ERROR_CONTENT_REQUIRED = "Укажите содержание мероприятия."
ERROR_RESPONSIBLE_FOREIGN = "Ответственным можно назначить только сотрудника этой организации."
ERROR_ASSIGN_NOT_DISTRICT = "Назначать мероприятия школам может только управление образования."
ERROR_SCHOOL_NOT_IN_DISTRICT = "Школа «{school}» не относится к этому управлению образования."
ERROR_UNASSIGN_STARTED = (
    "Школа «{school}» уже отметила выполнение этого мероприятия или приложила подтверждение: "
    "снять с неё назначение нельзя."
)
ERROR_DONE_IN_FUTURE = "Дата выполнения не может быть позже сегодняшнего дня."
ERROR_UNKNOWN_STATUS = "Неизвестный статус мероприятия."
ERROR_EVIDENCE_EMPTY = "Добавьте файл, ссылку или комментарий."
ERROR_EVIDENCE_DOCUMENT_FOREIGN = "Документ относится к другой организации."


def _error(message: str, **values) -> ValidationError:
    return ValidationError(message.format(**values) if values else message)


def _check_period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on < starts_on:
        raise _error(ERROR_PERIOD)
    if months_between(starts_on, ends_on) >= MAX_PERIOD_YEARS * 12:
        raise _error(ERROR_PERIOD_TOO_LONG)


def _check_editable(roadmap: Roadmap, *, structure: bool = True) -> None:
    if roadmap.is_archived:
        raise _error(ERROR_ARCHIVED)
    if structure and roadmap.is_district_copy:
        raise _error(ERROR_DISTRICT_COPY)


# --- Occurrences ------------------------------------------------------------------------------


def _spans(item: Item, period: Period) -> list[tuple[datetime.date | None, datetime.date | None]]:
    return item.deadline.occurrences(period) or [(None, None)]


def _sync_occurrences(items: Iterable[Item], period: Period, *, new: bool = False) -> None:
    """Aligns the occurrences of saved items with their deadlines, in a few queries."""
    items = list(items)
    existing: dict[int, list[Occurrence]] = defaultdict(list)
    if not new:
        for occurrence in Occurrence.objects.filter(item__in=items).order_by("item_id", "position", "pk"):
            existing[occurrence.item_id].append(occurrence)
    create, update, surplus = [], [], []
    for item in items:
        old = existing[item.pk]
        spans = _spans(item, period)
        for index, (starts_on, due_on) in enumerate(spans):
            if index < len(old):
                occurrence = old[index]
                if (occurrence.position, occurrence.starts_on, occurrence.due_on) != (index, starts_on, due_on):
                    occurrence.position, occurrence.starts_on, occurrence.due_on = index, starts_on, due_on
                    update.append(occurrence)
            else:
                create.append(
                    Occurrence(
                        organisation_id=item.organisation_id,
                        item=item,
                        position=index,
                        starts_on=starts_on,
                        due_on=due_on,
                    )
                )
        surplus += [occurrence.pk for occurrence in old[len(spans) :]]
    if surplus:
        Occurrence.objects.filter(pk__in=surplus).delete()
    if update:
        Occurrence.objects.bulk_update(update, ["position", "starts_on", "due_on"], batch_size=500)
    if create:
        Occurrence.objects.bulk_create(create, batch_size=500)


# --- Responsible people --------------------------------------------------------------------------

_SURNAME_INITIALS = re.compile(r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s+([А-ЯЁ])\.\s?([А-ЯЁ])\.?")
_INITIALS_SURNAME = re.compile(r"([А-ЯЁ])\.\s?([А-ЯЁ])\.\s?([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)")


def _name_keys(text: str) -> set[tuple[str, str, str]]:
    """(surname, first initial, patronymic initial) of every «Николаева О.А.» or «О.В. Кляпка» in the text."""
    keys = {(s, f, p) for s, f, p in _SURNAME_INITIALS.findall(text)}
    keys |= {(s, f, p) for f, p, s in _INITIALS_SURNAME.findall(text)}
    return {(normalise_for_search(s), normalise_for_search(f), normalise_for_search(p)) for s, f, p in keys}


def _key_of(last_name: str, first_name: str, patronymic: str) -> tuple[str, str, str]:
    return (normalise_for_search(last_name), normalise_for_search(first_name[:1]), normalise_for_search(patronymic[:1]))


class ResponsibleMatcher:
    """Finds the staff named in a free-text «Ответственный» cell: two queries for a whole roadmap."""

    def __init__(self, organisation: Organisation):
        self.people: dict[tuple, list[int]] = defaultdict(list)
        self.users: dict[tuple, list[int]] = defaultdict(list)
        if not organisation.is_authority:
            for pk, last, first, patronymic in responsible_people_choices(organisation=organisation).values_list(
                "pk", "last_name", "first_name", "patronymic"
            ):
                self.people[_key_of(last, first, patronymic)].append(pk)
        for pk, last, first, patronymic in responsible_user_choices(organisation=organisation).values_list(
            "pk", "last_name", "first_name", "patronymic"
        ):
            if last and first:
                self.users[_key_of(last, first, patronymic)].append(pk)

    def match(self, text: str) -> tuple[list[int], list[int]]:
        """(user ids, person ids) named unambiguously in the text; a staff record wins over a user."""
        users, people = [], []
        for key in sorted(_name_keys(text)):
            if len(self.people.get(key, [])) == 1:
                people.append(self.people[key][0])
            elif len(self.users.get(key, [])) == 1:
                users.append(self.users[key][0])
        return users, people


def _set_responsibles(item: Item, users: Iterable, people: Iterable) -> None:
    user_ids = {getattr(user, "pk", user) for user in users}
    person_ids = {getattr(person, "pk", person) for person in people}
    organisation = item.organisation
    if user_ids:
        allowed = set(
            responsible_user_choices(organisation=organisation).filter(pk__in=user_ids).values_list("pk", flat=True)
        )
        if user_ids - allowed:
            raise _error(ERROR_RESPONSIBLE_FOREIGN)
    if person_ids:
        allowed = set(
            responsible_people_choices(organisation=organisation).filter(pk__in=person_ids).values_list("pk", flat=True)
        )
        if person_ids - allowed:
            raise _error(ERROR_RESPONSIBLE_FOREIGN)
    current = list(item.responsibles.all())
    stale = [
        r.pk
        for r in current
        if (r.user_id and r.user_id not in user_ids) or (r.person_id and r.person_id not in person_ids)
    ]
    if stale:
        ItemResponsible.objects.filter(pk__in=stale).delete()
    have_users = {r.user_id for r in current if r.user_id}
    have_people = {r.person_id for r in current if r.person_id}
    ItemResponsible.objects.bulk_create(
        [ItemResponsible(organisation=organisation, item=item, user_id=pk) for pk in sorted(user_ids - have_users)]
        + [
            ItemResponsible(organisation=organisation, item=item, person_id=pk)
            for pk in sorted(person_ids - have_people)
        ]
    )


# --- Roadmaps ---------------------------------------------------------------------------------


def _deadline_text(deadline: Deadline, original: str, moved: bool) -> str:
    """The text to keep: as typed while the deadline is where it was typed, ours once it has moved."""
    if deadline.kind == DeadlineKind.TEXT or not moved:
        return original
    return deadline.display()


def _build_from_template(roadmap: Roadmap, template: Iterable[TemplateSection]) -> None:
    from_start = months_between(BASE_PERIOD.start, roadmap.starts_on)
    from_end = months_between(BASE_PERIOD.end, roadmap.ends_on)
    sections = Section.objects.bulk_create(
        [
            Section(organisation=roadmap.organisation, roadmap=roadmap, title=spec.title, position=position)
            for position, spec in enumerate(template, start=1)
        ]
    )
    items = []
    for section, spec in zip(sections, template, strict=True):
        for position, entry in enumerate(spec.items, start=1):
            shift = from_end if entry.anchor == "end" else from_start
            deadline = parse_deadline(entry.deadline, period=BASE_PERIOD).shifted(shift)
            item = Item(
                organisation=roadmap.organisation,
                roadmap=roadmap,
                section=section,
                position=position,
                content=entry.content,
                expected_result=entry.expected_result,
                document_kind=entry.document_kind,
                indicator=entry.indicator,
                target_value=entry.target_value,
                target_unit=entry.target_unit,
                responsible_text=entry.responsible,
            )
            item.set_deadline(deadline, deadline.display())
            items.append(item)
    Item.objects.bulk_create(items)
    _sync_occurrences(items, roadmap.period, new=True)


@transaction.atomic
def roadmap_create(
    *,
    organisation: Organisation,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    user,
    template: Iterable[TemplateSection] | None = None,
) -> Roadmap:
    """A new draft roadmap, empty or from a template (the standard one: ``STANDARD_TEMPLATE``)."""
    _check_period(starts_on, ends_on)
    roadmap = Roadmap.objects.create(
        organisation=organisation, title=title.strip(), starts_on=starts_on, ends_on=ends_on, created_by=user
    )
    if template is not None:
        _build_from_template(roadmap, template)
    return roadmap


def roadmap_create_standard(**kwargs) -> Roadmap:
    return roadmap_create(template=STANDARD_TEMPLATE, **kwargs)


@transaction.atomic
def roadmap_update(*, roadmap: Roadmap, title: str, starts_on: datetime.date, ends_on: datetime.date) -> Roadmap:
    """Renames the roadmap or changes its period; whole-period and recurring items follow the period."""
    _check_editable(roadmap)
    _check_period(starts_on, ends_on)
    period_changed = (roadmap.starts_on, roadmap.ends_on) != (starts_on, ends_on)
    roadmap.title, roadmap.starts_on, roadmap.ends_on = title.strip(), starts_on, ends_on
    roadmap.save(update_fields=["title", "starts_on", "ends_on", "updated_at"])
    if period_changed:
        _sync_occurrences(roadmap.items.all(), roadmap.period)
        for copy in roadmap.school_copies.all():
            copy.starts_on, copy.ends_on = starts_on, ends_on
            copy.save(update_fields=["starts_on", "ends_on", "updated_at"])
            _sync_occurrences(copy.items.all(), copy.period)
    return roadmap


@transaction.atomic
def roadmap_copy(*, roadmap: Roadmap, title: str, starts_on: datetime.date, ends_on: datetime.date, user) -> Roadmap:
    """A new draft with the same sections, items and responsible people, dates moved by the new period.

    Statuses and evidence stay with the old roadmap.
    """
    _check_period(starts_on, ends_on)
    shift = months_between(roadmap.starts_on, starts_on)
    copy = Roadmap.objects.create(
        organisation=roadmap.organisation, title=title.strip(), starts_on=starts_on, ends_on=ends_on, created_by=user
    )
    old_sections = list(roadmap.sections.order_by("position", "pk"))
    new_sections = Section.objects.bulk_create(
        [
            Section(organisation=copy.organisation, roadmap=copy, title=section.title, position=section.position)
            for section in old_sections
        ]
    )
    section_of = {old.pk: new for old, new in zip(old_sections, new_sections, strict=True)}
    old_items = list(roadmap.items.prefetch_related("responsibles").order_by("position", "pk"))
    new_items = []
    for old in old_items:
        deadline = old.deadline.shifted(shift)
        item = Item(
            organisation=copy.organisation,
            roadmap=copy,
            section=section_of[old.section_id],
            position=old.position,
            content=old.content,
            expected_result=old.expected_result,
            document_kind=old.document_kind,
            indicator=old.indicator,
            target_value=old.target_value,
            target_unit=old.target_unit,
            responsible_text=old.responsible_text,
        )
        item.set_deadline(deadline, _deadline_text(deadline, old.deadline_text, moved=shift != 0))
        new_items.append(item)
    Item.objects.bulk_create(new_items)
    ItemResponsible.objects.bulk_create(
        [
            ItemResponsible(organisation=copy.organisation, item=new, user_id=r.user_id, person_id=r.person_id)
            for old, new in zip(old_items, new_items, strict=True)
            for r in old.responsibles.all()
        ]
    )
    _sync_occurrences(new_items, copy.period, new=True)
    return copy


def _set_status(roadmap: Roadmap, **fields) -> None:
    for name, value in fields.items():
        setattr(roadmap, name, value)
    roadmap.save(update_fields=[*fields, "updated_at"])
    # The schools' copies of a district roadmap carry the district's approval.
    roadmap.school_copies.update(**fields, updated_at=timezone.now())


@transaction.atomic
def roadmap_approve(
    *,
    roadmap: Roadmap,
    user,
    approver_position: str,
    approver_name: str,
    approved_on: datetime.date,
    approval_order: str = "",
) -> Roadmap:
    """Draft → approved, with the «УТВЕРЖДАЮ» block: position, signature, date (and the order, if any)."""
    _check_editable(roadmap)
    if roadmap.status != Roadmap.Status.DRAFT:
        raise _error(ERROR_APPROVE_NOT_DRAFT)
    if not approver_position.strip() or not approver_name.strip():
        raise _error(ERROR_APPROVER_REQUIRED)
    if not roadmap.items.exists():
        raise _error(ERROR_APPROVE_EMPTY)
    _set_status(
        roadmap,
        status=Roadmap.Status.APPROVED,
        approved_by=user,
        approver_position=approver_position.strip(),
        approver_name=approver_name.strip(),
        approved_on=approved_on,
        approval_order=approval_order.strip(),
    )
    return roadmap


@transaction.atomic
def roadmap_return_to_draft(*, roadmap: Roadmap, user) -> Roadmap:
    _check_editable(roadmap)
    if roadmap.status != Roadmap.Status.APPROVED:
        raise _error(ERROR_NOT_APPROVED)
    _set_status(
        roadmap,
        status=Roadmap.Status.DRAFT,
        approved_by=None,
        approver_position="",
        approver_name="",
        approved_on=None,
        approval_order="",
    )
    return roadmap


@transaction.atomic
def roadmap_archive(*, roadmap: Roadmap, user) -> Roadmap:
    if roadmap.is_archived:
        raise _error(ERROR_ALREADY_ARCHIVED)
    if roadmap.is_district_copy:
        raise _error(ERROR_DISTRICT_COPY)
    _set_status(roadmap, status=Roadmap.Status.ARCHIVED)
    return roadmap


@transaction.atomic
def roadmap_delete(*, roadmap: Roadmap) -> None:
    if roadmap.status != Roadmap.Status.DRAFT:
        raise _error(ERROR_DELETE_NOT_DRAFT)
    if roadmap.is_district_copy:
        raise _error(ERROR_DISTRICT_COPY)
    roadmaps = [roadmap, *roadmap.school_copies.all()]
    _delete_evidence_files(Evidence.objects.filter(occurrence__item__roadmap__in=roadmaps))
    roadmap.delete()


def _delete_evidence_files(evidence) -> None:
    """Removes stored files once the transaction that dropped their records commits."""
    for storage, name in [(e.file.storage, e.file.name) for e in evidence.exclude(file="")]:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# --- Sections ---------------------------------------------------------------------------------


@transaction.atomic
def section_create(*, roadmap: Roadmap, title: str) -> Section:
    _check_editable(roadmap)
    last = roadmap.sections.aggregate(last=Max("position"))["last"] or 0
    return Section.objects.create(
        organisation=roadmap.organisation, roadmap=roadmap, title=title.strip(), position=last + 1
    )


@transaction.atomic
def section_update(*, section: Section, title: str) -> Section:
    _check_editable(section.roadmap)
    section.title = title.strip()
    section.save(update_fields=["title"])
    Section.objects.filter(district_section=section).update(title=section.title)
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    _check_editable(section.roadmap)
    if section.items.exists():
        raise _error(ERROR_SECTION_NOT_EMPTY)
    section.delete()


# --- Items ------------------------------------------------------------------------------------

ITEM_FIELDS = (
    "content",
    "expected_result",
    "document_kind",
    "indicator",
    "target_value",
    "target_unit",
    "responsible_text",
)
# What a school's copy of a district item takes from the district item.
SHARED_FIELDS = (
    "content",
    "expected_result",
    "document_kind",
    "indicator",
    "target_value",
    "target_unit",
    "deadline_text",
    "deadline_kind",
    "deadline_start",
    "deadline_end",
    "recurrence",
    "recurrence_month",
    "deadline_note",
)


def _fill(
    item: Item,
    *,
    content: str,
    deadline_text: str,
    expected_result: str,
    document_kind: str,
    indicator: str,
    target_value: Decimal | None,
    target_unit: str,
    actual_value: Decimal | None,
    responsible_text: str,
) -> None:
    if not content.strip():
        raise _error(ERROR_CONTENT_REQUIRED)
    item.content = content.strip()
    typed = deadline_text.strip()
    if typed != item.deadline_text or item.pk is None:
        item.set_deadline(parse_deadline(typed, period=item.roadmap.period), typed)
    item.expected_result = expected_result.strip()
    item.document_kind = document_kind
    item.indicator = indicator.strip()
    item.target_value, item.target_unit = target_value, target_unit.strip()
    item.actual_value = actual_value
    item.responsible_text = responsible_text.strip()


@transaction.atomic
def item_create(
    *,
    roadmap: Roadmap,
    section: Section,
    content: str,
    deadline_text: str = "",
    expected_result: str = "",
    document_kind: str = "",
    indicator: str = "",
    target_value: Decimal | None = None,
    target_unit: str = "",
    actual_value: Decimal | None = None,
    responsible_text: str = "",
    responsible_users: Iterable = (),
    responsible_people: Iterable = (),
    schools: Iterable[Organisation] | None = None,
) -> Item:
    """A new item at the end of its section; a district item is assigned to ``schools`` at once."""
    _check_editable(roadmap)
    if section.roadmap_id != roadmap.pk:
        raise _error(ERROR_SECTION_OTHER_ROADMAP)
    last = section.items.aggregate(last=Max("position"))["last"] or 0
    item = Item(organisation=roadmap.organisation, roadmap=roadmap, section=section, position=last + 1)
    _fill(
        item,
        content=content,
        deadline_text=deadline_text,
        expected_result=expected_result,
        document_kind=document_kind,
        indicator=indicator,
        target_value=target_value,
        target_unit=target_unit,
        actual_value=actual_value,
        responsible_text=responsible_text,
    )
    item.save()
    _set_responsibles(item, responsible_users, responsible_people)
    _sync_occurrences([item], roadmap.period, new=True)
    if schools is not None:
        district_item_assign(item=item, schools=schools)
    return item


@transaction.atomic
def item_update(
    *,
    item: Item,
    section: Section,
    content: str,
    deadline_text: str = "",
    expected_result: str = "",
    document_kind: str = "",
    indicator: str = "",
    target_value: Decimal | None = None,
    target_unit: str = "",
    actual_value: Decimal | None = None,
    responsible_text: str = "",
    responsible_users: Iterable = (),
    responsible_people: Iterable = (),
    schools: Iterable[Organisation] | None = None,
) -> Item:
    """Changes an item; its occurrences follow a new deadline, and a district item's school copies follow it."""
    roadmap = item.roadmap
    _check_editable(roadmap)
    if section.roadmap_id != roadmap.pk:
        raise _error(ERROR_SECTION_OTHER_ROADMAP)
    if section.pk != item.section_id:
        last = section.items.aggregate(last=Max("position"))["last"] or 0
        item.section, item.position = section, last + 1
    _fill(
        item,
        content=content,
        deadline_text=deadline_text,
        expected_result=expected_result,
        document_kind=document_kind,
        indicator=indicator,
        target_value=target_value,
        target_unit=target_unit,
        actual_value=actual_value,
        responsible_text=responsible_text,
    )
    item.save()
    _set_responsibles(item, responsible_users, responsible_people)
    _sync_occurrences([item], roadmap.period)
    copies = list(item.school_items.select_related("roadmap"))
    if copies:
        for copy in copies:
            for name in SHARED_FIELDS:
                setattr(copy, name, getattr(item, name))
        Item.objects.bulk_update(copies, SHARED_FIELDS)
        _sync_occurrences(copies, roadmap.period)
    if schools is not None:
        district_item_assign(item=item, schools=schools)
    return item


@transaction.atomic
def item_update_progress(
    *,
    item: Item,
    actual_value: Decimal | None,
    responsible_users: Iterable = (),
    responsible_people: Iterable = (),
) -> Item:
    """What a school may change in an item the district assigned: the value reached and who is responsible."""
    _check_editable(item.roadmap, structure=False)
    item.actual_value = actual_value
    item.save(update_fields=["actual_value", "updated_at"])
    _set_responsibles(item, responsible_users, responsible_people)
    return item


@transaction.atomic
def item_delete(*, item: Item) -> None:
    _check_editable(item.roadmap)
    _delete_evidence_files(Evidence.objects.filter(occurrence__item__in=[item, *item.school_items.all()]))
    item.delete()


# --- District items assigned to schools -------------------------------------------------------


def _school_copy(district_roadmap: Roadmap, school: Organisation) -> Roadmap:
    copy, _ = Roadmap.objects.get_or_create(
        organisation=school,
        district_roadmap=district_roadmap,
        defaults={
            "title": district_roadmap.title,
            "starts_on": district_roadmap.starts_on,
            "ends_on": district_roadmap.ends_on,
            "status": district_roadmap.status,
            "approver_position": district_roadmap.approver_position,
            "approver_name": district_roadmap.approver_name,
            "approved_on": district_roadmap.approved_on,
            "approval_order": district_roadmap.approval_order,
        },
    )
    return copy


def _school_section(copy: Roadmap, district_section: Section) -> Section:
    section, _ = Section.objects.get_or_create(
        organisation=copy.organisation,
        roadmap=copy,
        district_section=district_section,
        defaults={"title": district_section.title, "position": district_section.position},
    )
    return section


@transaction.atomic
def district_item_assign(*, item: Item, schools: Iterable[Organisation]) -> tuple[int, int]:
    """Gives each chosen school of the district its own copy of the item; takes it from the others.

    Returns (added, removed). A school that has marked progress or attached evidence keeps its copy:
    ValidationError.
    """
    district = item.organisation
    if not district.is_authority:
        raise _error(ERROR_ASSIGN_NOT_DISTRICT)
    chosen = {school.pk: school for school in schools}
    for school in chosen.values():
        if school.parent_id != district.pk:
            raise _error(ERROR_SCHOOL_NOT_IN_DISTRICT, school=school.short_name)
    current = {copy.organisation_id: copy for copy in item.school_items.select_related("organisation")}
    removed = [copy for school_id, copy in current.items() if school_id not in chosen]
    for copy in removed:
        started = copy.occurrences.exclude(status=Occurrence.Status.PLANNED).exists()
        if started or Evidence.objects.filter(occurrence__item=copy).exists():
            raise _error(ERROR_UNASSIGN_STARTED, school=copy.organisation.short_name)
    if removed:
        Item.objects.filter(pk__in=[copy.pk for copy in removed]).delete()
    added = []
    for school_id, school in chosen.items():
        if school_id in current:
            continue
        copy_roadmap = _school_copy(item.roadmap, school)
        added.append(
            Item(
                organisation=school,
                roadmap=copy_roadmap,
                section=_school_section(copy_roadmap, item.section),
                position=item.position,
                district_item=item,
                **{name: getattr(item, name) for name in SHARED_FIELDS},
            )
        )
    if added:
        Item.objects.bulk_create(added)
        _sync_occurrences(added, item.roadmap.period, new=True)
    return len(added), len(removed)


# --- Progress ---------------------------------------------------------------------------------


@transaction.atomic
def occurrence_set_status(
    *, occurrence: Occurrence, status: str, user, done_on: datetime.date | None = None
) -> Occurrence:
    """Planned, in progress, done (on a day, by the user) or cancelled; «overdue» is never set."""
    _check_editable(occurrence.item.roadmap, structure=False)
    if status not in Occurrence.Status.values:
        raise _error(ERROR_UNKNOWN_STATUS)
    today = timezone.localdate()
    if status == Occurrence.Status.DONE:
        done_on = done_on or today
        if done_on > today:
            raise _error(ERROR_DONE_IN_FUTURE)
        occurrence.done_on, occurrence.done_by = done_on, user
    else:
        occurrence.done_on, occurrence.done_by = None, None
    occurrence.status = status
    occurrence.status_changed_at = timezone.now()
    occurrence.save(update_fields=["status", "done_on", "done_by", "status_changed_at"])
    return occurrence


@transaction.atomic
def evidence_add(
    *,
    occurrence: Occurrence,
    user,
    comment: str = "",
    url: str = "",
    file=None,
    document=None,
) -> Evidence:
    """A scan, a link, a comment or a document of the product proving the occurrence was done."""
    _check_editable(occurrence.item.roadmap, structure=False)
    if not (comment.strip() or url.strip() or file or document is not None):
        raise _error(ERROR_EVIDENCE_EMPTY)
    evidence = Evidence(
        organisation_id=occurrence.organisation_id,
        occurrence=occurrence,
        comment=comment.strip(),
        url=url.strip(),
        added_by=user,
    )
    if document is not None:
        document_organisation = getattr(document, "organisation_id", occurrence.organisation_id)
        if document_organisation != occurrence.organisation_id:
            raise _error(ERROR_EVIDENCE_DOCUMENT_FOREIGN)
        evidence.document_type = ContentType.objects.get_for_model(document)
        evidence.document_id = document.pk
    if file:
        evidence.file_name = (getattr(file, "name", "") or "файл").rsplit("/", 1)[-1][:255]
        evidence.file = file
    evidence.save()
    return evidence


@transaction.atomic
def occurrence_mark_done(
    *,
    occurrence: Occurrence,
    user,
    done_on: datetime.date | None = None,
    comment: str = "",
    url: str = "",
    file=None,
) -> Occurrence:
    """Done on the day, with whatever evidence was given (a comment, a link, a scan)."""
    occurrence_set_status(occurrence=occurrence, status=Occurrence.Status.DONE, user=user, done_on=done_on)
    if comment.strip() or url.strip() or file:
        evidence_add(occurrence=occurrence, user=user, comment=comment, url=url, file=file)
    return occurrence


@transaction.atomic
def evidence_delete(*, evidence: Evidence) -> None:
    _check_editable(evidence.occurrence.item.roadmap, structure=False)
    _delete_evidence_files(Evidence.objects.filter(pk=evidence.pk))
    evidence.delete()
