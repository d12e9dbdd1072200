"""The benchmark behind ``manage.py bench`` (``make bench``).

It generates a district at two scales with the demo generator, requests each page of ``PAGES``
as a user of the given role and reports the median server time and the number of queries. A
page whose query count grows with the data issues a query per row: that is the bug to catch.

Under the page table it also times the matching engine alone (``matching_lines``: 500 mentees ×
100 mentors of seeded random profiles, no database).

To add a page, append one ``Page`` to ``PAGES``: a name, the role of the user who opens it and
a function building its URL from a ``Scale`` (its district, a school, a person of that school…).
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

from mentorship.demo import demo_mid_year_programme
from mentorship.matching import random_profiles, suggest
from mentorship.models import Programme
from organisations.models import Membership, Organisation
from organisations.roles import Role
from participants.demo import populate_district
from participants.models import Consent, ParentLink, Person
from reports.orders.models import Order
from roadmap.demo import demo_roadmaps

BENCH_PREFIX = "bench-"
BENCH_SEED = 7
DISTRICT_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.ADMINISTRATOR})


@dataclass
class Scale:
    """One generated district and what the pages need of it."""

    label: str
    prefix: str
    schools_count: int
    people_per_school: int
    district: Organisation | None = None
    school: Organisation | None = None  # the first school: school pages are opened there
    person: Person | None = None  # a student of ``school`` with parents: the richest card
    common_surname: str = ""
    users: dict[str, object] = field(default_factory=dict)  # role -> user
    people_in_school: int = 0
    people_in_district: int = 0
    generation_seconds: float = 0.0
    programme: object = None

    @property
    def title(self) -> str:
        return f"{self.label} ({self.schools_count} × {self.people_per_school})"

    def rows(self, level: str) -> int:
        return self.people_in_district if level == "district" else self.people_in_school


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    url: Callable[[Scale], str]
    # Whose people the «Записей» column counts: the school's or the whole district's.
    level: str = "school"


def _people_url(scale: Scale, **params) -> str:
    url = reverse("participants:person_list", kwargs={"org": scale.school.slug})
    return f"{url}?{urlencode(params)}" if params else url


def _school_url(scale: Scale, name: str) -> str:
    return reverse(name, kwargs={"org": scale.school.slug})


def _export_url(scale: Scale, identifier: str) -> str:
    return reverse("reports:export", kwargs={"org": scale.school.slug, "identifier": identifier})


def _roadmap_pk(scale: Scale) -> int:
    """The school's own roadmap (the demo one, made by ``prepare_scale``)."""
    return scale.school.roadmaps.filter(district_roadmap=None).order_by("pk").values_list("pk", flat=True)[0]


def _home(scale: Scale) -> str:
    return reverse("reports:dashboard", kwargs={"org": scale.school.slug})


PAGES: list[Page] = [
    # The front page is each role's home (reports.home.sections): «Сводка школы» is the curator's.
    Page("Сводка школы", Role.CURATOR, _home),
    Page("Главная: директор", Role.DIRECTOR, _home),
    Page("Главная: заместитель директора", Role.DEPUTY_DIRECTOR, _home),
    Page("Главная: методист", Role.METHODIST, _home),
    Page("Главная: наставник", Role.MENTOR, _home),
    Page(
        "Сводка района",
        Role.DISTRICT_OFFICER,
        lambda s: reverse("reports:dashboard", kwargs={"org": s.district.slug}),
        level="district",
    ),
    Page("Участники", Role.CURATOR, _people_url),
    Page("Участники: поиск по фамилии", Role.CURATOR, lambda s: _people_url(s, q=s.common_surname)),
    Page(
        "Карточка участника",
        Role.CURATOR,
        lambda s: reverse("participants:person_detail", kwargs={"org": s.school.slug, "pk": s.person.pk}),
    ),
    Page("База наставников", Role.CURATOR, lambda s: _school_url(s, "participants:mentor_list")),
    Page("Реестр наставников", Role.CURATOR, lambda s: _school_url(s, "participants:mentor_register")),
    Page("База наставляемых", Role.CURATOR, lambda s: _school_url(s, "participants:mentee_list")),
    Page("Партнёры", Role.CURATOR, lambda s: _school_url(s, "participants:partner_list")),
    Page("Согласия", Role.CURATOR, lambda s: _school_url(s, "participants:consent_list")),
    Page("Журнал доступа", Role.DIRECTOR, lambda s: _school_url(s, "participants:access_log")),
    Page("Выгрузка участников (XLSX)", Role.CURATOR, lambda s: _export_url(s, "people")),
    Page("Выгрузка базы наставников (XLSX)", Role.CURATOR, lambda s: _export_url(s, "mentors")),
    # The programme's registers (programme_registers.py).
    Page("Выгрузка пар и групп (XLSX)", Role.CURATOR, lambda s: _export_url(s, "pairs")),
    Page("Выгрузка встреч (XLSX)", Role.CURATOR, lambda s: _export_url(s, "meetings")),
    Page("Выгрузка выполнения планов (XLSX)", Role.CURATOR, lambda s: _export_url(s, "plan-fulfilment")),
    Page("Выгрузка пунктов планов (XLSX)", Role.CURATOR, lambda s: f"{_export_url(s, 'plan-fulfilment')}?items=1"),
    Page(
        "Дорожная карта",
        Role.CURATOR,
        lambda s: reverse("roadmap:detail", kwargs={"org": s.school.slug, "pk": _roadmap_pk(s)}),
    ),
    Page("Дорожная карта (XLSX)", Role.CURATOR, lambda s: f"{_export_url(s, 'roadmap')}?roadmap={_roadmap_pk(s)}"),
    Page(
        "Дорожная карта (PDF)",
        Role.CURATOR,
        lambda s: reverse("reports:roadmap_pdf", kwargs={"org": s.school.slug, "pk": _roadmap_pk(s)}),
    ),
    # The programme (mentorship): its stage page, pairs, plans, the calendar; the register of orders.
    Page(
        "Программа",
        Role.CURATOR,
        lambda s: reverse("mentorship:programme_detail", kwargs={"org": s.school.slug, "pk": s.programme.pk}),
    ),
    Page("Пары и группы", Role.CURATOR, lambda s: _school_url(s, "mentorship:pair_list")),
    Page("Индивидуальные планы", Role.CURATOR, lambda s: _school_url(s, "mentorship:plan_list")),
    Page("Календарь встреч", Role.CURATOR, lambda s: _school_url(s, "mentorship:calendar")),
    Page("Давно не встречались", Role.CURATOR, lambda s: _school_url(s, "mentorship:meeting_attention")),
    Page("Журнал приказов", Role.CURATOR, lambda s: _school_url(s, "reports:order_list")),
    # Monitoring indicators (views_kpi.py): the school's with trends, one indicator's people, the district's.
    Page("Показатели школы", Role.CURATOR, lambda s: _school_url(s, "reports:kpi")),
    Page(
        "Показатель: обучающиеся не в паре",
        Role.CURATOR,
        lambda s: reverse("reports:kpi_detail", kwargs={"org": s.school.slug, "code": "students_involved"}),
    ),
    Page(
        "Показатели школ района",
        Role.DISTRICT_OFFICER,
        lambda s: reverse("reports:district_kpi", kwargs={"org": s.district.slug}),
        level="district",
    ),
    # Analytical reports (views_analytics.py). The district's PDF and XLSX go to a background task
    # for a large district (a redirect, not timed here); its page computes the same report.
    Page("Аналитическая справка (PDF)", Role.CURATOR, lambda s: _school_url(s, "reports:analytics_pdf")),
    Page(
        "Аналитический доклад района",
        Role.DISTRICT_OFFICER,
        lambda s: reverse("reports:district_report", kwargs={"org": s.district.slug}),
        level="district",
    ),
    Page(
        "Реестры наставников школ района",
        Role.DISTRICT_OFFICER,
        lambda s: reverse("reports:district_registers", kwargs={"org": s.district.slug}),
        level="district",
    ),
]


@dataclass
class Measurement:
    page: Page
    scale: Scale
    rows: int
    median_ms: float | None = None
    queries: int | None = None
    peak_kib: float | None = None
    error: str = ""


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def foreign_organisations() -> list[str]:
    """Slugs of organisations the benchmark did not create: their presence forbids a run."""
    return list(Organisation.objects.exclude(slug__startswith=BENCH_PREFIX).values_list("slug", flat=True)[:5])


def clear_bench_data() -> None:
    """Deletes what earlier runs generated: organisations, people and users named «bench-…»."""
    with transaction.atomic():
        bench_orgs = Organisation.objects.filter(slug__startswith=BENCH_PREFIX)
        # Orders and programmes first (they protect their pairs' people), consents next (they
        # protect their signing representative), then people (partner employees protect their
        # partner organisation).
        Order.objects.filter(organisation__in=bench_orgs).delete()
        Programme.objects.filter(organisation__in=bench_orgs).delete()
        Consent.objects.filter(organisation__in=bench_orgs).delete()
        ParentLink.objects.filter(organisation__in=bench_orgs).delete()
        Person.objects.filter(organisation__in=bench_orgs).delete()
        bench_orgs.filter(kind=Organisation.Kind.SCHOOL).delete()
        bench_orgs.filter(kind=Organisation.Kind.DISTRICT).delete()  # a region protects its districts
        bench_orgs.delete()
        get_user_model().objects.filter(username__startswith=BENCH_PREFIX).delete()


def split_people(people: int) -> tuple[int, int]:
    """(students, teachers) per school so that the school has about ``people`` records.

    The generator adds ≈ 0.9 parent per student, a few graduates and partner employees.
    """
    teachers = max(2, round(people * 0.07))
    students = max(11, round((people - teachers - 5) / 1.9))
    return students, teachers


def prepare_scale(scale: Scale) -> Scale:
    """Generates the district of the scale and one user per role; fills in the scale."""
    students, teachers = split_people(scale.people_per_school)
    started = time.perf_counter()
    build = populate_district(
        slug_prefix=scale.prefix,
        schools=scale.schools_count,
        students_per_school=students,
        teachers_per_school=teachers,
        seed=BENCH_SEED,
    )
    demo_roadmaps(organisations=[build.district, *build.schools])
    scale.generation_seconds = time.perf_counter() - started
    scale.district, scale.school = build.district, build.schools[0]

    User = get_user_model()
    users = {role: User(username=f"{scale.prefix}{role}") for role in Role.values}
    for user in users.values():
        user.set_unusable_password()
    User.objects.bulk_create(users.values())
    names = [user.username for user in users.values()]
    users = {user.username.removeprefix(scale.prefix): user for user in User.objects.filter(username__in=names)}
    Membership.objects.bulk_create(
        Membership(user=user, organisation=scale.district if role in DISTRICT_ROLES else scale.school, role=role)
        for role, user in users.items()
    )
    scale.users = users
    # The programme of school-1's demo story, so the programme pages and exports have rows.
    demo_mid_year_programme(school=scale.school)
    scale.programme = scale.school.programmes.get()
    # The mentor's user is the staff record of a working pair's mentor: «Главная: наставник» has pairs.
    pair = scale.school.pairs.filter(status="active").order_by("pk").first()
    if pair is not None:
        Person.objects.filter(pk=pair.mentor_id).update(user=users[Role.MENTOR])

    # The student with the most parents, so that both scales open an equally rich card.
    scale.person = (
        scale.school.people.filter(category=Person.Category.STUDENT)
        .annotate(parents=Count("parent_links"))
        .order_by("-parents", "pk")
        .first()
    ) or scale.school.people.order_by("pk").first()
    scale.common_surname = (
        scale.school.people.values("last_name").annotate(n=Count("pk")).order_by("-n", "last_name")[0]["last_name"]
    )
    scale.people_in_school = scale.school.people.count()
    scale.people_in_district = Person.objects.filter(organisation__parent=scale.district).count()
    return scale


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


def _bench_settings():
    # The test client calls itself «testserver»; plain static storage spares a collectstatic
    # when DEBUG is off.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], STORAGES={**settings.STORAGES, "staticfiles": static}
    )


def measure(page: Page, scale: Scale, *, repeat: int) -> Measurement:
    result = Measurement(page=page, scale=scale, rows=scale.rows(page.level))
    try:
        url = page.url(scale)
    except NoReverseMatch as error:
        result.error = f"адрес не найден ({error})"
        return result
    client = Client()
    client.force_login(scale.users[page.role])
    try:
        with _bench_settings():
            response = client.get(url, secure=True)  # warm-up
            if response.status_code != 200:
                result.error = f"HTTP {response.status_code} на {url}"
                return result
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(url, secure=True)
                timings.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as queries:
                client.get(url, secure=True)
            # Read now: the next request resets the connection's query log.
            result.queries = len(queries.captured_queries)
            # Peak Python memory of one more response: an export written in write-only mode
            # stays flat from one scale to the other.
            tracemalloc.start()
            client.get(url, secure=True)
            result.peak_kib = tracemalloc.get_traced_memory()[1] / 1024
            tracemalloc.stop()
    except Exception as error:  # a report, not a test: show the failure and go on
        result.error = f"ошибка: {type(error).__name__}: {error}"
        return result
    result.median_ms = statistics.median(timings) * 1000
    return result


def format_table(measurements: list[Measurement]) -> list[str]:
    header = ("Страница", "Объём", "Записей", "Медиана, мс", "Пик памяти, КиБ", "Запросов")
    rows = [header]
    for m in measurements:
        if m.error:
            rows.append((m.page.name, m.scale.title, str(m.rows), "—", "—", m.error))
        else:
            peak = f"{m.peak_kib:.0f}" if m.peak_kib is not None else "—"
            rows.append((m.page.name, m.scale.title, str(m.rows), f"{m.median_ms:.1f}", peak, str(m.queries)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {2, 3, 4}
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append(" | ".join(cells).rstrip())
        if index == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return lines


# ---------------------------------------------------------------------------------------------
# Matching: not a page, the engine alone (mentorship.matching), printed under the page table
# ---------------------------------------------------------------------------------------------

MATCHING_MENTEES, MATCHING_MENTORS, MATCHING_REPEAT = 500, 100, 5


def measure_matching(*, mentees=MATCHING_MENTEES, mentors=MATCHING_MENTORS, repeat=MATCHING_REPEAT) -> float:
    """Median milliseconds of ``suggest`` on seeded random profiles (capacities 1–5), fresh each run."""
    timings = []
    for _ in range(repeat):
        mentee_profiles, mentor_profiles = random_profiles(mentees, mentors, seed=BENCH_SEED, capacity=(1, 5))
        started = time.perf_counter()
        suggest(mentee_profiles, mentor_profiles)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def matching_lines() -> list[str]:
    median_ms = measure_matching()
    return [
        f"Подбор пар {MATCHING_MENTEES} × {MATCHING_MENTORS}: {median_ms:.0f} мс "
        f"(медиана {MATCHING_REPEAT} прогонов, без базы данных)"
    ]


def query_growth_lines(measurements: list[Measurement], small: Scale, large: Scale) -> list[tuple[bool, str]]:
    """One line per page: (is a warning, text)."""
    by_key = {(m.page.name, m.scale.prefix): m for m in measurements}
    lines = []
    for page in PAGES:
        a, b = by_key.get((page.name, small.prefix)), by_key.get((page.name, large.prefix))
        if a is None or b is None or a.queries is None or b.queries is None:
            lines.append((True, f"ВНИМАНИЕ: «{page.name}»: не измерена, сравнить число запросов нельзя."))
        elif b.queries > a.queries:
            lines.append(
                (
                    True,
                    f"ВНИМАНИЕ: «{page.name}»: запросов {a.queries} на малом объёме и {b.queries} на большом — "
                    "число запросов растёт с объёмом данных.",
                )
            )
        elif b.queries < a.queries:
            lines.append(
                (False, f"«{page.name}»: запросов {a.queries} на малом объёме и {b.queries} на большом (не растёт).")
            )
        else:
            lines.append((False, f"«{page.name}»: число запросов одинаково на обоих объёмах ({a.queries})."))
    return lines


# ---------------------------------------------------------------------------------------------
# The new school year: a list of 1,500 people diffed and applied
# ---------------------------------------------------------------------------------------------

YEAR_SLUG = f"{BENCH_PREFIX}year"
YEAR_LETTERS = "АБВГД"
YEAR_PAIRS = 100


@dataclass
class YearChangeTiming:
    people: int
    rows: int
    preview_seconds: float
    preview_queries: int
    page_seconds: float
    page_queries: int
    apply_seconds: float
    apply_queries: int
    undo_seconds: float
    counts: dict


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


LAST_NAMES = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
)
FIRST_NAMES = ("Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл", "Михаил")
PATRONYMICS = ("Александрович", "Дмитриевич", "Сергеевич", "Андреевич", "Алексеевич", "Ильич", "Олегович")


def _name(n: int) -> tuple[str, str, str]:
    """A distinct full name for each n (the suffix letters keep the names apart)."""
    suffix = "".join("абвгдежзик"[int(digit)] for digit in str(n))
    return f"{LAST_NAMES[n % 10]}{suffix}", FIRST_NAMES[(n // 10) % 10], PATRONYMICS[n % 7]


def _year_school(people: int, from_year: int):
    """A school of ``people`` (7 % teachers) in classes 1–11 А–Д, with last year's pairs and bases."""
    import datetime

    from mentorship.models import Pair, PairMentee
    from participants.models import MentorEntry, MentoringForm

    school = Organisation.objects.create(
        slug=YEAR_SLUG,
        full_name="Муниципальное бюджетное общеобразовательное учреждение «Школа перехода»",
        short_name="МБОУ «Школа перехода»",
        kind=Organisation.Kind.SCHOOL,
    )
    teachers = max(2, round(people * 0.07))
    students = people - teachers
    rows = []
    for n in range(students):
        last, first, patronymic = _name(n)
        grade = 1 + n % 11
        rows.append(
            Person(
                organisation=school,
                category=Person.Category.STUDENT,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                gender="M",
                birth_date=datetime.date(from_year - 6 - grade, 1 + n % 12, 1 + n % 28),
                grade=grade,
                class_letter=YEAR_LETTERS[(n // 11) % len(YEAR_LETTERS)],
            )
        )
    for n in range(teachers):
        last, first, patronymic = _name(100_000 + n)
        rows.append(
            Person(
                organisation=school,
                category=Person.Category.TEACHER,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                gender="M",
                position="учитель",
            )
        )
    Person.objects.bulk_create(rows, batch_size=500)
    created = list(school.people.order_by("pk"))
    student_rows = [p for p in created if p.category == Person.Category.STUDENT]
    teacher_rows = [p for p in created if p.category == Person.Category.TEACHER]
    programme = Programme.objects.create(
        organisation=school,
        school_year=from_year,
        kind=Programme.Kind.STUDENTS,
        title=f"Программа на {from_year}/{from_year + 1} учебный год",
        starts_on=datetime.date(from_year, 9, 1),
        ends_on=datetime.date(from_year + 1, 5, 31),
    )
    form = MentoringForm.objects.filter(name="учитель – ученик").first() or MentoringForm.objects.create(
        name="учитель – ученик", audience=MentoringForm.Audience.STUDENTS
    )
    pairs = [
        Pair(
            organisation=school,
            programme=programme,
            mentor=teacher_rows[n % len(teacher_rows)],
            form=form,
            starts_on=programme.starts_on,
            planned_end_on=programme.ends_on,
            status=Pair.Status.ACTIVE,
        )
        for n in range(min(YEAR_PAIRS, len(student_rows)))
    ]
    Pair.objects.bulk_create(pairs)
    PairMentee.objects.bulk_create(
        PairMentee(organisation=school, pair=pair, mentee=student_rows[n * 7 % len(student_rows)])
        for n, pair in enumerate(pairs)
    )
    MentorEntry.objects.bulk_create(
        MentorEntry(organisation=school, person=teacher, school_year=from_year, status="approved")
        for teacher in teacher_rows
    )
    return school, student_rows, teacher_rows


def _year_lists(student_rows, teacher_rows, to_year: int) -> tuple[bytes, bytes]:
    """The new lists: every class promoted, 5 % moved, the 11th and 2 % more gone, 9 % new, 1 % typos."""
    classes = [["ФИО", "Класс", "Дата рождения"]]
    for n, person in enumerate(student_rows):
        if person.grade == 11 or n % 50 == 1:
            continue
        letter = person.class_letter if n % 20 else YEAR_LETTERS[(YEAR_LETTERS.index(person.class_letter) + 1) % 5]
        first = person.first_name if n % 100 != 3 else person.first_name[:-1]
        classes.append(
            [f"{person.last_name} {first} {person.patronymic}", f"{person.grade + 1}{letter}", person.birth_date]
        )
    for n in range(round(len(student_rows) * 0.09)):
        last, first, patronymic = _name(200_000 + n)
        classes.append([f"{last} {first} {patronymic}", f"1{YEAR_LETTERS[n % 5]}", f"01.0{1 + n % 9}.{to_year - 7}"])
    staff = [["ФИО", "Должность"]]
    staff += [[p.full_name, "учитель"] for n, p in enumerate(teacher_rows) if n % 20 != 5]
    staff += [[" ".join(_name(300_000 + n)), "учитель"] for n in range(5)]
    return _xlsx(classes), _xlsx(staff)


def measure_year_change(*, people: int = 1500) -> YearChangeTiming:
    """Builds the school, diffs its new lists (the preview), renders the page, applies and undoes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mentorship.services_year import (
        proposed_to_year,
        year_change_apply,
        year_change_start,
        year_change_undo,
        year_change_upload,
    )

    to_year = proposed_to_year()
    if Organisation.objects.filter(slug=YEAR_SLUG).exists():
        clear_bench_data()
    school, student_rows, teacher_rows = _year_school(people, to_year - 1)
    classes, staff = _year_lists(student_rows, teacher_rows, to_year)
    User = get_user_model()
    user = User.objects.create(username=f"{BENCH_PREFIX}year-curator")
    Membership.objects.create(user=user, organisation=school, role=Role.CURATOR)
    files = [SimpleUploadedFile("классы.xlsx", classes), SimpleUploadedFile("педагоги.xlsx", staff)]

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        change = year_change_start(organisation=school, user=user, to_year=to_year)
        change = year_change_upload(change=change, uploaded_files=files, user=user)
        preview_seconds = time.perf_counter() - started
    preview_queries = len(queries)

    client = Client()
    client.force_login(user)
    url = reverse("mentorship:year_change", kwargs={"org": school.slug}) + f"?year={to_year}"
    with _bench_settings(), CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        page_seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"The year change page answered {response.status_code}.")
    page_queries = len(queries)

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        year_change_apply(change=change, user=user)
        apply_seconds = time.perf_counter() - started
    apply_queries = len(queries)
    started = time.perf_counter()
    year_change_undo(change=change, user=user)
    undo_seconds = time.perf_counter() - started
    return YearChangeTiming(
        people=people,
        rows=sum(file["rows"] for file in change.files),
        preview_seconds=preview_seconds,
        preview_queries=preview_queries,
        page_seconds=page_seconds,
        page_queries=page_queries,
        apply_seconds=apply_seconds,
        apply_queries=apply_queries,
        undo_seconds=undo_seconds,
        counts=change.diff["counts"],
    )


YEAR_PREVIEW_TARGET, YEAR_APPLY_TARGET = 5.0, 10.0


def year_change_lines(*, people: int = 1500) -> list[tuple[bool, str]]:
    """(is a warning, text) lines of the year change's timings against the targets."""
    from mentorship.services_year import KIND_TITLES

    t = measure_year_change(people=people)
    counts = ", ".join(f"{KIND_TITLES[kind].lower()} — {count}" for kind, count in t.counts.items())
    return [
        (False, f"Новый учебный год: школа {t.people} человек, в новых списках {t.rows} строк ({counts})."),
        (
            t.preview_seconds > YEAR_PREVIEW_TARGET,
            f"  сравнение списков (предпросмотр): {t.preview_seconds:.2f} с, запросов {t.preview_queries} "
            f"(цель — меньше {YEAR_PREVIEW_TARGET:.0f} с)",
        ),
        (False, f"  страница с изменениями: {t.page_seconds:.2f} с, запросов {t.page_queries}"),
        (
            t.apply_seconds > YEAR_APPLY_TARGET,
            f"  применение: {t.apply_seconds:.2f} с, запросов {t.apply_queries} "
            f"(цель — меньше {YEAR_APPLY_TARGET:.0f} с); отмена: {t.undo_seconds:.2f} с",
        ),
    ]
