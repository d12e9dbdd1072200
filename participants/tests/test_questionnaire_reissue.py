"""Re-issuing a lost questionnaire link: a new token for the same invitation, the old link dead."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants.models import AccessLogEntry, Invitation, QuestionnaireTemplate, Response
from participants.questionnaires.services import (
    REISSUE_DAYS,
    class_sheet_preview,
    invitation_reissue,
    invitations_reissue_for_class,
    invitations_send,
    response_save,
    token_hash,
)
from participants.services import consent_withdraw
from participants.tests.factories import PersonFactory
from participants.tests.factories_consents import ConsentFactory
from participants.tests.factories_questionnaires import make_template

pytestmark = pytest.mark.usefixtures("reference_data")


def _consenting(school, **kwargs):
    return ConsentFactory(person__organisation=school, **{f"person__{k}": v for k, v in kwargs.items()}).person


def _send(school, template, people, days=7):
    created, _ = invitations_send(
        organisation=school,
        template=template,
        people=people,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        user=None,
    )
    return created


def _answer_url(token):
    return reverse("questionnaire_answer", args=[token])


def _reissue_url(school, invitation):
    return reverse("participants:invitation_reissue", kwargs={"org": school.slug, "pk": invitation.pk})


@pytest.fixture
def invited(school_a):
    template = make_template(organisation=school_a)
    person = _consenting(school_a)
    (sent,) = _send(school_a, template, [person])
    return template, person, sent


def _first_answer(template, score="8"):
    first = template.questions.order_by("position").first()
    return {f"q{first.pk}": score}


# --- The service ---------------------------------------------------------------------------------


def test_reissue_gives_a_new_link_and_the_old_one_says_it_is_invalid(client, school_a, invited):
    template, person, sent = invited
    new = invitation_reissue(organisation=school_a, invitation=sent.invitation)

    assert new.token != sent.token and new.invitation.pk == sent.invitation.pk
    assert Invitation.objects.get(pk=sent.invitation.pk).token_hash == token_hash(new.token)
    old_page = client.get(_answer_url(sent.token))
    assert old_page.status_code == 404
    assert "Ссылка недействительна" in old_page.content.decode()
    assert client.post(_answer_url(sent.token), _first_answer(template)).status_code == 404

    assert client.get(_answer_url(new.token)).status_code == 200
    assert "Спасибо" in client.post(_answer_url(new.token), _first_answer(template, "9")).content.decode()
    saved = Response.objects.get(invitation=sent.invitation)
    assert saved.person == person and saved.submitted_at is not None


def test_reissue_keeps_a_saved_draft(client, school_a, invited):
    template, _, sent = invited
    long_text = template.questions.get(kind="long_text")
    client.post(_answer_url(sent.token), {f"q{long_text.pk}": "Начал отвечать", "save_draft": "1"})
    new = invitation_reissue(organisation=school_a, invitation=sent.invitation)
    assert "Начал отвечать" in client.get(_answer_url(new.token)).content.decode()


def test_reissue_extends_a_passed_term_and_keeps_a_running_one(school_a, invited):
    _, _, sent = invited
    running = sent.invitation.expires_at
    assert invitation_reissue(organisation=school_a, invitation=sent.invitation).invitation.expires_at == running

    Invitation.objects.filter(pk=sent.invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=3))
    before = timezone.now()
    new = invitation_reissue(organisation=school_a, invitation=Invitation.objects.get(pk=sent.invitation.pk))
    expires_at = Invitation.objects.get(pk=sent.invitation.pk).expires_at
    assert expires_at == new.invitation.expires_at
    assert (
        before + datetime.timedelta(days=REISSUE_DAYS)
        <= expires_at
        <= timezone.now() + datetime.timedelta(days=REISSUE_DAYS)
    )


def test_answered_invitation_is_not_reissued(school_a, invited):
    _, _, sent = invited
    response_save(invitation=sent.invitation, answers={}, submit=True)
    with pytest.raises(ValidationError, match="уже ответил"):
        invitation_reissue(organisation=school_a, invitation=sent.invitation)
    assert Invitation.objects.get(pk=sent.invitation.pk).token_hash == token_hash(sent.token)


def test_withdrawn_consent_gets_no_new_link_and_the_old_one_stays_refused(client, school_a, curator_a, invited):
    _, person, sent = invited
    consent_withdraw(consent=person.consents.get(), withdrawn_on=timezone.localdate(), user=curator_a)
    with pytest.raises(ValidationError, match="нет действующего согласия"):
        invitation_reissue(organisation=school_a, invitation=sent.invitation)
    assert Invitation.objects.get(pk=sent.invitation.pk).token_hash == token_hash(sent.token)
    assert client.get(_answer_url(sent.token)).status_code == 403


def test_another_schools_invitation_is_refused_by_the_service(school_b, invited):
    _, _, sent = invited
    with pytest.raises(ValidationError):
        invitation_reissue(organisation=school_b, invitation=sent.invitation)


# --- The action on the invitations list -------------------------------------------------------------


def test_reissue_button_shows_the_new_link_once(client, school_a, curator_a, invited):
    _, person, sent = invited
    client.force_login(curator_a)
    listing = client.get(reverse("participants:invitation_list", kwargs={"org": school_a.slug})).content.decode()
    assert _reissue_url(school_a, sent.invitation) in listing
    assert "Прежняя ссылка перестанет работать" in listing  # the confirm dialog's text

    response = client.post(_reissue_url(school_a, sent.invitation))
    body = response.content.decode()
    assert response.status_code == 200
    assert person.full_name in body and "Прежняя ссылка больше не работает" in body
    invitation = Invitation.objects.get(pk=sent.invitation.pk)
    token = body.split("/q/", 1)[1].split("/", 1)[0]
    assert invitation.token_hash == token_hash(token) != token_hash(sent.token)
    assert client.get(_answer_url(token)).status_code == 200
    assert AccessLogEntry.objects.filter(organisation=school_a, person=person, action="export").exists()


def test_reissue_button_is_hidden_for_answered_and_refused_with_a_message(client, school_a, curator_a, invited):
    _, _, sent = invited
    response_save(invitation=sent.invitation, answers={}, submit=True)
    client.force_login(curator_a)
    listing = client.get(reverse("participants:invitation_list", kwargs={"org": school_a.slug})).content.decode()
    assert _reissue_url(school_a, sent.invitation) not in listing
    response = client.post(_reissue_url(school_a, sent.invitation), follow=True)
    assert "Участник уже ответил на анкету" in response.content.decode()


def test_reissue_of_another_schools_invitation_is_404(client, school_b, curator_b, invited):
    _, _, sent = invited
    client.force_login(curator_b)
    assert client.post(_reissue_url(school_b, sent.invitation)).status_code == 404
    assert Invitation.objects.get(pk=sent.invitation.pk).token_hash == token_hash(sent.token)


def test_reissue_needs_a_post(client, school_a, curator_a, invited):
    _, _, sent = invited
    client.force_login(curator_a)
    assert client.get(_reissue_url(school_a, sent.invitation)).status_code == 405
    assert Invitation.objects.get(pk=sent.invitation.pk).token_hash == token_hash(sent.token)


# --- A class's sheet -------------------------------------------------------------------------------


def test_class_sheet_reissues_unanswered_links_of_the_class_only(client, school_a, curator_a):
    template = make_template(organisation=school_a)
    waiting = _consenting(school_a, category="student", grade=7, class_letter="Б", last_name="Андреев")
    answered = _consenting(school_a, category="student", grade=7, class_letter="б", last_name="Борисова")
    no_consent = PersonFactory(organisation=school_a, grade=7, class_letter="Б", last_name="Васильев")
    not_invited = _consenting(school_a, category="student", grade=7, class_letter="Б", last_name="Григорьев")
    other_class = _consenting(school_a, category="student", grade=7, class_letter="А", last_name="Дмитриев")
    withdrawn = _consenting(school_a, category="student", grade=7, class_letter="Б", last_name="Егорова")
    sent = {s.invitation.person_id: s for s in _send(school_a, template, [waiting, answered, other_class, withdrawn])}
    response_save(invitation=sent[answered.pk].invitation, answers={}, submit=True)
    consent_withdraw(consent=withdrawn.consents.get(), withdrawn_on=timezone.localdate(), user=curator_a)

    preview = class_sheet_preview(organisation=school_a, template=template, grade=7, class_letter="б")
    assert [s.invitation.person for s in preview.issued] == [waiting]
    assert Invitation.objects.get(person=waiting).token_hash == token_hash(sent[waiting.pk].token)  # unchanged

    sheet = invitations_reissue_for_class(organisation=school_a, template=template, grade=7, class_letter="б")
    assert [s.invitation.person for s in sheet.issued] == [waiting]
    assert sheet.without_consent == [no_consent, withdrawn]
    assert sheet.answered == [answered] and sheet.not_invited == [not_invited]
    (new,) = sheet.issued
    assert Invitation.objects.get(person=waiting).token_hash == token_hash(new.token)
    assert client.get(_answer_url(sent[waiting.pk].token)).status_code == 404
    assert client.get(_answer_url(new.token)).status_code == 200
    # Other classes and the withdrawn student keep what they had.
    assert Invitation.objects.get(person=other_class).token_hash == token_hash(sent[other_class.pk].token)
    assert Invitation.objects.get(person=withdrawn).token_hash == token_hash(sent[withdrawn.pk].token)
    assert client.get(_answer_url(sent[withdrawn.pk].token)).status_code == 403


def test_class_sheet_of_a_foreign_template_is_refused(school_a, school_b):
    foreign = make_template(organisation=school_b)
    with pytest.raises(ValidationError):
        invitations_reissue_for_class(organisation=school_a, template=foreign, grade=7, class_letter="Б")


def test_a_repeated_survey_invites_again_those_who_answered(school_a, curator_a):
    """Quarterly diagnostics: the same version goes out again; unused links are not doubled."""
    template = QuestionnaireTemplate.objects.filter(organisation=None).first()
    answered, waiting = _consenting(school_a), _consenting(school_a)
    expires = timezone.now() + datetime.timedelta(days=7)
    invitations_send(
        organisation=school_a, template=template, people=[answered, waiting], expires_at=expires, user=curator_a
    )
    Invitation.objects.filter(person=answered).update(answered_at=timezone.now())
    created, _ = invitations_send(
        organisation=school_a, template=template, people=[answered, waiting], expires_at=expires, user=curator_a
    )
    assert created == [], "without «повторный опрос» nobody gets a second link"
    created, _ = invitations_send(
        organisation=school_a,
        template=template,
        people=[answered, waiting],
        expires_at=expires,
        user=curator_a,
        repeat=True,
    )
    assert [sent.invitation.person for sent in created] == [answered]
    assert Invitation.objects.filter(person=answered, template=template).count() == 2
