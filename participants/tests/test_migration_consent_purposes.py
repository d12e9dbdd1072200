"""Migration 0013: a participation consent signed on the bundled first text keeps covering the
transfer to the education authority, as a carried-over consent marked for a new separate one."""

import datetime
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("participants", "0012_import_parents_and_year_records")]
AFTER = [("participants", "0014_seed_transfer_consent_texts")]


def _latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def back_to_latest():
    """Whatever happens in the test, the tables are left at the latest migration for the tests that follow."""
    yield
    _latest()


@pytest.mark.django_db(transaction=True)
def test_bundled_consents_are_carried_over_as_transfer_consents(back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    # An earlier transactional test may have flushed the texts the seed migration wrote.
    if not apps.get_model("participants", "ConsentText").objects.exists():
        import_module("participants.migrations.0004_seed_consent_texts").seed(apps, None)
    Organisation = apps.get_model("organisations", "Organisation")
    Person = apps.get_model("participants", "Person")
    ConsentText = apps.get_model("participants", "ConsentText")
    Consent = apps.get_model("participants", "Consent")
    school = Organisation.objects.create(slug="migration-school", full_name="Школа", short_name="Школа")
    people = [
        Person.objects.create(
            organisation=school, last_name=f"Иванов{i}", first_name="Иван", gender="M", category="teacher"
        )
        for i in range(3)
    ]
    text = ConsentText.objects.get(purpose="participation", version="1")
    for person, status in zip(people[:2], ("valid", "withdrawn"), strict=True):
        Consent.objects.create(
            organisation=school,
            person=person,
            purpose="participation",
            text=text,
            signed_by_subject=True,
            signed_on=datetime.date(2025, 5, 1),
            status=status,
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Consent = apps.get_model("participants", "Consent")
    ConsentText = apps.get_model("participants", "ConsentText")
    carried = list(Consent.objects.filter(purpose="authority"))
    assert [(c.person_id, c.bundled, c.status, c.signed_on) for c in carried] == [
        (people[0].pk, True, "valid", datetime.date(2025, 5, 1))
    ]
    assert ConsentText.objects.get(purpose="participation", is_current=True).version == "2"
    assert all(len(t.sha256) == 64 for t in ConsentText.objects.all())
    assert Consent.objects.get(person_id=people[0].pk, purpose="participation").text_sha256
