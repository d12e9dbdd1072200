"""Registers of the programme in XLSX: pairs and groups, meetings, plan fulfilment — reopened and read."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentorship.models import IndividualPlan, Meeting, MeetingAttendance, Pair, PlanItem
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from participants.models import MentoringForm, RoleModel
from participants.tests.factories import PersonFactory, TeacherFactory
from participants.tests.factories_consents import consent_for

TODAY = timezone.localdate()
EVIL = '=HYPERLINK("http://evil","нажми")'


def _url(school, identifier):
    return reverse("reports:export", kwargs={"org": school.slug, "identifier": identifier})


def _workbook(client, school, identifier, **params):
    response = client.get(_url(school, identifier), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _table(workbook):
    """(the lines above the header, the header, the data rows) of the first sheet."""
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(rows) if row and row[0] and row[1] and i > 0)
    notes = [row[0] for row in rows[:header_at] if row and row[0]]
    return notes, rows[header_at], [row for row in rows[header_at + 1 :] if any(v is not None for v in row)]


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _consented(*people):
    for person in people:
        consent_for(person)
    return people


def _plan(pair, *, done: int, overdue: int, future: int, status=IndividualPlan.Status.APPROVED):
    plan = IndividualPlan.objects.create(
        organisation=pair.organisation,
        pair=pair,
        status=status,
        approved_on=datetime.date(2026, 10, 1) if status == IndividualPlan.Status.APPROVED else None,
    )
    days = [(True, -40)] * done + [(False, -10)] * overdue + [(False, 30)] * future
    PlanItem.objects.bulk_create(
        PlanItem(
            organisation=pair.organisation,
            plan=plan,
            position=position,
            activity=f"Мероприятие {position}",
            due_on=TODAY + datetime.timedelta(days=offset),
            done=is_done,
            done_on=TODAY + datetime.timedelta(days=offset) if is_done else None,
        )
        for position, (is_done, offset) in enumerate(days, start=1)
    )
    return plan


def _meeting(pair, starts_at, attendees=(), **fields):
    meeting = Meeting.objects.create(organisation=pair.organisation, pair=pair, starts_at=starts_at, **fields)
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(organisation=pair.organisation, meeting=meeting, person=person) for person in attendees
    )
    return meeting


@pytest.fixture
def programme(school_a):
    return ProgrammeFactory(organisation=school_a, title="Программа «Шаг вперёд»")


@pytest.fixture
def role_model():
    form, _ = MentoringForm.objects.get_or_create(
        name="ученик – ученик", defaults={"audience": MentoringForm.Audience.STUDENTS}
    )
    return RoleModel.objects.get_or_create(form=form, name="успевающий – неуспевающий")[0]


@pytest.fixture
def pairs(school_a, school_b, programme, role_model):
    """Pairs of school A: a working group, a draft, a pair whose mentor withdrew (no consent) and a
    pair one of whose mentees has no consent; one pair of school B."""
    mentor = TeacherFactory(organisation=school_a, last_name="Николаева", first_name="Ольга", patronymic="Андреевна")
    cherny = PersonFactory(organisation=school_a, last_name="Черных", first_name="Илья", patronymic="Ильич")
    klyapka = PersonFactory(
        organisation=school_a,
        last_name="Кляпка",
        first_name="Ольга",
        patronymic="Сергеевна",
        gender="F",
        grade=8,
        class_letter="А",
    )
    _consented(mentor, cherny, klyapka)
    group = PairFactory(
        organisation=school_a,
        programme=programme,
        mentor=mentor,
        mentees=[cherny, klyapka],
        form=role_model.form,
        role_model=role_model,
        approval_order="от 01.10.2026 № 56-ОД",
    )
    _plan(group, done=2, overdue=1, future=1)
    year = programme.school_year
    _meeting(
        group,
        _aware(datetime.date(year, 10, 7), 14, 30),
        attendees=[cherny, klyapka],
        kind=Meeting.Kind.INTRODUCTION,
        duration_minutes=45,
        usefulness=9,
        topic="Знакомство",
        notes=EVIL,
    )
    _meeting(group, _aware(datetime.date(year, 11, 12), 15), attendees=[cherny], format=Meeting.Format.ONLINE)

    draft_mentor, draft_mentee = _consented(
        TeacherFactory(organisation=school_a, last_name="Яковенко"), PersonFactory(organisation=school_a)
    )
    draft = PairFactory(
        organisation=school_a, programme=programme, mentor=draft_mentor, mentees=[draft_mentee], status="draft"
    )

    silent_mentor = TeacherFactory(organisation=school_a, last_name="Безсогласия")
    silent_mentee = PersonFactory(organisation=school_a, last_name="Ученикбезсогласного")
    consent_for(silent_mentee)
    silent = PairFactory(organisation=school_a, programme=programme, mentor=silent_mentor, mentees=[silent_mentee])
    _plan(silent, done=1, overdue=0, future=0)
    _meeting(silent, _aware(datetime.date(year, 10, 8), 10))

    half_mentor, kept = _consented(
        TeacherFactory(organisation=school_a, last_name="Полякова"),
        PersonFactory(organisation=school_a, last_name="Согласный"),
    )
    hidden = PersonFactory(organisation=school_a, last_name="Скрытый")
    half = PairFactory(organisation=school_a, programme=programme, mentor=half_mentor, mentees=[kept, hidden])
    _meeting(half, _aware(datetime.date(year, 10, 20), 13), attendees=[kept, hidden])

    foreign_mentor, foreign_mentee = _consented(
        TeacherFactory(organisation=school_b, last_name="Чужая"), PersonFactory(organisation=school_b)
    )
    foreign = PairFactory(organisation=school_b, mentor=foreign_mentor, mentees=[foreign_mentee])
    _meeting(foreign, _aware(datetime.date(year, 10, 9), 10))
    return {"group": group, "draft": draft, "silent": silent, "half": half, "foreign": foreign}


def _by_mentor(data):
    return {str(row[0]).split()[0]: row for row in data}


# --- Pairs -----------------------------------------------------------------------------------


def test_pairs_export_lists_the_schools_pairs_with_form_role_model_plan_and_meetings(
    client, school_a, curator_a, pairs, programme
):
    client.force_login(curator_a)
    notes, header, data = _table(_workbook(client, school_a, "pairs"))
    assert notes[0] == "Реестр наставнических пар и групп — МБОУ СОШ № 1"
    assert header[:3] == ["Наставник", "Должность / класс наставника", "Наставляемые (класс)"]
    rows = _by_mentor(data)
    assert set(rows) == {"Николаева", "Яковенко", "Полякова"}  # not another school's, not without consent
    group = rows["Николаева"]
    assert group == [
        "Николаева Ольга Андреевна",
        "учитель математики",
        "Кляпка Ольга Сергеевна (8А); Черных Илья Ильич (7Б)",
        "ученик – ученик",
        "успевающий – неуспевающий",
        "Программа «Шаг вперёд»",
        programme.starts_on.strftime("%d.%m.%Y"),
        programme.ends_on.strftime("%d.%m.%Y"),
        "работает",
        None,
        None,
        "от 01.10.2026 № 56-ОД",
        50,  # 2 of 4 items done
        2,
        f"12.11.{programme.school_year}",
    ]
    assert rows["Яковенко"][8] == "черновик" and rows["Яковенко"][12] is None and rows["Яковенко"][13] == 0
    # A mentee without a consent is left out of the names; the pair stays.
    assert "Скрытый" not in rows["Полякова"][2] and "Согласный" in rows["Полякова"][2]
    assert "Не выгружено из-за отсутствия действующего согласия на обработку персональных данных: 2 человека." in notes
    assert "Не выгружены пары и группы, у наставника которых нет действующего согласия: 1." in notes


def test_pairs_export_follows_the_pairs_list_filter(client, school_a, curator_a, pairs):
    client.force_login(curator_a)
    _, _, data = _table(_workbook(client, school_a, "pairs", status="active"))
    assert set(_by_mentor(data)) == {"Николаева", "Полякова"}
    _, _, data = _table(_workbook(client, school_a, "pairs", q="Черных"))
    assert set(_by_mentor(data)) == {"Николаева"}
    _, _, data = _table(_workbook(client, school_a, "pairs", person=pairs["draft"].mentor_id))
    assert set(_by_mentor(data)) == {"Яковенко"}
    # Another school's pair asked for by its mentor gives nothing, not that pair.
    _, _, data = _table(_workbook(client, school_a, "pairs", person=pairs["foreign"].mentor_id))
    assert data == []


def test_pairs_list_page_links_its_filters_to_the_export(client, school_a, curator_a, pairs):
    client.force_login(curator_a)
    page = client.get(reverse("mentorship:pair_list", args=[school_a.slug]), {"status": "active"}).content.decode()
    assert f'href="{_url(school_a, "pairs")}?status=active"' in page


def test_a_mentor_may_not_export_the_pairs(client, school_a, mentor_a, pairs):
    client.force_login(mentor_a)
    assert client.get(_url(school_a, "pairs")).status_code == 403


def test_formula_in_a_meeting_note_is_written_as_text(client, school_a, curator_a, pairs):
    client.force_login(curator_a)
    workbook = _workbook(client, school_a, "meetings")
    cells = [cell for row in workbook.active.iter_rows() for cell in row if cell.value == EVIL]
    assert len(cells) == 1 and cells[0].data_type == "s"


# --- Meetings --------------------------------------------------------------------------------


def test_meetings_export_lists_the_meetings_with_attendance_and_rating(client, school_a, curator_a, pairs, programme):
    client.force_login(curator_a)
    notes, header, data = _table(_workbook(client, school_a, "meetings"))
    year = programme.school_year
    assert header[0] == "Дата и время" and header[-1] == "Заметки"
    assert [row[0] for row in data] == [f"07.10.{year} 14:30", f"20.10.{year} 13:00", f"12.11.{year} 15:00"]
    assert data[0] == [
        f"07.10.{year} 14:30",
        "Николаева Ольга Андреевна — Кляпка Ольга Сергеевна (8А); Черных Илья Ильич (7Б)",
        "встреча-знакомство",
        "очно",
        45,
        "Кляпка О.С., Черных И.И.",
        9,
        "Знакомство",
        EVIL,
    ]
    assert data[2][3] == "дистанционно" and data[2][6] is None
    # The mentee without a consent: neither in the pair nor among those present.
    assert "Скрытый" not in data[1][1] and data[1][5] == "Согласный И.С."
    assert "Не выгружены встречи пар и групп, у наставника которых нет действующего согласия (пар и групп: 1)." in notes


def test_meetings_export_follows_the_month_the_range_and_the_pair(client, school_a, curator_a, pairs, programme):
    client.force_login(curator_a)
    year = programme.school_year
    _, _, data = _table(_workbook(client, school_a, "meetings", month=f"{year}-11"))
    assert [row[0] for row in data] == [f"12.11.{year} 15:00"]
    _, _, data = _table(_workbook(client, school_a, "meetings", date_from=f"{year}-10-07", date_to=f"{year}-10-19"))
    assert [row[0] for row in data] == [f"07.10.{year} 14:30"]
    _, _, data = _table(_workbook(client, school_a, "meetings", pair=pairs["half"].pk))
    assert [row[0] for row in data] == [f"20.10.{year} 13:00"]
    _, _, data = _table(_workbook(client, school_a, "meetings", pair=pairs["foreign"].pk))
    assert data == []


def test_calendar_links_its_month_to_the_export(client, school_a, curator_a, pairs, programme):
    client.force_login(curator_a)
    month = f"{programme.school_year}-10"
    page = client.get(reverse("mentorship:calendar", args=[school_a.slug]), {"month": month}).content.decode()
    assert f'href="{_url(school_a, "meetings")}?month={month}"' in page


def test_a_mentor_may_not_export_the_schools_meetings(client, school_a, mentor_a, pairs):
    client.force_login(mentor_a)
    assert client.get(_url(school_a, "meetings")).status_code == 403


# --- Plan fulfilment -------------------------------------------------------------------------


def test_plan_fulfilment_export_has_a_row_per_plan_with_overdue_items(client, school_a, curator_a, pairs):
    client.force_login(curator_a)
    notes, header, data = _table(_workbook(client, school_a, "plan-fulfilment"))
    assert header[3:7] == ["Пунктов плана", "Выполнено", "Выполнение, %", "Просрочено"]
    rows = _by_mentor(data)
    assert set(rows) == {"Николаева", "Полякова"}  # no drafts, no pair without the mentor's consent
    assert rows["Николаева"] == [
        "Николаева Ольга Андреевна — Кляпка Ольга Сергеевна (8А); Черных Илья Ильич (7Б)",
        "ученик – ученик",
        "работает",
        4,
        2,
        50,
        1,
        "утверждён",
        "01.10.2026",
    ]
    assert rows["Полякова"][3:] == [0, 0, None, 0, "не составлен", None]
    assert notes[1].startswith("Просроченные пункты — с истёкшим сроком и не выполненные на ")


def test_plan_fulfilment_by_items_has_a_row_per_item(client, school_a, curator_a, pairs):
    client.force_login(curator_a)
    _, header, data = _table(_workbook(client, school_a, "plan-fulfilment", items="1"))
    assert header[2:4] == ["№", "Мероприятие"]
    assert [(row[2], row[3], row[7], row[9]) for row in data] == [
        (1, "Мероприятие 1", "да", "нет"),
        (2, "Мероприятие 2", "да", "нет"),
        (3, "Мероприятие 3", "нет", "да"),
        (4, "Мероприятие 4", "нет", "нет"),
    ]


def test_plan_fulfilment_follows_the_status_filter(client, school_a, curator_a, pairs):
    Pair.objects.filter(pk=pairs["half"].pk).update(status="approved")
    client.force_login(curator_a)
    _, _, data = _table(_workbook(client, school_a, "plan-fulfilment", status="approved"))
    assert set(_by_mentor(data)) == {"Полякова"}


def test_plans_list_page_links_to_both_exports(client, school_a, curator_a, pairs):
    client.force_login(curator_a)
    page = client.get(reverse("mentorship:plan_list", args=[school_a.slug]), {"status": "active"}).content.decode()
    url = _url(school_a, "plan-fulfilment")
    assert f'href="{url}?status=active"' in page and f'href="{url}?items=1&amp;status=active"' in page


# --- Queries do not grow with rows -----------------------------------------------------------


def _more_pairs(school, programme, count: int) -> None:
    year = programme.school_year
    for index in range(count):
        mentor, *mentees = _consented(
            TeacherFactory(organisation=school),
            PersonFactory(organisation=school),
            PersonFactory(organisation=school),
        )
        pair = PairFactory(organisation=school, programme=programme, mentor=mentor, mentees=mentees)
        _plan(pair, done=1, overdue=1, future=1)
        for day in (5, 6):
            _meeting(pair, _aware(datetime.date(year, 10, day), 9 + index % 8), attendees=mentees)


def _queries(client, school, identifier, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(school, identifier), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("identifier", "params"),
    [("pairs", {}), ("meetings", {}), ("plan-fulfilment", {}), ("plan-fulfilment", {"items": "1"})],
)
def test_export_query_count_does_not_grow_with_rows(client, school_a, curator_a, pairs, programme, identifier, params):
    client.force_login(curator_a)
    few = _queries(client, school_a, identifier, **params)
    _more_pairs(school_a, programme, 6)
    many = _queries(client, school_a, identifier, **params)
    assert few == many, (few, many)


def test_plan_items_export_as_csv_keeps_its_columns(client, school_a, curator_a, pairs):
    client.force_login(curator_a)
    response = client.get(_url(school_a, "plan-fulfilment"), {"items": "1", "format": "csv"})
    assert 'filename="plan-fulfilment-items-school-a-' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Пара (наставник — наставляемые);Форма наставничества;№;Мероприятие;Срок")
    assert len(lines) == 5  # the header and the four items of the one exported plan
