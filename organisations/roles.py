"""Roles and the one table that maps each role to its capabilities.

Views declare the capability they need (``required_capability = "participants.view"``);
nothing else in the code checks a role by name.
"""

from django.db import models


class Role(models.TextChoices):
    DIRECTOR = "director", "Директор"
    DEPUTY_DIRECTOR = "deputy_director", "Заместитель директора"
    CURATOR = "curator", "Куратор"
    METHODIST = "methodist", "Методист"
    MENTOR = "mentor", "Наставник"
    DISTRICT_OFFICER = "district_officer", "Специалист УО"
    REGION_OFFICER = "region_officer", "Специалист региона"
    ADMINISTRATOR = "administrator", "Администратор"
    ACCOUNTANT = "accountant", "Главный бухгалтер"


# Capability -> what it allows, in Russian: shown in the 403 message.
CAPABILITIES: dict[str, str] = {
    "dashboard.view": "просмотр сводки организации",
    "participants.view": "просмотр участников",
    "participants.edit": "ведение баз участников",
    "programme.manage": "управление программой наставничества",
    "plans.edit": "ведение индивидуальных планов",
    "meetings.log": "учёт встреч наставнических пар",
    "meetings.view": "просмотр встреч всех наставнических пар",
    "orders.draft": "подготовка приказов",
    "orders.approve": "утверждение приказов",
    "reports.view": "просмотр отчётов",
    "organisation.edit": "изменение реквизитов организации",
    "district.view": "просмотр школ района",
    "journal.view": "просмотр журнала доступа к персональным данным",
    "roadmap.view": "просмотр дорожной карты",
    "roadmap.edit": "ведение дорожной карты",
    "roadmap.approve": "утверждение дорожной карты",
    "pairs.view": "просмотр наставнических пар и групп",
    "school.handover": "передача всех данных школы (архив)",
    "school.archive": "архив всех данных организации",
    "orders.view": "просмотр приказов",
    "orders.visa": "согласование приказов (визы)",
    "pay.view": "просмотр выплат наставникам",
    "indicators.edit": "ведение показателей и целевых значений",
    "campaigns.manage": "проведение мониторинга школ",
    "campaigns.fill": "заполнение форм мониторинга",
}

_SCHOOL_STAFF = {
    "dashboard.view",
    "participants.view",
    "participants.edit",
    "programme.manage",
    "pairs.view",
    "plans.edit",
    "meetings.log",
    "meetings.view",
    "orders.draft",
    "orders.view",
    "pay.view",
    "reports.view",
}

# Who may sit on an organisation's approval route for orders (reports.orders.route): the director
# signs after the visas, so the director's role is not a step.
_VISA = {"orders.view", "orders.visa"}

# The roadmap: the curator and the deputy keep it, the director approves it, the others see it
# (and mark the items they are responsible for); the district officer keeps the district's one.
_ROADMAP_KEEPERS = {"roadmap.view", "roadmap.edit"}

# A district's or a region's officer in their own organisation: its roadmap, orders, indicators'
# targets and monitoring campaigns.
_AUTHORITY_OFFICER = {
    "dashboard.view",
    "district.view",
    "reports.view",
    "roadmap.view",
    "roadmap.edit",
    "roadmap.approve",
    "orders.draft",
    "orders.view",
    "orders.approve",
    "indicators.edit",
    "campaigns.manage",
}

# The school's director and deputy fill and submit a monitoring form; the curator prepares a draft.
_CAMPAIGN_FILL = {"campaigns.fill"}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.DIRECTOR: frozenset(
        _SCHOOL_STAFF
        | _ROADMAP_KEEPERS
        | {"orders.approve", "organisation.edit", "journal.view", "roadmap.approve"}
        # All of the school's data in one archive: the director only (the administrator edits the
        # organisation's details but sees nobody's personal data).
        | {"school.archive"}
        | _CAMPAIGN_FILL
    ),
    Role.DEPUTY_DIRECTOR: frozenset(_SCHOOL_STAFF | _ROADMAP_KEEPERS | _VISA | _CAMPAIGN_FILL),
    Role.CURATOR: frozenset(_SCHOOL_STAFF | _ROADMAP_KEEPERS | _VISA | _CAMPAIGN_FILL),
    Role.METHODIST: frozenset(
        {
            "dashboard.view",
            "participants.view",
            "pairs.view",
            "plans.edit",
            "meetings.view",  # the calendar and the attention list, read-only
            "reports.view",
            "roadmap.view",
        }
        | _VISA
    ),
    Role.MENTOR: frozenset({"dashboard.view", "meetings.log", "roadmap.view"}),
    # In the district itself the officer also drafts and approves the district's orders
    # (о назначении муниципального куратора, о внедрении ЦМН в районе) and its order templates,
    # sets the indicators' targets and runs monitoring campaigns for its schools.
    Role.DISTRICT_OFFICER: frozenset(_AUTHORITY_OFFICER),
    Role.ADMINISTRATOR: frozenset({"dashboard.view", "organisation.edit"}),
    # The chief accountant reads the orders on their visa and the mentors' pay, nothing of the people else.
    Role.ACCOUNTANT: frozenset({"dashboard.view", "pay.view"} | _VISA),
    # The region's officer: the district officer's capabilities one level up.
    Role.REGION_OFFICER: frozenset(_AUTHORITY_OFFICER),
}
# Who may submit a campaign's form for the school: the director or the deputy (final unless returned).
CAMPAIGN_SUBMITTERS = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR})

# What a district officer may do in a school of the district: aggregates only, no
# personal data of the school's people.
# «school.handover»: the officer hands a leaving school's whole data over (reports/registers/archive.py);
# every such archive is written to the school's access journal.
DISTRICT_OFFICER_IN_SCHOOL: frozenset[str] = frozenset(
    {"dashboard.view", "reports.view", "roadmap.view", "school.handover"}
)
# What a region officer may do in a district of the region and in the district's schools:
# aggregates only. A page beyond these gives 404 (organisations.tenancy), not 403: the region
# has no business with a school's people at all.
REGION_OFFICER_IN_DISTRICT: frozenset[str] = frozenset({"dashboard.view", "district.view", "reports.view"})
REGION_OFFICER_IN_SCHOOL: frozenset[str] = frozenset({"dashboard.view", "reports.view"})


def capabilities_of(roles) -> frozenset[str]:
    result: set[str] = set()
    for role in roles:
        result |= ROLE_CAPABILITIES[role]
    return frozenset(result)
