"""Questionnaire results: aggregates against hand-computed values, entry against exit, the
quarterly table, filters, the KPI numbers, the pages and the XLSX file."""

import datetime
import io
import re
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentorship.selectors import results_filter
from mentorship.tests.factories import PairFactory
from participants.models import (
    AccessLogEntry,
    Invitation,
    MentoringForm,
    Question,
    QuestionnaireTemplate,
    Response,
)
from participants.questionnaires.results import (
    ResultsFilter,
    entry_exit,
    growth,
    item_key,
    quarter_label,
    quarterly_dynamics,
    satisfaction,
    template_results,
)
from participants.questionnaires.services import questionnaire_template_edit
from participants.tests.factories import PersonFactory, TeacherFactory
from participants.tests.factories_consents import ConsentFactory

pytestmark = pytest.mark.usefixtures("reference_data")

Kind = Question.Kind
Audience = QuestionnaireTemplate.Audience
Phase = QuestionnaireTemplate.Phase


def question(text, kind, *, required=True, choices=()) -> dict:
    return {"text": text, "kind": kind, "required": required, "choices": list(choices)}


QUESTIONS = [
    question("Насколько вы довольны программой?", Kind.SCALE_10),
    question("Насколько легко было договориться о встречах?", Kind.SCALE_5, required=False),
    question("Как часто вы встречались?", Kind.SINGLE, choices=["еженедельно", "раз в месяц", "реже"]),
    question("Что было полезным?", Kind.MULTIPLE, required=False, choices=["встречи", "проект", "экскурсии"]),
    question("Хотели бы вы продолжить?", Kind.YES_NO),
    question("Ваш отзыв", Kind.LONG_TEXT, required=False),
]


def make_template(
    organisation, *, title="Итоговая анкета", audience=Audience.STUDENT_MENTEE, phase=Phase.EXIT, questions=QUESTIONS
) -> QuestionnaireTemplate:
    template = QuestionnaireTemplate.objects.create(
        organisation=organisation, title=title, audience=audience, phase=phase
    )
    for position, item in enumerate(questions, start=1):
        Question.objects.create(template=template, position=position, **item)
    return template


def consenting(school, **kwargs):
    person = PersonFactory(organisation=school, **kwargs)
    ConsentFactory(person=person)
    return person


def answer(template, person, values, *, submitted_at=None, submitted=True) -> Response:
    """A response with answers given in the order of the template's questions (None skips one)."""
    questions = list(template.questions.order_by("position"))
    answers = {str(q.pk): value for q, value in zip(questions, values, strict=False) if value is not None}
    invitation = Invitation.objects.create(
        organisation=person.organisation,
        template=template,
        person=person,
        token_hash=secrets.token_hex(32),
        expires_at=timezone.now() + datetime.timedelta(days=7),
        answered_at=(submitted_at or timezone.now()) if submitted else None,
    )
    return Response.objects.create(
        organisation=person.organisation,
        invitation=invitation,
        template=template,
        person=person,
        submitted_at=(submitted_at or timezone.now()) if submitted else None,
        answers=answers if submitted else {},
        draft={} if submitted else answers,
    )


def standard(title) -> QuestionnaireTemplate:
    return QuestionnaireTemplate.objects.get(organisation__isnull=True, title=title)


@pytest.fixture
def answered(school_a):
    """Three counted responses with known answers, a draft and one of a person without consent."""
    template = make_template(school_a)
    people = [consenting(school_a, last_name=name) for name in ("Абрамова", "Борисов", "Васильева")]
    answer(template, people[0], [7, 4, "еженедельно", ["встречи"], True, "Стало интереснее учиться."])
    answer(template, people[1], [8, "", "еженедельно", ["встречи", "проект"], False, ""])
    answer(template, people[2], [7, 2, "реже", [], True, "=1+1"])
    answer(template, consenting(school_a, last_name="Черновик"), [1, 1, "реже", [], False, ""], submitted=False)
    answer(template, PersonFactory(organisation=school_a, last_name="Безсогласия"), [1, 1, "реже", [], False, "нет"])
    return template, people


# --- One questionnaire -------------------------------------------------------------------------


def test_aggregates_match_hand_computed_values(school_a, answered):
    template, _ = answered
    results = template_results(school_a, template=template)
    assert results.responses == 3
    assert results.left_out == 1
    by_kind = {r.question.kind: r for r in results.questions}

    scale = by_kind[Kind.SCALE_10]
    assert scale.answered == 3
    assert round(scale.mean, 2) == 7.33  # (7 + 8 + 7) / 3
    counts = {share.label: share.count for share in scale.distribution}
    assert counts == {str(v): {7: 2, 8: 1}.get(v, 0) for v in range(1, 11)}
    assert [s.percent for s in scale.distribution if s.count] == [67, 33]  # whole percent, half up

    five = by_kind[Kind.SCALE_5]  # optional: one person skipped it
    assert five.answered == 2 and five.mean == 3.0
    assert [s.label for s in five.distribution] == ["1", "2", "3", "4", "5"]

    single = by_kind[Kind.SINGLE]
    assert [(s.label, s.count) for s in single.distribution] == [("еженедельно", 2), ("раз в месяц", 0), ("реже", 1)]
    assert single.mean is None

    several = by_kind[Kind.MULTIPLE]
    assert several.answered == 2  # an empty choice is no answer
    assert [(s.label, s.count, s.percent) for s in several.distribution] == [
        ("встречи", 2, 100),
        ("проект", 1, 50),
        ("экскурсии", 0, 0),
    ]

    yes_no = by_kind[Kind.YES_NO]
    assert [(s.label, s.count) for s in yes_no.distribution] == [("Да", 2), ("Нет", 1)]

    text = by_kind[Kind.LONG_TEXT]
    assert text.texts == ("Стало интереснее учиться.", "=1+1")
    assert text.answered == 2


def test_results_page_shows_means_tables_and_chart_data_without_inline_scripts(client, school_a, curator_a, answered):
    template, _ = answered
    client.force_login(curator_a)
    response = client.get(reverse("reports:questionnaire_results", kwargs={"org": school_a.slug, "pk": template.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ответили: 3 человека" in html
    assert "Не учтены ответы участников без действующего согласия на обработку персональных данных: 1." in html
    assert "7,33" in html
    assert "Стало интереснее учиться." in html
    assert "Безсогласия" not in html and "нет</li>" not in html
    charts = response.context["charts"]
    scale = template.questions.get(kind=Kind.SCALE_10)
    assert {"canvas": f"chart-q{scale.pk}"}.items() <= charts[0].items()
    assert charts[0]["datasets"][0]["data"] == [0, 0, 0, 0, 0, 0, 2, 1, 0, 0]
    assert f'id="chart-q{scale.pk}"' in html
    assert 'id="questionnaire-charts" type="application/json"' in html
    # The Content-Security-Policy allows scripts from our origin only: every <script> has a src or holds data.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    assert "vendor/chart.js-4.6.1/chart.umd.min.js" in html and "js/questionnaire-charts.js" in html


def test_chart_library_is_vendored_with_its_licence():
    from django.contrib.staticfiles import finders

    script = finders.find("vendor/chart.js-4.6.1/chart.umd.min.js")
    assert script and finders.find("vendor/chart.js-4.6.1/LICENSE.md")
    with open(script, encoding="utf-8") as handle:
        text = handle.read()
    assert text.startswith("/*!\n * Chart.js v4.6.1")
    assert "sourceMappingURL" not in text  # the manifest storage would look for a map we do not ship


def test_district_officer_sees_aggregates_but_no_texts_nor_file(client, school_a, district_officer, answered):
    template, _ = answered
    client.force_login(district_officer)
    url = reverse("reports:questionnaire_results", kwargs={"org": school_a.slug, "pk": template.pk})
    html = client.get(url).content.decode()
    # Three respondents: a group under 5 is not shown above the school (organisations.figures).
    assert "7,33" not in html and "Ответили: менее 5 человек" in html
    assert "Стало интереснее учиться." not in html
    assert "Выгрузить в XLSX" not in html
    xlsx = reverse("reports:questionnaire_results_xlsx", kwargs={"org": school_a.slug, "pk": template.pk})
    assert client.get(xlsx).status_code == 403


def test_questionnaire_list_links_to_results(client, school_a, curator_a, answered):
    template, _ = answered
    client.force_login(curator_a)
    html = client.get(reverse("participants:questionnaire_list", kwargs={"org": school_a.slug})).content.decode()
    assert reverse("reports:questionnaire_results", kwargs={"org": school_a.slug, "pk": template.pk}) in html
    assert reverse("reports:questionnaire_entry_exit", kwargs={"org": school_a.slug}) in html


def test_versions_are_counted_apart_with_a_switcher(client, school_a, curator_a, answered):
    template, _ = answered
    questions = [dict(q, text=q["text"].replace("программой", "программой наставничества")) for q in QUESTIONS]
    new = questionnaire_template_edit(
        organisation=school_a, template=template, title=template.title, questions=questions
    )
    assert new.pk != template.pk
    answer(new, consenting(school_a), [2, 2, "реже", [], False, ""])
    assert template_results(school_a, template=template).responses == 3
    newer = template_results(school_a, template=new)
    assert newer.responses == 1 and newer.questions[0].mean == 2.0
    client.force_login(curator_a)
    html = client.get(
        reverse("reports:questionnaire_results", kwargs={"org": school_a.slug, "pk": new.pk})
    ).content.decode()
    assert "версия 1 от" in html and "версия 2 от" in html
    assert reverse("reports:questionnaire_results", kwargs={"org": school_a.slug, "pk": template.pk}) in html


# --- Filters -----------------------------------------------------------------------------------


@pytest.fixture
def forms():
    first, second = MentoringForm.objects.filter(audience=MentoringForm.Audience.STUDENTS).order_by("pk")[:2]
    return first, second


def test_filters_by_class_form_and_pair(client, school_a, curator_a, forms):
    template = make_template(school_a)
    seventh = [consenting(school_a, grade=7, class_letter="Б") for _ in range(2)]
    eighth = consenting(school_a, grade=8, class_letter="А")
    mentor = TeacherFactory(organisation=school_a)
    ConsentFactory(person=mentor)
    pair = PairFactory(organisation=school_a, mentor=mentor, form=forms[0], mentees=[seventh[0]])
    PairFactory(organisation=school_a, form=forms[1], mentees=[eighth])
    PairFactory(organisation=school_a, form=forms[1], mentees=[seventh[1]], status="draft")  # a draft is no pair yet
    answer(template, seventh[0], [9, 5, "реже", [], True, ""])
    answer(template, seventh[1], [5, 1, "реже", [], True, ""])
    answer(template, eighth, [3, 1, "реже", [], True, ""])
    answer(template, mentor, [10, 5, "реже", [], True, ""])

    def mean(**filters):
        chosen = results_filter(organisation=school_a, **filters)
        return template_results(school_a, template=template, filters=chosen).questions[0].mean

    assert mean() == pytest.approx((9 + 5 + 3 + 10) / 4)
    assert mean(grade=7, class_letter="Б") == 7.0
    assert mean(grade=8, class_letter="А") == 3.0
    assert mean(form=forms[0]) == pytest.approx(9.5)  # the mentee and the mentor of the pair
    assert mean(form=forms[1]) == 3.0
    assert mean(pair=pair) == pytest.approx(9.5)
    assert mean(pair=pair, grade=7, class_letter="Б") == 9.0

    client.force_login(curator_a)
    url = reverse("reports:questionnaire_results", kwargs={"org": school_a.slug, "pk": template.pk})
    response = client.get(url, {"school_class": "7Б", "form": forms[0].pk})
    assert response.context["results"].responses == 1
    assert "с учётом отбора" in response.content.decode()
    other_school_pair = PairFactory(organisation=PersonFactory().organisation)
    response = client.get(url, {"pair": other_school_pair.pk})
    assert response.context["results"].responses == 4  # another school's pair is no choice: not applied
    assert "pair" in response.context["filter_form"].errors


def test_filters_by_dates(school_a):
    template = make_template(school_a)
    answer(template, consenting(school_a), [2], submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 12)))
    answer(template, consenting(school_a), [6], submitted_at=timezone.make_aware(datetime.datetime(2026, 5, 1, 12)))
    since_april = ResultsFilter(start=datetime.date(2026, 4, 1))
    assert template_results(school_a, template=template, filters=since_april).questions[0].mean == 6.0
    until_april = ResultsFilter(end=datetime.date(2026, 4, 1))
    assert template_results(school_a, template=template, filters=until_april).questions[0].mean == 2.0


# --- Entry against exit --------------------------------------------------------------------------

ENTRY = "Что мне нужно от наставника (для обучающегося)"
EXIT = "Итоговая анкета наставляемого"


@pytest.fixture
def entry_and_exit(school_a):
    """Standard entry and exit of student mentees: items 3–4 of the entry are items 3–4 of the exit."""
    entry, exit_ = standard(ENTRY), standard(EXIT)
    anna, boris, vera = (consenting(school_a, last_name=n) for n in ("Антонова", "Борисов", "Воронина"))
    # entry: [needs, hard subject, interest, confidence, who, expectations]
    answer(entry, anna, [["с проектом или исследованием"], "", 4, 5, "учитель", ""])
    answer(entry, boris, [["с выбором профессии"], "", 6, 7, "учитель", ""])
    answer(entry, vera, [["с выбором профессии"], "", 5, 5, "учитель", ""])
    # exit: [satisfied, goals, interest, confidence, regularity, become mentor, remember]
    answer(exit_, anna, [9, 8, 8, 6, 7, True, ""])
    answer(exit_, boris, [7, 7, 7, 7, 6, False, ""])
    return anna, boris, vera


def test_items_match_by_text_and_scale_not_by_position():
    assert item_key("Насколько вам сейчас интересно учиться?", Kind.SCALE_10) == item_key(
        "  насколько вам  сейчас интересно учиться ", Kind.SCALE_10
    )
    assert item_key("Всё ли ясно?", Kind.SCALE_10) == item_key("Все ли ясно", Kind.SCALE_10)
    assert item_key("Всё ли ясно?", Kind.SCALE_10) != item_key("Всё ли ясно?", Kind.SCALE_5)


def test_entry_exit_growth_per_participant_and_per_item(school_a, entry_and_exit):
    anna, boris, vera = entry_and_exit
    result = entry_exit(school_a, audience=Audience.STUDENT_MENTEE)
    assert [i.text for i in result.items] == [
        "Насколько вам сейчас интересно учиться?",
        "Насколько уверенно вы чувствуете себя в школе?",
    ]
    interest, confidence = result.growth.items
    assert (interest.participants, interest.entry_mean, interest.exit_mean, interest.growth) == (2, 5.0, 7.5, 2.5)
    assert (confidence.participants, confidence.entry_mean, confidence.exit_mean, confidence.growth) == (
        2,
        6.0,
        6.5,
        0.5,
    )
    assert result.growth.participants == 2
    assert result.growth.mean == 1.5
    rows = {row.person.pk: row.values for row in result.participants}
    assert rows[anna.pk] == ((4.0, 8.0, 4.0), (5.0, 6.0, 1.0))
    assert rows[boris.pk] == ((6.0, 7.0, 1.0), (7.0, 7.0, 0.0))
    assert rows[vera.pk] == ((5.0, None, None), (5.0, None, None))


def test_growth_counts_a_reworded_version_and_the_latest_answer(school_a, entry_and_exit):
    anna, *_ = entry_and_exit
    own_exit = make_template(
        school_a,
        title="Итоговая анкета (наша)",
        questions=[
            question("насколько вам сейчас интересно учиться", Kind.SCALE_10),
            question("Насколько вы уверены в себе?", Kind.SCALE_10),
        ],
    )
    answer(own_exit, anna, [10, 1], submitted_at=timezone.now() + datetime.timedelta(minutes=5))
    result = growth(school_a, audience=Audience.STUDENT_MENTEE)
    interest = result.items[0]
    assert interest.exit_mean == (10 + 7) / 2  # Anna's latest exit answer is 10
    assert interest.growth == ((10 - 4) + (7 - 6)) / 2
    assert len(result.items) == 2  # the differently worded question is not an item of both


def test_growth_of_an_audience_without_common_items_is_empty(school_a):
    result = growth(school_a, audience=Audience.TEACHER_MENTEE)
    assert result.items == [] and result.mean is None and result.participants == 0


def test_entry_exit_page(client, school_a, curator_a, entry_and_exit):
    anna, *_ = entry_and_exit
    client.force_login(curator_a)
    response = client.get(
        reverse("reports:questionnaire_entry_exit", kwargs={"org": school_a.slug}), {"audience": "student_mentee"}
    )
    html = response.content.decode()
    assert "Ответили на обе анкеты: 2 человека" in html
    assert "+2,50" in html and "+1,50" in html
    assert anna.full_name in html
    assert AccessLogEntry.objects.filter(organisation=school_a, action="view", people_count=3).exists()
    assert response.context["charts"][0]["datasets"][1]["data"] == [7.5, 6.5]


# --- KPI numbers ----------------------------------------------------------------------------------


def test_satisfaction_is_the_mean_of_exit_1_to_10_items_of_mentees_and_mentors(school_a, entry_and_exit):
    # Mentee exits (fixture): Anna 9, 8, 8, 6, 7; Boris 7, 7, 7, 7, 6 → 72 / 10.
    own_teacher_exit = make_template(
        school_a,
        title="Итоговая анкета молодого педагога",
        audience=Audience.TEACHER_MENTEE,
        questions=[question("Довольны ли вы?", Kind.SCALE_10)],
    )
    answer(own_teacher_exit, consenting(school_a), [5])  # → (72 + 5) / 11
    mentor_exit = standard("Итоговая анкета наставника")
    answer(mentor_exit, consenting(school_a), [10, 9, 8, 7, 6, True, ""])  # → 40 / 5
    answer(mentor_exit, PersonFactory(organisation=school_a), [1, 1, 1, 1, 1, False, ""])  # no consent: not counted
    entry = standard("Чем я могу быть полезен в качестве наставника?")
    answer(entry, consenting(school_a), [None, None, None, None, 1])  # an entry questionnaire is no satisfaction
    result = satisfaction(school_a)
    assert result.mentees == pytest.approx(77 / 11)
    assert result.mentors == 8.0
    assert (result.mentee_responses, result.mentor_responses) == (3, 1)


def test_satisfaction_and_growth_take_a_period(school_a):
    exit_ = standard(EXIT)
    last_year = timezone.make_aware(datetime.datetime(2025, 5, 20, 12))
    answer(exit_, consenting(school_a), [2, 2, 2, 2, 2, False, ""], submitted_at=last_year)
    answer(exit_, consenting(school_a), [8, 8, 8, 8, 8, True, ""])
    today = timezone.localdate()
    assert satisfaction(school_a).mentees == 5.0
    assert satisfaction(school_a, start=today - datetime.timedelta(days=30), end=today).mentees == 8.0
    assert satisfaction(school_a, start=today).mentors is None
    assert growth(school_a, audience=Audience.STUDENT_MENTEE, start=today).participants == 0


# --- Quarterly dynamics --------------------------------------------------------------------------


def _at(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def quarterly(school_a):
    questions = [
        question("Как вы оцениваете своё настроение в школе?", Kind.SCALE_10),
        question("Насколько тяжела учебная нагрузка?", Kind.SCALE_5),
    ]
    first = make_template(school_a, title="Диагностика, I квартал", phase=Phase.QUARTERLY, questions=questions)
    second = make_template(
        school_a,
        title="Диагностика, II квартал",
        phase=Phase.QUARTERLY,
        questions=[dict(questions[0], text="Как вы оцениваете своё настроение в школе")],
    )
    answer(first, consenting(school_a), [6, 3], submitted_at=_at(2026, 2, 10, 12))
    answer(first, consenting(school_a), [8, 4], submitted_at=_at(2026, 3, 31, 23, 30))  # Moscow time: still March
    answer(second, consenting(school_a), [9], submitted_at=_at(2026, 4, 1, 1, 0))  # 31 March in UTC, April here
    answer(second, consenting(school_a), [5], submitted_at=_at(2026, 5, 15, 12))
    return first, second


def test_quarterly_table_groups_by_calendar_quarter(school_a, quarterly):
    table = quarterly_dynamics(school_a, audience=Audience.STUDENT_MENTEE)
    assert table.labels == ["I квартал 2026", "II квартал 2026"]
    assert table.responses == [2, 2]
    mood, load = table.rows
    assert mood.text == "Как вы оцениваете своё настроение в школе"  # the newer template's wording
    assert mood.means == (7.0, 7.0)
    assert load.means == (3.5, None)
    assert quarter_label(2025, 4) == "IV квартал 2025"


def test_quarterly_page(client, school_a, curator_a, quarterly):
    client.force_login(curator_a)
    response = client.get(
        reverse("reports:questionnaire_quarterly", kwargs={"org": school_a.slug}), {"audience": "student_mentee"}
    )
    html = response.content.decode()
    assert "I квартал 2026" in html and "II квартал 2026" in html
    assert "3,50" in html
    assert response.context["charts"][0]["type"] == "line"


def test_quarterly_page_defaults_to_an_audience_with_answers(client, school_a, curator_a):
    mentors = make_template(
        school_a,
        title="Диагностика наставников",
        audience=Audience.MENTOR,
        phase=Phase.QUARTERLY,
        questions=[question("Хватает ли времени?", Kind.SCALE_10)],
    )
    answer(mentors, consenting(school_a), [4])
    client.force_login(curator_a)
    response = client.get(reverse("reports:questionnaire_quarterly", kwargs={"org": school_a.slug}))
    assert response.context["audience"] == Audience.MENTOR


# --- Query counts --------------------------------------------------------------------------------


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context.captured_queries)


def test_results_pages_queries_do_not_grow_with_responses(client, school_a, curator_a, forms):
    template = make_template(school_a)
    quarterly = make_template(school_a, title="Диагностика", phase=Phase.QUARTERLY)
    entry, exit_ = standard(ENTRY), standard(EXIT)
    PairFactory(organisation=school_a, form=forms[0])

    def add(count):
        for index in range(count):
            person = consenting(school_a, grade=7, class_letter="Б")
            answer(template, person, [index % 10 + 1, 3, "реже", ["встречи"], True, f"отзыв {index}"])
            answer(quarterly, person, [5], submitted_at=_at(2026, 1 + 3 * (index % 4), 5, 12))
            answer(entry, person, [["с выбором профессии"], "", 4, 5, "учитель", ""])
            answer(exit_, person, [9, 8, 8, 6, 7, True, ""])

    client.force_login(curator_a)
    urls = [
        (reverse("reports:questionnaire_results", kwargs={"org": school_a.slug, "pk": template.pk}), {}),
        (reverse("reports:questionnaire_results_xlsx", kwargs={"org": school_a.slug, "pk": template.pk}), {}),
        (reverse("reports:questionnaire_entry_exit", kwargs={"org": school_a.slug}), {"school_class": "7Б"}),
        (reverse("reports:questionnaire_quarterly", kwargs={"org": school_a.slug}), {"form": forms[0].pk}),
    ]
    add(2)
    small = [_queries(client, url, params) for url, params in urls]
    add(7)
    assert [_queries(client, url, params) for url, params in urls] == small


# --- XLSX ----------------------------------------------------------------------------------------


def _workbook(client, school, template, **params):
    url = reverse("reports:questionnaire_results_xlsx", kwargs={"org": school.slug, "pk": template.pk})
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_xlsx_has_responses_as_rows_and_totals_per_question(client, school_a, curator_a, answered):
    template, people = answered
    client.force_login(curator_a)
    workbook = _workbook(client, school_a, template)
    assert workbook.sheetnames == ["Ответы", "Итоги по вопросам"]

    rows = _rows(workbook["Ответы"])
    assert rows[0][0] == "Результаты анкетирования — МБОУ СОШ № 1"
    assert any("без действующего согласия на обработку персональных данных: 1" in str(row[0]) for row in rows)
    header = next(row for row in rows if row[0] == "Участник")
    assert header[:4] == ["Участник", "Класс", "Дата ответа", "1. Насколько вы довольны программой?"]
    data = {row[0]: row for row in rows[rows.index(header) + 1 :]}
    assert set(data) == {p.full_name for p in people}  # no draft, nobody without consent
    abramova = data[people[0].full_name]
    assert abramova[1:] == [
        "7Б",
        timezone.localdate().strftime("%d.%m.%Y"),
        7,
        4,
        "еженедельно",
        "встречи",
        "да",
        "Стало интереснее учиться.",
    ]
    borisov = data[people[1].full_name]
    assert borisov[4] is None and borisov[6] == "встречи; проект" and borisov[7] == "нет"
    assert data[people[2].full_name][8] == "=1+1"  # a formula-like answer stays text
    cell = next(c for row in workbook["Ответы"].iter_rows() for c in row if c.value == "=1+1")
    assert cell.data_type == "s"  # a string cell, not a formula

    totals = _rows(workbook["Итоги по вопросам"])
    header = next(row for row in totals if row[0] == "№")
    assert header == ["№", "Вопрос", "Тип ответа", "Ответили", "Среднее", "Вариант ответа", "Ответов", "Доля, %"]
    body = totals[totals.index(header) + 1 :]
    assert body[0][:5] == [1, "Насколько вы довольны программой?", "шкала от 1 до 10", 3, 7.33]
    assert [row[5:] for row in body[:10] if row[6]] == [["7", 2, 67], ["8", 1, 33]]
    yes_no = next(i for i, row in enumerate(body) if row[1] == "Хотели бы вы продолжить?")
    assert body[yes_no][5:] == ["Да", 2, 67] and body[yes_no + 1][5:] == ["Нет", 1, 33]
    assert body[-1][:4] == [6, "Ваш отзыв", "развёрнутый ответ", 2]

    entry = AccessLogEntry.objects.get(organisation=school_a, action="export")
    assert entry.people_count == 3 and template.title in entry.what


def test_xlsx_follows_the_filters(client, school_a, curator_a):
    template = make_template(school_a)
    seventh = consenting(school_a, grade=7, class_letter="Б", last_name="Семиклассник")
    answer(template, seventh, [9, 5, "реже", [], True, ""])
    answer(template, consenting(school_a, grade=8, class_letter="А", last_name="Восьмиклассник"), [1])
    client.force_login(curator_a)
    workbook = _workbook(client, school_a, template, school_class="7Б")
    rows = _rows(workbook["Ответы"])
    assert any(row[0] == "Отбор: класс 7Б." for row in rows)
    names = [row[0] for row in rows]
    assert seventh.full_name in names and not any("Восьмиклассник" in str(name) for name in names)
    totals = _rows(workbook["Итоги по вопросам"])
    assert next(row for row in totals if row[0] == 1)[3:5] == [1, 9]


# --- In a browser --------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_are_drawn_under_the_content_security_policy(browser_page, school_a, curator_a, screenshots_dir):
    from organisations.tests.factories import TEST_PASSWORD

    template = make_template(school_a)
    for values in ([7, 4, "еженедельно", ["встречи"], True, ""], [8, 5, "реже", ["проект"], False, ""]):
        answer(template, consenting(school_a), values)
    scale = template.questions.get(kind=Kind.SCALE_10)
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if "Refused" in message.text else None)
    page.goto(page.live_server_url + "/")
    page.get_by_label("Имя пользователя").fill(curator_a.username)
    page.get_by_label("Пароль").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/o/school-a/")
    page.goto(
        page.live_server_url
        + reverse("reports:questionnaire_results", kwargs={"org": school_a.slug, "pk": template.pk})
    )
    page.wait_for_function(
        "id => window.Chart && Chart.getChart(document.getElementById(id))", arg=f"chart-q{scale.pk}"
    )
    drawn = page.evaluate(
        """id => {
            const chart = Chart.getChart(document.getElementById(id));
            return {bars: chart.getDatasetMeta(0).data.length, height: chart.height};
        }""",
        f"chart-q{scale.pk}",
    )
    assert drawn["bars"] == 10 and drawn["height"] > 100
    assert errors == []  # no script error, nothing the Content-Security-Policy refused
    page.screenshot(path=screenshots_dir / "questionnaire-results.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    # The charts follow the narrower window (Chart.js resizes on the next frame): no sideways scrolling.
    page.wait_for_function("() => document.documentElement.scrollWidth <= window.innerWidth")
