"""Fixtures shared by every app's tests.

The three-user pattern (DESIGN.md §8): two users of school A with different roles and one
user of school B, who must get 404 on everything of school A.
"""

import pytest

from organisations.tests.factories import DistrictFactory, MembershipFactory, SchoolFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests check logins, not the hash's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district(db):
    return DistrictFactory(slug="district-a", short_name="УО Заречного района")


@pytest.fixture
def school_a(district):
    return SchoolFactory(slug="school-a", parent=district, short_name="МБОУ СОШ № 1")


@pytest.fixture
def school_b(district):
    return SchoolFactory(slug="school-b", parent=district, short_name="МБОУ СОШ № 2")


def _member(organisation, role, username):
    return MembershipFactory(organisation=organisation, role=role, user__username=username).user


@pytest.fixture
def curator_a(school_a):
    return _member(school_a, "curator", "curator-a")


@pytest.fixture
def mentor_a(school_a):
    return _member(school_a, "mentor", "mentor-a")


@pytest.fixture
def director_a(school_a):
    return _member(school_a, "director", "director-a")


@pytest.fixture
def curator_b(school_b):
    return _member(school_b, "curator", "curator-b")


@pytest.fixture
def district_officer(district):
    return _member(district, "district_officer", "district-officer")


@pytest.fixture
def member(db):
    """Makes a user with a role in an organisation: member(org, "methodist")."""
    return lambda organisation, role, username=None: _member(
        organisation, role, username or f"{role}-{organisation.slug}"
    )
