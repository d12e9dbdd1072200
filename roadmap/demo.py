"""Demo roadmaps: each school gets the standard roadmap for 2026/2027, approved, with the items due
so far done except one, which stays overdue; a district gets a small roadmap assigned to its schools.

``demo_roadmaps(organisations=…)`` can be run again: a roadmap that exists (by title) is left alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from organisations.models import Membership, Organisation
from organisations.roles import Role

from .deadlines import Period
from .models import ItemResponsible, Occurrence, Roadmap
from .services import item_create, roadmap_approve, roadmap_create, roadmap_create_standard, section_create
from .texts import default_title, signature_of

DEMO_PERIOD = Period.of_school_years(2026, 2027)
DEMO_APPROVED_ON = datetime.date(2026, 9, 1)
# Who the «Ответственный» text of the standard roadmap names, as roles of the school's users.
RESPONSIBLE_ROLES = {"Директор": Role.DIRECTOR, "Куратор": Role.CURATOR, "Методист": Role.METHODIST}

DISTRICT_SECTION = "Подготовка условий и сопровождение школ"
DISTRICT_ITEMS = (
    ("Проведение семинара-совещания «Внедрение целевой модели наставничества в школах района»", "Октябрь 2026"),
    ("Представление в управление образования реестров наставников, утверждённых приказами школ", "До 15.11.2026"),
    ("Размещение информации о реализации целевой модели наставничества на сайтах школ", "В течение всего периода"),
)


@dataclass
class DemoRoadmapsResult:
    created: int = 0
    existing: int = 0


def _link_responsibles(roadmap: Roadmap) -> None:
    """The users of the school's roles named in «Ответственный» become responsible: one query for the users."""
    users_by_role: dict[str, list[int]] = {}
    for user_id, role in Membership.objects.filter(organisation=roadmap.organisation).values_list("user_id", "role"):
        users_by_role.setdefault(role, []).append(user_id)
    links = []
    for item in roadmap.items.all():
        for word, role in RESPONSIBLE_ROLES.items():
            if word.lower() in item.responsible_text.lower():
                links += [
                    ItemResponsible(organisation=roadmap.organisation, item=item, user_id=user_id)
                    for user_id in users_by_role.get(role, [])
                ]
    unique = {(link.item_id, link.user_id): link for link in links}
    ItemResponsible.objects.bulk_create(unique.values())


def _progress(roadmap: Roadmap, today: datetime.date) -> None:
    """Everything due before today is done on time, except the last of them: it stays overdue."""
    due = list(
        Occurrence.objects.filter(item__roadmap=roadmap, due_on__lt=today).order_by("due_on", "item__position", "pk")
    )
    for occurrence in due[:-1]:
        occurrence.status = Occurrence.Status.DONE
        occurrence.done_on = occurrence.due_on
        occurrence.status_changed_at = timezone.now()
    Occurrence.objects.bulk_update(due[:-1], ["status", "done_on", "status_changed_at"])


def _school_roadmap(school: Organisation, today: datetime.date) -> Roadmap:
    roadmap = roadmap_create_standard(
        organisation=school,
        title=default_title(DEMO_PERIOD),
        starts_on=DEMO_PERIOD.start,
        ends_on=DEMO_PERIOD.end,
        user=None,
    )
    if school.director_name:
        roadmap_approve(
            roadmap=roadmap,
            user=None,
            approver_position=f"{school.director_position or 'Директор'} {school.short_name}",
            approver_name=signature_of(school.director_name),
            approved_on=DEMO_APPROVED_ON,
        )
    _link_responsibles(roadmap)
    _progress(roadmap, today)
    return roadmap


def _district_roadmap(district: Organisation, today: datetime.date) -> Roadmap:
    roadmap = roadmap_create(
        organisation=district,
        title=f"Дорожная карта реализации целевой модели наставничества в районе на {DEMO_PERIOD.start.year}/"
        f"{DEMO_PERIOD.end.year} учебный год",
        starts_on=DEMO_PERIOD.start,
        ends_on=DEMO_PERIOD.end,
        user=None,
    )
    section = section_create(roadmap=roadmap, title=DISTRICT_SECTION)
    schools = list(district.schools.order_by("slug"))
    for content, deadline in DISTRICT_ITEMS:
        item_create(
            roadmap=roadmap,
            section=section,
            content=content,
            deadline_text=deadline,
            responsible_text="УО, школы",
            schools=schools,
        )
    # The first school has done what was due.
    if schools:
        done = Occurrence.objects.filter(
            organisation=schools[0], item__district_item__roadmap=roadmap, due_on__lt=today
        )
        done.update(status=Occurrence.Status.DONE, done_on=DEMO_APPROVED_ON, status_changed_at=timezone.now())
    return roadmap


def demo_roadmaps(*, organisations, today: datetime.date | None = None) -> DemoRoadmapsResult:
    """Creates the demo roadmaps of these organisations (schools and districts) that do not exist yet."""
    today = today or timezone.localdate()
    result = DemoRoadmapsResult()
    organisations = sorted(organisations, key=lambda o: (o.kind != Organisation.Kind.SCHOOL, o.slug))
    with transaction.atomic():
        for organisation in organisations:
            title_filter = {"starts_on": DEMO_PERIOD.start, "ends_on": DEMO_PERIOD.end, "district_roadmap": None}
            if organisation.roadmaps.filter(**title_filter).exists():
                result.existing += 1
                continue
            if organisation.is_district:
                _district_roadmap(organisation, today)
            else:
                _school_roadmap(organisation, today)
            result.created += 1
    return result
