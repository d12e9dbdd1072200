"""Individual plans: who edits which plan, fulfilment, approval, the list's queries, the PDF."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from mentorship.models import IndividualPlan, PlanItem
from mentorship.services_plans import ERROR_PLAN_APPROVED, ERROR_PLAN_EMPTY, plan_approve, plan_for_pair, plan_save
from mentorship.tests.factories import PairFactory
from participants.models import AccessLogEntry
from participants.tests.factories import PersonFactory, TeacherFactory


def _url(name, pair):
    return reverse(f"mentorship:{name}", kwargs={"org": pair.organisation.slug, "pair_pk": pair.pk})


def _post_data(goals="Повысить успеваемость", items=(), initial=0, extra=3):
    """Formset POST data: ``items`` are dicts of fields, the first ``initial`` ones existing items."""
    rows = list(items) + [{}] * extra
    data = {
        "goals": goals,
        "tasks": "Разобрать дроби",
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def _items(pair, count, done=0):
    plan = plan_for_pair(pair=pair)
    PlanItem.objects.bulk_create(
        PlanItem(organisation=pair.organisation, plan=plan, position=i, activity=f"Занятие {i}", done=i < done)
        for i in range(count)
    )
    return plan


@pytest.fixture
def own_pair(school_a, mentor_a):
    return PairFactory(mentor=TeacherFactory(organisation=school_a, user=mentor_a))


def test_methodist_edits_any_plan_of_the_school(client, school_a, member):
    pair = PairFactory(organisation=school_a)
    client.force_login(member(school_a, "methodist"))
    response = client.post(
        _url("plan_edit", pair),
        _post_data(
            items=[
                {"activity": "Встреча-знакомство", "due_on": "2026-09-10", "work_form": "беседа", "done": "on"},
                {"activity": "Разбор задач", "expected_result": "решает задачи на дроби"},
            ]
        ),
    )
    assert response.status_code == 302
    plan = IndividualPlan.objects.get(pair=pair)
    assert plan.goals == "Повысить успеваемость" and plan.organisation == school_a
    items = list(plan.items.all())
    assert [i.activity for i in items] == ["Встреча-знакомство", "Разбор задач"]
    assert items[0].done and items[0].done_on and items[0].due_on == datetime.date(2026, 9, 10)
    assert not items[1].done and items[1].done_on is None
    page = client.get(_url("plan_edit", pair)).content.decode()
    assert "Выполнено 1 из 2" in page and "50 %" in page


def test_editing_and_deleting_existing_items(client, school_a, member):
    pair = PairFactory(organisation=school_a)
    plan = _items(pair, 2)
    first, second = plan.items.all()
    client.force_login(member(school_a, "methodist"))
    data = _post_data(
        items=[
            {"id": first.pk, "activity": "Занятие 0 (изменено)", "done": "on"},
            {"id": second.pk, "activity": second.activity, "DELETE": "on"},
        ],
        initial=2,
    )
    assert client.post(_url("plan_edit", pair), data).status_code == 302
    assert list(plan.items.values_list("activity", "done")) == [("Занятие 0 (изменено)", True)]


def test_mentor_edits_own_pairs_plan(client, own_pair, mentor_a):
    client.force_login(mentor_a)
    assert client.get(_url("plan_edit", own_pair)).status_code == 200
    response = client.post(_url("plan_edit", own_pair), _post_data(items=[{"activity": "Встреча"}]))
    assert response.status_code == 302
    assert own_pair.plan.items.count() == 1


def test_mentor_gets_404_for_another_pair_of_the_school(client, school_a, own_pair, mentor_a):
    other = PairFactory(organisation=school_a)
    client.force_login(mentor_a)
    assert client.get(_url("plan_edit", other)).status_code == 404
    assert client.post(_url("plan_edit", other), _post_data(items=[{"activity": "x"}])).status_code == 404
    assert not IndividualPlan.objects.filter(pair=other, items__isnull=False).exists()
    pdf = reverse("reports:plan_pdf", kwargs={"org": school_a.slug, "pair_pk": other.pk})
    assert client.get(pdf).status_code == 404


def test_mentor_gets_403_on_the_schools_plan_list(client, school_a, own_pair, mentor_a):
    client.force_login(mentor_a)
    response = client.get(reverse("mentorship:plan_list", kwargs={"org": school_a.slug}))
    assert response.status_code == 403
    assert "Недостаточно прав" in response.content.decode()


def test_fulfilment_on_the_plan_list(client, school_a, member):
    _items(PairFactory(organisation=school_a), 4, done=3)
    _items(PairFactory(organisation=school_a), 3, done=0)
    PairFactory(organisation=school_a)  # no plan yet
    client.force_login(member(school_a, "methodist"))
    page = client.get(reverse("mentorship:plan_list", kwargs={"org": school_a.slug})).content.decode()
    assert "75 %" in page and "0 %" in page and "не составлен" in page
    # 3 of 7 items overall: 42.86 % is 43 % (half up, as every figure), not 42 %.
    assert "Выполнено 3 из 7 пунктов планов — 43 %" in page


def test_plan_list_query_count_does_not_grow(client, school_a, member):
    client.force_login(member(school_a, "methodist"))
    url = reverse("mentorship:plan_list", kwargs={"org": school_a.slug})

    def rows(count):
        for _ in range(count):
            pair = PairFactory(organisation=school_a, mentees=[PersonFactory(organisation=school_a) for _ in range(2)])
            _items(pair, 3, done=1)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    rows(2)
    few = queries()
    rows(10)
    assert queries() == few


def test_plan_approve(school_a, curator_a):
    pair = PairFactory(organisation=school_a)
    plan = plan_for_pair(pair=pair)
    with pytest.raises(ValidationError) as error:
        plan_approve(plan=plan, user=curator_a, on=datetime.date(2026, 9, 15))
    assert error.value.messages == [ERROR_PLAN_EMPTY]
    plan_save(plan=plan, goals="", tasks="", items=[{"activity": "Встреча-знакомство"}])
    plan = plan_approve(plan=plan, user=curator_a, on=datetime.date(2026, 9, 15))
    assert plan.status == IndividualPlan.Status.APPROVED and plan.approved_on == datetime.date(2026, 9, 15)
    with pytest.raises(ValidationError) as error:
        plan_approve(plan=plan, user=curator_a, on=datetime.date(2026, 9, 16))
    assert error.value.messages == [ERROR_PLAN_APPROVED]


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_plan_pdf_is_printed_and_journaled(client, school_a, member):
    mentor = TeacherFactory(organisation=school_a, last_name="Яковенко", first_name="Оксана", patronymic="Николаевна")
    mentee = PersonFactory(organisation=school_a, last_name="Черных", first_name="Илья", patronymic="Сергеевич")
    pair = PairFactory(mentor=mentor, mentees=[mentee])
    plan = plan_for_pair(pair=pair)
    plan_save(
        plan=plan,
        goals="Повысить успеваемость по математике",
        tasks="",
        items=[
            {"activity": "Встреча-знакомство", "due_on": datetime.date(2026, 9, 10), "done": True},
            {"activity": "Разбор олимпиадных задач", "work_form": "практикум"},
        ],
    )
    user = member(school_a, "methodist")
    client.force_login(user)
    text = _pdf_text(client.get(reverse("reports:plan_pdf", kwargs={"org": school_a.slug, "pair_pk": pair.pk})))
    assert "Индивидуальный план" in text
    assert "Яковенко Оксана Николаевна" in text and "Черных Илья Сергеевич" in text
    assert "Повысить успеваемость по математике" in text
    assert "Встреча-знакомство" in text and "10.09.2026" in text and "практикум" in text
    assert "Выполнено 1 из 2 мероприятий (50 %)" in text
    assert "УТВЕРЖДАЮ" in text and "Проект плана, не утверждён." in text
    record = AccessLogEntry.objects.get(organisation=school_a)
    assert record.action == AccessLogEntry.Action.PRINT and record.user == user and record.people_count == 2


def test_plan_pdf_names_a_girl_наставляемая(client, school_a, member):
    mentor = TeacherFactory(organisation=school_a, last_name="Яковенко", first_name="Оксана", patronymic="Николаевна")
    mentee = PersonFactory(
        organisation=school_a, last_name="Черных", first_name="Анна", patronymic="Сергеевна", gender="F"
    )
    pair = PairFactory(mentor=mentor, mentees=[mentee])
    plan_save(plan=plan_for_pair(pair=pair), goals="Подготовиться к олимпиаде", tasks="", items=[])
    client.force_login(member(school_a, "methodist"))
    text = _pdf_text(client.get(reverse("reports:plan_pdf", kwargs={"org": school_a.slug, "pair_pk": pair.pk})))
    assert "Наставляемая Черных Анна Сергеевна" in text
    assert "Наставляемая ______________ / Черных А. С. /" in text
    assert "Наставляемый" not in text
