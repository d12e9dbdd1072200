import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participants.models import Invitation, QuestionnaireTemplate, Response
from participants.questionnaires.services import (
    invitations_send,
    questionnaire_template_edit,
    response_save,
    token_hash,
)
from participants.services import consent_withdraw
from participants.tests.factories import PersonFactory
from participants.tests.factories_consents import ConsentFactory
from participants.tests.factories_questionnaires import QUESTIONS, make_template

pytestmark = pytest.mark.usefixtures("reference_data")


def _consenting(school, **kwargs):
    return ConsentFactory(person__organisation=school, **{f"person__{k}": v for k, v in kwargs.items()}).person


def _send(school, template, people, user=None, days=7):
    return invitations_send(
        organisation=school,
        template=template,
        people=people,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        user=user,
    )


def _answer_data(template, score="8"):
    first = template.questions.order_by("position").first()
    return {f"q{first.pk}": score}


@pytest.fixture
def invited(school_a):
    template = make_template(organisation=school_a)
    person = _consenting(school_a)
    (sent,), skipped = _send(school_a, template, [person])
    assert skipped == []
    return template, person, sent


# --- The seeded standard set --------------------------------------------------------------------


def test_standard_questionnaires_are_seeded_idempotently():
    from importlib import import_module

    from django.apps import apps

    standard = QuestionnaireTemplate.objects.filter(organisation__isnull=True)
    count = standard.count()
    assert count == 6
    import_module("participants.migrations.0006_seed_questionnaires").seed(apps, None)
    assert standard.count() == count
    for template in standard:
        assert 5 <= template.questions.count() <= 8
    assert standard.filter(title="Чем я могу быть полезен в качестве наставника?", phase="entry").exists()


# --- Tokens --------------------------------------------------------------------------------------


def test_only_the_hash_of_the_token_is_stored(invited):
    _, _, sent = invited
    invitation = Invitation.objects.get(pk=sent.invitation.pk)
    assert len(sent.token) >= 40
    assert invitation.token_hash == token_hash(sent.token)
    assert sent.token not in invitation.token_hash


def test_answer_page_opens_without_an_account(client, invited):
    template, _, sent = invited
    response = client.get(reverse("questionnaire_answer", args=[sent.token]))
    assert response.status_code == 200
    assert template.title in response.content.decode()
    assert "Сохранить черновик" in response.content.decode()


@pytest.mark.parametrize("token", ["x", "a" * 43, "..%2Fetc", "a" * 500])
def test_guessed_token_is_404(client, invited, token):
    assert client.get(reverse("questionnaire_answer", args=[token])).status_code == 404


def test_submit_then_reuse_is_refused(client, invited):
    template, person, sent = invited
    url = reverse("questionnaire_answer", args=[sent.token])
    response = client.post(url, _answer_data(template, "9"))
    assert response.status_code == 200
    assert "Спасибо" in response.content.decode()
    saved = Response.objects.get(invitation=sent.invitation)
    first = template.questions.order_by("position").first()
    assert saved.answers[str(first.pk)] == 9
    assert saved.submitted_at is not None and saved.person == person

    second = client.post(url, _answer_data(template, "1"))
    assert second.status_code == 410
    assert "уже отправлены" in second.content.decode()
    assert client.get(url).status_code == 410
    saved.refresh_from_db()
    assert saved.answers[str(first.pk)] == 9
    assert Response.objects.filter(invitation=sent.invitation).count() == 1


def test_required_question_gets_a_russian_message_and_nothing_is_saved(client, invited):
    _, _, sent = invited
    response = client.post(reverse("questionnaire_answer", args=[sent.token]), {})
    assert response.status_code == 200
    assert "Ответьте на этот вопрос." in response.content.decode()
    assert not Response.objects.filter(invitation=sent.invitation, submitted_at__isnull=False).exists()


def test_draft_is_kept_and_shown_again(client, invited):
    template, _, sent = invited
    url = reverse("questionnaire_answer", args=[sent.token])
    long_text = template.questions.get(kind="long_text")
    response = client.post(url, {f"q{long_text.pk}": "Очень понравилось", "save_draft": "1"})
    assert "Черновик сохранён" in response.content.decode()
    draft = Response.objects.get(invitation=sent.invitation)
    assert draft.submitted_at is None and draft.draft[str(long_text.pk)] == "Очень понравилось"
    assert "Очень понравилось" in client.get(url).content.decode()
    sent.invitation.refresh_from_db()
    assert sent.invitation.answered_at is None


def test_expired_link_is_refused(client, invited):
    template, _, sent = invited
    Invitation.objects.filter(pk=sent.invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    url = reverse("questionnaire_answer", args=[sent.token])
    assert client.get(url).status_code == 410
    response = client.post(url, _answer_data(template))
    assert "Срок действия ссылки истёк" in response.content.decode()
    assert not Response.objects.exists()


def test_link_of_a_person_whose_consent_was_withdrawn_is_refused(client, invited, curator_a):
    template, person, sent = invited
    consent = person.consents.get()
    consent_withdraw(consent=consent, withdrawn_on=timezone.localdate(), user=curator_a)
    url = reverse("questionnaire_answer", args=[sent.token])
    response = client.get(url)
    assert response.status_code == 403
    assert "обработка персональных данных участника приостановлена" in response.content.decode()
    assert client.post(url, _answer_data(template)).status_code == 403
    assert not Response.objects.exists()


# --- Versioning ------------------------------------------------------------------------------------


def test_editing_an_answered_template_makes_a_new_version_and_keeps_old_answers(school_a, invited):
    template, _, sent = invited
    first = template.questions.order_by("position").first()
    response_save(invitation=sent.invitation, answers={str(first.pk): 7}, submit=True)

    edited = [{**QUESTIONS[0], "text": "Оцените программу"}, QUESTIONS[2]]
    new = questionnaire_template_edit(organisation=school_a, template=template, title="Итог года", questions=edited)

    assert new.pk != template.pk and new.version == 2 and new.replaces == template and new.is_current
    template.refresh_from_db()
    assert not template.is_current and template.title == "Итоговая анкета"
    assert list(template.questions.values_list("text", flat=True)) == [q["text"] for q in QUESTIONS]
    old = Response.objects.get(invitation=sent.invitation)
    assert old.template == template and old.answers == {str(first.pk): 7}
    assert [q.text for q in new.questions.all()] == ["Оцените программу", "Ваш отзыв"]


def test_unsent_template_is_edited_in_place(school_a):
    template = make_template(organisation=school_a)
    same = questionnaire_template_edit(organisation=school_a, template=template, title="Новое", questions=QUESTIONS[:1])
    assert same.pk == template.pk and same.version == 1 and same.questions.count() == 1


def test_editing_a_standard_template_makes_the_schools_own_version(school_a, school_b):
    standard = QuestionnaireTemplate.objects.filter(organisation__isnull=True).first()
    own = questionnaire_template_edit(organisation=school_a, template=standard, title="Наша", questions=QUESTIONS)
    assert own.organisation == school_a and own.replaces == standard
    standard.refresh_from_db()
    assert standard.is_current  # other schools keep using it
    from participants.questionnaires.services import templates_current_for

    assert own in templates_current_for(organisation=school_a)
    assert standard not in templates_current_for(organisation=school_a)
    assert standard in templates_current_for(organisation=school_b)


def test_builder_page_saves_a_new_version(client, school_a, curator_a, invited):
    template, _, _ = invited
    client.force_login(curator_a)
    data = {
        "title": "Итоговая анкета 2",
        "q-TOTAL_FORMS": "2",
        "q-INITIAL_FORMS": "1",
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "1000",
        "q-0-text": "Оцените программу",
        "q-0-kind": "scale_10",
        "q-0-required": "on",
        "q-0-ORDER": "2",
        "q-1-text": "Что понравилось?",
        "q-1-kind": "single",
        "q-1-choices": "встречи\nпроект",
        "q-1-ORDER": "1",
    }
    url = reverse("participants:questionnaire_edit", kwargs={"org": school_a.slug, "pk": template.pk})
    response = client.post(url, data)
    assert response.status_code == 302
    new = QuestionnaireTemplate.objects.get(replaces=template)
    assert [(q.text, q.choices) for q in new.questions.all()] == [
        ("Что понравилось?", ["встречи", "проект"]),
        ("Оцените программу", []),
    ]


# --- Sending ---------------------------------------------------------------------------------------


def test_sending_skips_people_without_consent_and_does_not_invite_twice(school_a, curator_a):
    template = make_template(organisation=school_a)
    with_consent = _consenting(school_a)
    without = PersonFactory(organisation=school_a)
    withdrawn = _consenting(school_a)
    consent_withdraw(consent=withdrawn.consents.get(), withdrawn_on=timezone.localdate(), user=curator_a)

    created, skipped = _send(school_a, template, [with_consent, without, withdrawn], user=curator_a)
    assert [s.invitation.person for s in created] == [with_consent]
    assert set(skipped) == {without, withdrawn}
    assert created[0].invitation.created_by == curator_a

    again, skipped_again = _send(school_a, template, [with_consent, without])
    assert again == [] and skipped_again == [without]
    assert Invitation.objects.count() == 1


def test_sending_ignores_people_of_another_school(school_a, school_b):
    template = make_template(organisation=school_a)
    foreign = _consenting(school_b)
    created, skipped = _send(school_a, template, [foreign])
    assert created == [] and skipped == []


def test_send_page_to_a_class_lists_links_and_who_was_skipped(client, school_a, curator_a):
    template = make_template(organisation=school_a)
    ok = _consenting(school_a, grade=7, class_letter="Б", category="student", birth_date=datetime.date(2012, 1, 1))
    PersonFactory(organisation=school_a, grade=7, class_letter="Б", last_name="Безсогласия")
    PersonFactory(organisation=school_a, grade=8, class_letter="Б")
    client.force_login(curator_a)
    url = reverse("participants:questionnaire_send", kwargs={"org": school_a.slug, "pk": template.pk})
    response = client.post(
        url,
        {
            "target": "class",
            "grade": "7",
            "class_letter": "б",
            "school_year": "2026",
            "expires_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 ссылка создана" in body
    assert "Безсогласия" in body
    assert "/q/" in body
    assert Invitation.objects.get().person == ok


# --- The invitations list -------------------------------------------------------------------------


def test_invitations_list_shows_who_has_not_answered_in_flat_queries(client, school_a, curator_a):
    template = make_template(organisation=school_a)
    client.force_login(curator_a)
    url = reverse("participants:invitation_list", kwargs={"org": school_a.slug}) + "?pending=1"

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _send(school_a, template, [_consenting(school_a) for _ in range(2)])
    few = count_queries()
    more, _ = _send(school_a, template, [_consenting(school_a) for _ in range(6)])
    response_save(invitation=more[0].invitation, answers={}, submit=True)
    assert count_queries() == few
    body = client.get(url).content.decode()
    assert more[1].invitation.person.full_name in body
    assert more[0].invitation.person.full_name not in body


def test_builder_creates_a_questionnaire_ignoring_the_untouched_blank_row(client, school_a, curator_a):
    client.force_login(curator_a)
    url = reverse("participants:questionnaire_add", kwargs={"org": school_a.slug})
    assert client.get(url).status_code == 200
    data = {
        "title": "Анкета родителя",
        "audience": "parent",
        "phase": "entry",
        "q-TOTAL_FORMS": "2",
        "q-INITIAL_FORMS": "0",
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "1000",
        "q-0-text": "Нравится ли ребёнку в школе?",
        "q-0-kind": "yes_no",
        "q-0-required": "on",
        "q-1-text": "",
        "q-1-kind": "scale_10",  # the select's first option, as a browser sends it
    }
    assert client.post(url, data).status_code == 302
    created = QuestionnaireTemplate.objects.get(organisation=school_a, title="Анкета родителя")
    assert [q.kind for q in created.questions.all()] == ["yes_no"]

    data["q-0-kind"] = "single"  # a question with options but no options
    data["title"] = "Другая"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "не меньше двух вариантов ответа" in response.content.decode()


def test_results_filter_by_form_or_pair_needs_the_people_of_those_pairs():
    # Pairs are above participants: without their people the filter would count everyone.
    from participants.questionnaires.results import ResultsFilter

    with pytest.raises(ValueError):
        ResultsFilter(form=object())
    with pytest.raises(ValueError):
        ResultsFilter(pair=object())
    assert ResultsFilter(grade=7, class_letter="Б").pair_people is None
