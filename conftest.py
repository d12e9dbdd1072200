"""Fixtures shared by every app's tests.

The three-user pattern (DESIGN.md §8): two users of school A with different roles and one
user of school B, who must get 404 on everything of school A.
"""

import os
from importlib import import_module
from pathlib import Path

import pytest

from organisations.tests.factories import DistrictFactory, MembershipFactory, SchoolFactory


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


# Browser tests: Debian's Chromium driven by Playwright (no downloaded browser builds).
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path():
    configured = os.environ.get("CHROMIUM_PATH")
    candidates = [configured] if configured else CHROMIUM_CANDIDATES
    return next((path for path in candidates if path and Path(path).exists()), None)


@pytest.fixture(scope="session")
def chromium():
    path = _chromium_path()
    if path is None:
        reason = "Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)"
        if os.environ.get("NASTAVNIK_REQUIRE_BROWSER"):
            pytest.fail(f"{reason}; browser tests are required here")
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser context (no cookies) on a desktop-sized window."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.live_server_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def screenshots_dir():
    path = Path(__file__).resolve().parent / "test-artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


# Reference data that migrations seed. A transactional test (every browser test) empties all
# tables when it ends, these rows too; the fixtures below put them back first. serialized_rollback
# does not help: once Playwright runs its event loop in the thread, Django hands out new
# connections that lack the serialized copy.
SEEDED_BY_MIGRATIONS = (
    "participants.migrations.0003_seed_mentoring_forms",
    "participants.migrations.0004_seed_consent_texts",
    "participants.migrations.0006_seed_questionnaires",
    "participants.migrations.0008_seed_question_profile_fields",
    "participants.migrations.0011_seed_mentoring_form_sides",
    "participants.migrations.0014_seed_transfer_consent_texts",
    "reports.migrations.0002_seed_order_templates",
    "reports.migrations.0007_proofread_order_templates",
    "reports.migrations.0009_regulation_labour_code_351_8",
    "reports.migrations.0010_seed_employee_order_templates",
    "reports.migrations.0011_orders_labour_code_351_8",
    "reports.migrations.0016_seed_federal_indicators",
)


@pytest.fixture
def reference_data(db):
    from django.apps import apps

    for module in SEEDED_BY_MIGRATIONS:
        import_module(module).seed(apps, None)


@pytest.fixture
def demo(reference_data):
    """The demo district of `manage.py load_demo`; returns its first school."""
    from django.core.management import call_command

    from organisations.models import Organisation

    call_command("load_demo", verbosity=0)
    return Organisation.objects.get(slug="school-1")


@pytest.fixture
def region(district):
    """A region above school A's district (issue 20): its officer sees the district's aggregates."""
    from organisations.models import Organisation

    region = Organisation.objects.create(
        kind=Organisation.Kind.REGION,
        slug="region-a",
        full_name="Министерство образования и науки Приречной области",
        short_name="Минобрнауки Приречной области",
    )
    district.parent = region
    district.save(update_fields=["parent"])
    return region


@pytest.fixture
def region_officer(region):
    return _member(region, "region_officer", "region-officer")
