"""Monitoring indicators (reports/kpi.py, views_kpi.py): each indicator against a hand-computed
school, the district's totals, the drill-downs, the pages and their query counts."""

import datetime
import re
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.models import IndividualPlan, Pair, PlanItem
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.tests.factories import SchoolFactory
from participants.models import (
    AccessLogEntry,
    Consent,
    Invitation,
    MenteeEntry,
    MentorEntry,
    Person,
    QuestionnaireTemplate,
    Response,
)
from participants.questionnaires.results import growth, satisfaction
from participants.tests.factories import (
    MenteeEntryFactory,
    MentorEntryFactory,
    ParentLinkFactory,
    PartnerFactory,
    PersonFactory,
    TeacherFactory,
)
from participants.tests.factories_consents import ConsentFactory
from reports.analytics import indicators, kpi
from roadmap.models import Occurrence
from roadmap.tests.factories import ItemFactory, RoadmapFactory

pytestmark = pytest.mark.usefixtures("reference_data")

Audience = QuestionnaireTemplate.Audience
YEAR = 2025
PERIOD = kpi.Period.of_school_year(YEAR)
TODAY = datetime.date(2026, 1, 31)  # mid-year: months September to January have points
D = datetime.date
CONSENTS_SIGNED_ON = D(2025, 9, 5)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12))


def _answer(template, person, values, *, on):
    """A submitted response with answers in the order of the template's questions."""
    questions = list(template.questions.order_by("position"))
    answers = {str(q.pk): value for q, value in zip(questions, values, strict=False) if value is not None}
    invitation = Invitation.objects.create(
        organisation=person.organisation,
        template=template,
        person=person,
        token_hash=secrets.token_hex(32),
        expires_at=_aware(on) + datetime.timedelta(days=7),
        answered_at=_aware(on),
    )
    return Response.objects.create(
        organisation=person.organisation,
        invitation=invitation,
        template=template,
        person=person,
        submitted_at=_aware(on),
        answers=answers,
    )


def _standard(title):
    return QuestionnaireTemplate.objects.get(organisation__isnull=True, title=title)


def _pair(school, programme, mentor, mentees, *, status=Pair.Status.ACTIVE, starts_on, **extra):
    return PairFactory(
        organisation=school,
        programme=programme,
        mentor=mentor,
        mentees=mentees,
        status=status,
        starts_on=starts_on,
        planned_end_on=programme.ends_on,
        **extra,
    )


def _consent(person, signed_on=CONSENTS_SIGNED_ON, **extra):
    return ConsentFactory(person=person, signed_on=signed_on, **extra)


@pytest.fixture
def school(school_a):
    """A small school whose every indicator is computed by hand in the tests below.

    Students s1–s7 (s8 anonymised), teachers t1 (12 years), t2 (2), t3 (1), t4 (20), partner
    employees e1 (partner P1) and e2 (P2), partners P1–P3. Pairs of 2025/2026: A t1 → s1, s2
    (1 October); B s3 → s4 (15 November, approved); C e1 → s5 (a draft: never counted); D t4 → t2
    (15 September, closed 20 December). E t1 → s6 was closed in May 2025, before the period.
    """
    s = {i: PersonFactory(organisation=school_a, last_name=f"Ученик{i}") for i in range(1, 9)}
    Person.objects.filter(pk=s[8].pk).update(anonymised_at=timezone.now())
    t = {
        1: TeacherFactory(organisation=school_a, last_name="Учитель1", experience_years=12),
        2: TeacherFactory(organisation=school_a, last_name="Учитель2", experience_years=2),
        3: TeacherFactory(organisation=school_a, last_name="Учитель3", experience_years=1),
        4: TeacherFactory(organisation=school_a, last_name="Учитель4", experience_years=20),
    }
    partners = [PartnerFactory(organisation=school_a, name=f"ООО «П{i}»") for i in range(1, 4)]
    employee = {"category": Person.Category.PARTNER_EMPLOYEE, "grade": None, "class_letter": ""}
    e1 = PersonFactory(organisation=school_a, last_name="Сотрудник1", partner=partners[0], **employee)
    e2 = PersonFactory(organisation=school_a, last_name="Сотрудник2", partner=partners[1], **employee)
    ParentLinkFactory(child=s[1])  # a parent: not a participant of consent coverage

    programme = ProgrammeFactory(organisation=school_a, school_year=YEAR)
    old_programme = ProgrammeFactory(organisation=school_a, school_year=YEAR - 1)
    pair_a = _pair(school_a, programme, t[1], [s[1], s[2]], starts_on=D(2025, 10, 1))
    _pair(school_a, programme, s[3], [s[4]], status=Pair.Status.APPROVED, starts_on=D(2025, 11, 15))
    pair_c = _pair(school_a, programme, e1, [s[5]], status=Pair.Status.DRAFT, starts_on=D(2025, 10, 1))
    _pair(
        school_a,
        programme,
        t[4],
        [t[2]],
        status=Pair.Status.CLOSED,
        starts_on=D(2025, 9, 15),
        closed_on=D(2025, 12, 20),
        outcome=Pair.Outcome.COMPLETED,
    )
    PairFactory(
        organisation=school_a,
        programme=old_programme,
        mentor=t[1],
        mentees=[s[6]],
        status=Pair.Status.CLOSED,
        starts_on=D(2024, 10, 1),
        planned_end_on=D(2025, 5, 30),
        closed_on=D(2025, 5, 30),
        outcome=Pair.Outcome.COMPLETED,
    )

    # The mentor register: s7 approved (a student mentor without a pair yet), e2 approved for
    # partner P2, t3 only a candidate; s6 approved in the previous year.
    approved = MentorEntry.Status.APPROVED
    MentorEntryFactory(person=s[7], school_year=YEAR, status=approved, approved_on=D(2025, 9, 10))
    MentorEntryFactory(person=e2, school_year=YEAR, status=approved, approved_on=None)
    MentorEntryFactory(person=t[3], school_year=YEAR, status=MentorEntry.Status.CANDIDATE)
    MentorEntryFactory(person=s[6], school_year=YEAR - 1, status=approved, approved_on=D(2024, 9, 10))

    # The mentee base: s1, s4, s5, t2 are its members; s7 a candidate and s2 left.
    Status = MenteeEntry.Status
    for person, status in ((s[1], Status.IN_PAIR), (s[4], Status.INCLUDED), (s[5], Status.INCLUDED)):
        MenteeEntryFactory(person=person, school_year=YEAR, status=status)
    MenteeEntryFactory(person=t[2], school_year=YEAR, status=Status.COMPLETED)
    MenteeEntryFactory(person=s[7], school_year=YEAR, status=Status.CANDIDATE)
    MenteeEntryFactory(person=s[2], school_year=YEAR, status=Status.LEFT)

    # Consents: s1, s2, s3, t1, e1 valid since September; s4 withdrawn; s5 signed after January.
    for person in (s[1], s[2], s[3], t[1], e1):
        _consent(person)
    _consent(s[4], status=Consent.Status.WITHDRAWN, withdrawn_on=D(2025, 12, 1))
    _consent(s[5], signed_on=D(2026, 3, 1))

    # Plan of pair A: i1 on time, i2 late, i3 overdue, i4 not due yet, i5 done early. The draft
    # pair's plan does not count.
    plan = IndividualPlan.objects.create(organisation=school_a, pair=pair_a)
    items = {}
    for key, due_on, done_on in (
        ("i1", D(2025, 10, 15), D(2025, 10, 14)),
        ("i2", D(2025, 11, 30), D(2025, 12, 5)),
        ("i3", D(2025, 12, 20), None),
        ("i4", D(2026, 3, 1), None),
        ("i5", D(2026, 2, 10), D(2026, 1, 20)),
    ):
        items[key] = PlanItem.objects.create(
            organisation=school_a, plan=plan, activity=key, due_on=due_on, done=done_on is not None, done_on=done_on
        )
    draft_plan = IndividualPlan.objects.create(organisation=school_a, pair=pair_c)
    PlanItem.objects.create(organisation=school_a, plan=draft_plan, activity="j1", due_on=D(2025, 10, 1))

    # Roadmap: o1 on time, o2 late, o3 overdue, o4 cancelled, o5 done early, o6 not due yet,
    # o7 of the previous year.
    roadmap = RoadmapFactory(organisation=school_a, starts_on=D(2025, 9, 1), ends_on=D(2026, 8, 31))
    item = ItemFactory(section__roadmap=roadmap, content="Мероприятие дорожной карты", deadline="Октябрь 2025")
    item.occurrences.all().delete()
    occurrences = {}
    done, planned, cancelled = Occurrence.Status.DONE, Occurrence.Status.PLANNED, Occurrence.Status.CANCELLED
    for position, (key, due_on, status, done_on) in enumerate(
        (
            ("o1", D(2025, 10, 1), done, D(2025, 9, 30)),
            ("o2", D(2025, 11, 1), done, D(2025, 11, 5)),
            ("o3", D(2025, 12, 1), planned, None),
            ("o4", D(2026, 1, 10), cancelled, None),
            ("o5", D(2026, 2, 1), done, D(2026, 1, 15)),
            ("o6", D(2026, 5, 1), planned, None),
            ("o7", D(2025, 6, 1), done, D(2025, 6, 1)),
        )
    ):
        occurrences[key] = Occurrence.objects.create(
            organisation=school_a, item=item, position=position, due_on=due_on, status=status, done_on=done_on
        )

    # Questionnaires: s1 and s2 answered the standard entry and exit of student mentees, t1 the
    # mentor's exit; s3's exit is of the previous year, s6 has no consent.
    entry, exit_ = _standard(ENTRY), _standard(EXIT)
    _answer(entry, s[1], [["с выбором профессии"], "", 4, 5, "учитель", ""], on=D(2025, 9, 20))
    _answer(entry, s[2], [["с выбором профессии"], "", 6, 7, "учитель", ""], on=D(2025, 9, 20))
    _answer(exit_, s[1], [9, 8, 8, 6, 7, True, ""], on=D(2026, 1, 15))
    _answer(exit_, s[2], [7, 7, 7, 7, 6, False, ""], on=D(2026, 1, 15))
    _answer(_standard(MENTOR_EXIT), t[1], [10, 9, 8, 7, 6, True, ""], on=D(2026, 1, 20))
    _answer(exit_, s[3], [1, 1, 1, 1, 1, False, ""], on=D(2025, 5, 20))
    _answer(exit_, s[6], [1, 1, 1, 1, 1, False, ""], on=D(2026, 1, 15))
    return {"s": s, "t": t, "e": (e1, e2), "partners": partners, "items": items, "occurrences": occurrences}


ENTRY = "Что мне нужно от наставника (для обучающегося)"
EXIT = "Итоговая анкета наставляемого"
MENTOR_EXIT = "Итоговая анкета наставника"


def _indicators(school_a, today=TODAY):
    return {i.code: i for i in kpi.school_indicators(organisation=school_a, period=PERIOD, today=today)}


# --- Each indicator against the hand-computed school --------------------------------------------


def test_ratio_indicators_match_hand_computed_values(school_a, school):
    values = _indicators(school_a)
    expected = {
        # s1, s2 (pair A), s3, s4 (pair B) of s1–s7; the draft pair and last year's pair do not count.
        "students_involved": (4, 7, 57, kpi.WARN),
        # s3 mentors pair B, s7 is approved in the register.
        "mentors_students": (2, 7, 29, kpi.OK),
        # t1 (pair A) and t4 (pair D, closed in December) of four teachers.
        "mentors_teachers": (2, 4, 50, kpi.OK),
        # t2 of the young t2 and t3; no target.
        "young_specialists": (1, 2, 50, kpi.NONE),
        # s1, s4, t2 of the pool s1, s4, s5, t2.
        "pairs_coverage": (3, 4, 75, kpi.BAD),
        # s1, s2, s3, t1, e1 of 7 students, 4 teachers and 2 partner employees (parents do not count).
        "consent_coverage": (5, 13, 38, kpi.BAD),
        # i1, i2, i5 done of every planned item i1–i5 (DESIGN §5: done / planned, as the plans list).
        "plan_fulfilment": (3, 5, 60, kpi.BAD),
        # P2 (e2 in the register) of three partners; P1's employee mentors only a draft pair.
        "partner_share": (1, 3, 33, kpi.NONE),
        # o1 and o5 on time of o1, o2, o3, o5.
        "roadmap_completion": (2, 4, 50, kpi.NONE),
    }
    for code, (numerator, denominator, value, status) in expected.items():
        indicator = values[code]
        assert (indicator.numerator, indicator.denominator, indicator.value, indicator.status) == (
            numerator,
            denominator,
            value,
            status,
        ), code
    assert values["students_involved"].target == 70
    assert values["students_involved"].display == "57\u00a0%"


def test_satisfaction_and_growth_match_hand_computed_values_and_the_questionnaire_module(school_a, school):
    values = _indicators(school_a)
    # Mentees: s1 9, 8, 8, 6, 7 and s2 7, 7, 7, 7, 6 → 72 / 10; s3's answer is of last year, s6 has no consent.
    assert (values["satisfaction_mentees"].value, values["satisfaction_mentees"].denominator) == (7.2, 10)
    assert values["satisfaction_mentors"].value == 8.0  # t1: 40 / 5
    # Interest and confidence: s1 8 − 4, 6 − 5; s2 7 − 6, 7 − 7 → 6 / 4.
    assert (values["growth"].numerator, values["growth"].denominator, values["growth"].value) == (6.0, 4, 1.5)
    assert values["growth"].display == "+1,50\u00a0балла"

    reference = satisfaction(school_a, start=PERIOD.start, end=PERIOD.end)
    assert values["satisfaction_mentees"].value == pytest.approx(reference.mentees)
    assert values["satisfaction_mentors"].value == pytest.approx(reference.mentors)
    items = growth(school_a, audience=Audience.STUDENT_MENTEE, start=PERIOD.start, end=PERIOD.end).items
    assert values["growth"].numerator == pytest.approx(sum(i.participants * i.growth for i in items))


def test_monthly_trend_is_the_value_at_each_month_end(school_a, school):
    values = _indicators(school_a)
    involved = values["students_involved"].trend
    assert [point.label for point in involved][:5] == ["сен 2025", "окт 2025", "ноя 2025", "дек 2025", "янв 2026"]
    assert len(involved) == 12
    assert [point.value for point in involved] == [0, 29, 57, 57, 57, *[None] * 7]
    # Plan items done by each month's end of the five planned: October i1; November i1; December i1, i2; January 3.
    assert [point.value for point in values["plan_fulfilment"].trend][:5] == [0, 20, 20, 40, 60]
    assert [point.value for point in values["mentors_students"].trend][:3] == [14, 14, 29]
    assert values["satisfaction_mentees"].trend == ()


def test_values_at_the_end_of_the_period_count_every_planned_item(school_a, school):
    values = _indicators(school_a, today=D(2026, 9, 15))
    # i4 (due 1 March) is now overdue: 3 done of 5.
    assert (values["plan_fulfilment"].numerator, values["plan_fulfilment"].denominator) == (3, 5)
    # s5's consent (signed 1 March) is now counted.
    assert values["consent_coverage"].numerator == 6


def test_status_rule():
    assert kpi.status_of(70, 70) == kpi.OK
    assert kpi.status_of(56, 70) == kpi.WARN
    assert kpi.status_of(55.9, 70) == kpi.BAD
    assert kpi.status_of(None, 70) == kpi.NONE
    assert kpi.status_of(50, None) == kpi.NONE


def test_a_school_without_people_has_no_values_and_no_colours(school_a):
    values = _indicators(school_a)
    assert all(indicator.value is None for indicator in values.values())
    assert {indicator.status for indicator in values.values()} == {kpi.NONE}


# --- Drill-down ---------------------------------------------------------------------------------


def _names(queryset, attribute="last_name"):
    return sorted(getattr(row, attribute) for row in queryset)


def test_drill_down_lists_the_people_behind_each_number(school_a, school):
    def drill(code):
        return kpi.drill_down(organisation=school_a, code=code, period=PERIOD, today=TODAY)

    involved = drill("students_involved")
    assert _names(involved.included) == ["Ученик1", "Ученик2", "Ученик3", "Ученик4"]
    assert _names(involved.missing) == ["Ученик5", "Ученик6", "Ученик7"]
    pool = drill("pairs_coverage")
    assert [entry.person.last_name for entry in pool.missing] == ["Ученик5"]
    assert _names(drill("young_specialists").missing) == ["Учитель3"]
    assert _names(drill("consent_coverage").missing) == [
        "Сотрудник2", "Ученик4", "Ученик5", "Ученик6", "Ученик7", "Учитель2", "Учитель3", "Учитель4",
    ]  # fmt: skip
    plan = drill("plan_fulfilment")
    assert (_names(plan.included, "activity"), _names(plan.missing, "activity")) == (["i1", "i2", "i5"], ["i3", "i4"])
    roadmap = drill("roadmap_completion")
    occurrences = school["occurrences"]
    assert set(roadmap.missing) == {occurrences["o2"], occurrences["o3"]}
    assert [partner.name for partner in drill("partner_share").included] == ["ООО «П2»"]
    satisfied = drill("satisfaction_mentees")
    assert (_names(satisfied.included), _names(satisfied.missing)) == (["Ученик1", "Ученик2"], ["Ученик4", "Учитель2"])
    # Every drill-down's lists add up to the indicator's numbers.
    values = _indicators(school_a)
    for code in (spec for spec in indicators.all_indicators() if spec.unit == indicators.PERCENT):
        rows = drill(code.code)
        assert (rows.included.count(), rows.included.count() + rows.missing.count()) == (
            values[code.code].numerator,
            values[code.code].denominator,
        ), code.code


# --- District ------------------------------------------------------------------------------------


def _small_school(district, index, *, students=2, paired=1):
    school = SchoolFactory(parent=district, slug=f"kpi-school-{index}", short_name=f"Школа {index:02d}")
    people = [PersonFactory(organisation=school) for _ in range(students)]
    programme = ProgrammeFactory(organisation=school, school_year=YEAR)
    if paired:
        pair = _pair(school, programme, TeacherFactory(organisation=school), people[:paired], starts_on=D(2025, 10, 1))
        plan = IndividualPlan.objects.create(organisation=school, pair=pair)
        PlanItem.objects.create(organisation=school, plan=plan, activity="встреча", due_on=D(2025, 10, 20), done=True)
        _consent(people[0])
    return school


def test_district_totals_are_sums_of_numerators_and_denominators(district, school_a, school):
    _small_school(district, 2, students=2, paired=1)
    _small_school(district, 3, students=3, paired=0)
    result = kpi.district_indicators(district=district, period=PERIOD, today=TODAY, suppress=False)
    assert len(result.schools) == 3
    rows = {row.school.pk: row for row in result.schools}
    own = _indicators(school_a)
    for code in indicators.codes():
        # The district computes each school exactly as the school's page does.
        assert rows[school_a.pk].indicators[code].value == own[code].value, code
        numerator = sum(row.indicators[code].numerator or 0 for row in result.schools)
        denominator = sum(row.indicators[code].denominator or 0 for row in result.schools)
        assert (result.totals[code].numerator or 0, result.totals[code].denominator) == (numerator, denominator)
    # 4 + 1 + 0 students involved of 7 + 2 + 3: 5 / 12 = 41.7 → 42 %, not the mean of 57 %, 50 % and 0 %.
    assert result.totals["students_involved"].value == 42
    # Satisfaction is Σ answers / their number over the schools.
    assert result.totals["satisfaction_mentees"].value == 7.2


def test_ranking_puts_the_best_first_and_schools_without_a_value_last(district, school_a, school):
    _small_school(district, 2, students=2, paired=2)  # 100 %
    _small_school(district, 3, students=4, paired=1)  # 25 %
    empty = SchoolFactory(parent=district, slug="kpi-empty", short_name="Пустая школа")
    result = kpi.district_indicators(district=district, period=PERIOD, today=TODAY, suppress=False)
    ranked = kpi.rank_schools(result.schools, "students_involved")
    assert [(row.school.short_name, row.rank) for row in ranked] == [
        ("Школа 02", 1),
        (school_a.short_name, 2),
        ("Школа 03", 3),
        (empty.short_name, None),
    ]


# --- Pages ---------------------------------------------------------------------------------------


def _queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


def test_school_page_shows_values_targets_statuses_and_chart_data(client, school_a, curator_a):
    programme = ProgrammeFactory(organisation=school_a)  # the current school year, which the page shows
    students = [PersonFactory(organisation=school_a) for _ in range(4)]
    _pair(school_a, programme, TeacherFactory(organisation=school_a), students[:3], starts_on=programme.starts_on)
    client.force_login(curator_a)
    response = client.get(reverse("reports:kpi", kwargs={"org": school_a.slug}))
    content = response.content.decode()
    assert 'data-testid="kpi-students_involved" data-status="ok"' in content
    assert "3 из 4" in content and "75\u00a0%" in content and "цель не менее 70\u00a0%" in content
    assert 'id="kpi-charts" type="application/json"' in content
    assert 'id="kpi-chart-students_involved"' in content
    assert "js/kpi-charts.js" in content
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", content)  # no inline script
    assert reverse("reports:kpi_detail", kwargs={"org": school_a.slug, "code": "students_involved"}) in content


def test_school_page_query_count_does_not_grow_with_people(client, school_a, curator_a):
    client.force_login(curator_a)
    url = reverse("reports:kpi", kwargs={"org": school_a.slug})
    programme = ProgrammeFactory(organisation=school_a)

    def add(count):
        for _ in range(count):
            students = [PersonFactory(organisation=school_a) for _ in range(2)]
            pair = _pair(
                school_a, programme, TeacherFactory(organisation=school_a), students, starts_on=programme.starts_on
            )
            plan = IndividualPlan.objects.create(organisation=school_a, pair=pair)
            PlanItem.objects.create(organisation=school_a, plan=plan, activity="встреча", due_on=programme.starts_on)
            _consent(students[0], signed_on=programme.starts_on)
            _answer(_standard(EXIT), students[0], [8, 8, 8, 8, 8, True, ""], on=timezone.localdate())

    add(1)
    few, _ = _queries(client, url)
    add(6)
    many, _ = _queries(client, url)
    assert many == few


def test_district_page_query_count_does_not_grow_with_schools(client, district, district_officer):
    client.force_login(district_officer)
    url = reverse("reports:district_kpi", kwargs={"org": district.slug})
    for index in range(2):
        _small_school(district, index)
    two, response = _queries(client, url)
    assert len(response.context["rows"]) == 2
    for index in range(2, 6):
        _small_school(district, index)
    six, response = _queries(client, url)
    assert len(response.context["rows"]) == 6
    assert six == two


def test_district_page_shows_schools_totals_and_a_sortable_ranking(client, district, district_officer):
    for index, (students, paired) in enumerate(((8, 5), (6, 6), (7, 0))):
        _small_school(district, index, students=students, paired=paired)
    client.force_login(district_officer)
    url = reverse("reports:district_kpi", kwargs={"org": district.slug})
    response = client.get(url, {"year": YEAR, "sort": "students_involved"})
    assert [row.school.short_name for row in response.context["rows"]] == ["Школа 01", "Школа 00", "Школа 02"]
    content = response.content.decode()
    assert "Школы по показателю «Обучающиеся в программе наставничества»" in content
    # Totals: 11 of 21 students.
    totals = dict(zip(indicators.codes(), response.context["totals"], strict=True))
    assert (totals["students_involved"].numerator, totals["students_involved"].denominator) == (11, 21)
    school_url = reverse("reports:kpi", kwargs={"org": "kpi-school-1"})
    assert f'href="{school_url}?year={YEAR}"' in content


def test_district_officer_opens_school_indicators_but_not_the_people(client, school_a, district_officer):
    client.force_login(district_officer)
    assert client.get(reverse("reports:kpi", kwargs={"org": school_a.slug})).status_code == 200
    assert (
        "Кто стоит за показателем"
        not in client.get(reverse("reports:kpi", kwargs={"org": school_a.slug})).content.decode()
    )
    detail = reverse("reports:kpi_detail", kwargs={"org": school_a.slug, "code": "students_involved"})
    assert client.get(detail).status_code == 403


def test_district_page_is_404_in_a_school_and_the_school_page_sends_a_district_to_its_table(
    client, district, school_a, curator_a, district_officer
):
    client.force_login(curator_a)
    assert client.get(reverse("reports:district_kpi", kwargs={"org": school_a.slug})).status_code == 404
    client.force_login(district_officer)
    response = client.get(reverse("reports:kpi", kwargs={"org": district.slug}))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:district_kpi", kwargs={"org": district.slug})


def test_user_of_another_school_gets_404_on_the_indicators(client, school_a, curator_b):
    client.force_login(curator_b)
    for url in (
        reverse("reports:kpi", kwargs={"org": school_a.slug}),
        reverse("reports:kpi_detail", kwargs={"org": school_a.slug, "code": "students_involved"}),
    ):
        assert client.get(url).status_code == 404


def test_unknown_indicator_is_404(client, school_a, curator_a):
    client.force_login(curator_a)
    assert (
        client.get(reverse("reports:kpi_detail", kwargs={"org": school_a.slug, "code": "nothing"})).status_code == 404
    )


def test_drill_down_page_lists_people_paginated_and_is_journalled(client, school_a, curator_a):
    for index in range(55):
        PersonFactory(organisation=school_a, last_name=f"Ученик{index:02d}")
    client.force_login(curator_a)
    url = reverse("reports:kpi_detail", kwargs={"org": school_a.slug, "code": "students_involved"})
    first = client.get(url)
    content = first.content.decode()
    assert "Ученик00" in content and "Ученик49" in content and "Ученик50" not in content
    assert "Страница 1 из 2" in content
    assert "Не в паре" in content
    second = client.get(url, {"page": 2}).content.decode()
    assert "Ученик54" in second
    entry = AccessLogEntry.objects.filter(organisation=school_a, user=curator_a).order_by("pk").first()
    assert entry.action == AccessLogEntry.Action.VIEW and entry.people_count == 50
    assert "Обучающиеся в программе наставничества" in entry.what


def test_drill_down_page_query_count_does_not_grow_with_rows(client, school_a, curator_a):
    client.force_login(curator_a)
    url = reverse("reports:kpi_detail", kwargs={"org": school_a.slug, "code": "plan_fulfilment"}) + "?show=included"
    programme = ProgrammeFactory(organisation=school_a)
    pair = PairFactory(organisation=school_a, programme=programme, starts_on=programme.starts_on)
    plan = IndividualPlan.objects.create(organisation=school_a, pair=pair)

    def add(count):
        for _ in range(count):
            PlanItem.objects.create(
                organisation=school_a, plan=plan, activity="встреча", due_on=programme.starts_on, done=True
            )

    add(1)
    few, _ = _queries(client, url)
    add(10)
    many, response = _queries(client, url)
    assert "встреча" in response.content.decode()
    assert many == few


def test_dashboards_link_to_the_indicators(client, district, school_a, curator_a, district_officer):
    client.force_login(curator_a)
    content = client.get(school_a.get_absolute_url()).content.decode()
    assert reverse("reports:kpi", kwargs={"org": school_a.slug}) in content
    client.force_login(district_officer)
    content = client.get(district.get_absolute_url()).content.decode()
    assert reverse("reports:district_kpi", kwargs={"org": district.slug}) in content


def test_every_drill_down_page_opens_on_both_tabs(client, school_a, curator_a, school):
    client.force_login(curator_a)
    for code in indicators.codes():
        url = reverse("reports:kpi_detail", kwargs={"org": school_a.slug, "code": code})
        for show in ("missing", "included"):
            response = client.get(url, {"year": YEAR, "show": show})
            assert response.status_code == 200, (code, show)
            assert indicators.get(code).title in response.content.decode()
    content = client.get(
        reverse("reports:kpi_detail", kwargs={"org": school_a.slug, "code": "roadmap_completion"}), {"year": YEAR}
    ).content.decode()
    assert "Мероприятие дорожной карты" in content and "просрочено" in content
