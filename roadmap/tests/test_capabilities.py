"""Who may do what with roadmaps: one table of roles and capabilities (organisations/roles.py)."""

import pytest

from organisations.roles import DISTRICT_OFFICER_IN_SCHOOL, ROLE_CAPABILITIES, Role
from organisations.tenancy import resolve_access

ROADMAP = ("roadmap.view", "roadmap.edit", "roadmap.approve")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.DIRECTOR, {"roadmap.view", "roadmap.edit", "roadmap.approve"}),
        (Role.DEPUTY_DIRECTOR, {"roadmap.view", "roadmap.edit"}),
        (Role.CURATOR, {"roadmap.view", "roadmap.edit"}),
        (Role.METHODIST, {"roadmap.view"}),
        (Role.MENTOR, {"roadmap.view"}),
        (Role.DISTRICT_OFFICER, {"roadmap.view", "roadmap.edit", "roadmap.approve"}),
        (Role.ADMINISTRATOR, set()),
    ],
)
def test_roadmap_capabilities_of_each_role(role, expected):
    assert {c for c in ROLE_CAPABILITIES[role] if c in ROADMAP} == expected


def test_only_the_director_approves_a_school_roadmap():
    school_roles = [
        role for role in Role if role not in {Role.DISTRICT_OFFICER, Role.REGION_OFFICER, Role.ADMINISTRATOR}
    ]
    assert [role for role in school_roles if "roadmap.approve" in ROLE_CAPABILITIES[role]] == [Role.DIRECTOR]


def test_district_officer_sees_its_schools_roadmaps_and_keeps_its_own(school_a, district, district_officer):
    in_school = resolve_access(district_officer, school_a.slug)
    assert in_school.can("roadmap.view") and not in_school.can("roadmap.edit")
    assert "roadmap.view" in DISTRICT_OFFICER_IN_SCHOOL
    in_district = resolve_access(district_officer, district.slug)
    assert in_district.can("roadmap.edit") and in_district.can("roadmap.approve")
