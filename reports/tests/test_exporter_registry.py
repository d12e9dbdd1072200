"""Every document of the product is an exporter of the one registry: each renders on the demo and
reopens as a real file, its URL refuses another school (404) and a role without its capability
(403), a personal-data file is journalled, and hostile cell values never become formulas.

The demo (``manage.py load_demo``) is built once for this module inside a transaction that is
rolled back at the end; every test runs in a savepoint inside it.
"""

import csv
import io
import re
import zipfile
from importlib import import_module

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from mentorship.models import AdditionalAgreement, EarlyEnd, Meeting, Pair, PlanItem
from organisations.models import Membership, Organisation
from organisations.roles import Role
from organisations.tenancy import resolve_access
from participants.models import (
    AccessLogEntry,
    Invitation,
    MentorEntry,
    PartnerOrganisation,
    Person,
    QuestionnaireTemplate,
    Response,
)
from reports.exports.base import REGISTRY, ExportContext, Exporter, TableExporter
from reports.exports.registry import exporter_classes
from reports.models import Order
from reports.orders.register import OrdersExporter
from roadmap.models import Item, Roadmap

HOSTILE = ("=1+1", "+7", "-x", "@SUM(A1)", "\t=2+2", "\r=3+3")
DISTRICT_EXPORTERS = {"district-report", "district-registers", "campaign"}
# Files that are more than one table: multi-sheet workbooks written by the same writer.
WORKBOOK_EXPORTERS = {"district-report", "district-registers", "questionnaire-results"}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module; rolled back when the module's tests are done."""
    from django.apps import apps

    from conftest import SEEDED_BY_MIGRATIONS

    with django_db_blocker.unblock(), transaction.atomic():
        for module in SEEDED_BY_MIGRATIONS:
            import_module(module).seed(apps, None)
        call_command("load_demo", verbosity=0)
        school = Organisation.objects.get(slug="school-1")
        district = Organisation.objects.get(slug="zarechny")
        User = get_user_model()
        # A member without the capabilities of the files: an administrator of the school / district.
        outsider = User.objects.create_user("registry-admin", password="x")
        Membership.objects.create(user=outsider, organisation=school, role=Role.ADMINISTRATOR)
        Membership.objects.create(user=outsider, organisation=district, role=Role.ADMINISTRATOR)
        yield {
            "school": school,
            "district": district,
            "params": _params(school),
            "director": User.objects.get(username="director"),
            "officer": User.objects.get(username="district"),
            "other_school": User.objects.get(username="curator2"),
            "outsider": outsider,
        }
        transaction.set_rollback(True)


def _params(school) -> dict[str, dict]:
    """Suitable params of every exporter on the demo's first school."""
    order = Order.objects.filter(organisation=school, status=Order.Status.APPROVED).order_by("pk").first()
    pair = Pair.objects.filter(organisation=school).exclude(status=Pair.Status.DRAFT).order_by("pk").first()
    mentor = (
        Person.objects.filter(organisation=school, mentor_entries__isnull=False, anonymised_at__isnull=True)
        .order_by("pk")
        .first()
    )
    student = Person.objects.filter(organisation=school, category=Person.Category.STUDENT, grade__isnull=False).first()
    invitation = (
        Invitation.objects.filter(organisation=school, person__category=Person.Category.STUDENT)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    answered = Response.objects.filter(organisation=school).order_by("pk").first()
    roadmap = Roadmap.objects.filter(organisation=school).order_by("pk").first()
    partner = PartnerOrganisation.objects.filter(organisation=school).order_by("pk").first()
    agreement = AdditionalAgreement.objects.filter(organisation=school).order_by("pk").first()
    early_end = EarlyEnd.objects.filter(organisation=school).order_by("pk").first()
    copy = school.consents.exclude(copy="").order_by("pk").first()
    return {
        "consent-copy": {"consent": copy.pk},
        "destruction-act": {"act": school.destruction_acts.order_by("pk").first().pk},
        "roadmap": {"roadmap": roadmap.pk},
        "roadmap-pdf": {"roadmap": roadmap.pk},
        "order-pdf": {"order": order.pk},
        "order-docx": {"order": order.pk},
        "order-acquaintance": {"order": order.pk},
        "plan-pdf": {"pair": pair.pk},
        "consent-form-person": {"person": student.pk},
        "consent-forms-class": {"grade": student.grade, "letter": student.class_letter},
        "questionnaire-sheet": {
            "questionnaire": invitation.template_id,
            "grade": invitation.person.grade,
            "class_letter": invitation.person.class_letter,
        },
        "questionnaire-links": {
            "questionnaire": invitation.template_id,
            "grade": invitation.person.grade,
            "class_letter": invitation.person.class_letter,
        },
        "letter-mentor": {"person": mentor.pk},
        "letter-partner": {"partner": partner.pk},
        "mentor-portfolio": {"person": mentor.pk},
        "questionnaire-results": {"questionnaire": answered.template_id},
        "employee-consent": {"pair": agreement.pair_id},
        "employee-agreement": {"pair": agreement.pair_id},
        "employee-early-end": {"pair": early_end.pair_id},
        "employee-pay-register": {"month": f"{agreement.starts_on:%Y-%m}"},
    }


def _organisation(data, identifier):
    return data["district"] if identifier in DISTRICT_EXPORTERS else data["school"]


def _user(data, identifier):
    return data["officer"] if identifier in DISTRICT_EXPORTERS else data["director"]


def _render(data, exporter: Exporter, fmt: str, params=None):
    organisation = _organisation(data, exporter.identifier)
    user = _user(data, exporter.identifier)
    access = resolve_access(user, organisation.slug)
    params = data["params"].get(exporter.identifier, {}) if params is None else params
    # As a view hands them over: a QueryDict.
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = str(value)
    return exporter.render(
        organisation=organisation, params=query, fmt=fmt, context=ExportContext(user=user, access=access)
    )


def _text_of(content: bytes, fmt: str) -> str:
    """The file opened again by its own library; what it says, as text."""
    if fmt == "pdf":
        reader = PdfReader(io.BytesIO(content))
        assert len(reader.pages) >= 1
        return " ".join(page.extract_text() or "" for page in reader.pages)
    if fmt == "docx":
        document = Document(io.BytesIO(content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return " ".join([paragraph.text for paragraph in document.paragraphs] + cells)
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(content))
        return " ".join(
            str(cell.value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        )
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        assert rows and rows[0], "a CSV starts with its header"
        return " ".join(value for row in rows for value in row)
    if fmt == "html":
        return content.decode()
    if fmt == "zip":  # an archive of workbooks (the school's archive): its README and every table
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = [name for name in archive.namelist() if name.endswith(".xlsx") and not name.startswith("files/")]
        return " ".join(
            [archive.read("README.txt").decode()] + [_text_of(archive.read(name), "xlsx") for name in names]
        )
    raise AssertionError(f"unknown format {fmt}")


def _url(data, identifier):
    return reverse("reports:export", kwargs={"org": _organisation(data, identifier).slug, "identifier": identifier})


def _request(client, data, exporter):
    params = data["params"].get(exporter.identifier, {})
    if exporter.changes_data:
        return client.post(_url(data, exporter.identifier), params)
    return client.get(_url(data, exporter.identifier), params)


IDENTIFIERS = sorted(cls.identifier for cls in exporter_classes())


def test_registry_is_filled_at_start_up_with_every_exporter():
    assert sorted(REGISTRY) == IDENTIFIERS
    assert len(IDENTIFIERS) == len(set(IDENTIFIERS))


@pytest.mark.parametrize("exporter_class", exporter_classes(), ids=lambda cls: cls.identifier)
def test_every_exporter_declares_capability_formats_and_personal_data(exporter_class):
    exporter = REGISTRY[exporter_class.identifier]
    assert exporter.identifier and exporter.title
    assert exporter.capability, exporter.identifier
    assert exporter.personal_data in (True, False), f"{exporter.identifier} does not say whether it names people"
    assert exporter.formats and set(exporter.formats) <= {"xlsx", "csv", "pdf", "docx", "html", "zip"}


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_every_exporter_renders_on_the_demo_and_the_file_opens(demo_data, db, identifier):
    exporter = REGISTRY[identifier]
    for fmt in exporter.formats:
        result = _render(demo_data, exporter, fmt)
        assert result.filename and result.content, (identifier, fmt)
        extensions = (".pdf", ".html") if fmt == "html" else (f".{fmt}",)
        assert result.filename.endswith(extensions), (identifier, fmt, result.filename)
        text = _text_of(result.content, fmt)
        assert text.strip(), (identifier, fmt)
        # A placeholder left unfilled («{people_dative}») is never printed.
        assert not re.search(r"\{[a-z_]+\}", text), (identifier, fmt)


def test_no_demo_order_prints_an_unfilled_placeholder(demo_data, db):
    from reports.orders.models import Order

    for order in Order.objects.prefetch_related("points"):
        texts = [order.title, order.preamble, *(point.action for point in order.points.all())]
        assert not any(re.search(r"\{[a-z_]+\}", text) for text in texts), (order.kind, texts)


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_every_exporter_url_refuses_another_school_and_a_role_without_the_capability(demo_data, db, client, identifier):
    exporter = REGISTRY[identifier]
    client.force_login(demo_data["other_school"])
    assert _request(client, demo_data, exporter).status_code == 404
    client.force_login(demo_data["outsider"])
    assert _request(client, demo_data, exporter).status_code == 403


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_every_exporter_url_serves_the_file_and_journals_personal_data(demo_data, db, client, identifier):
    exporter = REGISTRY[identifier]
    client.force_login(_user(demo_data, identifier))
    before = AccessLogEntry.objects.count()
    response = _request(client, demo_data, exporter)
    assert response.status_code == 200, (identifier, response.status_code)
    assert response["Cache-Control"] == "private, no-store"
    assert "filename" in response["Content-Disposition"]
    journalled = AccessLogEntry.objects.filter(organisation=_organisation(demo_data, identifier)).order_by("-pk")
    if exporter.personal_data and identifier != "school-report":
        assert AccessLogEntry.objects.count() == before + 1, identifier
        entry = journalled.first()
        assert entry.user == _user(demo_data, identifier) and entry.what
    elif not exporter.personal_data:
        assert AccessLogEntry.objects.count() == before, identifier


def test_a_file_that_changes_data_is_never_made_by_a_get(demo_data, db, client):
    """Printing a links sheet issues new links: a GET (a prefetched or forged link) must not."""
    client.force_login(demo_data["director"])
    params = demo_data["params"]["questionnaire-sheet"]
    assert client.get(_url(demo_data, "questionnaire-sheet"), params).status_code == 405


def test_the_access_journal_export_is_journalled(demo_data, db, client):
    client.force_login(demo_data["director"])
    response = client.get(_url(demo_data, "access-journal"))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.filter(organisation=demo_data["school"]).order_by("-pk").first()
    assert entry.what == "Выгрузка: Журнал доступа к персональным данным (XLSX)"
    assert entry.action == AccessLogEntry.Action.EXPORT


def test_the_school_report_with_names_is_journalled_without_names_not(demo_data, db):
    exporter = REGISTRY["school-report"]
    result = _render(demo_data, exporter, "pdf")
    assert result.journalled == bool(result.people_count)


# --- Hostile values ------------------------------------------------------------------------------


def _hostile(index: int) -> str:
    return HOSTILE[index % len(HOSTILE)]


@pytest.fixture
def hostile_demo(demo_data, db):
    """Texts of the demo's first school that reach the tables, each starting like a formula."""
    school = demo_data["school"]
    for index, person in enumerate(Person.objects.filter(organisation=school).order_by("pk")):
        Person.objects.filter(pk=person.pk).update(last_name=_hostile(index), position=_hostile(index + 1))
    for index, order in enumerate(Order.objects.filter(organisation=school).order_by("pk")):
        snapshot = order.snapshot or {}
        # The district reads a school's register as its approved order signed it.
        for row in snapshot.get("register", []):
            row["name"], row["competencies"] = _hostile(index), _hostile(index + 1)
        Order.objects.filter(pk=order.pk).update(title=_hostile(index), snapshot=snapshot)
    for index, partner in enumerate(PartnerOrganisation.objects.filter(organisation=school).order_by("pk")):
        PartnerOrganisation.objects.filter(pk=partner.pk).update(name=_hostile(index), contact=_hostile(index + 1))
    for index, meeting in enumerate(Meeting.objects.filter(organisation=school).order_by("pk")):
        Meeting.objects.filter(pk=meeting.pk).update(topic=_hostile(index), notes=_hostile(index + 1))
    for index, item in enumerate(PlanItem.objects.filter(organisation=school).order_by("pk")):
        PlanItem.objects.filter(pk=item.pk).update(activity=_hostile(index))
    for index, item in enumerate(Item.objects.filter(section__roadmap__organisation=school).order_by("pk")):
        Item.objects.filter(pk=item.pk).update(content=_hostile(index))
    MentorEntry.objects.filter(organisation=school).update(competencies=HOSTILE[0])
    QuestionnaireTemplate.objects.filter(responses__organisation=school).update(title=HOSTILE[3])
    AccessLogEntry.objects.create(organisation=school, action=AccessLogEntry.Action.VIEW, what=HOSTILE[2])
    return demo_data


def _tabular() -> list[str]:
    return [
        identifier
        for identifier in IDENTIFIERS
        if isinstance(REGISTRY[identifier], TableExporter) or identifier in WORKBOOK_EXPORTERS
    ]


def _is_hostile(value) -> bool:
    return isinstance(value, str) and any(value.startswith(h) or h in value for h in HOSTILE)


@pytest.mark.parametrize("identifier", _tabular())
def test_hostile_values_stay_text_in_every_table(hostile_demo, identifier):
    exporter = REGISTRY[identifier]
    found = 0
    for fmt in [f for f in exporter.formats if f in ("xlsx", "csv")]:
        content = _render(hostile_demo, exporter, fmt).content
        if fmt == "xlsx":
            workbook = load_workbook(io.BytesIO(content))
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (identifier, sheet.title, cell.coordinate, cell.value)
                        if _is_hostile(cell.value):
                            assert cell.data_type == "s", (identifier, cell.coordinate)
                            found += 1
        else:
            for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"):
                for value in row:
                    if _is_hostile(value.lstrip("'")) and value.lstrip("'").startswith(HOSTILE):
                        assert value.startswith("'"), (identifier, value)
                        found += 1
    if identifier not in {"district-report"}:  # aggregates of the schools: no text of ours in it
        assert found, f"{identifier}: no hostile value reached the file, the test proves nothing"


def test_orders_register_keeps_a_formula_title_as_text(hostile_demo):
    result = _render(hostile_demo, OrdersExporter(), "xlsx", params={})
    titles = [row[2].value for row in load_workbook(io.BytesIO(result.content)).active.iter_rows(min_row=4)]
    assert set(HOSTILE) & set(titles)
