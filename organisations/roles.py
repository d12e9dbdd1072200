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
    ADMINISTRATOR = "administrator", "Администратор"


# Capability -> what it allows, in Russian: shown in the 403 message.
CAPABILITIES: dict[str, str] = {
    "dashboard.view": "просмотр сводки организации",
    "participants.view": "просмотр участников",
    "participants.edit": "ведение баз участников",
    "programme.manage": "управление программой наставничества",
    "plans.edit": "ведение индивидуальных планов",
    "meetings.log": "учёт встреч наставнических пар",
    "orders.draft": "подготовка приказов",
    "orders.approve": "утверждение приказов",
    "reports.view": "просмотр отчётов",
    "organisation.edit": "изменение реквизитов организации",
    "district.view": "просмотр школ района",
    "journal.view": "просмотр журнала доступа к персональным данным",
}

_SCHOOL_STAFF = {
    "dashboard.view",
    "participants.view",
    "participants.edit",
    "programme.manage",
    "plans.edit",
    "meetings.log",
    "orders.draft",
    "reports.view",
}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.DIRECTOR: frozenset(_SCHOOL_STAFF | {"orders.approve", "organisation.edit", "journal.view"}),
    Role.DEPUTY_DIRECTOR: frozenset(_SCHOOL_STAFF),
    Role.CURATOR: frozenset(_SCHOOL_STAFF),
    Role.METHODIST: frozenset({"dashboard.view", "participants.view", "plans.edit", "reports.view"}),
    Role.MENTOR: frozenset({"dashboard.view", "meetings.log"}),
    Role.DISTRICT_OFFICER: frozenset({"dashboard.view", "district.view", "reports.view"}),
    Role.ADMINISTRATOR: frozenset({"dashboard.view", "organisation.edit"}),
}

# What a district officer may do in a school of the district: aggregates only, no
# personal data of the school's people.
DISTRICT_OFFICER_IN_SCHOOL: frozenset[str] = frozenset({"dashboard.view", "reports.view"})


def capabilities_of(roles) -> frozenset[str]:
    result: set[str] = set()
    for role in roles:
        result |= ROLE_CAPABILITIES[role]
    return frozenset(result)
