"""The front page per role (reports.home.sections): each role sees its own items, a link to where the
work is done, a count and the oldest date; empty sections say what comes next; another school's items
never show; the number of queries stays the same as the school grows, for every role."""

import datetime
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.models import IndividualPlan, Meeting, Pair, PlanItem
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.tests.factories import MembershipFactory
from participants.models import Invitation
from participants.tests.factories import TeacherFactory
from participants.tests.factories_questionnaires import make_template
from reports.home.sections import SECTIONS, Section, home_sections, quarter_bounds
from reports.models import Order, OrderKind
from roadmap.tests.factories import ItemFactory, RoadmapFactory

pytestmark = pytest.mark.usefixtures("reference_data")

ROLES = ("director", "deputy_director", "curator", "methodist", "mentor")


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _grow(school, n: int, *, mentor_person=None, submitter=None, returner=None) -> None:
    """``n`` of every kind of thing a home section lists, in ``school``."""
    today = timezone.localdate()
    template = make_template(organisation=school, title=f"Анкета {n}-{secrets.token_hex(2)}")
    for i in range(n):
        Order.objects.create(
            organisation=school,
            kind=OrderKind.FINAL_EVENT,
            title=f"О проведении итогового мероприятия {i}",
            status=Order.Status.SUBMITTED,
            submitted_at=_ago(5 + i),
            submitted_by=submitter,
        )
        Order.objects.create(
            organisation=school,
            kind=OrderKind.FINAL_EVENT,
            title=f"О наставничестве {i}",
            status=Order.Status.RETURNED,
            return_comment="Уточните сроки.",
            returned_by=returner,
        )
        ItemFactory(section__roadmap__organisation=school, deadline="Сентябрь 2026")
        # A pair silent for 40 days, with a draft plan and an overdue item; its mentee has no consent.
        pair = (
            PairFactory(organisation=school, mentor=mentor_person)
            if mentor_person
            else PairFactory(organisation=school)
        )
        Meeting.objects.create(organisation=school, pair=pair, starts_at=_ago(40 + i))
        plan = IndividualPlan.objects.create(organisation=school, pair=pair)
        PlanItem.objects.create(
            organisation=school, plan=plan, activity=f"Разбор задач {i}", due_on=today - datetime.timedelta(days=3)
        )
        Invitation.objects.create(
            organisation=school,
            template=template,
            person=pair.pair_mentees.first().mentee,
            token_hash=secrets.token_hex(32),
            expires_at=timezone.now() + datetime.timedelta(days=10),
        )


def _get(client, school):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:dashboard", kwargs={"org": school.slug}))
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def _sections(response) -> dict[str, list]:
    return {filled.section.key: filled.items for filled in response.context["home"]}


@pytest.fixture
def mentor_person(school_a, member):
    user = member(school_a, "mentor")
    return TeacherFactory(organisation=school_a, user=user, last_name="Кляпка")


def test_director_sees_orders_to_sign_with_days_and_who_submitted(client, school_a, member):
    director = member(school_a, "director")
    submitter = member(school_a, "curator")
    submitter.last_name, submitter.first_name = "Николаева", "Ольга"
    submitter.save()
    _grow(school_a, 2, submitter=submitter, returner=director)
    # Returned by the methodist's visa, not by the director: not in the director's list.
    Order.objects.create(
        organisation=school_a,
        kind=OrderKind.FINAL_EVENT,
        title="Возвращён методистом",
        status=Order.Status.RETURNED,
        returned_by=member(school_a, "methodist"),
    )
    client.force_login(director)
    response, _ = _get(client, school_a)
    sections = _sections(response)
    (to_sign,) = sections["to_sign"]
    assert to_sign.count == 2 and to_sign.oldest == timezone.localdate() - datetime.timedelta(days=6)
    assert to_sign.url.endswith("/orders/?status=submitted")
    assert to_sign.rows[0].note == "ждёт 6 дней; кто передал: Николаева Ольга Андреевна"
    oldest_order = Order.objects.get(title="О проведении итогового мероприятия 1")
    assert to_sign.rows[0].url == reverse("reports:order_detail", kwargs={"org": school_a.slug, "pk": oldest_order.pk})
    (returned,) = sections["returned_by_me"]
    assert returned.count == 2 and "Возвращён методистом" not in {row.text for row in returned.rows}
    assert "returned" not in sections  # the curators' list of every returned order
    assert "indicators" in sections
    body = response.content.decode()
    assert "На подпись" in body and "ждёт 6 дней; кто передал: Николаева Ольга Андреевна" in body
    # Not the curator's or the mentor's sections.
    assert "inactive_pairs" not in sections and "my_pairs" not in sections


def test_curator_sees_the_programme_roadmap_silent_pairs_consents_and_questionnaires(client, school_a, curator_a):
    _grow(school_a, 2)
    client.force_login(curator_a)
    response, _ = _get(client, school_a)
    sections = _sections(response)
    assert set(sections) == {"visas", "returned", "stage", "roadmap", "inactive_pairs", "consents", "questionnaires"}
    (overdue,) = sections["roadmap"]
    assert overdue.count == 2 and overdue.oldest == datetime.date(2026, 9, 30)
    (silent,) = sections["inactive_pairs"]
    assert silent.count == 2 and silent.rows[0].note == "без встреч 41 день"
    assert silent.oldest == timezone.localdate() - datetime.timedelta(days=41)
    assert {row.text for row in silent.rows} == {pair.label for pair in Pair.objects.labelled()}
    assert sections["consents"][0].count == 4  # two mentors and two mentees, none with a consent
    (low,) = sections["questionnaires"]
    assert low.rows[0].note == "ответили 0 из 2" and "pending=1" in low.rows[0].url


def test_methodist_sees_plans_overdue_items_and_diagnostics(client, school_a, member):
    _grow(school_a, 2)
    client.force_login(member(school_a, "methodist"))
    response, _ = _get(client, school_a)
    sections = _sections(response)
    assert set(sections) == {"visas", "plans", "plan_items", "diagnostics"}
    assert sections["plans"][0].count == 2 and sections["plans"][0].rows[0].note == "план: черновик"
    assert sections["plan_items"][0].count == 2
    diagnostics = sections["diagnostics"][0]
    assert diagnostics.count == 4 and diagnostics.oldest == quarter_bounds(timezone.localdate())[1]


def test_mentor_sees_own_pairs_next_meeting_plan_items_and_feedback(client, school_a, mentor_person):
    _grow(school_a, 1, mentor_person=mentor_person)
    _grow(school_a, 1)  # another mentor's pair: not in the list
    pair = mentor_person.mentor_pairs.get()
    Meeting.objects.create(organisation=school_a, pair=pair, starts_at=timezone.now() + datetime.timedelta(days=2))
    client.force_login(mentor_person.user)
    response, _ = _get(client, school_a)
    sections = _sections(response)
    assert set(sections) == {"my_pairs", "my_plan_items", "my_feedback"}
    (pairs,) = sections["my_pairs"]
    assert pairs.count == 1 and pairs.rows[0].note.startswith("следующая встреча — ")
    assert sections["my_plan_items"][0].count == 1
    (feedback,) = sections["my_feedback"]
    assert feedback.count == 1 and "/meetings/" in feedback.rows[0].url


def test_a_person_with_two_roles_sees_the_sections_of_both_once(client, school_a, member):
    user = member(school_a, "director")
    MembershipFactory(organisation=school_a, role="curator", user=user)
    MembershipFactory(organisation=school_a, role="methodist", user=user)
    client.force_login(user)
    response, _ = _get(client, school_a)
    keys = [filled.section.key for filled in response.context["home"]]
    assert keys.count("returned") == 1
    assert {"to_sign", "stage", "plans"} <= set(keys)


def test_empty_sections_say_all_done_and_what_comes_next(client, school_a, member):
    client.force_login(member(school_a, "director"))
    body = _get(client, school_a)[0].content.decode()
    assert "Всё сделано</strong> — дальше: приказов на утверждении нет" in body


def test_another_schools_items_never_show(client, school_a, school_b, curator_b, member):
    _grow(school_a, 2)
    client.force_login(member(school_b, "director"))
    response, _ = _get(client, school_b)
    assert not _sections(response)["to_sign"] and not _sections(response)["returned_by_me"]
    client.force_login(curator_b)
    sections = _sections(_get(client, school_b)[0])
    assert not sections["roadmap"] and not sections["inactive_pairs"] and not sections["consents"]


@pytest.mark.parametrize("role", ROLES)
def test_home_query_count_does_not_grow_with_the_school(client, school_a, member, role):
    user = member(school_a, role)
    mentor_person = TeacherFactory(organisation=school_a, user=user) if role == "mentor" else None
    client.force_login(user)
    # Every section empty but the school has this year's programme and a roadmap (the stage checklist
    # is a fixed set of queries per programme and roadmap): the same queries still run.
    ProgrammeFactory(organisation=school_a)
    RoadmapFactory(organisation=school_a)
    empty = _get(client, school_a)[1]
    _grow(school_a, 1, mentor_person=mentor_person)
    few = _get(client, school_a)[1]
    _grow(school_a, 8, mentor_person=mentor_person)
    assert _get(client, school_a)[1] == few == empty


def test_district_officer_sees_schools_behind_furthest_first(client, district, school_a, school_b, district_officer):
    _grow(school_a, 1)
    _grow(school_b, 3)
    client.force_login(district_officer)
    response, _ = _get(client, district)
    (behind,) = [f for f in response.context["home"] if f.section.key == "schools_behind"]
    assert [item.text for item in behind.items[:2]] == ["МБОУ СОШ № 2", "МБОУ СОШ № 1"]
    assert behind.items[0].url == school_b.get_absolute_url()
    assert "просрочено мероприятий дорожной карты: 3" in behind.items[0].note


def test_district_home_query_count_does_not_grow_with_schools(client, district, school_a, district_officer):
    from organisations.tests.factories import SchoolFactory

    _grow(school_a, 1)
    client.force_login(district_officer)
    few = _get(client, district)[1]
    for n in range(3):
        _grow(SchoolFactory(slug=f"extra-{n}", parent=district), 2)
    assert _get(client, district)[1] == few


def test_a_new_section_is_one_entry(school_a, member, monkeypatch):
    """How the visas waiting for a person will be added: one selector and one Section."""
    from organisations.tenancy import resolve_access
    from reports.home.sections import HomeItem

    def visas(ctx):
        return [HomeItem("Визы ждут вас", ctx.url("reports:order_list"), 3, timezone.localdate())]

    monkeypatch.setattr(
        "reports.home.sections.SECTIONS",
        [*SECTIONS, Section("visas", "Визы, ожидающие вас", frozenset({"methodist"}), visas, "виз нет.")],
    )
    user = member(school_a, "methodist")
    filled = home_sections(access=resolve_access(user, school_a.slug), user=user)
    assert filled[-1].section.key == "visas" and filled[-1].count == 3
