import pytest
from django.core.exceptions import ValidationError

from organisations.models import Membership
from organisations.roles import CAPABILITIES, DISTRICT_OFFICER_IN_SCHOOL, ROLE_CAPABILITIES, Role, capabilities_of
from organisations.tenancy import resolve_access


def test_every_role_has_capabilities_from_the_table():
    assert set(ROLE_CAPABILITIES) == set(Role.values)
    for capabilities in ROLE_CAPABILITIES.values():
        assert capabilities <= set(CAPABILITIES)


def test_only_the_director_approves_orders():
    """In a school only the director; the district (region) officer approves the district's (region's) own orders."""
    approvers = [role for role in Role if "orders.approve" in ROLE_CAPABILITIES[role]]
    assert approvers == [Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.REGION_OFFICER]
    assert "orders.approve" not in DISTRICT_OFFICER_IN_SCHOOL


def test_district_officer_cannot_approve_a_schools_order(school_a, district_officer):
    assert not resolve_access(district_officer, school_a.slug).can("orders.approve")


def test_several_roles_add_up(school_a, member):
    user = member(school_a, "methodist", "teacher")
    Membership.objects.create(user=user, organisation=school_a, role="mentor")
    access = resolve_access(user, school_a.slug)
    assert access.capabilities == capabilities_of({"methodist", "mentor"})
    assert "meetings.log" in access.capabilities and "plans.edit" in access.capabilities
    assert access.role_names == ["Методист", "Наставник"]


def test_district_officer_reaches_schools_of_own_district_with_aggregates_only(school_a, district_officer):
    access = resolve_access(district_officer, school_a.slug)
    assert access.can("dashboard.view")
    assert not access.can("participants.view")


def test_district_roles_are_checked(school_a, district):
    with pytest.raises(ValidationError, match="Специалист УО"):
        Membership(organisation=district, role="curator").clean()
    with pytest.raises(ValidationError, match="назначается в управлении образования"):
        Membership(organisation=school_a, role="district_officer").clean()
