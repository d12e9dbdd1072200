"""Registers of the bases and partners in XLSX: reopened and read."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from organisations.school_year import current_school_year
from participants.models import MentorDocument, MentorEntry
from participants.tests.factories import (
    AgreementFactory,
    GraduateFactory,
    MenteeEntryFactory,
    MentorDocumentFactory,
    MentorEntryFactory,
    ParentLinkFactory,
    PartnerFactory,
    PersonFactory,
    TeacherFactory,
)
from participants.tests.factories_consents import consent_for


def _rows(client, school, identifier, **params):
    url = reverse("reports:export", kwargs={"org": school.slug, "identifier": identifier})
    response = client.get(url, params)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_mentor_base_export_shows_documents_and_leaves_out_people_without_consent(client, school_a, curator_a):
    today = timezone.localdate()
    graduate = GraduateFactory(organisation=school_a, last_name="Черных", first_name="Илья", patronymic="Ильич")
    MentorEntryFactory(person=graduate, status=MentorEntry.Status.CANDIDATE)
    MentorDocumentFactory(
        person=graduate, kind=MentorDocument.Kind.MEDICAL, valid_until=today - datetime.timedelta(days=1)
    )
    consent_for(graduate)
    teacher = TeacherFactory(organisation=school_a, last_name="Яковенко")
    MentorEntryFactory(person=teacher)
    consent_for(teacher)
    MentorEntryFactory(person=TeacherFactory(organisation=school_a, last_name="Безсогласия"))
    client.force_login(curator_a)
    rows = _rows(client, school_a, "mentors")
    by_name = {row[0]: row for row in rows}
    assert rows[0][0] == "База наставников — МБОУ СОШ № 1"
    assert "Черных Илья Ильич" in by_name and not any("Безсогласия" in str(row[0]) for row in rows)
    graduate_row = by_name["Черных Илья Ильич"]
    assert graduate_row[9] == "нет"
    assert graduate_row[10].startswith("просрочена (до ")
    assert by_name[teacher.full_name][9] == "не требуется"
    assert any(str(row[0]).endswith("1 человек.") for row in rows)


def test_mentor_register_export_has_only_approved_and_active_of_the_year(client, school_a, curator_a):
    year = current_school_year()
    for status, name in [("approved", "Утверждённый"), ("active", "Работающий"), ("candidate", "Кандидат")]:
        entry = MentorEntryFactory(organisation=school_a, status=status, person__last_name=name)
        consent_for(entry.person)
    old = MentorEntryFactory(
        organisation=school_a, status="approved", school_year=year - 1, person__last_name="Прошлый"
    )
    consent_for(old.person)
    client.force_login(curator_a)
    names = {str(row[0]).split()[0] for row in _rows(client, school_a, "mentor-register")}
    assert {"Утверждённый", "Работающий"} <= names
    assert not {"Кандидат", "Прошлый"} & names
    last_year = {str(row[0]).split()[0] for row in _rows(client, school_a, "mentor-register", year=year - 1)}
    assert "Прошлый" in last_year


def test_mentee_export_follows_the_class_filter(client, school_a, curator_a):
    for grade, name in [(7, "Семиклассник"), (9, "Девятиклассник")]:
        entry = MenteeEntryFactory(
            organisation=school_a, person=PersonFactory(organisation=school_a, last_name=name, grade=grade)
        )
        consent_for(entry.person)
    client.force_login(curator_a)
    rows = _rows(client, school_a, "mentees", class_name="7Б")
    names = {str(row[0]).split()[0] for row in rows}
    assert "Семиклассник" in names and "Девятиклассник" not in names
    row = next(r for r in rows if str(r[0]).startswith("Семиклассник"))
    assert row[2] == "7Б" and row[4] == "образовательный дефицит"


def test_partners_export_counts_mentors_provided_and_planned(client, school_a, curator_a):
    partner = PartnerFactory(organisation=school_a, name="ООО «Агрохолдинг «Кубань»»")
    AgreementFactory(partner=partner, number="12-С", mentors_planned=3)
    employee = PersonFactory(
        organisation=school_a, category="partner_employee", grade=None, class_letter="", partner=partner
    )
    MentorEntryFactory(person=employee)
    client.force_login(curator_a)
    row = next(r for r in _rows(client, school_a, "partners") if r[0] == "ООО «Агрохолдинг «Кубань»»")
    assert row[3].startswith("№ 12-С от ")
    assert (row[4], row[5]) == (3, 1)


def test_consents_register_lists_each_consent_with_its_signer(client, school_a, curator_a):
    link = ParentLinkFactory(
        child__organisation=school_a, child__last_name="Черных", parent__last_name="Черных", parent__first_name="Анна"
    )
    consent = consent_for(link.child)
    consent.representative = link.parent
    consent.signed_by_subject = False
    consent.save()
    PersonFactory(organisation=school_a, last_name="Безсогласия")
    client.force_login(curator_a)
    rows = _rows(client, school_a, "consents", school_class="7Б")
    row = next(r for r in rows if str(r[0]).startswith("Черных"))
    assert row[1:6] == ["7Б", "участие в программе наставничества", "действует", "01.09.2026", link.parent.full_name]
    assert row[6] == "нет"
    assert not any(str(r[0]).startswith("Безсогласия") for r in rows)
    assert any(str(r[0]).endswith("1 человек.") for r in rows)
