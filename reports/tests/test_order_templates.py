"""Adapting order templates: a school's own version, a district's published one, the Положение."""

import pytest
from django.urls import reverse

from mentorship.tests.factories import ProgrammeFactory
from organisations.roles import Role
from organisations.tests.factories import MembershipFactory, SchoolFactory, UserFactory
from reports.models import OrderKind, OrderTemplate, Regulation
from reports.orders.services import order_draft

pytestmark = pytest.mark.django_db


def _member(organisation, role):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def _template_post(title, action, publish=False):
    data = {
        "title": title,
        "preamble": "В целях {organisation_short}",
        "control_text": "Контроль оставляю за собой.",
        "points-TOTAL_FORMS": "1",
        "points-INITIAL_FORMS": "0",
        "points-0-action": action,
        "points-0-responsible": "{curator_initials}",
        "points-0-deadline": "постоянно",
    }
    if publish:
        data["is_published"] = "on"
    return data


def test_district_publishes_a_template_and_its_school_drafts_from_it(client, reference_data):
    school = SchoolFactory()
    district = school.parent
    client.force_login(_member(district, Role.DISTRICT_OFFICER))
    url = reverse("reports:order_template_edit", kwargs={"org": district.slug, "kind": "pairs"})
    # District officers adapt school kinds? No: a district edits its own kinds only.
    assert client.get(url).status_code == 404
    district_kind_url = reverse(
        "reports:order_template_edit", kwargs={"org": district.slug, "kind": "district_curator"}
    )
    assert client.get(district_kind_url).status_code == 200

    # A school-kind template published by the district reaches the school.
    OrderTemplate.objects.create(
        organisation=district, kind=OrderKind.PAIRS, title="О парах (район)", points=[], is_published=True
    )
    curator = _member(school, Role.CURATOR)
    order = order_draft(
        organisation=school, kind=OrderKind.PAIRS, programme=ProgrammeFactory(organisation=school), user=curator
    )
    assert order.title == "О парах (район)"


def test_school_saves_its_own_version_and_resets_it(client, reference_data):
    school = SchoolFactory(short_name="Школа № 7")
    client.force_login(_member(school, Role.CURATOR))
    url = reverse("reports:order_template_edit", kwargs={"org": school.slug, "kind": "final_event"})
    response = client.post(
        url, _template_post("О проведении праздника наставничества", "Провести праздник {school_year}.")
    )
    assert response.status_code == 302
    own = OrderTemplate.objects.get(organisation=school, kind=OrderKind.FINAL_EVENT)
    assert own.points == [
        {"action": "Провести праздник {school_year}.", "responsible": "{curator_initials}", "deadline": "постоянно"}
    ]
    assert own.based_on is not None and own.based_on.organisation is None
    assert not own.is_published, "a school does not publish"
    page = client.get(reverse("reports:order_templates", kwargs={"org": school.slug})).content.decode()
    assert "своя редакция" in page

    client.post(reverse("reports:order_template_reset", kwargs={"org": school.slug, "kind": "final_event"}))
    assert not OrderTemplate.objects.filter(organisation=school).exists()


def test_a_misspelt_placeholder_is_refused_with_a_clear_message(client, reference_data):
    school = SchoolFactory()
    client.force_login(_member(school, Role.CURATOR))
    url = reverse("reports:order_template_edit", kwargs={"org": school.slug, "kind": "final_event"})
    response = client.post(url, _template_post("О празднике", "Назначить {curator_acusative} ответственным."))
    assert response.status_code == 200
    assert "Пункт 1: неизвестная подстановка {curator_acusative}" in response.content.decode()
    assert not OrderTemplate.objects.filter(organisation=school).exists()


def test_own_regulation_goes_into_the_implementation_order(client, reference_data):
    school = SchoolFactory(full_name="Муниципальное бюджетное общеобразовательное учреждение «Школа № 7»")
    curator = _member(school, Role.CURATOR)
    client.force_login(curator)
    url = reverse("reports:regulation_edit", kwargs={"org": school.slug})
    assert "Общие положения" in client.get(url).content.decode()
    client.post(
        url, {"title": "Положение о наставничестве", "body": "# 1. Общее\n\nНастоящее положение {organisation_full}."}
    )
    assert Regulation.objects.filter(organisation=school).exists()
    order = order_draft(
        organisation=school,
        kind=OrderKind.IMPLEMENTATION,
        programme=ProgrammeFactory(organisation=school),
        user=curator,
    )
    assert order.regulation_text == (
        "# 1. Общее\n\nНастоящее положение Муниципальное бюджетное общеобразовательное учреждение «Школа № 7»."
    )


def test_a_misspelt_placeholder_in_the_title_is_shown_next_to_the_title(client, reference_data):
    school = SchoolFactory()
    client.force_login(_member(school, Role.CURATOR))
    url = reverse("reports:order_template_edit", kwargs={"org": school.slug, "kind": "final_event"})
    response = client.post(url, _template_post("О празднике {shool_year}", "Провести праздник."))
    assert response.context["form"].errors["title"] == [
        "Неизвестная подстановка {shool_year}. Доступные подстановки перечислены справа от формы."
    ]
    assert not OrderTemplate.objects.filter(organisation=school).exists()
