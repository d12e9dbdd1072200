"""The demo region (issue 20): «Министерство образования, науки и молодёжной политики» above the
demo district and a small second district with two schools; the region's own indicator, its
targets for the next school year, its XLSX layout and an open campaign with a school in each
status (принято, отправлено, возвращено, черновик, не начато). Running it again adds nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from organisations.models import Organisation
from organisations.roles import Role
from organisations.school_year import current_school_year
from participants.demo import REGION, DemoUser, ensure_demo_users, populate_school
from participants.models import Gender
from reports.analytics.models import Indicator, IndicatorTarget
from reports.monitoring import services
from reports.monitoring.models import Campaign, ExportColumn, Response

REGION_SLUG = "krai"
SMALL_DISTRICT_SLUG = "lesnoy"
CAMPAIGN_TITLE = "Мониторинг реализации целевой модели наставничества"
REGION_USER = DemoUser("region", ("Гончаренко", "Марина", "Игоревна"), Gender.FEMALE, (("krai", Role.REGION_OFFICER),))
SMALL_SCHOOLS = (
    (
        "lesnoy-school-1",
        "МБОУ СОШ № 1 ст-цы Лесной",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1 станицы Лесной»",
    ),
    (
        "lesnoy-school-2",
        "МКОУ ООШ № 4 х. Ольховского",
        "Муниципальное казённое общеобразовательное учреждение "
        "«Основная общеобразовательная школа № 4 хутора Ольховского»",
    ),
)
# Small rural schools: every grade has a few students.
SMALL_SCHOOL_STUDENTS, SMALL_SCHOOL_TEACHERS = 22, 4


@dataclass
class DemoRegion:
    region: Organisation
    districts: list[Organisation]
    campaign: Campaign
    user: object  # the region officer's demo login


def _small_district(region: Organisation) -> Organisation:
    district, _ = Organisation.objects.get_or_create(
        slug=SMALL_DISTRICT_SLUG,
        defaults={
            "kind": Organisation.Kind.DISTRICT,
            "parent": region,
            "full_name": "Управление образования администрации Лесного муниципального района",
            "short_name": "УО Лесного района",
            "town": "ст-ца Лесная",
            "director_position": "Начальник управления образования",
        },
    )
    for number, (slug, short_name, full_name) in enumerate(SMALL_SCHOOLS, start=1):
        school, created = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": Organisation.Kind.SCHOOL,
                "parent": district,
                "short_name": short_name,
                "full_name": full_name,
                "town": "ст-ца Лесная",
            },
        )
        if created:
            populate_school(school, number=number, students=SMALL_SCHOOL_STUDENTS, teachers=SMALL_SCHOOL_TEACHERS)
    return district


@transaction.atomic
def demo_region(*, district: Organisation) -> DemoRegion:
    region, _ = Organisation.objects.get_or_create(
        slug=REGION_SLUG,
        defaults={
            "kind": Organisation.Kind.REGION,
            "full_name": f"Министерство образования, науки и молодёжной политики ({REGION})",
            "short_name": "Минобрнауки края",
            "town": "г. Краснодар",
            "director_position": "Министр",
        },
    )
    if district.parent_id != region.pk:
        district.parent = region
        district.save(update_fields=["parent"])
    small = _small_district(region)
    user = ensure_demo_users(users=[REGION_USER]).users[0]
    year = current_school_year()
    events, _ = Indicator.objects.get_or_create(
        organisation=region,
        code="events",
        defaults={
            "title": "Проведено мероприятий по наставничеству",
            "short_title": "Мероприятия",
            "description": "Число мероприятий программы наставничества за период: вводит школа.",
            "unit": Indicator.Unit.COUNT,
            "measure": "entered",
            "position": 1000,
        },
    )
    trained, _ = Indicator.objects.get_or_create(
        organisation=region,
        code="trained",
        defaults={
            "title": "Наставники, прошедшие «Школу наставника»",
            "short_title": "Обучены",
            "unit": Indicator.Unit.PERCENT,
            "measure": "mentors_trained",
            "position": 1010,
        },
    )
    involved = Indicator.objects.get(organisation=None, code="students_involved")
    IndicatorTarget.objects.get_or_create(
        indicator=involved, organisation=region, school_year=year + 1, defaults={"target": Decimal(75)}
    )
    IndicatorTarget.objects.get_or_create(
        indicator=trained, organisation=region, school_year=year, defaults={"target": Decimal(50)}
    )
    if not region.export_columns.exists():
        ExportColumn.objects.bulk_create(
            [
                ExportColumn(organisation=region, column=1, header="Муниципальное образование", source="district"),
                ExportColumn(organisation=region, column=2, header="Наименование ОО", source="school"),
                ExportColumn(
                    organisation=region,
                    column=3,
                    header="Доля обучающихся в программе, %",
                    source="indicator",
                    indicator=involved,
                ),
                ExportColumn(
                    organisation=region, column=4, header="Количество мероприятий", source="indicator", indicator=events
                ),
            ]
        )
    campaign = Campaign.objects.filter(organisation=region, title=CAMPAIGN_TITLE).first()
    if campaign is None:
        schools = list(region.schools_below().order_by("parent__slug", "slug"))
        campaign = services.open_campaign(
            organisation=region,
            title=CAMPAIGN_TITLE,
            school_year=year,
            deadline=timezone.localdate() + datetime.timedelta(days=10),
            indicators=[involved, trained, events],
            schools=schools,
            questions=[
                ("Лучшая практика наставничества за период (кратко)", "text"),
                ("Отчёт о мероприятиях (скан)", "file"),
            ],
        )
        _statuses(campaign)
    _district_campaign(district, year)
    return DemoRegion(region=region, districts=[district, small], campaign=campaign, user=user)


def _statuses(campaign: Campaign) -> None:
    """One school in each status: accepted, submitted, returned, draft; the last not started."""
    statuses = [Response.Status.ACCEPTED, Response.Status.SUBMITTED, Response.Status.RETURNED, Response.Status.DRAFT]
    responses = list(
        campaign.responses.select_related("organisation").order_by("organisation__parent__slug", "organisation__slug")
    )
    now = timezone.now()
    for number, (response, status) in enumerate(zip(responses, statuses, strict=False), start=1):
        response = services.start_response(response=response)
        values = {a.pk: {"value": Decimal(3 + number)} for a in response.answers.filter(indicator__code="events")}
        services.save_answers(response=response, values=values)
        fields = {"status": status}
        if status != Response.Status.DRAFT:
            fields["submitted_at"] = now
        if status == Response.Status.RETURNED:
            fields["return_comment"] = "Укажите число мероприятий за весь период, а не за последний месяц."
        if status == Response.Status.ACCEPTED:
            fields["accepted_at"] = now
        Response.objects.filter(pk=response.pk).update(**fields)


DISTRICT_CAMPAIGN_TITLE = "Сведения о молодых специалистах и их наставниках"


def _district_campaign(district: Organisation, year: int) -> None:
    """The district's own small campaign to its schools: one school has a draft."""
    if Campaign.objects.filter(organisation=district, title=DISTRICT_CAMPAIGN_TITLE).exists():
        return
    young = Indicator.objects.get(organisation=None, code="young_specialists")
    campaign = services.open_campaign(
        organisation=district,
        title=DISTRICT_CAMPAIGN_TITLE,
        school_year=year,
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        indicators=[young],
        schools=list(district.schools.order_by("slug")),
        questions=[("Сколько молодых специалистов пришло в школу в этом году?", "number")],
    )
    first = campaign.responses.order_by("organisation__slug").first()
    services.start_response(response=first)
