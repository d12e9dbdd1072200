"""The region size of ``manage.py bench --region`` (issue 20): a region of ``schools`` schools in
``districts`` districts with ``people`` people per school, generated with bulk inserts (no demo
generator: names from short lists, categories and grades spread evenly), an open campaign to
every school with half of them answered; then the median time and query count of the region's
dashboard, its indicator table, the campaign's status page with the consolidated table, its XLSX
and a district's dashboard. Meant for PostgreSQL (``DATABASE_URL=postgres://…/nk_region``)."""

from __future__ import annotations

import datetime
import random
import statistics
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Membership, Organisation
from organisations.roles import Role
from organisations.school_year import current_school_year
from participants.models import Person
from reports.analytics.models import Indicator
from reports.bench import BENCH_PREFIX, _bench_settings
from reports.monitoring.models import Answer, Campaign, Response

REGION_PREFIX = f"{BENCH_PREFIX}region-"
SURNAMES = ("Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков")
FIRST_NAMES = ("Алексей", "Мария", "Дмитрий", "Анна", "Иван", "Елена", "Сергей", "Ольга")
BATCH = 5000


@dataclass
class RegionScale:
    schools: int
    districts: int
    people_per_school: int
    region: Organisation | None = None
    district: Organisation | None = None
    campaign: Campaign | None = None
    officer: object = None
    district_officer: object = None
    generation_seconds: float = 0.0
    people: int = 0


def _bulk_people(schools: list[Organisation], per_school: int, rng: random.Random) -> int:
    teachers = max(2, per_school // 12)
    batch, total = [], 0
    for school in schools:
        for n in range(per_school):
            teacher = n < teachers
            batch.append(
                Person(
                    organisation_id=school.pk,
                    last_name=SURNAMES[rng.randrange(len(SURNAMES))],
                    first_name=FIRST_NAMES[rng.randrange(len(FIRST_NAMES))],
                    gender="M" if n % 2 else "F",
                    category=Person.Category.TEACHER if teacher else Person.Category.STUDENT,
                    grade=None if teacher else 1 + n % 11,
                    class_letter="" if teacher else "А",
                    experience_years=(n % 30) if teacher else None,
                )
            )
            if len(batch) >= BATCH:
                Person.objects.bulk_create(batch, batch_size=BATCH)
                total += len(batch)
                batch = []
    if batch:
        Person.objects.bulk_create(batch, batch_size=BATCH)
        total += len(batch)
    return total


def clear_region() -> None:
    """The region size's people have nothing attached: one raw DELETE, not Django's collector."""
    with transaction.atomic():
        people = Person.objects.filter(organisation__slug__startswith=REGION_PREFIX)
        people._raw_delete(people.db)


def prepare_region(scale: RegionScale) -> RegionScale:
    started = time.perf_counter()
    rng = random.Random(7)  # noqa: S311 - generated data, not secrets
    with transaction.atomic():
        region = Organisation.objects.create(
            kind=Organisation.Kind.REGION, slug=f"{REGION_PREFIX}krai", full_name="Регион", short_name="Регион"
        )
        districts = Organisation.objects.bulk_create(
            Organisation(
                kind=Organisation.Kind.DISTRICT,
                parent=region,
                slug=f"{REGION_PREFIX}d{n}",
                full_name=f"Управление образования района № {n}",
                short_name=f"УО района № {n:02d}",
            )
            for n in range(1, scale.districts + 1)
        )
        schools = Organisation.objects.bulk_create(
            Organisation(
                kind=Organisation.Kind.SCHOOL,
                parent=districts[n % len(districts)],
                slug=f"{REGION_PREFIX}s{n}",
                full_name=f"Школа № {n}",
                short_name=f"МБОУ СОШ № {n}",
            )
            for n in range(1, scale.schools + 1)
        )
        if connection.vendor != "postgresql" or not all(s.pk for s in schools):
            schools = list(Organisation.objects.filter(slug__startswith=f"{REGION_PREFIX}s").order_by("pk"))
        scale.people = _bulk_people(schools, scale.people_per_school, rng)
        User = get_user_model()
        scale.officer = User.objects.create(username=f"{REGION_PREFIX}officer")
        scale.district_officer = User.objects.create(username=f"{REGION_PREFIX}district")
        Membership.objects.create(user=scale.officer, organisation=region, role=Role.REGION_OFFICER)
        scale.district = Organisation.objects.get(slug=f"{REGION_PREFIX}d1")
        Membership.objects.create(user=scale.district_officer, organisation=scale.district, role=Role.DISTRICT_OFFICER)
        indicators = list(
            Indicator.objects.filter(organisation=None, code__in=["students_involved", "mentors_teachers"])
        )
        entered = Indicator.objects.create(
            organisation=region, code="events", title="Мероприятия", short_title="Мероприятия", unit="count"
        )
        campaign = Campaign.objects.create(
            organisation=region,
            title="Мониторинг",
            school_year=current_school_year(),
            deadline=datetime.date.today() + datetime.timedelta(days=10),
        )
        campaign.indicators.set([*indicators, entered])
        statuses = [s for s, _ in Response.Status.choices]
        Response.objects.bulk_create(
            Response(organisation=school, campaign=campaign, status=statuses[n % len(statuses)])
            for n, school in enumerate(schools)
        )
        responses = list(
            campaign.responses.exclude(status=Response.Status.NOT_STARTED).values_list("pk", "organisation_id")
        )
        Answer.objects.bulk_create(
            (
                Answer(
                    organisation_id=organisation_id,
                    response_id=pk,
                    indicator=indicator,
                    value=rng.randint(0, 100),
                    computed=None if indicator.is_entered else rng.randint(0, 100),
                    numerator=None if indicator.is_entered else rng.randint(0, 50),
                    denominator=None if indicator.is_entered else 50,
                )
                for pk, organisation_id in responses
                for indicator in [*indicators, entered]
            ),
            batch_size=BATCH,
        )
    scale.region, scale.campaign = region, campaign
    scale.generation_seconds = time.perf_counter() - started
    return scale


def pages(scale: RegionScale) -> list[tuple[str, object, str]]:
    region, campaign = scale.region.slug, scale.campaign.pk
    return [
        ("Сводка региона", scale.officer, reverse("reports:dashboard", kwargs={"org": region})),
        ("Показатели районов региона", scale.officer, reverse("reports:district_kpi", kwargs={"org": region})),
        (
            "Мониторинг: состояние и сводная таблица",
            scale.officer,
            reverse("reports:campaign_detail", kwargs={"org": region, "pk": campaign}),
        ),
        ("Мониторинг: XLSX", scale.officer, reverse("reports:campaign_xlsx", kwargs={"org": region, "pk": campaign})),
        ("Сводка района", scale.district_officer, reverse("reports:dashboard", kwargs={"org": scale.district.slug})),
        (
            "Показатели школ района",
            scale.district_officer,
            reverse("reports:district_kpi", kwargs={"org": scale.district.slug}),
        ),
    ]


def measure_region(scale: RegionScale, *, repeat: int) -> list[tuple[str, float | None, int, str]]:
    """(page, median ms, queries, error) of every page of the region size."""
    results = []
    for name, user, url in pages(scale):
        client = Client()
        client.force_login(user)
        with _bench_settings():
            response = client.get(url, secure=True)
            if response.status_code != 200:
                results.append((name, None, 0, f"HTTP {response.status_code}"))
                continue
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(url, secure=True)
                timings.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as queries:
                client.get(url, secure=True)
        results.append((name, statistics.median(timings) * 1000, len(queries.captured_queries), ""))
    return results
