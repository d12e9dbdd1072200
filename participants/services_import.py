"""Importing class lists and staff lists: preview first, then all or nothing.

``people_import_preview`` reads the file, matches its rows with the school's people and keeps
the file with a summary in an ImportBatch; nothing else is written. ``people_import_apply``
reads the stored file again and writes every new and changed person in one transaction.

A row matches a person of the same school with the same last name, first name, patronymic and
birth date, folded as Person.search_name is (lower case, «ё» as «е»). When the row or the person
has no birth date, the name alone matches if exactly one person of the same category has it.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.encoding import smart_str

from organisations.models import Organisation
from organisations.russian import plural
from organisations.tenancy import resolve_access

from .importing import (
    COLUMN_NOT_LOADED,
    EMAIL,
    EXPERIENCE,
    FILE_TOO_LARGE,
    MAX_FILE_SIZE,
    PHONE,
    SUBJECTS,
    ImportFileError,
    ImportParent,
    ImportProblem,
    ImportRow,
    ListKind,
    ParsedFile,
    format_size,
    mark_problems,
    marked_filename,
    parse_people_file,
)
from .journal import access_record
from .models import Gender, ImportBatch, ParentLink, Person, normalise_for_search

PREVIEW_ROWS = 50  # rows of each kind kept in the summary to show on the preview page
QUERY_CHUNK = 500

IMPORT_INTO_DISTRICT = "Списки участников загружаются в школу, а не в управление образования."
APPLY_OTHER_ORGANISATION = "Эта загрузка относится к другой организации."
APPLY_NO_RIGHTS = "Недостаточно прав: загружать списки участников в эту организацию вам нельзя."
APPLY_NOT_PREVIEW = (
    "Этот список уже {status}: применить его ещё раз нельзя. Чтобы загрузить список снова, выберите файл."
)
APPLY_HAS_ERRORS = "В списке есть ошибки, поэтому в базу ничего не записано. Исправьте файл и загрузите его заново."
APPLY_FILE_MISSING = "Файл этой загрузки не найден. Загрузите список заново."
MARKED_NOTHING = "В этом списке нет ни ошибок, ни предупреждений: отмечать в файле нечего."

SKIP_OTHER_CATEGORY = "уже есть в базе школы в категории «{category}»; проверьте, тот ли это человек"
SKIP_PROCESSING_BLOCKED = "согласие на обработку данных отозвано — данные человека не изменяются"
SKIP_SEVERAL_MATCHES = "в базе школы несколько человек с такими ФИО и датой рождения — исправьте их вручную"
SKIP_SAME_PERSON = "относится к тому же человеку, что и строка {row}"

# Fields of a new person that go into the person's change history (django-auditlog).
HISTORY_FIELDS = (
    "category",
    "last_name",
    "first_name",
    "patronymic",
    "gender",
    "birth_date",
    "grade",
    "class_letter",
    "position",
    "subjects",
    "experience_years",
    "phone",
    "email",
)

CHANGE_LABELS = {
    "grade": "класс",
    "position": "должность",
    "subjects": "предметы",
    "experience_years": "стаж",
    "phone": "телефон",
    "email": "электронная почта",
    "birth_date": "дата рождения",
    "gender": "пол",
}


class ImportRefused(Exception):
    """The import cannot go on; the message says why, in Russian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class PlannedUpdate:
    row: ImportRow
    person: Person
    changes: dict[str, object]  # Person field -> new value


@dataclass
class PlannedParent:
    """A parent the file names: a person of the school already (``person``) or one to add."""

    parent: ImportParent
    person: Person | None = None
    children: list[ImportRow] = field(default_factory=list)


@dataclass
class ImportPlan:
    parsed: ParsedFile
    create: list[ImportRow] = field(default_factory=list)
    update: list[PlannedUpdate] = field(default_factory=list)
    unchanged: list[tuple[ImportRow, Person]] = field(default_factory=list)
    skipped: list[tuple[ImportRow, str]] = field(default_factory=list)
    parents: list[PlannedParent] = field(default_factory=list)

    @property
    def parents_to_create(self) -> list[PlannedParent]:
        return [planned for planned in self.parents if planned.person is None]

    @property
    def problems(self) -> list[ImportProblem]:
        return self.parsed.problems

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    skipped: int

    def message(self, filename: str = "") -> str:
        return import_result_message(self.created, self.updated, self.unchanged, self.skipped, filename=filename)


# --- Reading and matching (no writes) ----------------------------------------------------


def people_import_plan(*, organisation: Organisation, data: bytes, filename: str) -> ImportPlan:
    """What importing the file would do in the organisation; reads the database, writes nothing."""
    if organisation.is_authority:
        raise ImportRefused(IMPORT_INTO_DISTRICT)
    parsed = parse_people_file(data, filename)
    plan = ImportPlan(parsed=parsed)
    if not parsed.rows:
        return plan
    existing = _existing_people(organisation, {row.search_name for row in parsed.rows})
    by_key: dict[tuple, list[Person]] = {}
    by_name: dict[tuple, list[Person]] = {}
    for person in existing:
        name = _name_key(person)
        by_key.setdefault((*name, person.birth_date), []).append(person)
        by_name.setdefault(name, []).append(person)

    matched_rows: dict[int, int] = {}  # person pk -> the row that matched them
    for row in parsed.rows:
        candidates = by_key.get(row.key) or _matches_without_birth_date(row, by_name.get(row.name_key, []))
        if not candidates:
            plan.create.append(row)
            continue
        if len(candidates) > 1:
            plan.skipped.append((row, SKIP_SEVERAL_MATCHES))
            continue
        person = candidates[0]
        if person.category != row.category:
            plan.skipped.append((row, SKIP_OTHER_CATEGORY.format(category=person.get_category_display())))
        elif person.processing_blocked_at is not None:
            plan.skipped.append((row, SKIP_PROCESSING_BLOCKED))
        elif person.pk in matched_rows:
            plan.skipped.append((row, SKIP_SAME_PERSON.format(row=matched_rows[person.pk])))
        elif changes := _changes(person, row, parsed):
            plan.update.append(PlannedUpdate(row=row, person=person, changes=changes))
        else:
            plan.unchanged.append((row, person))
        matched_rows.setdefault(person.pk, row.row)
    plan.parents = plan_parents(organisation, plan)
    return plan


def plan_parents(organisation: Organisation, plan: ImportPlan) -> list[PlannedParent]:
    """The parents of the loaded rows, each once: one mother of two children is one person.

    A parent is the school's person with the same name and the same phone or e-mail; without
    either, the one parent of the school with that name. In the file, the same name and contact
    (or the same name where a row gives no contact) is the same parent.
    """
    rows = [row for row in plan.create if row.parent]
    rows += [update.row for update in plan.update if update.row.parent]
    rows += [row for row, _person in plan.unchanged if row.parent]
    if not rows:
        return []
    rows.sort(key=lambda row: row.row)
    existing = _existing_people(organisation, {row.parent.search_name for row in rows})
    by_contact: dict[tuple[str, str], Person] = {}
    parents_by_name: dict[str, list[Person]] = {}
    for person in existing:
        digits = "".join(char for char in person.phone if char.isdigit())[-10:]
        for contact in (digits, person.email.lower()):
            if contact:
                by_contact.setdefault((person.search_name, contact), person)
        if person.category == Person.Category.PARENT:
            parents_by_name.setdefault(person.search_name, []).append(person)
    planned: dict[tuple[str, str], PlannedParent] = {}
    for row in rows:
        parent = row.parent
        key = parent.key
        if key not in planned and not key[1]:
            # No contact in this row: the parent of that name another row already names.
            key = next((other for other in planned if other[0] == key[0]), key)
        if key not in planned:
            person = None
            for contact in (parent.phone_digits, parent.email.lower()):
                if contact and (parent.search_name, contact) in by_contact:
                    person = by_contact[(parent.search_name, contact)]
                    break
            if person is None and not key[1]:
                same_name = parents_by_name.get(parent.search_name, [])
                person = same_name[0] if len(same_name) == 1 else None
            planned[key] = PlannedParent(parent=parent, person=person)
        planned[key].children.append(row)
    return list(planned.values())


def _existing_people(organisation: Organisation, search_names: set[str]) -> list[Person]:
    names = sorted(search_names)
    people: list[Person] = []
    for start in range(0, len(names), QUERY_CHUNK):
        people += organisation.people.filter(
            search_name__in=names[start : start + QUERY_CHUNK], anonymised_at__isnull=True
        ).order_by("pk")
    return people


def _name_key(person: Person) -> tuple[str, str, str]:
    return tuple(normalise_for_search(p) for p in (person.last_name, person.first_name, person.patronymic))


def _matches_without_birth_date(row: ImportRow, same_name: list[Person]) -> list[Person]:
    """A person of the same category and name where the row or the person lacks the birth date."""
    candidates = [
        person
        for person in same_name
        if person.category == row.category and (row.birth_date is None or person.birth_date is None)
    ]
    return candidates if len(candidates) == 1 else []


def _changes(person: Person, row: ImportRow, parsed: ParsedFile) -> dict[str, object]:
    """The fields the file changes; a column the file lacks or an empty cell changes nothing."""
    new: dict[str, object] = {}
    if row.category == Person.Category.STUDENT:
        new["grade"], new["class_letter"] = row.grade, row.class_letter
    else:
        new["position"] = row.position
        if SUBJECTS in parsed.columns and row.subjects:
            new["subjects"] = row.subjects
        if EXPERIENCE in parsed.columns and row.experience_years is not None:
            new["experience_years"] = row.experience_years
    if PHONE in parsed.columns and row.phone:
        new["phone"] = row.phone
    if EMAIL in parsed.columns and row.email:
        new["email"] = row.email
    if person.birth_date is None and row.birth_date is not None:
        new["birth_date"] = row.birth_date
    if not person.gender:
        new["gender"] = row.gender
    return {name: value for name, value in new.items() if getattr(person, name) != value}


# --- The summary kept in the batch --------------------------------------------------------


def _details(row_or_person) -> str:
    if row_or_person.category == Person.Category.STUDENT:
        return f"{row_or_person.class_name} класс" if row_or_person.class_name else ""
    return row_or_person.position


def _row_summary(row: ImportRow, **extra) -> dict:
    return {
        "row": row.row,
        "name": row.full_name,
        "birth_date": f"{row.birth_date:%d.%m.%Y}" if row.birth_date else "",
        "gender": Gender(row.gender).label if row.gender else "",
        "details": _details(row),
        **extra,
    }


def _shown_value(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if name == "gender":
        return Gender(value).label
    return str(value)


def _change_list(update: PlannedUpdate) -> list[dict]:
    """What changes, as «класс: 6Б → 7Б»; computed before the person is changed."""
    person, row = update.person, update.row
    result = []
    if {"grade", "class_letter"} & update.changes.keys():
        result.append({"field": CHANGE_LABELS["grade"], "old": person.class_name or "—", "new": row.class_name})
    for name, value in update.changes.items():
        if name not in {"grade", "class_letter"}:
            old = _shown_value(name, getattr(person, name))
            result.append({"field": CHANGE_LABELS[name], "old": old, "new": _shown_value(name, value)})
    return result


def _parent_summary(planned: PlannedParent) -> dict:
    parent = planned.parent
    return {
        "name": parent.full_name,
        "relation": parent.relation,
        "contacts": ", ".join(part for part in (parent.phone, parent.email) if part),
        "person_id": planned.person.pk if planned.person else None,
        "children": [row.full_name for row in planned.children],
        "rows": [row.row for row in planned.children],
    }


def plan_summary(plan: ImportPlan) -> dict:
    parsed = plan.parsed
    return {
        "format": parsed.file_format,
        "kind": parsed.kind,
        "kind_label": parsed.kind_label,
        "sheet": parsed.sheet,
        "header_row": parsed.header_row,
        "columns": [
            {"letter": column.letter, "header": column.header}
            for column in sorted(parsed.columns.values(), key=lambda c: c.index)
        ],
        "unused_columns": [
            {
                "letter": column.letter,
                "header": column.header,
                "text": COLUMN_NOT_LOADED.format(column=column.letter, header=column.header),
            }
            for column in parsed.unused_columns
        ],
        "warnings": [problem.as_dict() for problem in parsed.warnings],
        "parents": [_parent_summary(planned) for planned in plan.parents[:PREVIEW_ROWS]],
        "counts": {
            "parents_create": len(plan.parents_to_create),
            "parents_existing": len(plan.parents) - len(plan.parents_to_create),
            "warnings": len(parsed.warnings),
            "create": len(plan.create),
            "update": len(plan.update),
            "unchanged": len(plan.unchanged),
            "skipped": len(plan.skipped),
            "errors": len(plan.problems),
        },
        "create": [_row_summary(row) for row in plan.create[:PREVIEW_ROWS]],
        "update": [
            _row_summary(update.row, person_id=update.person.pk, changes=_change_list(update))
            for update in plan.update[:PREVIEW_ROWS]
        ],
        "unchanged": [_row_summary(row, person_id=person.pk) for row, person in plan.unchanged[:PREVIEW_ROWS]],
        "skipped": [_row_summary(row, reason=reason) for row, reason in plan.skipped[:PREVIEW_ROWS]],
        "errors": [problem.as_dict() for problem in plan.problems],
    }


def people_phrase(count: int) -> str:
    """«1 человек», «3 человека», «25 человек»."""
    return f"{count} {plural(count, 'человек', 'человека', 'человек')}"


def _participle(count: int, one: str, many: str) -> str:
    """«добавлен 1 человек», «добавлено 5 человек», «добавлено 2 человека»."""
    return one if plural(count, "one", "few", "many") == "one" else many


def errors_phrase(count: int) -> str:
    """«Найдена 1 ошибка», «Найдено 3 ошибки», «Найдено 25 ошибок»."""
    return f"{_participle(count, 'Найдена', 'Найдено')} {count} {plural(count, 'ошибка', 'ошибки', 'ошибок')}"


def import_result_message(
    created: int, updated: int, unchanged: int = 0, skipped: int = 0, *, filename: str = ""
) -> str:
    """«Список «7Б.xlsx» загружен: добавлено 25 человек, обновлены данные 3 человек.»"""
    parts = []
    if created:
        parts.append(f"{_participle(created, 'добавлен', 'добавлено')} {people_phrase(created)}")
    if updated:
        # «данные 1 человека», «данные 3 человек», «данные 21 человека»: the genitive.
        parts.append(f"обновлены данные {updated} {plural(updated, 'человека', 'человек', 'человек')}")
    if unchanged:
        parts.append(f"без изменений — {people_phrase(unchanged)}")
    if skipped:
        parts.append(f"{_participle(skipped, 'пропущен', 'пропущено')} {people_phrase(skipped)}")
    title = f"Список «{filename}» загружен" if filename else "Список загружен"
    return f"{title}: " + (", ".join(parts) if parts else "изменений нет") + "."


# --- Writes ------------------------------------------------------------------------------


def too_large_error(size: int) -> ImportFileError:
    return ImportFileError(FILE_TOO_LARGE.format(size=format_size(size), limit=format_size(MAX_FILE_SIZE)))


def read_upload(uploaded_file) -> bytes:
    """The uploaded file's bytes; ImportFileError when it is larger than a list may be."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_FILE_SIZE:
        raise too_large_error(size)
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise too_large_error(size or len(data))
    return data


@transaction.atomic
def people_import_preview(*, organisation: Organisation, uploaded_file, user) -> ImportBatch:
    """Keeps the file and what importing it would do; ImportFileError when the file is unreadable.

    A file that is not a list at all (a picture, a damaged workbook, a zip bomb…) is not kept.
    """
    data = read_upload(uploaded_file)
    filename = (getattr(uploaded_file, "name", "") or "список").rsplit("/", 1)[-1][:255]
    plan = people_import_plan(organisation=organisation, data=data, filename=filename)
    if plan.parsed.file_error:
        raise ImportFileError(plan.parsed.file_error)
    batch = ImportBatch(
        organisation=organisation,
        uploaded_by=user if user is not None and user.is_authenticated else None,
        original_name=filename,
        summary=plan_summary(plan),
    )
    # The stored name tells nothing about the people in it; the original one is kept apart.
    batch.file.save(f"{uuid.uuid4().hex}.{plan.parsed.file_format}", ContentFile(data), save=False)
    batch.save()
    return batch


class _CommandLineRequest:
    """Stands for the request in the access journal when the import runs from manage.py."""

    META: dict = {}

    def __init__(self, user, path: str):
        self.user = user if user is not None else AnonymousUser()
        self._path = path

    def get_full_path(self) -> str:
        return self._path


def people_import_apply(
    *, batch: ImportBatch, user, organisation: Organisation | None = None, request=None
) -> ImportResult:
    """Writes every new and changed person of the batch, or nothing; ImportRefused says why not."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        # One import at a time in a school: two lists applied at once could both add the same person.
        organisation_of_batch = Organisation.objects.select_for_update().get(pk=batch.organisation_id)
        if organisation is not None and organisation.pk != batch.organisation_id:
            raise ImportRefused(APPLY_OTHER_ORGANISATION)
        if user is not None and not _can_import(user, organisation_of_batch):
            raise ImportRefused(APPLY_NO_RIGHTS)
        if batch.status != ImportBatch.Status.PREVIEW:
            raise ImportRefused(APPLY_NOT_PREVIEW.format(status=batch.get_status_display()))
        if batch.summary.get("errors"):
            raise ImportRefused(APPLY_HAS_ERRORS)
        data = _read_stored(batch)
        plan = people_import_plan(organisation=organisation_of_batch, data=data, filename=batch.original_name)
        if not plan.ok:
            raise ImportRefused(APPLY_HAS_ERRORS)
        now = timezone.now()
        # Before the people change: the summary and the history show their old values.
        summary = plan_summary(plan)
        history = _History(batch=batch, user=user, request=request, now=now)
        for update in plan.update:
            history.add(update.person, LogEntry.Action.UPDATE, update.changes)
        created = [_new_person(organisation_of_batch, row) for row in plan.create]
        Person.objects.bulk_create(created, batch_size=QUERY_CHUNK)
        for person in created:
            history.add(person, LogEntry.Action.CREATE, {name: getattr(person, name) for name in HISTORY_FIELDS})
        fields: set[str] = set()
        for update in plan.update:
            for name, value in update.changes.items():
                setattr(update.person, name, value)
            update.person.updated_at = now
            fields |= update.changes.keys()
        if plan.update:
            Person.objects.bulk_update(
                [update.person for update in plan.update], sorted(fields | {"updated_at"}), batch_size=QUERY_CHUNK
            )
        write_parents(organisation_of_batch, plan, created, history)
        history.save()
        result = ImportResult(
            created=len(plan.create), updated=len(plan.update), unchanged=len(plan.unchanged), skipped=len(plan.skipped)
        )
        storage, stored_name = batch.file.storage, batch.file.name
        batch.status = ImportBatch.Status.APPLIED
        batch.applied_at = now
        batch.summary = {**summary, "result": {"created": result.created, "updated": result.updated}}
        # The list has done its work: the personal data in the file are not kept (152-ФЗ).
        batch.file = ""
        batch.save(update_fields=["status", "applied_at", "summary", "file"])
        access_record(
            request=request or _CommandLineRequest(user, f"manage.py import_people {organisation_of_batch.slug}"),
            organisation=organisation_of_batch,
            action="change",
            what=f"Загрузка списка «{batch.original_name}» ({ListKind.LABELS.get(plan.parsed.kind, '')})",
            people_count=result.created + result.updated,
        )
        transaction.on_commit(lambda: storage.delete(stored_name))
    return result


def write_parents(organisation: Organisation, plan: ImportPlan, created: list[Person], history) -> None:
    """Adds the new parents and links every parent to their children (existing links are kept)."""
    if not plan.parents:
        return
    children: dict[int, Person] = {row.row: person for row, person in zip(plan.create, created, strict=True)}
    children |= {update.row.row: update.person for update in plan.update}
    children |= {row.row: person for row, person in plan.unchanged}
    new_parents = [_new_parent(organisation, planned.parent) for planned in plan.parents_to_create]
    Person.objects.bulk_create(new_parents, batch_size=QUERY_CHUNK)
    for planned, person in zip(plan.parents_to_create, new_parents, strict=True):
        planned.person = person
        history.add(person, LogEntry.Action.CREATE, {name: getattr(person, name) for name in HISTORY_FIELDS})
    links = [
        ParentLink(
            organisation=organisation, parent=planned.person, child=children[row.row], relation=row.parent.relation
        )
        for planned in plan.parents
        for row in planned.children
        if planned.person.pk != children[row.row].pk
    ]
    ParentLink.objects.bulk_create(links, batch_size=QUERY_CHUNK, ignore_conflicts=True)


def _new_parent(organisation: Organisation, parent: ImportParent) -> Person:
    return Person(
        organisation=organisation,
        category=Person.Category.PARENT,
        last_name=parent.last_name,
        first_name=parent.first_name,
        patronymic=parent.patronymic,
        gender=parent.gender,
        phone=parent.phone,
        email=parent.email,
    )


class _History:
    """Entries of the people's change history: bulk writes skip django-auditlog's signals."""

    def __init__(self, *, batch: ImportBatch, user, request, now):
        self.entries: list[LogEntry] = []
        self.batch, self.now = batch, now
        self.actor = user if user is not None and user.is_authenticated else None
        self.remote_addr = request.META.get("REMOTE_ADDR") if request is not None else None
        self.content_type = ContentType.objects.get_for_model(Person)

    def add(self, person: Person, action: int, values: dict[str, object]) -> None:
        # As django-auditlog writes them: {field: [old, new]}, values as strings.
        changes = {
            name: ["None" if action == LogEntry.Action.CREATE else smart_str(getattr(person, name)), smart_str(value)]
            for name, value in values.items()
            if value not in (None, "")
        }
        self.entries.append(
            LogEntry(
                content_type=self.content_type,
                object_pk=str(person.pk),
                object_id=person.pk,
                object_repr=str(person),
                action=action,
                changes=changes,
                actor=self.actor,
                remote_addr=self.remote_addr,
                timestamp=self.now,
                additional_data={"person_id": person.pk, "import_batch_id": self.batch.pk},
            )
        )

    def save(self) -> None:
        LogEntry.objects.bulk_create(self.entries, batch_size=QUERY_CHUNK)


def people_import_marked(*, batch: ImportBatch) -> tuple[str, bytes]:
    """The batch's file with its errors (red) and warnings (yellow) marked and explained; reads only.

    ImportRefused when the file is gone (applied lists are not kept) or has nothing to mark.
    """
    data = _read_stored(batch)
    parsed = parse_people_file(data, batch.original_name)
    if not any(problem.row for problem in [*parsed.problems, *parsed.warnings]):
        raise ImportRefused(MARKED_NOTHING)
    return marked_filename(batch.original_name), mark_problems(data, parsed)


def _can_import(user, organisation: Organisation) -> bool:
    try:
        return resolve_access(user, organisation.slug).can("participants.edit")
    except Http404:  # no membership there
        return False


def _read_stored(batch: ImportBatch) -> bytes:
    if not batch.file:
        raise ImportRefused(APPLY_FILE_MISSING)
    try:
        with batch.file.open("rb") as stored:
            return stored.read()
    except (FileNotFoundError, OSError) as error:
        raise ImportRefused(APPLY_FILE_MISSING) from error


def _new_person(organisation: Organisation, row: ImportRow) -> Person:
    return Person(
        organisation=organisation,
        category=row.category,
        last_name=row.last_name,
        first_name=row.first_name,
        patronymic=row.patronymic,
        gender=row.gender,
        birth_date=row.birth_date,
        grade=row.grade,
        class_letter=row.class_letter,
        position=row.position,
        subjects=row.subjects,
        experience_years=row.experience_years,
        phone=row.phone,
        email=row.email,
    )
