"""``manage.py load_demo``: the demo district with three schools, people and one user per role.

It lives in the top app so that it can fill every part of the product: each app keeps its own
generator (participants/demo.py, …) and this command calls them in order.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from mentorship.demo import demo_programmes, demo_year_change
from mentorship.models import Pair
from organisations.models import Organisation
from organisations.notifications.demo import demo_notifications
from organisations.roles import Role
from organisations.russian import plural
from organisations.school_year import current_school_year
from participants import demo
from participants.models import Person
from participants.questionnaires.demo import DemoPair, demo_questionnaires
from reports.employees.demo import demo_employees
from reports.monitoring.demo import demo_region
from reports.orders.demo import demo_orders
from reports.printouts.demo import demo_destruction, demo_econsents
from roadmap.demo import demo_roadmaps

CATEGORY_PLURALS = {
    Person.Category.STUDENT: ("обучающийся", "обучающихся", "обучающихся"),
    Person.Category.TEACHER: ("педагог", "педагога", "педагогов"),
    Person.Category.PARENT: ("родитель", "родителя", "родителей"),
    Person.Category.GRADUATE: ("выпускник", "выпускника", "выпускников"),
    Person.Category.PARTNER_EMPLOYEE: ("сотрудник партнёров", "сотрудника партнёров", "сотрудников партнёров"),
}


def _demo_pairs(schools, school_year: int) -> dict[str, list[DemoPair]]:
    """The school year's pairs and groups (not drafts) as the questionnaires' story needs them."""
    pairs = (
        Pair.objects.filter(organisation__in=schools, programme__school_year=school_year)
        .exclude(status=Pair.Status.DRAFT)
        .select_related("organisation")
        .prefetch_related("pair_mentees", "meetings")
        .order_by("pk")
    )
    result: dict[str, list[DemoPair]] = {}
    for pair in pairs:
        result.setdefault(pair.organisation.slug, []).append(
            DemoPair(
                mentor_id=pair.mentor_id,
                mentee_ids=tuple(sorted(m.mentee_id for m in pair.pair_mentees.all())),
                meeting_days=tuple(sorted(timezone.localdate(m.starts_at) for m in pair.meetings.all())),
            )
        )
    return result


class Command(BaseCommand):
    help = "Загружает демонстрационные данные: район, три школы, участников и пользователей для каждой роли."

    def handle(self, *args, **options):
        with transaction.atomic():
            build, users = demo.load_demo()
            demo_roadmaps(organisations=[build.district, *build.schools])
            programmes = demo_programmes(schools=build.schools)
            year = current_school_year()
            questionnaires = demo_questionnaires(
                schools=build.schools, pairs=_demo_pairs(build.schools, year), school_year=year
            )
            orders = demo_orders(schools=build.schools)
            agreements = demo_employees(schools=build.schools)
            region = demo_region(district=build.district)
            year_changes = demo_year_change(schools=build.schools)
            demo_econsents(schools=build.schools)
            demo_destruction(schools=build.schools)
            notifications = demo_notifications(organisations=[build.district, *build.schools])
        if options["verbosity"] == 0:
            return
        stats = build.stats
        schools = len(build.schools)
        out = self.stdout

        out.write(self.style.MIGRATE_HEADING("Демонстрационные данные «Наставника»"))
        out.write(
            f"Организации: создано {stats.organisations_created}, уже были {stats.organisations_existing} "
            f"({build.district.short_name} и {schools} {plural(schools, 'школа', 'школы', 'школ')})."
        )
        people = stats.people_created_total + users.staff_records_created
        by_category = stats.people_created.copy()
        by_category[Person.Category.TEACHER] += users.staff_records_created
        details = ", ".join(
            f"{count} {plural(count, *CATEGORY_PLURALS[category])}"
            for category in Person.Category
            if (count := by_category[category])
        )
        out.write(
            f"Участники: создано {people}"
            + (f" ({details})" if details else "")
            + f", уже были {stats.people_existing + users.staff_records_existing}."
        )
        out.write(f"Связи «родитель — ребёнок»: создано {stats.links_created}, уже были {stats.links_existing}.")
        out.write(f"Организации-партнёры: создано {stats.partners_created}, уже были {stats.partners_existing}.")
        out.write(f"Пользователи: создано {users.created}, уже были {users.existing}.")
        details = (
            f" (пар {programmes.pairs}, встреч {programmes.meetings}, пунктов планов {programmes.plan_items}, "
            f"занятий «Школы наставника» {programmes.training_sessions})"
            if programmes.created
            else ""
        )
        out.write(f"Программы наставничества: создано {programmes.created}, уже были {programmes.existing}{details}.")
        out.write(
            f"Анкеты: отправлено приглашений {questionnaires.invitations}, получено ответов {questionnaires.responses}."
        )
        out.write(f"Приказы: создано {orders}.")
        out.write(f"Дополнительные соглашения с наставниками-работниками: оформлено {agreements}.")
        out.write(f"Переход на новый учебный год: подготовлено черновиков {year_changes}.")
        out.write(f"Непрочитанные уведомления пользователей: {notifications}.")
        asked = region.campaign.responses.count()
        out.write(
            f"Регион: {region.region.short_name}, районов {len(region.districts)}, мониторинг "
            f"«{region.campaign.title}» для {asked} {plural(asked, 'школы', 'школ', 'школ')}."
        )

        users.users.append(region.user)
        names = {o.pk: o.short_name for o in Organisation.objects.all()}
        rows = [("Логин", "Роль", "Организация", "ФИО")]
        prefetch_related_objects(users.users, "memberships")
        for user in users.users:
            memberships = sorted(user.memberships.all(), key=lambda m: (m.organisation_id, m.role))
            roles = ", ".join(dict.fromkeys(Role(m.role).label for m in memberships))
            places = ", ".join(dict.fromkeys(names[m.organisation_id] for m in memberships))
            rows.append((user.username, roles, places, user.display_name))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

        out.write("")
        out.write(self.style.MIGRATE_HEADING("Демонстрационные входы"))
        for index, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            out.write(self.style.MIGRATE_LABEL(line) if index == 0 else line)
        out.write("")
        out.write(f"Пароль у всех: {demo.DEMO_PASSWORD}")
        out.write(f"Адрес: {demo.DEMO_URL}")
