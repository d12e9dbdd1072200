"""The new school year: promotion of the classes, the new lists diffed, applied at once, undone.

``year_change_start`` proposes the promotion (7 А → 8 А, the last grade to graduates);
``year_change_upload`` reads the new class and staff lists with the import's parser and keeps the
diff against the promoted state in the YearChange; ``year_change_decide`` records the curator's
choices; ``year_change_apply`` writes everything in one transaction and keeps a snapshot;
``year_change_undo`` restores it exactly within YearChange.UNDO_DAYS days.

Nothing of the past year is altered but the result of its pairs: its programme, bases, plans,
meetings and questionnaires stay as they were, and PersonYearRecord keeps who was in which class,
so that the year's reports (``?year=``) read the same before and after.
"""

import dataclasses
import datetime
import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.encoding import smart_str

from organisations.models import Organisation
from organisations.russian import plural
from organisations.school_year import current_school_year, school_year_label
from participants.importing import ImportParent, ImportRow, ListKind, ParsedFile, parse_people_file
from participants.models import (
    Consent,
    ConsentPurpose,
    MenteeEntry,
    MentorEntry,
    Person,
    PersonYearRecord,
    normalise_for_search,
)
from participants.services_import import HISTORY_FIELDS, ImportPlan, plan_parents, read_upload, write_parents

from .models import IndividualPlan, Pair, PairMentee, PlanItem, Programme, ProgrammeForm, YearChange

QUERY_CHUNK = 500
NAME_SIMILARITY = 0.8  # difflib ratio of two folded full names taken for one person with a typo

# Kinds of diff entries, in the order the page shows them.
UNCHANGED, MOVED, NEW, LEFT, SAME, STAFF_JOINED, STAFF_LEFT = (
    "unchanged",
    "moved",
    "new",
    "left",
    "possible_same",
    "staff_joined",
    "staff_left",
)
KIND_TITLES = {
    UNCHANGED: "Без изменений",
    MOVED: "Перешли в другой класс",
    NEW: "Новые обучающиеся",
    LEFT: "Нет в новых списках",
    SAME: "Возможно, тот же человек",
    STAFF_JOINED: "Пришли в коллектив",
    STAFF_LEFT: "Ушли из коллектива",
}
# Decisions of a left person, of a possible same person, of a pair.
ARCHIVE, GRADUATED, KEEP = "archive", "graduated", "keep"
LEFT_CHOICES = {ARCHIVE: "в архив (выбыл)", GRADUATED: "выпускник", KEEP: "оставить как есть"}
STAFF_CHOICES = {ARCHIVE: "в архив (ушёл)", KEEP: "оставить как есть"}
SAME_YES, SAME_NO = "same", "different"
SAME_CHOICES = {SAME_YES: "это тот же человек", SAME_NO: "разные люди"}
CONTINUE, CLOSE = "continue", "close"
PAIR_CHOICES = {CONTINUE: "продолжает работу", CLOSE: "завершить"}

ERROR_NOT_DRAFT = "Этот переход уже {status}: изменить его нельзя."
ERROR_NO_LISTS = "Загрузите новые списки классов или педагогов: без них сравнивать не с чем."
ERROR_LIST_HAS_ERRORS = (
    "В списке «{name}» есть ошибки ({count}): сравнение не выполнено. Исправьте файл (можно скачать его "
    "с отмеченными ошибками на странице загрузки списков) и загрузите снова."
)
ERROR_ALREADY_APPLIED = "Переход на {year} учебный год уже применён."
ERROR_UNDO_TOO_LATE = "Отменить переход можно в течение {days} дней после применения; этот срок прошёл."
ERROR_UNDO_NOT_APPLIED = "Отменить можно только применённый переход."
ERROR_UNDO_USED = "Отменить переход нельзя: новые записи уже используются ({what}). Исправьте данные вручную."
ERROR_DISTRICT = "Переход на новый учебный год делается в школе, а не в управлении образования."

# The fields a list row sets on a person: those the import writes into the person's history.
ENTRY_FIELDS = HISTORY_FIELDS
# The person's fields applying may change, kept in the snapshot for undoing.
SNAPSHOT_FIELDS = ("category", "grade", "class_letter", "graduation_year", "left_on")


class YearChangeError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Dates and classes -------------------------------------------------------------------


def proposed_to_year(today: datetime.date | None = None) -> int:
    """From June to August the coming year is prepared; from September on, the year that started."""
    today = today or timezone.localdate()
    year = current_school_year(today)
    return year + 1 if today.month in (6, 7, 8) else year


def change_date(change: YearChange) -> datetime.date:
    """The day people leave and the new year's pairs start: 1 September of the new year."""
    return datetime.date(change.to_year, 9, 1)


def class_label(grade, letter) -> str:
    return f"{grade} {letter}".strip() if grade else ""


def last_grade(grades) -> int:
    """The school's last grade: the highest one it has (a basic school ends with the 9th)."""
    highest = max(grades, default=11)
    return highest if highest >= 9 else 11


def promoted(grade: int, letter: str, last: int) -> tuple[int | None, str]:
    """7 А → (8, «А»); the last grade → (None, "") for graduates."""
    return (None, "") if grade >= last else (grade + 1, letter)


def _date(value: datetime.date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def _iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _from_iso(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _key(last, first, patronymic) -> tuple[str, str, str]:
    return tuple(normalise_for_search(part or "") for part in (last, first, patronymic))


def _birth_typo(a: datetime.date | None, b: datetime.date | None) -> bool:
    """One digit wrong or day and month swapped, or one of the dates missing."""
    if a is None or b is None:
        return True
    if a == b:
        return True
    if (a.day, a.month, a.year) == (b.month, b.day, b.year):
        return True
    sa, sb = f"{a:%d%m%Y}", f"{b:%d%m%Y}"
    return sum(x != y for x, y in zip(sa, sb, strict=True)) == 1


# --- Starting and reading the lists --------------------------------------------------------


def year_change_start(*, organisation: Organisation, user, to_year: int | None = None) -> YearChange:
    """The draft of the move to ``to_year``: the existing draft, or a new one with the promotion proposed."""
    if organisation.is_district:
        raise YearChangeError(ERROR_DISTRICT)
    to_year = to_year or proposed_to_year()
    draft = organisation.year_changes.filter(to_year=to_year, status=YearChange.Status.DRAFT).first()
    if draft is not None:
        return draft
    change = YearChange(
        organisation=organisation,
        from_year=to_year - 1,
        to_year=to_year,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    change.diff = {"promotion": promotion_proposal(organisation), "entries": [], "counts": {}}
    change.save()
    return change


def _current_people(organisation: Organisation):
    return organisation.people.filter(
        anonymised_at__isnull=True,
        left_on__isnull=True,
        category__in=(Person.Category.STUDENT, Person.Category.TEACHER),
    ).only(
        "pk",
        "category",
        "last_name",
        "first_name",
        "patronymic",
        "birth_date",
        "grade",
        "class_letter",
        "position",
        "organisation_id",
    )


def promotion_proposal(organisation: Organisation, lists_by_class: Counter | None = None) -> list[dict]:
    """One row per current class: its students, where they go, how many the new lists put there."""
    counts = Counter(
        (grade, letter)
        for grade, letter in _current_people(organisation)
        .filter(category=Person.Category.STUDENT, grade__isnull=False)
        .values_list("grade", "class_letter")
    )
    last = last_grade(grade for grade, _letter in counts)
    rows = []
    for (grade, letter), count in sorted(counts.items()):
        to_grade, to_letter = promoted(grade, letter, last)
        row = {
            "from": class_label(grade, letter),
            "to": class_label(to_grade, to_letter) if to_grade else "выпускники",
            "graduates": to_grade is None,
            "students": count,
            "flag": "",
        }
        if lists_by_class is not None and to_grade is not None:
            row["in_lists"] = lists_by_class.get((to_grade, to_letter), 0)
            if not row["in_lists"]:
                row["flag"] = f"Класса {row['to']} в новых списках нет: проверьте, загружен ли его список."
        rows.append(row)
    return rows


def read_lists(uploaded_files) -> list[ParsedFile]:
    """Each uploaded file read by the import's parser; YearChangeError for an unreadable or wrong one."""
    parsed_files = []
    for uploaded in uploaded_files:
        data = read_upload(uploaded)
        name = (getattr(uploaded, "name", "") or "список").rsplit("/", 1)[-1][:255]
        parsed = parse_people_file(data, name)
        if parsed.file_error:
            raise YearChangeError(f"«{name}»: {parsed.file_error}")
        if parsed.problems:
            raise YearChangeError(ERROR_LIST_HAS_ERRORS.format(name=name, count=len(parsed.problems)))
        parsed_files.append(parsed)
    if not parsed_files:
        raise YearChangeError(ERROR_NO_LISTS)
    return parsed_files


@transaction.atomic
def year_change_upload(*, change: YearChange, uploaded_files, user) -> YearChange:
    """Reads the new lists and keeps their diff against the promoted state; writes no person."""
    change = YearChange.objects.select_for_update().get(pk=change.pk)
    if change.status != YearChange.Status.DRAFT:
        raise YearChangeError(ERROR_NOT_DRAFT.format(status=change.get_status_display()))
    parsed_files = read_lists(uploaded_files)
    change.files = [
        {"name": parsed.filename, "kind": parsed.kind_label, "rows": len(parsed.rows)} for parsed in parsed_files
    ]
    change.diff = compute_diff(change.organisation, parsed_files, from_year=change.from_year)
    change.decisions = default_decisions(change.diff)
    change.save(update_fields=["files", "diff", "decisions"])
    return change


# --- The diff ------------------------------------------------------------------------------


@dataclass
class _Row:
    file: str
    row: int
    values: dict  # ImportRow fields
    parent: dict | None = None  # ImportParent fields, from a class list's parents' columns

    @property
    def key(self):
        v = self.values
        return (*_key(v["last_name"], v["first_name"], v["patronymic"]), v["birth_date"])


def _row_of(parsed: ParsedFile, import_row) -> _Row:
    values = {name: getattr(import_row, name) for name in ENTRY_FIELDS}
    parent = dataclasses.asdict(import_row.parent) if import_row.parent else None
    return _Row(file=parsed.filename, row=import_row.row, values=values, parent=parent)


def _person_entry(person: Person, **extra) -> dict:
    return {
        "person_id": person.pk,
        "category": person.category,
        "name": person.full_name,
        "birth_date": _date(person.birth_date),
        "old_class": class_label(person.grade, person.class_letter),
        "position": person.position,
        **extra,
    }


def _row_entry(row: _Row, **extra) -> dict:
    v = row.values
    stored = {**v, "birth_date": _iso(v["birth_date"])}
    return {
        "name": " ".join(p for p in (v["last_name"], v["first_name"], v["patronymic"]) if p),
        "birth_date": _date(v["birth_date"]),
        "new_class": class_label(v["grade"], v["class_letter"]),
        "source": f"«{row.file}», строка {row.row}",
        "row": stored,
        "parent": row.parent,
        **extra,
    }


def compute_diff(organisation: Organisation, parsed_files: list[ParsedFile], *, from_year: int) -> dict:
    """Every person and row in one of the kinds; reads the database (a fixed number of queries)."""
    people = list(_current_people(organisation))
    students_listed = any(parsed.kind == ListKind.STUDENTS for parsed in parsed_files)
    staff_listed = any(parsed.kind == ListKind.TEACHERS for parsed in parsed_files)
    rows = [_row_of(parsed, row) for parsed in parsed_files for row in parsed.rows]
    last = last_grade(person.grade for person in people if person.category == Person.Category.STUDENT and person.grade)

    by_key: dict[tuple, list[Person]] = defaultdict(list)
    by_full_name: dict[tuple, list[Person]] = defaultdict(list)
    for person in people:
        name = _key(person.last_name, person.first_name, person.patronymic)
        by_key[(*name, person.birth_date)].append(person)
        by_full_name[name].append(person)
    matched: dict[int, _Row] = {}
    unmatched_rows: list[_Row] = []
    for row in rows:
        candidates = [
            person
            for person in by_key.get(row.key, [])
            if person.category == row.values["category"] and person.pk not in matched
        ]
        if not candidates:
            # As the import does: without a birth date on either side, the one person of that name.
            same_name = [
                person
                for person in by_full_name.get(row.key[:3], [])
                if person.category == row.values["category"]
                and (person.birth_date is None or row.values["birth_date"] is None)
            ]
            candidates = [person for person in same_name if person.pk not in matched] if len(same_name) == 1 else []
        if candidates:
            matched[candidates[0].pk] = row
        else:
            unmatched_rows.append(row)

    # Possible same people: the same birth date and a close name, or the same name and a typo in the date.
    rest = [person for person in people if person.pk not in matched]
    by_birth: dict = defaultdict(list)
    by_name: dict = defaultdict(list)
    for person in rest:
        by_birth[person.birth_date].append(person)
        by_name[_key(person.last_name, person.first_name, person.patronymic)].append(person)
    same: list[tuple[_Row, Person, float]] = []
    taken: set[int] = set()
    new_rows: list[_Row] = []
    for row in unmatched_rows:
        v = row.values
        name = normalise_for_search(" ".join((v["last_name"], v["first_name"], v["patronymic"])))
        best, best_score = None, 0.0
        for person in by_birth.get(v["birth_date"], []) if v["birth_date"] else []:
            if person.pk in taken or person.category != v["category"]:
                continue
            score = difflib.SequenceMatcher(None, name, person.search_name).ratio()
            if score >= NAME_SIMILARITY and score > best_score:
                best, best_score = person, score
        if best is None:
            for person in by_name.get(_key(v["last_name"], v["first_name"], v["patronymic"]), []):
                if (
                    person.pk not in taken
                    and person.category == v["category"]
                    and _birth_typo(person.birth_date, v["birth_date"])
                ):
                    best, best_score = person, 1.0
                    break
        if best is not None:
            taken.add(best.pk)
            same.append((row, best, best_score))
        else:
            new_rows.append(row)

    entries: list[dict] = []
    lists_by_class: Counter = Counter()
    for row in rows:
        if row.values["category"] == Person.Category.STUDENT:
            lists_by_class[(row.values["grade"], row.values["class_letter"])] += 1

    promotion = promotion_proposal(organisation, lists_by_class if students_listed else None)
    missing_classes = {
        row["to"] for row in promotion if row.get("flag")
    }  # promoted classes the lists lack: their students are kept by default

    blank = {
        "person_id": None,
        "old_class": "",
        "promoted_class": "",
        "new_class": "",
        "source": "",
        "position": "",
        "parent": None,
    }

    def add(kind: str, **values) -> None:
        entries.append({"id": len(entries) + 1, "kind": kind, **blank, **values})

    for person in people:
        is_student = person.category == Person.Category.STUDENT
        to_grade, to_letter = (
            promoted(person.grade, person.class_letter, last) if is_student and person.grade else (None, "")
        )
        promoted_class = class_label(to_grade, to_letter) if to_grade else ("выпускник" if is_student else "")
        if person.pk in matched:
            row = matched[person.pk]
            if is_student and (row.values["grade"], row.values["class_letter"]) != (to_grade, to_letter):
                add(MOVED, **(_row_entry(row) | _person_entry(person, promoted_class=promoted_class)))
            else:
                add(UNCHANGED, **(_row_entry(row) | _person_entry(person, promoted_class=promoted_class)))
            continue
        if person.pk in taken:
            continue
        if is_student and students_listed:
            if to_grade is None or person.grade == 9:
                default = GRADUATED
            elif promoted_class in missing_classes:
                default = KEEP
            else:
                default = ARCHIVE
            add(LEFT, **_person_entry(person, promoted_class=promoted_class, default=default))
        elif not is_student and staff_listed:
            add(STAFF_LEFT, **_person_entry(person, promoted_class="", default=ARCHIVE))
    for row, person, score in same:
        to_grade, to_letter = promoted(person.grade, person.class_letter, last) if person.grade else (None, "")
        add(
            SAME,
            **(_row_entry(row) | _person_entry(person, promoted_class=class_label(to_grade, to_letter))),
            similarity=round(score, 2),
            default=SAME_YES,
        )
    for row in new_rows:
        kind = NEW if row.values["category"] == Person.Category.STUDENT else STAFF_JOINED
        add(kind, person_id=None, category=row.values["category"], old_class="", **_row_entry(row))

    order = list(KIND_TITLES)
    entries.sort(key=lambda entry: (order.index(entry["kind"]), entry["name"]))
    counts = Counter(entry["kind"] for entry in entries)
    return {
        "promotion": promotion,
        "last_grade": last,
        "entries": entries,
        "counts": {kind: counts.get(kind, 0) for kind in KIND_TITLES},
        "students_listed": students_listed,
        "staff_listed": staff_listed,
        "cosign": _cosign_flags(organisation, from_year),
        "pairs": _pair_proposals(organisation, from_year),
        "mentors": _mentor_proposals(organisation, from_year),
    }


def _cosign_flags(organisation: Organisation, from_year: int) -> list[dict]:
    """Children who turned the co-sign age during the year and whose consent they did not sign."""
    age = organisation.consent_cosign_age
    start, end = datetime.date(from_year - age, 9, 1), datetime.date(from_year + 1 - age, 8, 31)
    consents = (
        Consent.objects.filter(
            organisation=organisation,
            purpose=ConsentPurpose.PARTICIPATION,
            status=Consent.Status.VALID,
            signed_by_subject=False,
            person__birth_date__gte=start,
            person__birth_date__lte=end,
            person__anonymised_at__isnull=True,
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    return [
        {"person_id": c.person_id, "name": c.person.full_name, "birth_date": _date(c.person.birth_date), "age": age}
        for c in consents
    ]


def _open_pairs(organisation: Organisation, from_year: int):
    return (
        Pair.objects.labelled()
        .filter(
            organisation=organisation,
            programme__school_year=from_year,
            status__in=(Pair.Status.APPROVED, Pair.Status.ACTIVE),
        )
        .order_by("pk")
    )


def _pair_proposals(organisation: Organisation, from_year: int) -> list[dict]:
    return [
        {
            "pair_id": pair.pk,
            "label": pair.label,
            "mentor_id": pair.mentor_id,
            "mentee_ids": [row.mentee_id for row in pair.pair_mentees.all()],
        }
        for pair in _open_pairs(organisation, from_year)
    ]


def _mentor_proposals(organisation: Organisation, from_year: int) -> list[dict]:
    entries = (
        MentorEntry.objects.filter(organisation=organisation, school_year=from_year)
        .exclude(status=MentorEntry.Status.LEFT)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    return [{"person_id": e.person_id, "entry_id": e.pk, "name": e.person.full_name} for e in entries]


def default_decisions(diff: dict) -> dict:
    decisions = {f"entry:{e['id']}": e["default"] for e in diff["entries"] if "default" in e}
    leaving = leaving_people(diff, decisions)
    for pair in diff.get("pairs", []):
        stays = pair["mentor_id"] not in leaving and any(pid not in leaving for pid in pair["mentee_ids"])
        decisions[f"pair:{pair['pair_id']}"] = CONTINUE if stays else CLOSE
    for mentor in diff.get("mentors", []):
        decisions[f"mentor:{mentor['person_id']}"] = mentor["person_id"] not in leaving
    return decisions


def leaving_people(diff: dict, decisions: dict) -> set[int]:
    """People who leave the school (archive) or the students (graduates) by the decisions."""
    return {
        entry["person_id"]
        for entry in diff["entries"]
        if entry["kind"] in (LEFT, STAFF_LEFT) and decisions.get(f"entry:{entry['id']}") in (ARCHIVE, GRADUATED)
    }


def flagged_pairs(diff: dict, decisions: dict) -> list[dict]:
    """The open pairs of people who leave, with the names that leave."""
    leaving = leaving_people(diff, decisions)
    return [pair for pair in diff.get("pairs", []) if pair["mentor_id"] in leaving or set(pair["mentee_ids"]) & leaving]


def choices_of(kind: str) -> dict:
    return {SAME: SAME_CHOICES, LEFT: LEFT_CHOICES, STAFF_LEFT: STAFF_CHOICES}.get(kind, {})


def year_change_decide(*, change: YearChange, decisions: dict) -> YearChange:
    """Keeps the curator's choices (only known keys and values)."""
    if change.status != YearChange.Status.DRAFT:
        raise YearChangeError(ERROR_NOT_DRAFT.format(status=change.get_status_display()))
    allowed = {}
    for entry in change.diff.get("entries", []):
        choices = choices_of(entry["kind"])
        key = f"entry:{entry['id']}"
        if "default" in entry and decisions.get(key) in choices:
            allowed[key] = decisions[key]
    for pair in change.diff.get("pairs", []):
        key = f"pair:{pair['pair_id']}"
        if decisions.get(key) in PAIR_CHOICES:
            allowed[key] = decisions[key]
    for mentor in change.diff.get("mentors", []):
        key = f"mentor:{mentor['person_id']}"
        if key in decisions:
            allowed[key] = bool(decisions[key])
    change.decisions = {**change.decisions, **allowed}
    change.save(update_fields=["decisions"])
    return change


# --- Applying ------------------------------------------------------------------------------


def _snapshot_person(person: Person) -> dict:
    values = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(person, name)
        values[name] = value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value
    return values


def _restore_value(name: str, value):
    if value is None:
        return None
    if name in ("birth_date", "left_on"):
        return datetime.date.fromisoformat(value)
    return value


def _update_grouped(people: list[Person]) -> None:
    """One UPDATE per distinct set of new values (a class, the graduates, the archived), not per person.

    Django's bulk_update writes a CASE per field and row, which SQLite takes seconds over for a
    school; a school's year change has a few dozen distinct states. ``updated_at`` is not touched:
    the change is in the people's history, and undoing leaves the records exactly as they were.
    """
    groups: dict[tuple, list[int]] = defaultdict(list)
    for person in people:
        groups[tuple(getattr(person, name) for name in SNAPSHOT_FIELDS)].append(person.pk)
    for values, pks in groups.items():
        for start in range(0, len(pks), QUERY_CHUNK):
            Person.objects.filter(pk__in=pks[start : start + QUERY_CHUNK]).update(
                **dict(zip(SNAPSHOT_FIELDS, values, strict=True))
            )


class _History:
    def __init__(self, change: YearChange, user):
        self.change = change
        self.actor = user if user is not None and user.is_authenticated else None
        self.content_type = ContentType.objects.get_for_model(Person)
        self.now = timezone.now()
        self.entries: list[LogEntry] = []

    def add(self, person: Person, action: int, changes: dict, note: str) -> None:
        self.entries.append(
            LogEntry(
                content_type=self.content_type,
                object_pk=str(person.pk),
                object_id=person.pk,
                object_repr=str(person),
                action=action,
                changes={name: [smart_str(old), smart_str(new)] for name, (old, new) in changes.items()},
                actor=self.actor,
                timestamp=self.now,
                additional_data={"person_id": person.pk, "year_change_id": self.change.pk, "note": note},
            )
        )

    def save(self) -> None:
        LogEntry.objects.bulk_create(self.entries, batch_size=QUERY_CHUNK)


def _set(person: Person, changes: dict, **values) -> None:
    for name, value in values.items():
        old = getattr(person, name)
        if old != value:
            changes[name] = (old, value)
            setattr(person, name, value)


def year_change_apply(*, change: YearChange, user) -> YearChange:
    """Writes the whole diff with the curator's decisions, or nothing; keeps what it changed for undoing."""
    with transaction.atomic():
        change = YearChange.objects.select_for_update().get(pk=change.pk)
        organisation = Organisation.objects.select_for_update().get(pk=change.organisation_id)
        if change.status != YearChange.Status.DRAFT:
            raise YearChangeError(ERROR_NOT_DRAFT.format(status=change.get_status_display()))
        if not change.diff.get("entries"):
            raise YearChangeError(ERROR_NO_LISTS)
        if organisation.year_changes.filter(to_year=change.to_year, status=YearChange.Status.APPLIED).exists():
            raise YearChangeError(ERROR_ALREADY_APPLIED.format(year=school_year_label(change.to_year)))
        snapshot = _apply(change, organisation, user)
        change.snapshot = snapshot
        change.status = YearChange.Status.APPLIED
        change.applied_at = timezone.now()
        change.applied_by = user if user is not None and user.is_authenticated else None
        change.save(update_fields=["snapshot", "status", "applied_at", "applied_by"])
        transaction.on_commit(_analyse)
    return change


ANALYSED_TABLES = (
    "participants_person",
    "participants_personyearrecord",
    "participants_mentorentry",
    "participants_menteeentry",
    "mentorship_pair",
    "mentorship_pairmentee",
    "mentorship_planitem",
)


def _analyse() -> None:
    """Fresh planner statistics after the bulk write (DESIGN.md §7); SQLite plans without them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(ANALYSED_TABLES))


def _apply(change: YearChange, organisation: Organisation, user) -> dict:
    diff, decisions = change.diff, change.decisions
    day = change_date(change)
    history = _History(change, user)
    last = diff.get("last_grade", 11)
    snapshot: dict = {"people": {}, "created_people": [], "pairs": {}}

    # Who was who in the closed year: its reports keep reading this (PersonYearRecord).
    if not PersonYearRecord.objects.filter(organisation=organisation, school_year=change.from_year).exists():
        records = [
            PersonYearRecord(
                organisation=organisation,
                person_id=pk,
                school_year=change.from_year,
                category=category,
                grade=grade,
                class_letter=letter,
            )
            for pk, category, grade, letter in organisation.people.filter(
                anonymised_at__isnull=True, left_on__isnull=True
            ).values_list("pk", "category", "grade", "class_letter")
        ]
        PersonYearRecord.objects.bulk_create(records, batch_size=QUERY_CHUNK)
        snapshot["year_records"] = True

    # Every current student moves up unless the diff says otherwise.
    people = {
        person.pk: person
        for person in organisation.people.filter(
            anonymised_at__isnull=True,
            left_on__isnull=True,
            category__in=(Person.Category.STUDENT, Person.Category.TEACHER),
        )
    }
    by_person = {entry["person_id"]: entry for entry in diff["entries"] if entry.get("person_id")}
    changed: list[Person] = []
    for pk, person in people.items():
        snapshot["people"][str(pk)] = _snapshot_person(person)
        entry = by_person.get(pk)
        changes: dict = {}
        decision = decisions.get(f"entry:{entry['id']}") if entry else None
        is_student = person.category == Person.Category.STUDENT
        note = "переход на новый учебный год"
        kind = entry["kind"] if entry else None
        if kind in (UNCHANGED, MOVED) or (kind == SAME and decision == SAME_YES):
            row = entry["row"]
            if is_student:
                _set(person, changes, grade=row["grade"], class_letter=row["class_letter"])
            # A possible same person keeps the school's spelling of the name and birth date: the
            # curator corrects the card if the list is right.
        elif entry and entry["kind"] in (LEFT, STAFF_LEFT) and decision == ARCHIVE:
            _set(person, changes, left_on=day)
            note = "выбыл: нет в списках нового учебного года"
        elif (entry and decision == GRADUATED) or (is_student and person.grade and person.grade >= last and not entry):
            _set(
                person,
                changes,
                category=Person.Category.GRADUATE,
                graduation_year=change.to_year,
                grade=None,
                class_letter="",
            )
            note = "выпускник"
        elif is_student and person.grade and (entry is None or decision in (KEEP, SAME_NO)):
            to_grade, to_letter = promoted(person.grade, person.class_letter, last)
            if to_grade is None:
                _set(person, changes, category=Person.Category.GRADUATE, graduation_year=change.to_year, grade=None)
                _set(person, changes, class_letter="")
            else:
                _set(person, changes, grade=to_grade, class_letter=to_letter)
        if changes:
            changed.append(person)
            history.add(person, LogEntry.Action.UPDATE, changes, note)
        else:
            del snapshot["people"][str(pk)]
    _update_grouped(changed)

    created, created_entries = [], []
    for entry in diff["entries"]:
        if entry["kind"] in (NEW, STAFF_JOINED) or (
            entry["kind"] == SAME and decisions.get(f"entry:{entry['id']}") == SAME_NO
        ):
            row = entry["row"]
            created.append(Person(organisation=organisation, **{**row, "birth_date": _from_iso(row["birth_date"])}))
            created_entries.append(entry)
    Person.objects.bulk_create(created, batch_size=QUERY_CHUNK)
    snapshot["created_people"] = [person.pk for person in created]
    for person in created:
        values = {
            name: (None, getattr(person, name)) for name in ENTRY_FIELDS if getattr(person, name) not in (None, "")
        }
        history.add(person, LogEntry.Action.CREATE, values, "новый участник: список нового учебного года")
    snapshot["created_people"] += _newcomers_parents(organisation, created_entries, created, history)
    history.save()

    # Who leaves: archived, and the students who graduated (they are no longer the school's students).
    leaving = {
        pk for pk, person in people.items() if person.left_on is not None or person.category == Person.Category.GRADUATE
    }
    snapshot.update(_carry_over(change, organisation, decisions, leaving, user))
    return snapshot


class _ParentsHistory:
    """The import's history interface (person, action, {field: value}) onto the year change's."""

    def __init__(self, history: "_History"):
        self.history = history

    def add(self, person: Person, action: int, values: dict) -> None:
        changes = {name: (None, value) for name, value in values.items() if value not in (None, "")}
        self.history.add(person, action, changes, "родитель (законный представитель) из списка нового учебного года")


def _newcomers_parents(organisation: Organisation, entries: list[dict], people: list[Person], history) -> list[int]:
    """The parents a new list names for its newcomers: found or added as the list import does, and
    linked; returns the added parents' ids (undoing deletes them, the links go with the children)."""
    rows = []
    for entry, person in zip(entries, people, strict=True):
        if entry.get("parent"):
            row = ImportRow(
                row=entry["id"],
                category=person.category,
                last_name=person.last_name,
                first_name=person.first_name,
                patronymic=person.patronymic,
                parent=ImportParent(**entry["parent"]),
            )
            rows.append((row, person))
    if not rows:
        return []
    plan = ImportPlan(parsed=None, unchanged=rows)
    plan.parents = plan_parents(organisation, plan)
    to_create = plan.parents_to_create
    write_parents(organisation, plan, [], _ParentsHistory(history))
    return [planned.person.pk for planned in to_create]


def _carry_over(change: YearChange, organisation: Organisation, decisions: dict, leaving: set[int], user) -> dict:
    """Pairs continue into the new programme with their unfinished plan items or close; bases proposed."""
    day = change_date(change)
    old_end = datetime.date(change.to_year, 8, 31)
    result: dict = {
        "pairs": {},
        "created_programmes": [],
        "created_pairs": [],
        "mentor_entries": [],
        "mentee_entries": [],
    }
    pairs = list(_open_pairs(organisation, change.from_year).select_related("plan"))
    programmes: dict[int, Programme] = {}
    continuing_mentees: set[int] = set()
    new_pairs: list[tuple[Pair, Pair, list[int]]] = []
    closed = []
    for pair in pairs:
        result["pairs"][str(pair.pk)] = {
            "status": pair.status,
            "closed_on": _iso(pair.closed_on),
            "outcome": pair.outcome,
            "termination_reason": pair.termination_reason,
        }
        mentees = [row.mentee_id for row in pair.pair_mentees.all() if row.mentee_id not in leaving]
        goes_on = decisions.get(f"pair:{pair.pk}") == CONTINUE and pair.mentor_id not in leaving and mentees
        pair.status, pair.closed_on = Pair.Status.CLOSED, min(old_end, max(pair.starts_on, old_end))
        if goes_on:
            pair.outcome = Pair.Outcome.CONTINUED
            programme = programmes.get(pair.programme_id) or _new_year_programme(change, pair.programme, result)
            programmes[pair.programme_id] = programme
            new = Pair(
                organisation=organisation,
                programme=programme,
                mentor_id=pair.mentor_id,
                form_id=pair.form_id,
                role_model_id=pair.role_model_id,
                starts_on=max(day, programme.starts_on),
                planned_end_on=programme.ends_on,
                status=Pair.Status.DRAFT,
                replaces=pair,
                created_by=user if user is not None and user.is_authenticated else None,
            )
            new_pairs.append((pair, new, mentees))
            continuing_mentees.update(mentees)
        elif pair.mentor_id in leaving or not mentees:
            pair.outcome = Pair.Outcome.TERMINATED
            pair.termination_reason = "Участник выбыл из школы при переходе на новый учебный год."
        else:
            pair.outcome = Pair.Outcome.COMPLETED
        closed.append(pair)
    Pair.objects.bulk_update(closed, ["status", "closed_on", "outcome", "termination_reason"], batch_size=QUERY_CHUNK)
    Pair.objects.bulk_create([new for _old, new, _m in new_pairs], batch_size=QUERY_CHUNK)
    result["created_pairs"] = [new.pk for _old, new, _m in new_pairs]
    PairMentee.objects.bulk_create(
        [
            PairMentee(organisation=organisation, pair=new, mentee_id=pk)
            for _old, new, mentees in new_pairs
            for pk in mentees
        ],
        batch_size=QUERY_CHUNK,
    )
    # Plans: the unfinished items go on.
    plans = []
    items = []
    for old, new, _mentees in new_pairs:
        old_plan = getattr(old, "plan", None)
        if old_plan is None:
            continue
        plan = IndividualPlan(organisation=organisation, pair=new, goals=old_plan.goals, tasks=old_plan.tasks)
        plans.append((old_plan, plan))
    IndividualPlan.objects.bulk_create([plan for _old, plan in plans], batch_size=QUERY_CHUNK)
    old_items = defaultdict(list)
    for item in PlanItem.objects.filter(plan__in=[old for old, _new in plans], done=False).order_by("position", "pk"):
        old_items[item.plan_id].append(item)
    for old_plan, plan in plans:
        for position, item in enumerate(old_items[old_plan.pk], start=1):
            items.append(
                PlanItem(
                    organisation=organisation,
                    plan=plan,
                    position=position,
                    activity=item.activity,
                    due_on=None,
                    work_form=item.work_form,
                    expected_result=item.expected_result,
                    comment=item.comment,
                )
            )
    PlanItem.objects.bulk_create(items, batch_size=QUERY_CHUNK)

    # People who leave are taken out of the new year's bases made before the change (status «выбыл»).
    result["base_statuses"] = {"mentor": {}, "mentee": {}}
    for model, kind in ((MentorEntry, "mentor"), (MenteeEntry, "mentee")):
        entries = list(
            model.objects.filter(organisation=organisation, school_year=change.to_year, person_id__in=leaving).exclude(
                status=model.Status.LEFT
            )
        )
        for entry in entries:
            result["base_statuses"][kind][str(entry.pk)] = entry.status
            entry.status = model.Status.LEFT
            if kind == "mentor":
                entry.left_on = day
        model.objects.bulk_update(entries, ["status", "left_on"] if kind == "mentor" else ["status"])

    # Bases of the new year: mentors who stayed (as the curator confirmed), mentees whose pairs go on.
    existing_mentors = set(
        MentorEntry.objects.filter(organisation=organisation, school_year=change.to_year).values_list(
            "person_id", flat=True
        )
    )
    old_mentors = MentorEntry.objects.filter(organisation=organisation, school_year=change.from_year).exclude(
        status=MentorEntry.Status.LEFT
    )
    new_mentors = [
        MentorEntry(
            organisation=organisation,
            person_id=entry.person_id,
            school_year=change.to_year,
            status=MentorEntry.Status.CANDIDATE,
            competencies=entry.competencies,
            motivation=entry.motivation,
            availability=entry.availability,
            capacity=entry.capacity,
        )
        for entry in old_mentors
        if decisions.get(f"mentor:{entry.person_id}")
        and entry.person_id not in leaving
        and entry.person_id not in existing_mentors
    ]
    MentorEntry.objects.bulk_create(new_mentors, batch_size=QUERY_CHUNK)
    result["mentor_entries"] = [entry.pk for entry in new_mentors]
    existing_mentees = set(
        MenteeEntry.objects.filter(organisation=organisation, school_year=change.to_year).values_list(
            "person_id", flat=True
        )
    )
    old_mentees = {
        entry.person_id: entry
        for entry in MenteeEntry.objects.filter(
            organisation=organisation, school_year=change.from_year, person_id__in=continuing_mentees
        )
    }
    new_mentees = [
        MenteeEntry(
            organisation=organisation,
            person_id=pk,
            school_year=change.to_year,
            status=MenteeEntry.Status.IN_PAIR,
            need_kind=old_mentees[pk].need_kind if pk in old_mentees else "",
            needs=old_mentees[pk].needs if pk in old_mentees else "",
        )
        for pk in sorted(continuing_mentees - existing_mentees)
    ]
    MenteeEntry.objects.bulk_create(new_mentees, batch_size=QUERY_CHUNK)
    result["mentee_entries"] = [entry.pk for entry in new_mentees]
    return result


def _new_year_programme(change: YearChange, old: Programme, result: dict) -> Programme:
    """The new year's programme of the same kind: the existing one, or a copy of the old one."""
    existing = Programme.objects.filter(
        organisation_id=old.organisation_id, school_year=change.to_year, kind=old.kind
    ).first()
    if existing is not None:
        return existing
    title = old.title.replace(school_year_label(old.school_year), school_year_label(change.to_year))
    if title == old.title:
        title = f"Программа наставничества {old.get_kind_display()} на {school_year_label(change.to_year)} учебный год"
    programme = Programme.objects.create(
        organisation_id=old.organisation_id,
        school_year=change.to_year,
        kind=old.kind,
        title=title[:300],
        starts_on=datetime.date(change.to_year, 9, 1),
        ends_on=datetime.date(change.to_year + 1, 5, 31),
        curator=old.curator,
        matching_weights=old.matching_weights,
        attention_weeks=old.attention_weeks,
    )
    ProgrammeForm.objects.bulk_create(
        [ProgrammeForm(programme=programme, form_id=row.form_id) for row in ProgrammeForm.objects.filter(programme=old)]
    )
    result["created_programmes"].append(programme.pk)
    return programme


# --- Undoing ---------------------------------------------------------------------------------


def year_change_undo(*, change: YearChange, user) -> YearChange:
    """Restores what applying changed, exactly, within UNDO_DAYS days; YearChangeError says why not."""
    with transaction.atomic():
        change = YearChange.objects.select_for_update().get(pk=change.pk)
        organisation = Organisation.objects.select_for_update().get(pk=change.organisation_id)
        if change.status != YearChange.Status.APPLIED:
            raise YearChangeError(ERROR_UNDO_NOT_APPLIED)
        if timezone.now() - change.applied_at > datetime.timedelta(days=YearChange.UNDO_DAYS):
            raise YearChangeError(ERROR_UNDO_TOO_LATE.format(days=YearChange.UNDO_DAYS))
        snapshot = change.snapshot
        history = _History(change, user)
        try:
            Pair.objects.filter(organisation=organisation, pk__in=snapshot.get("created_pairs", [])).delete()
            MentorEntry.objects.filter(organisation=organisation, pk__in=snapshot.get("mentor_entries", [])).delete()
            MenteeEntry.objects.filter(organisation=organisation, pk__in=snapshot.get("mentee_entries", [])).delete()
            programmes = Programme.objects.filter(
                organisation=organisation, pk__in=snapshot.get("created_programmes", [])
            )
            if Pair.objects.filter(programme__in=programmes).exists():
                raise YearChangeError(ERROR_UNDO_USED.format(what="в новой программе уже есть другие пары"))
            programmes.delete()
            Person.objects.filter(organisation=organisation, pk__in=snapshot.get("created_people", [])).delete()
        except ProtectedError as error:
            raise YearChangeError(ERROR_UNDO_USED.format(what="новые участники уже в парах")) from error
        for model, kind in ((MentorEntry, "mentor"), (MenteeEntry, "mentee")):
            statuses = snapshot.get("base_statuses", {}).get(kind, {})
            entries = list(model.objects.filter(organisation=organisation, pk__in=[int(pk) for pk in statuses]))
            for entry in entries:
                entry.status = statuses[str(entry.pk)]
                if kind == "mentor":
                    entry.left_on = None
            model.objects.bulk_update(entries, ["status", "left_on"] if kind == "mentor" else ["status"])
        pairs = Pair.objects.filter(organisation=organisation, pk__in=[int(pk) for pk in snapshot.get("pairs", {})])
        restored_pairs = []
        for pair in pairs:
            old = snapshot["pairs"][str(pair.pk)]
            pair.status, pair.outcome = old["status"], old["outcome"]
            pair.closed_on, pair.termination_reason = _from_iso(old["closed_on"]), old["termination_reason"]
            restored_pairs.append(pair)
        Pair.objects.bulk_update(restored_pairs, ["status", "closed_on", "outcome", "termination_reason"])
        people = organisation.people.filter(pk__in=[int(pk) for pk in snapshot.get("people", {})])
        restored = []
        for person in people:
            old = snapshot["people"][str(person.pk)]
            changes = {}
            for name in SNAPSHOT_FIELDS:
                value = _restore_value(name, old[name])
                if getattr(person, name) != value:
                    changes[name] = (getattr(person, name), value)
                setattr(person, name, value)
            restored.append(person)
            history.add(person, LogEntry.Action.UPDATE, changes, "отмена перехода на новый учебный год")
        _update_grouped(restored)
        if snapshot.get("year_records"):
            PersonYearRecord.objects.filter(organisation=organisation, school_year=change.from_year).delete()
        history.save()
        change.status = YearChange.Status.UNDONE
        change.undone_at = timezone.now()
        change.save(update_fields=["status", "undone_at"])
    return change


# --- Keeping personal data no longer than needed --------------------------------------------

DRAFT_KEPT_DAYS = 90


def year_changes_purge(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Strips the people's data from changes that can no longer be undone (the counts stay) and
    deletes drafts nobody touched for DRAFT_KEPT_DAYS days; returns (stripped, deleted)."""
    now = now or timezone.now()
    drafts = YearChange.objects.filter(
        status=YearChange.Status.DRAFT, created_at__lt=now - datetime.timedelta(days=DRAFT_KEPT_DAYS)
    )
    deleted = drafts.count()
    drafts.delete()
    old = YearChange.objects.filter(
        applied_at__lt=now - datetime.timedelta(days=YearChange.UNDO_DAYS),
        status__in=(YearChange.Status.APPLIED, YearChange.Status.UNDONE),
    ).exclude(snapshot={})
    stripped = 0
    for change in old:
        change.diff = {"counts": change.diff.get("counts", {}), "promotion": change.diff.get("promotion", [])}
        change.decisions, change.snapshot = {}, {}
        change.save(update_fields=["diff", "decisions", "snapshot"])
        stripped += 1
    return stripped, deleted


# --- Words ---------------------------------------------------------------------------------


def people_count(count: int) -> str:
    return f"{count} {plural(count, 'человек', 'человека', 'человек')}"


def year_change_counts(change: YearChange) -> dict:
    """What applying would do, by the decisions: for the page and the benchmark."""
    diff, decisions = change.diff, change.decisions
    counts = Counter()
    for entry in diff.get("entries", []):
        decision = decisions.get(f"entry:{entry['id']}")
        if entry["kind"] in (LEFT, STAFF_LEFT):
            counts[decision or ARCHIVE] += 1
    counts["continue"] = sum(1 for key, value in decisions.items() if key.startswith("pair:") and value == CONTINUE)
    counts["close"] = sum(1 for key, value in decisions.items() if key.startswith("pair:") and value == CLOSE)
    counts["mentors"] = sum(1 for key, value in decisions.items() if key.startswith("mentor:") and value)
    return dict(counts)
