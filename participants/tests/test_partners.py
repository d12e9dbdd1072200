"""Partner organisations and their agreements."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.school_year import current_school_year
from organisations.tests.files import assert_private_file
from participants.forms_bases import (
    ERROR_AGREEMENT_EXISTS,
    ERROR_INN,
    ERROR_PARTNER_EXISTS,
    ERROR_VALID_BEFORE_SIGNING,
)
from participants.models import PartnerAgreement, PartnerOrganisation, Person
from participants.tests.factories import AgreementFactory, MentorEntryFactory, PartnerFactory, PersonFactory
from participants.tests.test_bases import png_bytes
from participants.validators import ERROR_SCAN_TYPE

YEAR = current_school_year()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _url(name, school, query="", **kwargs):
    return reverse(f"participants:{name}", kwargs={"org": school.slug, **kwargs}) + (f"?{query}" if query else "")


def _employee(partner, **kwargs):
    return PersonFactory(
        organisation=partner.organisation,
        category=Person.Category.PARTNER_EMPLOYEE,
        grade=None,
        class_letter="",
        partner=partner,
        **kwargs,
    )


def test_mentors_provided_are_counted_for_the_year(client, school_a, curator_a):
    plant = PartnerFactory(organisation=school_a, name="АО «Завод»")
    college = PartnerFactory(organisation=school_a, name="ГБПОУ «Колледж»")
    for _ in range(2):
        MentorEntryFactory(person=_employee(plant))
    MentorEntryFactory(person=_employee(plant), school_year=YEAR - 1)  # last year's base
    _employee(plant)  # not in the base
    MentorEntryFactory(person=_employee(college), school_year=YEAR - 1)
    AgreementFactory(partner=plant, mentors_planned=3)
    AgreementFactory(partner=plant, mentors_planned=2, signed_on=datetime.date(YEAR + 1, 9, 1))  # next year
    AgreementFactory(
        partner=college,
        mentors_planned=4,
        signed_on=datetime.date(YEAR - 2, 9, 1),
        valid_until=datetime.date(YEAR, 8, 31),  # ended with the last school year
    )
    client.force_login(curator_a)
    response = client.get(_url("partner_list", school_a))
    rows = {p.name: (p.mentors_planned_total, p.mentors_provided) for p in response.context["object_list"]}
    assert rows == {"АО «Завод»": (3, 2), "ГБПОУ «Колледж»": (0, 0)}
    page = response.content.decode()
    assert f"Предоставили наставников в {YEAR}/{YEAR + 1} учебном году: 1 из 2 партнёров." in page
    assert "истекло" in page
    last_year = client.get(_url("partner_list", school_a, f"year={YEAR - 1}"))
    rows = {p.name: (p.mentors_planned_total, p.mentors_provided) for p in last_year.context["object_list"]}
    assert rows == {"АО «Завод»": (0, 1), "ГБПОУ «Колледж»": (4, 1)}


def test_partner_list_shows_only_the_school_and_query_count_does_not_grow(client, school_a, school_b, curator_a):
    PartnerFactory(organisation=school_b, name="Чужой партнёр")
    client.force_login(curator_a)

    def rows(count):
        for _ in range(count):
            partner = PartnerFactory(organisation=school_a)
            AgreementFactory(partner=partner)
            MentorEntryFactory(person=_employee(partner))

    rows(2)
    with CaptureQueriesContext(connection) as few:
        client.get(_url("partner_list", school_a))
    rows(15)
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url("partner_list", school_a))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "Чужой партнёр" not in response.content.decode()


def test_empty_partner_list_tells_what_to_do(client, school_a, curator_a):
    client.force_login(curator_a)
    page = client.get(_url("partner_list", school_a)).content.decode()
    assert "Организаций-партнёров пока нет." in page and "Добавьте партнёра" in page


def test_partner_is_added_and_errors_are_russian(client, school_a, school_b, curator_a):
    PartnerFactory(organisation=school_a, name="АО «Завод»")
    PartnerFactory(organisation=school_b, name="ООО «Ромашка»")
    client.force_login(curator_a)
    response = client.post(_url("partner_add", school_a), {"name": "  АО  «Завод» ", "inn": "12345"})
    errors = response.context["form"].errors
    assert errors["name"] == [ERROR_PARTNER_EXISTS]
    assert errors["inn"] == [ERROR_INN]
    assert ERROR_INN in response.content.decode()
    # The same name in another school is no conflict.
    response = client.post(_url("partner_add", school_a), {"name": "ООО «Ромашка»", "inn": "6449013711"})
    assert response.status_code == 302
    assert PartnerOrganisation.objects.get(organisation=school_a, name="ООО «Ромашка»").inn == "6449013711"


def test_partner_edit_shows_agreements_and_employees(client, school_a, curator_a):
    partner = PartnerFactory(organisation=school_a)
    AgreementFactory(partner=partner, number="17-С")
    employee = _employee(partner, last_name="Сотрудникова")
    client.force_login(curator_a)
    page = client.get(_url("partner_edit", school_a, pk=partner.pk)).content.decode()
    assert "№ 17-С" in page and employee.full_name in page
    response = client.post(_url("partner_edit", school_a, pk=partner.pk), {"name": "АО «Новое имя»", "inn": ""})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "АО «Новое имя»"


def test_agreement_is_added_with_a_scan(client, school_a, curator_a, member):
    partner = PartnerFactory(organisation=school_a)
    client.force_login(curator_a)
    url = _url("agreement_add", school_a, f"partner={partner.pk}")
    data = {"number": "5", "signed_on": f"{YEAR}-09-01", "valid_until": "", "subject": "", "mentors_planned": 2}
    response = client.post(url, {**data, "file": SimpleUploadedFile("a.pdf", b"not a pdf at all")})
    assert response.context["form"].errors["file"] == [ERROR_SCAN_TYPE]
    response = client.post(url, {**data, "file": SimpleUploadedFile("a.png", png_bytes())})
    assert response.status_code == 302
    agreement = PartnerAgreement.objects.get()
    assert (agreement.organisation, agreement.partner, agreement.mentors_planned) == (school_a, partner, 2)
    again = client.post(url, data)
    assert again.context["form"].errors["number"] == [ERROR_AGREEMENT_EXISTS]
    client.force_login(member(school_a, "methodist"))
    scan = client.get(_url("agreement_file", school_a, pk=agreement.pk))
    assert scan.status_code == 200 and scan["Content-Type"] == "image/png"
    assert_private_file(scan, filename=f"Соглашение № 5 от 01.09.{YEAR}.png", as_attachment=False)


def test_agreement_dates_are_checked_and_partners_are_scoped(client, school_a, school_b, curator_a):
    own = PartnerFactory(organisation=school_a)
    foreign = PartnerFactory(organisation=school_b)
    client.force_login(curator_a)
    assert client.get(_url("agreement_add", school_a, f"partner={foreign.pk}")).status_code == 404
    form = client.get(_url("agreement_add", school_a)).context["form"]
    assert list(form.fields["partner"].queryset) == [own]
    response = client.post(
        _url("agreement_add", school_a),
        {
            "partner": own.pk,
            "number": "1",
            "signed_on": "2026-09-01",
            "valid_until": "2026-01-01",
            "mentors_planned": 1,
        },
    )
    assert response.context["form"].errors["valid_until"] == [ERROR_VALID_BEFORE_SIGNING]
    response = client.post(_url("agreement_add", school_a), {"partner": own.pk, "number": "", "signed_on": "01.09"})
    errors = response.context["form"].errors
    assert errors["number"] == ["Обязательное поле."]
    assert errors["signed_on"] == ["Введите правильную дату."]


def test_agreement_edit_keeps_its_partner(client, school_a, curator_a):
    agreement = AgreementFactory(organisation=school_a, number="1")
    client.force_login(curator_a)
    url = _url("agreement_edit", school_a, pk=agreement.pk)
    assert "partner" not in client.get(url).context["form"].fields
    response = client.post(
        url, {"number": "1-Н", "signed_on": "2026-09-02", "valid_until": "2027-08-31", "mentors_planned": 5}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.number, agreement.mentors_planned, agreement.valid_until) == (
        "1-Н",
        5,
        datetime.date(2027, 8, 31),
    )
