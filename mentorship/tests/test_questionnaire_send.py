"""Questionnaires sent to a pair or a programme, and answers that change what matching scores."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.matching import score
from mentorship.matching_data import profiles_for_year
from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.school_year import current_school_year
from participants.models import Invitation, MenteeEntry, MentorEntry, Question, QuestionnaireTemplate
from participants.questionnaires.services import (
    invitations_send,
    questionnaire_template_create,
    response_save,
)
from participants.tests.factories import MenteeEntryFactory, MentorEntryFactory, PersonFactory, TeacherFactory
from participants.tests.factories_consents import ConsentFactory
from participants.tests.factories_questionnaires import make_template

pytestmark = pytest.mark.usefixtures("reference_data")


def _consented(person):
    ConsentFactory(person=person)
    return person


def _data(template, days=5, **extra):
    return {"questionnaire": template.pk, "expires_on": (timezone.localdate() + datetime.timedelta(days=days)), **extra}


def _invited(template):
    return set(Invitation.objects.filter(template=template).values_list("person__last_name", flat=True))


def _for_both_sides(template):
    """A questionnaire neither for mentors nor for mentees alone goes to both sides of a pair."""
    template.audience = QuestionnaireTemplate.Audience.CURATOR
    template.save(update_fields=["audience"])
    return template


def test_pair_page_has_the_form_and_sending_reaches_mentor_and_mentees(client, school_a, curator_a):
    template = _for_both_sides(make_template(organisation=school_a, title="Отзыв о встречах"))
    mentor = _consented(TeacherFactory(organisation=school_a, last_name="Соколова"))
    with_consent = _consented(PersonFactory(organisation=school_a, last_name="Миронов"))
    without = PersonFactory(organisation=school_a, last_name="Безсогласия")
    pair = PairFactory(organisation=school_a, mentor=mentor, mentees=[with_consent, without])
    _consented(PersonFactory(organisation=school_a, last_name="Посторонний"))
    client.force_login(curator_a)

    detail = client.get(reverse("mentorship:pair_detail", kwargs={"org": school_a.slug, "pk": pair.pk}))
    send_url = reverse("mentorship:pair_questionnaire_send", kwargs={"org": school_a.slug, "pk": pair.pk})
    assert "Отправить анкету" in detail.content.decode() and send_url in detail.content.decode()

    response = client.post(send_url, _data(template))
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 ссылки созданы" in body
    assert "Без ссылки — нет действующего согласия" in body and without.full_name in body
    # Each link once in the table and once in the «Скопировать все ссылки» text.
    assert len(set(re.findall(r"/q/[\w-]+/", body))) == 2 and len(response.context["links_text"].splitlines()) == 2
    assert _invited(template) == {"Соколова", "Миронов"}
    invitation = Invitation.objects.get(person=mentor)
    assert timezone.localtime(invitation.expires_at).date() == timezone.localdate() + datetime.timedelta(days=5)

    again = client.post(send_url, _data(template)).content.decode()
    assert "2 человека уже получили ссылку" in again and Invitation.objects.count() == 2


def test_programme_sending_takes_everyone_in_its_working_pairs(client, school_a, curator_a):
    template = _for_both_sides(make_template(organisation=school_a))
    programme = ProgrammeFactory(organisation=school_a)
    active = PairFactory(
        programme=programme,
        organisation=school_a,
        mentor=_consented(TeacherFactory(organisation=school_a, last_name="Активная")),
        mentees=[_consented(PersonFactory(organisation=school_a, last_name="Ученик1"))],
    )
    PairFactory(
        programme=programme,
        organisation=school_a,
        status=Pair.Status.APPROVED,
        mentor=active.mentor,  # a mentor of two groups gets one link
        mentees=[_consented(PersonFactory(organisation=school_a, last_name="Ученик2"))],
    )
    closed = PairFactory(
        programme=programme,
        organisation=school_a,
        status=Pair.Status.CLOSED,
        closed_on=timezone.localdate(),
        outcome=Pair.Outcome.COMPLETED,
        mentor=_consented(TeacherFactory(organisation=school_a, last_name="Завершившая")),
        mentees=[_consented(PersonFactory(organisation=school_a, last_name="Ученик3"))],
    )
    PairFactory(
        programme=programme,
        organisation=school_a,
        status=Pair.Status.DRAFT,
        mentor=_consented(TeacherFactory(organisation=school_a, last_name="Черновик")),
    )
    other_programme = ProgrammeFactory(organisation=school_a, kind="teachers")
    PairFactory(
        programme=other_programme,
        organisation=school_a,
        mentor=_consented(TeacherFactory(organisation=school_a, last_name="Чужая")),
    )
    client.force_login(curator_a)

    detail = client.get(reverse("mentorship:programme_detail", kwargs={"org": school_a.slug, "pk": programme.pk}))
    assert "Отправить анкету" in detail.content.decode()
    url = reverse("mentorship:programme_questionnaire_send", kwargs={"org": school_a.slug, "pk": programme.pk})
    assert client.get(url).status_code == 200
    body = client.post(url, _data(template)).content.decode()
    assert "3 ссылки созданы" in body
    assert _invited(template) == {"Активная", "Ученик1", "Ученик2"}

    body = client.post(url, _data(template, include_closed="on")).content.decode()
    assert "2 ссылки созданы" in body
    assert _invited(template) == {"Активная", "Ученик1", "Ученик2", "Завершившая", "Ученик3"}
    assert closed.mentor.full_name in body


def test_sending_refuses_a_past_date_and_another_schools_questionnaire(client, school_a, school_b, curator_a):
    pair = PairFactory(organisation=school_a, mentor=_consented(TeacherFactory(organisation=school_a)))
    client.force_login(curator_a)
    url = reverse("mentorship:pair_questionnaire_send", kwargs={"org": school_a.slug, "pk": pair.pk})
    own = make_template(organisation=school_a)
    body = client.post(url, _data(own, days=-1)).content.decode()
    assert "Дата не может быть в прошлом." in body
    foreign = make_template(organisation=school_b)
    body = client.post(url, _data(foreign)).content.decode()
    assert "Выберите корректный вариант" in body
    assert not Invitation.objects.exists()


def test_methodist_sees_no_form_and_may_not_send(client, school_a, member):
    pair = PairFactory(organisation=school_a)
    client.force_login(member(school_a, "methodist"))
    detail = client.get(reverse("mentorship:pair_detail", kwargs={"org": school_a.slug, "pk": pair.pk}))
    assert detail.status_code == 200 and 'data-testid="questionnaire-send"' not in detail.content.decode()
    url = reverse("mentorship:pair_questionnaire_send", kwargs={"org": school_a.slug, "pk": pair.pk})
    assert client.post(url, _data(make_template(organisation=school_a))).status_code == 403


# --- Answers that matching reads -------------------------------------------------------------------


def _answer(template, person, text_by_question):
    (sent,), _ = invitations_send(
        organisation=template.organisation,
        template=template,
        people=[person],
        expires_at=timezone.now() + datetime.timedelta(days=7),
        user=None,
    )
    answers = {str(q.pk): text_by_question[q.text] for q in template.questions.all()}
    response_save(invitation=sent.invitation, answers=answers, submit=True)


def _points(school) -> dict[str, float]:
    mentees, mentors = profiles_for_year(organisation=school, school_year=current_school_year())
    return {part.code: part.points for part in score(mentees[0], mentors[0]).parts}


# (profile field, question kind, who answers, the answer, the criterion it raises); tags count as
# words of the request and of the offer, so they raise «needs».
CASES = [
    (Question.ProfileField.NEEDS, Question.Kind.SHORT_TEXT, "mentee", "подготовка к олимпиаде по химии", "needs"),
    (Question.ProfileField.COMPETENCIES, Question.Kind.LONG_TEXT, "mentor", "готовлю к олимпиадам по химии", "needs"),
    (Question.ProfileField.AVAILABILITY, Question.Kind.SHORT_TEXT, "mentor", "по средам", "availability"),
    (Question.ProfileField.TAGS, Question.Kind.SINGLE, "mentor", "Химия", "needs"),
]


@pytest.mark.parametrize(("field", "kind", "who", "answer", "criterion"), CASES)
def test_an_answer_changes_the_matching_score(school_a, field, kind, who, answer, criterion):
    mentor = MentorEntryFactory(
        organisation=school_a,
        status=MentorEntry.Status.APPROVED,
        competencies="" if field in {"competencies", "tags"} else "олимпиада химия",
        availability="",
    )
    mentee = MenteeEntryFactory(
        organisation=school_a,
        status=MenteeEntry.Status.INCLUDED,
        needs="" if field == "needs" else "химия, могу по средам",
    )
    _consented(mentor.person)
    _consented(mentee.person)
    before = _points(school_a)

    choices = ["Химия", "Физика"] if kind == Question.Kind.SINGLE else []
    question = {"text": "Вопрос", "kind": kind, "required": True, "choices": choices, "profile_field": field}
    template = questionnaire_template_create(
        organisation=school_a, title="Анкета", audience="mentor", phase="entry", questions=[question]
    )
    _answer(template, (mentor if who == "mentor" else mentee).person, {"Вопрос": answer})

    after = _points(school_a)
    assert after[criterion] > before[criterion]


def test_a_mentees_questionnaire_goes_to_the_mentees_and_a_mentors_one_to_the_mentor(client, school_a, curator_a):
    mentor = _consented(TeacherFactory(organisation=school_a, last_name="Соколова"))
    mentee = _consented(PersonFactory(organisation=school_a, last_name="Миронов"))
    pair = PairFactory(organisation=school_a, mentor=mentor, mentees=[mentee])
    send_url = reverse("mentorship:pair_questionnaire_send", kwargs={"org": school_a.slug, "pk": pair.pk})
    client.force_login(curator_a)

    for_mentees = make_template(organisation=school_a, title="Итоговая анкета наставляемого")
    client.post(send_url, _data(for_mentees))
    assert _invited(for_mentees) == {"Миронов"}

    for_mentors = make_template(organisation=school_a, title="Итоговая анкета наставника")
    for_mentors.audience = QuestionnaireTemplate.Audience.MENTOR
    for_mentors.save(update_fields=["audience"])
    client.post(send_url, _data(for_mentors))
    assert _invited(for_mentors) == {"Соколова"}
