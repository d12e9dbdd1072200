"""Submitted answers feed the person's profile: competencies, needs, availability and tags."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organisations.school_year import current_school_year
from participants.models import MenteeEntry, MentorEntry, Question, QuestionnaireTemplate, Response
from participants.questionnaires.services import (
    invitations_send,
    questionnaire_template_create,
    questionnaire_template_edit,
    response_save,
)
from participants.services_bases import tags_set
from participants.tests.factories import MenteeEntryFactory, MentorEntryFactory, PersonFactory
from participants.tests.factories_consents import ConsentFactory

pytestmark = pytest.mark.usefixtures("reference_data")

Kind, Field = Question.Kind, Question.ProfileField


def _q(text, kind, profile_field="", choices=(), required=False):
    return {"text": text, "kind": kind, "required": required, "choices": list(choices), "profile_field": profile_field}


PROFILE_QUESTIONS = [
    _q("В чём вы сильны?", Kind.LONG_TEXT, Field.COMPETENCIES),
    _q("Когда вам удобно?", Kind.SINGLE, Field.AVAILABILITY, ["по вторникам", "по субботам"]),
    _q("Что вам нужно?", Kind.SHORT_TEXT, Field.NEEDS),
    _q("Ваши интересы", Kind.MULTIPLE, Field.TAGS, ["Робототехника", "#Шахматы", "театр"]),
    _q("Насколько вы довольны?", Kind.SCALE_10),
]


def _template(school, questions=PROFILE_QUESTIONS):
    return questionnaire_template_create(
        organisation=school, title="Анкета профиля", audience="mentor", phase="entry", questions=questions
    )


def _invite(school, template, person):
    if not person.consents.exists():
        ConsentFactory(person=person)
    (sent,), _ = invitations_send(
        organisation=school,
        template=template,
        people=[person],
        expires_at=timezone.now() + datetime.timedelta(days=7),
        user=None,
    )
    return sent


def _answers(template, **by_text):
    return {str(q.pk): by_text[q.text] for q in template.questions.all() if q.text in by_text}


def test_answers_go_to_the_entries_of_the_year_and_to_tags(school_a):
    template = _template(school_a)
    mentor = MentorEntryFactory(organisation=school_a, competencies="подготовка к олимпиадам", availability="")
    MentorEntryFactory(organisation=school_a, person=mentor.person, school_year=current_school_year() - 1)
    mentee = MenteeEntryFactory(organisation=school_a, person=mentor.person, needs="")
    sent = _invite(school_a, template, mentor.person)
    answers = {
        "В чём вы сильны?": "робототехника, 3D-моделирование",
        "Когда вам удобно?": "по вторникам",
        "Что вам нужно?": "опыт публичных выступлений",
        "Ваши интересы": ["Робототехника", "#Шахматы"],
        "Насколько вы довольны?": 9,
    }
    response_save(invitation=sent.invitation, answers=_answers(template, **answers), submit=True)

    mentor.refresh_from_db()
    assert mentor.competencies == "подготовка к олимпиадам\nробототехника, 3D-моделирование"
    assert mentor.availability == "по вторникам"
    mentee.refresh_from_db()
    assert mentee.needs == "опыт публичных выступлений"
    assert sorted(mentor.person.tags.values_list("name", flat=True)) == ["робототехника", "шахматы"]
    last_year = MentorEntry.objects.get(person=mentor.person, school_year=current_school_year() - 1)
    assert last_year.competencies == "подготовка к олимпиадам по математике"  # another year is untouched


def test_repeated_answers_are_not_duplicated_and_existing_tags_are_kept(school_a):
    first, second = _template(school_a), _template(school_a)
    entry = MentorEntryFactory(organisation=school_a, competencies="Робототехника", availability="по субботам")
    tags_set(organisation=school_a, person=entry.person, names=["наставник года"])
    answers = {"В чём вы сильны?": "робототехника", "Когда вам удобно?": "по вторникам", "Ваши интересы": ["театр"]}
    for template in (first, second):
        sent = _invite(school_a, template, entry.person)
        response_save(invitation=sent.invitation, answers=_answers(template, **answers), submit=True)

    entry.refresh_from_db()
    assert entry.competencies == "Робототехника"
    assert entry.availability == "по субботам; по вторникам"
    assert sorted(entry.person.tags.values_list("name", flat=True)) == ["наставник года", "театр"]


def test_no_base_entry_is_created_and_the_answer_is_kept(school_a):
    template = _template(school_a)
    person = PersonFactory(organisation=school_a)
    sent = _invite(school_a, template, person)
    answers = _answers(template, **{"В чём вы сильны?": "шахматы", "Что вам нужно?": "помощь с физикой"})
    response_save(invitation=sent.invitation, answers=answers, submit=True)
    assert not MentorEntry.objects.filter(person=person).exists()
    assert not MenteeEntry.objects.filter(person=person).exists()
    assert Response.objects.get(invitation=sent.invitation).answers == answers


def test_a_draft_changes_no_profile(school_a):
    template = _template(school_a)
    entry = MentorEntryFactory(organisation=school_a, competencies="")
    sent = _invite(school_a, template, entry.person)
    response_save(
        invitation=sent.invitation, answers=_answers(template, **{"В чём вы сильны?": "шахматы"}), submit=False
    )
    entry.refresh_from_db()
    assert entry.competencies == ""


def test_answer_page_submission_feeds_the_mentee_request(client, school_a):
    template = _template(school_a, [_q("С чем нужна помощь?", Kind.MULTIPLE, Field.NEEDS, ["с дробями", "с ОГЭ"])])
    entry = MenteeEntryFactory(organisation=school_a, needs="трудности с дробями")
    sent = _invite(school_a, template, entry.person)
    question = template.questions.get()
    url = reverse("questionnaire_answer", args=[sent.token])
    assert "Спасибо" in client.post(url, {f"q{question.pk}": ["с дробями", "с ОГЭ"]}).content.decode()
    entry.refresh_from_db()
    assert entry.needs == "трудности с дробями\nс ОГЭ"


# --- The builder -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (_q("Оценка", Kind.SCALE_10, Field.COMPETENCIES), "нельзя перенести в профиль"),
        (_q("Интересы", Kind.SHORT_TEXT, Field.TAGS), "только выбранные варианты"),
        (_q("Интересы", Kind.SINGLE, Field.TAGS, ["а" * 61, "б"]), "слишком длинный для тега"),
    ],
)
def test_builder_refuses_a_profile_field_the_answer_cannot_fill(school_a, question, message):
    with pytest.raises(ValidationError, match=message):
        questionnaire_template_create(
            organisation=school_a, title="Анкета", audience="mentor", phase="entry", questions=[question]
        )


def test_builder_page_saves_and_shows_the_profile_field(client, school_a, curator_a):
    client.force_login(curator_a)
    url = reverse("participants:questionnaire_add", kwargs={"org": school_a.slug})
    page = client.get(url).content.decode()
    assert "Переносится в профиль" in page and "компетенции наставника" in page
    data = {
        "title": "Анкета наставника",
        "audience": "mentor",
        "phase": "entry",
        "q-TOTAL_FORMS": "1",
        "q-INITIAL_FORMS": "0",
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "1000",
        "q-0-text": "Чему вы можете научить?",
        "q-0-kind": "long_text",
        "q-0-profile_field": "competencies",
    }
    assert client.post(url, data).status_code == 302
    template = QuestionnaireTemplate.objects.get(organisation=school_a, title="Анкета наставника")
    assert template.questions.get().profile_field == Field.COMPETENCIES
    edit = reverse("participants:questionnaire_edit", kwargs={"org": school_a.slug, "pk": template.pk})
    assert '<option value="competencies" selected>' in client.get(edit).content.decode()


def test_a_new_version_of_a_standard_questionnaire_keeps_the_profile_fields(school_a):
    standard = QuestionnaireTemplate.objects.get(
        organisation__isnull=True, title="Чем я могу быть полезен в качестве наставника?"
    )
    questions = [
        {"text": q.text, "kind": q.kind, "required": q.required, "choices": q.choices, "profile_field": q.profile_field}
        for q in standard.questions.all()
    ]
    own = questionnaire_template_edit(
        organisation=school_a, template=standard, title=standard.title, questions=questions
    )
    assert own.questions.get(text="В каких областях вы готовы делиться опытом?").profile_field == Field.COMPETENCIES


# --- The seeded standard set -------------------------------------------------------------------------


def test_standard_questions_carry_profile_fields_idempotently():
    seeded = Question.objects.filter(template__organisation__isnull=True).exclude(profile_field="")
    expected = {
        ("В каких областях вы готовы делиться опытом?", "competencies"),
        ("Сколько времени в неделю вы готовы уделять наставничеству?", "availability"),
        ("С чем вам нужна помощь?", "needs"),
        ("Какой предмет или тема даётся вам труднее всего?", "needs"),
        ("Чего вы ждёте от занятий с наставником?", "needs"),
        ("В чём вам нужна поддержка?", "needs"),
    }
    assert set(seeded.values_list("text", "profile_field")) == expected
    import_module("participants.migrations.0008_seed_question_profile_fields").seed(apps, None)
    assert seeded.count() == len(expected)
    exits = Question.objects.filter(template__organisation__isnull=True, template__phase="exit")
    assert not exits.exclude(profile_field="").exists()
