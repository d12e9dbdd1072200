"""Orders: drafting from the template with live data, the approval workflow, numbering, effects."""

import datetime
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from mentorship.models import IndividualPlan, Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.roles import Role
from organisations.tests.factories import MembershipFactory, SchoolFactory, UserFactory
from participants.models import MentorEntry
from participants.tests.factories import MentorEntryFactory, PersonFactory, TeacherFactory
from reports.models import Order, OrderKind, OrderNumberSequence, OrderTemplate
from reports.orders.forms import OrderTextForm
from reports.orders.services import (
    order_approve,
    order_cancel,
    order_draft,
    order_return,
    order_save,
    order_submit,
    sequence_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return SchoolFactory(order_number_suffix="-ОД", director_name="Кляпка Ольга Викторовна")


@pytest.fixture
def director(school):
    user = UserFactory(last_name="Кляпка", first_name="Ольга", patronymic="Викторовна")
    MembershipFactory(user=user, organisation=school, role=Role.DIRECTOR)
    return user


@pytest.fixture
def curator(school):
    user = UserFactory(last_name="Николаева", first_name="Ольга", patronymic="Андреевна")
    MembershipFactory(user=user, organisation=school, role=Role.CURATOR)
    return user


@pytest.fixture
def programme(school):
    return ProgrammeFactory(organisation=school)


def _draft_pairs(programme, count=2):
    pairs = []
    for index in range(count):
        mentor = TeacherFactory(organisation=programme.organisation, last_name=f"Наставникова{index}")
        pairs.append(
            PairFactory(
                organisation=programme.organisation, programme=programme, mentor=mentor, status=Pair.Status.DRAFT
            )
        )
    return pairs


def _submitted(order, user):
    if not order.points.exists():
        order_save(order=order, fields={}, points=[{"action": "Закрепить пары."}], pairs=order.pairs.all())
    return order_submit(order=order, user=user)


def test_draft_takes_the_programmes_draft_pairs_and_the_standard_wording(school, programme, curator):
    pairs = _draft_pairs(programme)
    PairFactory(organisation=school, programme=programme, status=Pair.Status.ACTIVE)  # already working: not included
    order = order_draft(organisation=school, kind=OrderKind.PAIRS, programme=programme, user=curator)
    assert set(order.pairs.all()) == set(pairs)
    assert order.status == Order.Status.DRAFT
    template = OrderTemplate.objects.filter(kind=OrderKind.PAIRS, organisation=None).first()
    if template:  # the seeded standard wording, placeholders filled in
        assert order.points.count() == len(template.points)
        assert "{" not in order.title + order.preamble + "".join(p.action for p in order.points.all())


def test_a_district_template_published_to_schools_is_used_and_a_schools_own_wins(school, programme, curator):
    district = school.parent
    OrderTemplate.objects.create(
        organisation=district, kind=OrderKind.PAIRS, title="О парах района", points=[{"action": "Пункт района."}]
    )
    order = order_draft(organisation=school, kind=OrderKind.PAIRS, programme=programme, user=curator)
    assert order.title != "О парах района", "an unpublished district template is not offered"
    OrderTemplate.objects.filter(organisation=district).update(is_published=True)
    order = order_draft(organisation=school, kind=OrderKind.PAIRS, programme=programme, user=curator)
    assert order.title == "О парах района"
    assert [p.action for p in order.points.all()] == ["Пункт района."]
    OrderTemplate.objects.create(organisation=school, kind=OrderKind.PAIRS, title="О парах школы", points=[])
    order = order_draft(organisation=school, kind=OrderKind.PAIRS, programme=programme, user=curator)
    assert order.title == "О парах школы"


def test_implementation_order_names_the_curator_in_the_accusative(school, programme, curator):
    OrderTemplate.objects.update_or_create(
        organisation=school,
        kind=OrderKind.IMPLEMENTATION,
        defaults={"title": "О внедрении", "points": [{"action": "Назначить {curator_accusative} куратором."}]},
    )
    programme.curator = curator
    programme.save()
    order = order_draft(organisation=school, kind=OrderKind.IMPLEMENTATION, programme=programme, user=curator)
    assert order.points.get().action == "Назначить Николаеву Ольгу Андреевну куратором."


def test_approval_numbers_dates_freezes_and_activates_the_pairs(school, programme, curator, director):
    pairs = _draft_pairs(programme)
    order = order_draft(organisation=school, kind=OrderKind.PAIRS, programme=programme, user=curator)
    _submitted(order, curator)
    order = order_approve(order=order, user=director, on=datetime.date(2026, 10, 25))
    assert order.status == Order.Status.APPROVED
    assert order.number_label == "1-ОД"
    assert order.label == "от 25.10.2026 № 1-ОД"
    assert order.signer_name == "Кляпка Ольга Викторовна"
    for pair in pairs:
        pair.refresh_from_db()
        assert pair.status == Pair.Status.ACTIVE
        assert pair.approval_order == "Приказ от 25.10.2026 № 1-ОД"
    assert {row["mentor"] for row in order.snapshot["pairs"]} == {p.mentor.full_name for p in pairs}
    with pytest.raises(ValidationError, match="утверждённый приказ"):
        order_save(order=order, fields={"title": "Другой"}, points=[])


def test_numbers_follow_the_register_per_calendar_year(school, programme, curator, director):
    sequence_set(organisation=school, year=2026, last_number=55)
    labels = []
    for on in (datetime.date(2026, 12, 30), datetime.date(2026, 12, 31), datetime.date(2027, 1, 9)):
        order = order_draft(organisation=school, kind=OrderKind.FINAL_EVENT, programme=programme, user=curator)
        order_save(order=order, fields={}, points=[{"action": "Провести мероприятие."}])
        order_submit(order=order, user=curator)
        labels.append(order_approve(order=order, user=director, on=on).number_label)
    assert labels == ["56-ОД", "57-ОД", "1-ОД"]
    with pytest.raises(ValidationError, match="№ 57"):
        sequence_set(organisation=school, year=2026, last_number=10)


def test_returned_order_keeps_the_comment_and_can_be_resubmitted(school, programme, curator, director):
    _draft_pairs(programme, 1)
    order = order_draft(organisation=school, kind=OrderKind.PAIRS, programme=programme, user=curator)
    _submitted(order, curator)
    with pytest.raises(ValidationError, match="Напишите"):
        order_return(order=order, comment=" ", user=director)
    order = order_return(order=order, comment="Уточните сроки.", user=director)
    assert order.status == Order.Status.RETURNED and order.is_editable
    order = order_submit(order=order, user=curator)
    assert order.status == Order.Status.SUBMITTED and order.return_comment == ""


def test_a_pairs_order_without_pairs_or_points_is_not_submitted(school, programme, curator):
    order = order_draft(organisation=school, kind=OrderKind.PAIRS, programme=programme, user=curator)
    order_save(order=order, fields={}, points=[])
    with pytest.raises(ValidationError) as error:
        order_submit(order=order, user=curator)
    assert "ни одного пункта" in " ".join(error.value.messages)
    assert "ни одной пары" in " ".join(error.value.messages)


def test_a_failing_effect_rolls_back_the_whole_approval(school, programme, curator, director):
    (pair,) = _draft_pairs(programme, 1)
    order = order_draft(organisation=school, kind=OrderKind.PAIRS, programme=programme, user=curator)
    _submitted(order, curator)
    Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.ACTIVE)  # approved elsewhere meanwhile
    with pytest.raises(ValidationError, match="только черновик"):
        order_approve(order=order, user=director)
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED and order.number is None
    assert not OrderNumberSequence.objects.filter(organisation=school, last_number__gt=0).exists()


def test_register_plans_and_curator_orders_have_their_effects(school, programme, curator, director):
    entry = MentorEntryFactory(organisation=school, school_year=programme.school_year)
    order = order_draft(organisation=school, kind=OrderKind.MENTOR_REGISTER, programme=programme, user=curator)
    assert list(order.mentor_entries.all()) == [entry]
    order_save(order=order, fields={}, points=[{"action": "Утвердить реестр."}], mentor_entries=[entry])
    order_submit(order=order, user=curator)
    order_approve(order=order, user=director, on=datetime.date(2026, 9, 10))
    entry.refresh_from_db()
    assert entry.status == MentorEntry.Status.APPROVED and entry.approved_on == datetime.date(2026, 9, 10)

    pair = PairFactory(organisation=school, programme=programme, status=Pair.Status.ACTIVE)
    plan = IndividualPlan.objects.create(organisation=school, pair=pair, goals="Цели")
    plan.items.create(organisation=school, activity="Встреча")
    order = order_draft(organisation=school, kind=OrderKind.PLANS, programme=programme, user=curator)
    assert list(order.plans.all()) == [plan]
    order_save(order=order, fields={}, points=[{"action": "Утвердить планы."}], plans=[plan])
    order_submit(order=order, user=curator)
    order_approve(order=order, user=director, on=datetime.date(2026, 10, 1))
    plan.refresh_from_db()
    assert plan.status == IndividualPlan.Status.APPROVED and plan.approved_on == datetime.date(2026, 10, 1)

    other = UserFactory()
    order = order_draft(organisation=school, kind=OrderKind.IMPLEMENTATION, programme=programme, user=curator)
    order_save(order=order, fields={"curator": other}, points=[{"action": "Назначить куратора."}])
    order_submit(order=order, user=curator)
    order_approve(order=order, user=director)
    programme.refresh_from_db()
    assert programme.curator == other


def test_cancelling_needs_a_reason_and_keeps_the_order_in_the_register(school, programme, curator, director):
    order = order_draft(organisation=school, kind=OrderKind.FINAL_EVENT, programme=programme, user=curator)
    order_save(order=order, fields={}, points=[{"action": "Провести."}])
    order_submit(order=order, user=curator)
    order_approve(order=order, user=director)
    with pytest.raises(ValidationError, match="основание"):
        order_cancel(order=order, reason="", user=director)
    order = order_cancel(order=order, reason="Издан ошибочно.", user=director)
    assert order.status == Order.Status.CANCELLED and order.number_label == "1-ОД"


def test_a_school_cannot_draft_a_district_order(school, curator):
    with pytest.raises(ValidationError, match="управление образования"):
        order_draft(organisation=school, kind=OrderKind.DISTRICT_CURATOR, user=curator)


# --- Views -----------------------------------------------------------------------------------


def test_curator_drafts_edits_with_preview_and_submits_director_approves(client, school, programme, curator, director):
    _draft_pairs(programme, 1)
    client.force_login(curator)
    response = client.post(
        reverse("reports:order_new", kwargs={"org": school.slug}),
        {"kind": OrderKind.PAIRS, "programme": programme.pk},
    )
    order = school.orders.get()
    assert response.status_code == 302 and response.url.endswith(f"/orders/{order.pk}/edit/")
    edit_url = reverse("reports:order_edit", kwargs={"org": school.slug, "pk": order.pk})
    assert client.get(edit_url).status_code == 200
    data = {
        "title": "О закреплении наставнических пар",
        "preamble": "В целях реализации программы",
        "control_text": "Контроль оставляю за собой.",
        "pairs": [p.pk for p in order.pairs.all()],
        "points-TOTAL_FORMS": "2",
        "points-INITIAL_FORMS": "0",
        "points-0-action": "Закрепить наставнические пары согласно приложению № 1.",
        "points-0-responsible": "Николаева О.А.",
        "points-0-deadline": "до 01.11.2026",
        "points-1-action": "",
    }
    preview = client.post(reverse("reports:order_preview", kwargs={"org": school.slug, "pk": order.pk}), data)
    assert "Закрепить наставнические пары согласно приложению № 1." in preview.content.decode()
    order.refresh_from_db()
    assert order.title != "О закреплении наставнических пар" or order.points.count() != 1, "the preview saved nothing"
    response = client.post(edit_url, {**data, "submit": "1"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED
    assert [p.action for p in order.points.all()] == ["Закрепить наставнические пары согласно приложению № 1."]

    # The curator cannot approve; the director can.
    approve_url = reverse("reports:order_approve", kwargs={"org": school.slug, "pk": order.pk})
    assert client.post(approve_url).status_code == 403
    client.force_login(director)
    client.post(approve_url)
    order.refresh_from_db()
    assert order.status == Order.Status.APPROVED and order.number_label == "1-ОД"
    page = client.get(reverse("reports:order_detail", kwargs={"org": school.slug, "pk": order.pk})).content.decode()
    assert "№ 1-ОД" in page


def test_edit_form_shows_errors_next_to_the_point(client, school, programme, curator):
    order = order_draft(organisation=school, kind=OrderKind.FINAL_EVENT, programme=programme, user=curator)
    client.force_login(curator)
    response = client.post(
        reverse("reports:order_edit", kwargs={"org": school.slug, "pk": order.pk}),
        {
            "title": "О проведении",
            "points-TOTAL_FORMS": "1",
            "points-INITIAL_FORMS": "0",
            "points-0-action": "",
            "points-0-responsible": "Николаева О.А.",
        },
    )
    assert response.status_code == 200
    assert "Напишите, что предписывает пункт" in response.content.decode()


def test_register_query_count_does_not_grow_and_export_reopens(client, school, programme, curator):
    client.force_login(curator)
    url = reverse("reports:order_list", kwargs={"org": school.slug})

    def add(start, count):
        for index in range(start, start + count):
            Order.objects.create(
                organisation=school,
                kind=OrderKind.FINAL_EVENT,
                title=f"Приказ {index}",
                programme=programme,
                created_by=curator,
            )

    add(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(2, 20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert response.content.decode().count("Приказ 1") >= 1

    response = client.get(
        reverse("reports:export", kwargs={"org": school.slug, "identifier": "orders"}), {"q": "Приказ 2"}
    )
    sheet = load_workbook(filename=io.BytesIO(response.content)).active
    titles = [row[2] for row in sheet.iter_rows(values_only=True) if row[2] and str(row[2]).startswith("Приказ 2")]
    assert sorted(titles) == ["Приказ 2", "Приказ 20", "Приказ 21"]


def test_numbering_setting_is_for_the_director(client, school, director, curator):
    client.force_login(director)
    url = reverse("reports:order_sequence", kwargs={"org": school.slug})
    client.post(url, {"last_number": "55"})
    year = datetime.date.today().year
    assert OrderNumberSequence.objects.get(organisation=school, year=year).last_number == 55


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_share_a_number(school, programme, curator, director):
    """Two directors approve at the same moment: the row lock queues them (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the race is real only on PostgreSQL")
    orders = []
    for _ in range(6):
        order = order_draft(organisation=school, kind=OrderKind.FINAL_EVENT, programme=programme, user=curator)
        order_save(order=order, fields={}, points=[{"action": "Провести."}])
        orders.append(order_submit(order=order, user=curator))
    barrier = threading.Barrier(len(orders))
    errors = []

    def approve(order):
        try:
            barrier.wait()
            order_approve(order=order, user=director)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Order.objects.filter(organisation=school).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_a_person_of_another_school_is_not_offered(client, school, programme, curator):
    other = PersonFactory(organisation=SchoolFactory(), last_name="Чужаков")
    order = order_draft(organisation=school, kind=OrderKind.ENCOURAGEMENT, programme=programme, user=curator)
    client.force_login(curator)
    page = client.get(reverse("reports:order_edit", kwargs={"org": school.slug, "pk": order.pk})).content.decode()
    assert other.last_name not in page


def test_demo_school_has_its_orders_register(demo):
    orders = {order.kind: order for order in demo.orders.all()}
    pairs_order = orders[OrderKind.PAIRS]
    assert pairs_order.number_label == "45-ОД" and pairs_order.status == Order.Status.APPROVED
    assert len(pairs_order.snapshot["pairs"]) == demo.pairs.count()
    assert orders[OrderKind.FINAL_EVENT].status == Order.Status.SUBMITTED, "one order waits for the director"


def test_encouragement_order_names_the_people_picked_on_the_edit_page(school, programme, curator):
    order = order_draft(organisation=school, kind=OrderKind.ENCOURAGEMENT, programme=programme, user=curator)
    points = [{"action": p.action, "responsible": p.responsible, "deadline": p.deadline} for p in order.points.all()]
    assert points[0]["action"].endswith("в программе наставничества: {people_dative}.")
    klyapka = TeacherFactory(organisation=school, last_name="Кляпка", first_name="Ольга", patronymic="Викторовна")
    chernykh = TeacherFactory(
        organisation=school, last_name="Черных", first_name="Илья", patronymic="Сергеевич", gender="M"
    )

    order_save(order=order, fields={}, points=points, people=[klyapka, chernykh])
    thanked = order.points.get(position=1).action
    assert thanked.endswith("наставничества: Кляпке Ольге Викторовне, Черных Илье Сергеевичу.")

    # Unticking a person takes the name out of the text the page showed.
    order_save(order=order, fields={}, points=[{**points[0], "action": thanked}], people=[chernykh])
    assert order.points.get().action.endswith("наставничества: Черных Илье Сергеевичу.")


def test_plans_order_offers_only_plans_of_approved_and_working_pairs(school, programme, curator):
    plans = {}
    for status in (Pair.Status.DRAFT, Pair.Status.APPROVED, Pair.Status.ACTIVE):
        pair = PairFactory(organisation=school, programme=programme, status=status)
        plans[status] = IndividualPlan.objects.create(organisation=school, pair=pair, goals="Цели")
    order = order_draft(organisation=school, kind=OrderKind.PLANS, programme=programme, user=curator)
    offered = set(OrderTextForm(instance=order).fields["plans"].queryset)
    assert offered == {plans[Pair.Status.APPROVED], plans[Pair.Status.ACTIVE]}, "a draft pair's plan has no order yet"

    # A plan once listed stays offered, so saving the form never drops it silently.
    order.plans.add(plans[Pair.Status.DRAFT])
    assert plans[Pair.Status.DRAFT] in set(OrderTextForm(instance=order).fields["plans"].queryset)
