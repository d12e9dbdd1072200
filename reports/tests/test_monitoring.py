"""Monitoring campaigns (issue 20): a district or region opens one, schools fill it (computed
values prefilled, changes need a reason), the deputy or director submits, the authority returns or
accepts; answers are frozen on submission; the consolidated table, the reminder and the XLSX in
the authority's own layout."""

import datetime
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from organisations.tests.factories import DistrictFactory, SchoolFactory
from participants.tests.factories import PersonFactory
from reports.analytics.models import Indicator
from reports.monitoring import selectors, services
from reports.monitoring.models import ExportColumn, Response

DEADLINE = datetime.date(2027, 1, 20)


@pytest.fixture
def entered(reference_data, region):
    return Indicator.objects.create(
        organisation=region,
        code="events",
        title="Проведено мероприятий",
        short_title="Мероприятия",
        unit=Indicator.Unit.COUNT,
        measure="entered",
        position=900,
    )


@pytest.fixture
def campaign(reference_data, region, district, school_a, school_b, entered):
    involved = Indicator.objects.get(organisation=None, code="students_involved")
    return services.open_campaign(
        organisation=region,
        title="Мониторинг ЦМН, I полугодие",
        school_year=2026,
        deadline=DEADLINE,
        indicators=[involved, entered],
        schools=[school_a, school_b],
        questions=[("Число педагогов-наставников", "number"), ("Комментарий", "text")],
    )


def _values(response, **by_code):
    values = {}
    for answer in response.answers.select_related("indicator"):
        if answer.indicator_id and answer.indicator.code in by_code:
            values[answer.pk] = by_code[answer.indicator.code]
    return values


def test_a_district_opens_only_for_its_own_schools(reference_data, district, region):
    foreign = SchoolFactory(parent=DistrictFactory(slug="d-x"))
    with pytest.raises(ValidationError, match="не входит"):
        services.open_campaign(
            organisation=district, title="М", school_year=2026, deadline=DEADLINE, indicators=[], schools=[foreign]
        )


def test_the_flow_freezes_answers_and_returns_and_accepts(campaign, school_a, member):
    for _ in range(4):
        PersonFactory(organisation=school_a, category="student")
    response = campaign.responses.get(organisation=school_a)
    assert response.status == Response.Status.NOT_STARTED
    response = services.start_response(response=response)
    assert response.status == Response.Status.DRAFT
    involved = response.answers.get(indicator__code="students_involved")
    assert involved.computed == 0 and involved.denominator == 4
    with pytest.raises(ValidationError, match="укажите причину"):
        services.save_answers(response=response, values=_values(response, students_involved={"value": 50}))
    curator = member(school_a, "curator")
    deputy = member(school_a, "deputy_director")
    values = _values(
        response, students_involved={"value": 50, "reason": "пары сформированы 1 декабря"}, events={"value": 3}
    )
    with pytest.raises(ValidationError, match="директор или заместитель"):
        services.save_answers(response=response, values=values, submit=True, user=curator)
    services.save_answers(response=response, values=values, submit=True, user=deputy)
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    with pytest.raises(ValidationError, match="уже отправлен"):
        services.save_answers(response=response, values={}, user=deputy)
    with pytest.raises(ValidationError, match="Напишите"):
        services.return_response(response=response, comment=" ")
    services.return_response(response=response, comment="Уточните число мероприятий")
    services.save_answers(response=response, values=_values(response, events={"value": 4}), submit=True, user=deputy)
    services.accept_response(response=Response.objects.get(pk=response.pk))
    # A later change of the school's data does not alter the submitted report.
    for _ in range(6):
        PersonFactory(organisation=school_a, category="student")
    table = selectors.consolidated(campaign)
    row = next(row for row in table.rows if row.school == school_a)
    assert row.response.status == Response.Status.ACCEPTED
    assert row.cells["students_involved"].value == 50 and row.cells["students_involved"].changed
    assert row.cells["events"].value == 4  # the school-entered indicator is in the table


def test_consolidated_totals_by_district_and_region(campaign, region, school_a, school_b, member):
    second = DistrictFactory(slug="district-small", parent=region)
    forest = SchoolFactory(parent=second, slug="forest")
    Response.objects.create(organisation=forest, campaign=campaign)
    for school, events in ((school_a, 3), (school_b, 5), (forest, 2)):
        response = services.start_response(response=campaign.responses.get(organisation=school))
        services.save_answers(response=response, values=_values(response, events={"value": events}))
    table = selectors.consolidated(campaign)
    totals = {district.slug: cells["events"].value for district, _, cells in table.districts}
    assert totals == {"district-a": 8, "district-small": 2}
    assert table.totals["events"].value == 10


def test_reminder_notifies_the_late_schools_once_a_day(campaign, school_a, school_b, member, settings):
    from django.core.management import call_command

    from organisations.notifications.models import Notification

    settings.DEFAULT_FROM_EMAIL = "nastavnik@example.org"
    director_a = member(school_a, "director")
    director_a.email = "director-a@example.org"
    director_a.save()
    director_b = member(school_b, "director")
    director_b.email = "director-b@example.org"
    director_b.save()
    response_b = services.start_response(response=campaign.responses.get(organisation=school_b))
    Response.objects.filter(pk=response_b.pk).update(status=Response.Status.ACCEPTED)
    schools, people = services.remind_late(campaign=campaign)
    assert (schools, people) == (1, 1)
    (notice,) = Notification.objects.filter(kind="monitoring.late")
    assert notice.recipient == director_a and notice.organisation == school_a
    assert "«Мониторинг ЦМН, I полугодие» ещё не отправлена" in notice.text
    assert notice.url == reverse("reports:campaign_fill", kwargs={"org": school_a.slug, "pk": campaign.pk})
    call_command("send_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [message.to for message in mail.outbox] == [["director-a@example.org"]]
    assert "Мониторинг ЦМН, I полугодие" in mail.outbox[0].body
    # Pressed again the same day: nobody is told twice.
    assert services.remind_late(campaign=campaign) == (1, 0)
    assert services.reminder_message(1, 1) == "Напоминание отправлено 1 школе: 1 получатель."
    assert services.reminder_message(2, 5) == "Напоминание отправлено 2 школам: 5 получателей."


def test_xlsx_follows_the_regions_column_mapping(campaign, region, school_a, school_b, client, region_officer, entered):
    response = services.start_response(response=campaign.responses.get(organisation=school_a))
    services.save_answers(response=response, values=_values(response, events={"value": 7}))
    ExportColumn.objects.create(organisation=region, column=2, header="Наименование ОО", source="school")
    ExportColumn.objects.create(
        organisation=region, column=5, header="Кол-во мероприятий", source="indicator", indicator=entered
    )
    ExportColumn.objects.create(organisation=region, column=1, header="МО", source="district")
    client.force_login(region_officer)
    page = client.get(reverse("reports:campaign_xlsx", kwargs={"org": region.slug, "pk": campaign.pk}))
    sheet = load_workbook(BytesIO(page.content)).active
    assert [sheet.cell(1, c).value for c in range(1, 6)] == ["МО", "Наименование ОО", None, None, "Кол-во мероприятий"]
    rows = {
        sheet.cell(r, 2).value: (sheet.cell(r, 1).value, sheet.cell(r, 5).value) for r in range(2, sheet.max_row + 1)
    }
    assert rows["МБОУ СОШ № 1"] == ("УО Заречного района", 7)
    assert rows["МБОУ СОШ № 2"] == ("УО Заречного района", None)
    assert rows["Итого: УО Заречного района"][1] == 7
    assert rows[f"Итого: {region.short_name}"][1] == 7


def test_campaign_page_counts_and_queries_do_not_grow(
    campaign, region, client, region_officer, django_assert_max_num_queries
):
    client.force_login(region_officer)
    url = reverse("reports:campaign_detail", kwargs={"org": region.slug, "pk": campaign.pk})
    page = client.get(url)
    assert next((status, n) for status, _, n in page.context["counts"]) == ("not_started", 2)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    district = DistrictFactory(slug="d-more", parent=region)
    for n in range(5):
        Response.objects.create(organisation=SchoolFactory(parent=district, slug=f"more-{n}"), campaign=campaign)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_school_sees_the_form_on_its_dashboard_and_fills_it_in_the_browser_flow(campaign, school_a, client, member):
    deputy = member(school_a, "deputy_director")
    client.force_login(deputy)
    home = client.get(reverse("reports:dashboard", kwargs={"org": school_a.slug})).content.decode()
    assert "Мониторинг ЦМН, I полугодие" in home
    url = reverse("reports:campaign_fill", kwargs={"org": school_a.slug, "pk": campaign.pk})
    client.post(url, {"action": "start"})
    response = campaign.responses.get(organisation=school_a)
    events = response.answers.get(indicator__code="events")
    page = client.post(url, {"action": "submit", f"value_{events.pk}": "abc"}, follow=True)
    assert "введите число" in page.content.decode()
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT
