"""Questionnaires: versioned templates, one-time invitations and answers without an account."""

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisations.models import Organisation

from .models import Invitation, Person, Question, QuestionnaireTemplate, Response
from .selectors import valid_consent_exists

ERROR_FOREIGN_TEMPLATE = "Эта анкета принадлежит другой школе."
ERROR_NOT_CURRENT = "Отправить можно только текущую версию анкеты."
ERROR_NO_QUESTIONS = "В анкете должен быть хотя бы один вопрос."
ERROR_NO_CHOICES = "У вопроса «{text}» должно быть не меньше двух вариантов ответа."
ERROR_EXPIRES_IN_PAST = "Срок действия ссылки должен быть в будущем."
ERROR_ALREADY_ANSWERED = "Ответы по этой ссылке уже отправлены."
ERROR_EXPIRED = "Срок действия ссылки истёк."
ERROR_CONSENT_WITHDRAWN = "Анкета недоступна: обработка персональных данных участника приостановлена."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Templates ------------------------------------------------------------------------------


def templates_for(*, organisation: Organisation):
    """Templates a school may see: its own and the standard ones."""
    return QuestionnaireTemplate.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True))


def templates_current_for(*, organisation: Organisation):
    """Current templates of a school: its own, and the standard ones it has not replaced by its own version."""
    replaced = QuestionnaireTemplate.objects.filter(organisation=organisation, replaces__isnull=False).values(
        "replaces"
    )
    return (
        templates_for(organisation=organisation)
        .filter(is_current=True)
        .exclude(organisation__isnull=True, pk__in=replaced)
        .exclude(organisation=organisation, pk__in=replaced)
    )


def _check_questions(questions: list[dict]) -> None:
    if not questions:
        raise ValidationError(ERROR_NO_QUESTIONS, code="no_questions")
    for question in questions:
        if question["kind"] in {Question.Kind.SINGLE, Question.Kind.MULTIPLE} and len(question["choices"]) < 2:
            raise ValidationError(ERROR_NO_CHOICES.format(text=question["text"]), code="no_choices")


def _create_questions(template: QuestionnaireTemplate, questions: list[dict]) -> None:
    Question.objects.bulk_create(
        Question(
            template=template,
            position=position,
            text=q["text"],
            kind=q["kind"],
            required=q["required"],
            choices=list(q["choices"]) if q["kind"] in {Question.Kind.SINGLE, Question.Kind.MULTIPLE} else [],
        )
        for position, q in enumerate(questions, start=1)
    )


@transaction.atomic
def questionnaire_template_create(
    *, organisation: Organisation, title: str, audience: str, phase: str, questions: list[dict]
) -> QuestionnaireTemplate:
    """A school's own questionnaire; questions are dicts of text, kind, required and choices."""
    _check_questions(questions)
    template = QuestionnaireTemplate.objects.create(
        organisation=organisation, title=title, audience=audience, phase=phase, version=1, is_current=True
    )
    _create_questions(template, questions)
    return template


@transaction.atomic
def questionnaire_template_edit(
    *, organisation: Organisation, template: QuestionnaireTemplate, title: str, questions: list[dict]
) -> QuestionnaireTemplate:
    """Saves the edit and returns the template that now carries it.

    A version already sent (it has invitations, so it may have answers) or a standard template is
    never changed: the edit becomes a new version of the school's own, which replaces it; old
    invitations and answers keep the version they were made on. An unsent own version is edited
    in place.
    """
    if template.organisation_id not in (None, organisation.pk):
        raise ValidationError(ERROR_FOREIGN_TEMPLATE, code="foreign_template")
    _check_questions(questions)
    template = QuestionnaireTemplate.objects.select_for_update().get(pk=template.pk)
    frozen = template.organisation_id is None or template.invitations.exists() or template.responses.exists()
    if not frozen:
        template.title = title
        template.save(update_fields=["title"])
        template.questions.all().delete()
        _create_questions(template, questions)
        return template
    if template.organisation_id is not None:
        template.is_current = False
        template.save(update_fields=["is_current"])
    new_version = QuestionnaireTemplate.objects.create(
        organisation=organisation,
        title=title,
        audience=template.audience,
        phase=template.phase,
        version=template.version + 1,
        replaces=template,
        is_current=True,
    )
    _create_questions(new_version, questions)
    return new_version


# --- Invitations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentInvitation:
    """A new invitation with its token: the token is shown once and never stored."""

    invitation: Invitation
    token: str


@transaction.atomic
def invitations_send(
    *, organisation: Organisation, template: QuestionnaireTemplate, people, expires_at, user
) -> tuple[list[SentInvitation], list[Person]]:
    """Invites the people to the template's version: (created, skipped_without_consent).

    People without a valid participation consent (or with processing blocked) get no link; people
    already invited to this version get no second one and are in neither list.
    """
    if template.organisation_id not in (None, organisation.pk):
        raise ValidationError(ERROR_FOREIGN_TEMPLATE, code="foreign_template")
    if not template.is_current:
        raise ValidationError(ERROR_NOT_CURRENT, code="not_current")
    if expires_at <= timezone.now():
        raise ValidationError(ERROR_EXPIRES_IN_PAST, code="expires_in_past")
    ids = [p.pk if isinstance(p, Person) else p for p in people]
    candidates = list(
        Person.objects.filter(organisation=organisation, pk__in=ids, anonymised_at__isnull=True)
        .annotate(has_valid_consent=valid_consent_exists())
        .order_by("last_name", "first_name", "patronymic", "pk")
    )
    invited = set(Invitation.objects.filter(template=template, person__in=ids).values_list("person_id", flat=True))
    skipped = [p for p in candidates if not p.has_valid_consent]
    created = []
    for person in candidates:
        if not person.has_valid_consent or person.pk in invited:
            continue
        token = secrets.token_urlsafe(32)
        invitation = Invitation(
            organisation=organisation,
            template=template,
            person=person,
            token_hash=token_hash(token),
            expires_at=expires_at,
            created_by=user,
        )
        created.append(SentInvitation(invitation=invitation, token=token))
    Invitation.objects.bulk_create([sent.invitation for sent in created])
    return created, skipped


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation of a token from a link, or None; only the hash is compared."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation", "template", "person")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_refusal(invitation: Invitation) -> str | None:
    """Why the invitation cannot be answered now, in Russian, or None when it can."""
    if invitation.answered_at is not None:
        return ERROR_ALREADY_ANSWERED
    if invitation.is_expired:
        return ERROR_EXPIRED
    person = invitation.person
    if (
        person.anonymised_at is not None
        or not Person.objects.filter(pk=person.pk).filter(valid_consent_exists()).exists()
    ):
        return ERROR_CONSENT_WITHDRAWN
    return None


# --- Answers ------------------------------------------------------------------------------


@transaction.atomic
def response_save(*, invitation: Invitation, answers: dict, submit: bool) -> Response:
    """Keeps a draft or submits the answers ({str(question_id): value}); one submission per link."""
    invitation = Invitation.objects.select_for_update().select_related("person").get(pk=invitation.pk)
    if (refusal := invitation_refusal(invitation)) is not None:
        raise ValidationError(refusal, code="refused")
    response, _ = Response.objects.get_or_create(
        invitation=invitation,
        defaults={
            "organisation_id": invitation.organisation_id,
            "template_id": invitation.template_id,
            "person_id": invitation.person_id,
        },
    )
    if submit:
        now = timezone.now()
        response.answers = answers
        response.draft = {}
        response.submitted_at = now
        response.save(update_fields=["answers", "draft", "submitted_at", "updated_at"])
        invitation.answered_at = now
        invitation.save(update_fields=["answered_at"])
    else:
        response.draft = answers
        response.save(update_fields=["draft", "updated_at"])
    return response
