"""The region above its districts (issue 20): aggregates of every school of its districts, 404
for another region's schools and for any person's page; a district still sees only its schools."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from organisations.models import Membership, Organisation
from organisations.tests.factories import DistrictFactory, SchoolFactory, UserFactory
from participants.tests.factories import PersonFactory


def _url(name, organisation, **kwargs):
    return reverse(name, kwargs={"org": organisation.slug, **kwargs})


@pytest.fixture
def second_district(region):
    district = DistrictFactory(slug="district-small", short_name="УО Лесного района", parent=region)
    SchoolFactory(slug="school-forest", parent=district, short_name="МКОУ Лесная ООШ")
    return district


@pytest.fixture
def other_region(db):
    region = Organisation.objects.create(
        kind=Organisation.Kind.REGION, slug="region-b", full_name="Другой регион", short_name="Другой регион"
    )
    district = DistrictFactory(slug="district-far", parent=region)
    SchoolFactory(slug="school-far", parent=district)
    return region


def test_region_has_no_parent_and_levels_are_checked(region, district, school_a):
    region.parent = district
    with pytest.raises(IntegrityError), transaction.atomic():
        region.save()
    region.refresh_from_db()
    school_a.parent = region
    with pytest.raises(ValidationError, match="только управление образования"):
        school_a.full_clean()
    district.parent = school_a
    with pytest.raises(ValidationError, match="только орган управления образованием региона"):
        district.full_clean()


def test_region_roles_are_the_region_officer_and_administrator(region, school_a):
    membership = Membership(organisation=region, role="curator", user=UserFactory())
    with pytest.raises(ValidationError, match="Специалист региона"):
        membership.clean()
    membership.organisation, membership.role = school_a, "region_officer"
    with pytest.raises(ValidationError, match="назначается в регионе"):
        membership.clean()


def test_region_dashboard_and_kpi_show_every_district(
    client, region_officer, region, second_district, school_a, school_b
):
    PersonFactory(organisation=school_a)
    PersonFactory(organisation=school_b)
    client.force_login(region_officer)
    page = client.get(_url("reports:dashboard", region)).content.decode()
    assert "УО Заречного района" in page and "УО Лесного района" in page
    assert "Районы региона" in page
    kpi = client.get(_url("reports:district_kpi", region))
    assert kpi.status_code == 200
    rows = [row.school.short_name for row in kpi.context["rows"]]
    assert rows == ["УО Заречного района", "УО Лесного района"]
    assert "Регион" in kpi.content.decode()


def test_region_officer_reaches_aggregates_below_and_nothing_personal(
    client, region_officer, region, school_a, district
):
    person = PersonFactory(organisation=school_a, last_name="Кляпка")
    client.force_login(region_officer)
    for name, organisation in [
        ("reports:dashboard", district),
        ("reports:district_kpi", district),
        ("reports:district_report", district),
        ("reports:dashboard", school_a),
        ("reports:kpi", school_a),
    ]:
        response = client.get(_url(name, organisation))
        assert response.status_code == 200, (name, organisation)
        assert "Кляпка" not in response.content.decode()
    for name, organisation, kwargs in [
        ("participants:person_detail", school_a, {"pk": person.pk}),
        ("participants:person_list", school_a, {}),
        ("reports:kpi_detail", school_a, {"code": "students_involved"}),
        ("reports:district_registers", district, {}),
        ("roadmap:list", district, {}),
        ("reports:order_list", district, {}),
    ]:
        assert client.get(_url(name, organisation, **kwargs)).status_code == 404, name


def test_another_regions_schools_are_404(client, region_officer, other_region):
    client.force_login(region_officer)
    far_district = other_region.schools.get()
    for organisation in (other_region, far_district, far_district.schools.get()):
        assert client.get(_url("reports:dashboard", organisation)).status_code == 404


def test_district_officer_still_sees_only_its_schools(client, district_officer, region, second_district, school_a):
    client.force_login(district_officer)
    assert client.get(_url("reports:dashboard", school_a)).status_code == 200
    assert client.get(_url("reports:dashboard", second_district.schools.get())).status_code == 404
    assert client.get(_url("reports:dashboard", second_district)).status_code == 404
    assert client.get(_url("reports:dashboard", region)).status_code == 404
    kpi = client.get(_url("reports:district_kpi", school_a.parent))
    assert [row.school.slug for row in kpi.context["rows"]] == ["school-a"]


def test_region_kpi_queries_do_not_grow_with_schools(
    client, region_officer, region, second_district, django_assert_max_num_queries
):
    client.force_login(region_officer)
    with django_assert_max_num_queries(40) as few:
        client.get(_url("reports:district_kpi", region))
    for n in range(6):
        SchoolFactory(parent=second_district, slug=f"extra-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("reports:district_kpi", region))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("reports:dashboard", region))


def test_a_region_assigns_its_roadmap_items_to_its_districts(region, district, client, region_officer):
    from roadmap import services as roadmap_services
    from roadmap.tests.factories import RoadmapFactory, SectionFactory

    roadmap = RoadmapFactory(organisation=region, title="Региональная дорожная карта")
    item = roadmap_services.item_create(
        roadmap=roadmap,
        section=SectionFactory(roadmap=roadmap, title="Подготовка условий"),
        content="Региональный семинар кураторов",
        deadline_text="Октябрь 2026",
        schools=[district],
    )
    copy = item.school_items.get()
    assert copy.organisation == district and copy.roadmap.district_roadmap == roadmap
    client.force_login(region_officer)
    page = client.get(reverse("roadmap:detail", kwargs={"org": region.slug, "pk": roadmap.pk}))
    assert page.status_code == 200


def test_a_school_drafts_from_its_regions_published_template(reference_data, region, school_a, member):
    from mentorship.tests.factories import ProgrammeFactory
    from reports.models import OrderKind, OrderTemplate
    from reports.orders.services import order_draft

    OrderTemplate.objects.create(
        organisation=region, kind=OrderKind.PAIRS, title="О парах (регион)", points=[], is_published=True
    )
    curator = member(school_a, "curator")
    programme = ProgrammeFactory(organisation=school_a)
    order = order_draft(organisation=school_a, kind=OrderKind.PAIRS, programme=programme, user=curator)
    assert order.title == "О парах (регион)"
    # The district's own published version comes before the region's.
    OrderTemplate.objects.create(
        organisation=school_a.parent, kind=OrderKind.PAIRS, title="О парах (район)", points=[], is_published=True
    )
    order = order_draft(organisation=school_a, kind=OrderKind.PAIRS, programme=programme, user=curator)
    assert order.title == "О парах (район)"


def test_the_annual_report_works_one_level_up(client, region_officer, region, second_district, school_a):
    from openpyxl import load_workbook

    client.force_login(region_officer)
    page = client.get(_url("reports:district_report", region))
    assert page.status_code == 200
    assert {row.school.slug for row in page.context["report"]["schools"]} == {"school-a", "school-forest"}
    xlsx = client.get(_url("reports:district_report_xlsx", region))
    assert xlsx.status_code == 200
    sheet = load_workbook(__import__("io").BytesIO(xlsx.content)).worksheets[0]
    text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)
    assert "МКОУ Лесная ООШ" in text
    # A region's report speaks of the region, not of a district.
    assert "Итого по региону" in text and "район" not in text.replace("районах", "")
    assert "в образовательных организациях региона" in page.content.decode()
    pdf = client.get(_url("reports:district_report_pdf", region))
    pages = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(pages.split())
    assert "Итого по региону" in flat and "Школ в регионе" in flat and "по району" not in flat
    # The registers name people: a district's page only.
    assert client.get(_url("reports:district_registers", region)).status_code == 404


def test_the_region_officer_reads_and_drafts_the_regions_own_orders(client, region_officer, region):
    from reports.orders.services import order_draft

    order = order_draft(organisation=region, kind="district_implementation", programme=None, user=region_officer)
    client.force_login(region_officer)
    assert client.get(_url("reports:order_detail", region, pk=order.pk)).status_code == 200
    assert client.get(_url("reports:order_list", region)).status_code == 200
