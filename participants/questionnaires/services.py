"""Questionnaires: versioned templates, one-time invitations and answers without an account."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisations.models import Organisation
from organisations.school_year import current_school_year
from participants.models import (
    Invitation,
    MenteeEntry,
    MentorEntry,
    Person,
    PersonTag,
    Question,
    QuestionnaireTemplate,
    Response,
    Tag,
)
from participants.selectors import valid_consent_exists
from participants.services_bases import TAG_MAX_LENGTH, tag_normalise

ERROR_FOREIGN_TEMPLATE = "Эта анкета принадлежит другой школе."
ERROR_NOT_CURRENT = "Отправить можно только текущую версию анкеты."
ERROR_NO_QUESTIONS = "В анкете должен быть хотя бы один вопрос."
ERROR_NO_CHOICES = "У вопроса «{text}» должно быть не меньше двух вариантов ответа."
ERROR_EXPIRES_IN_PAST = "Срок действия ссылки должен быть в будущем."
ERROR_ALREADY_ANSWERED = "Ответы по этой ссылке уже отправлены."
ERROR_EXPIRED = "Срок действия ссылки истёк."
ERROR_CONSENT_WITHDRAWN = "Анкета недоступна: обработка персональных данных участника приостановлена."
ERROR_INVALID_LINK = (
    "Ссылка недействительна. Возможно, в ней опечатка или куратор уже выдал вам новую ссылку — "
    "откройте последнюю полученную."
)
ERROR_REISSUE_ANSWERED = "Участник уже ответил на анкету: новая ссылка не нужна."
ERROR_REISSUE_NO_CONSENT = "У участника нет действующего согласия на обработку персональных данных: ссылка не выдаётся."
ERROR_FOREIGN_INVITATION = "Это приглашение принадлежит другой школе."
ERROR_PROFILE_KIND = "Ответ на вопрос «{text}» нельзя перенести в профиль: выберите вопрос с текстом или вариантами."
ERROR_TAGS_KIND = "В теги переносятся только выбранные варианты: у вопроса «{text}» должны быть варианты ответа."
ERROR_TAG_CHOICE_TOO_LONG = "Вариант «{choice}» слишком длинный для тега: не больше {limit} символов."

# A re-issued link whose term has passed gets this many days more.
REISSUE_DAYS = 14


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


# Answers of these kinds are words a profile can keep; a score or a yes/no is not.
PROFILE_KINDS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT}
CHOICE_KINDS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE}


def _check_questions(questions: list[dict]) -> None:
    if not questions:
        raise ValidationError(ERROR_NO_QUESTIONS, code="no_questions")
    for question in questions:
        if question["kind"] in CHOICE_KINDS and len(question["choices"]) < 2:
            raise ValidationError(ERROR_NO_CHOICES.format(text=question["text"]), code="no_choices")
        profile_field = question.get("profile_field", "")
        if profile_field and question["kind"] not in PROFILE_KINDS:
            raise ValidationError(ERROR_PROFILE_KIND.format(text=question["text"]), code="profile_kind")
        if profile_field == Question.ProfileField.TAGS:
            if question["kind"] not in CHOICE_KINDS:
                raise ValidationError(ERROR_TAGS_KIND.format(text=question["text"]), code="tags_kind")
            for choice in question["choices"]:
                if len(tag_normalise(choice)) > TAG_MAX_LENGTH:
                    raise ValidationError(
                        ERROR_TAG_CHOICE_TOO_LONG.format(choice=choice, limit=TAG_MAX_LENGTH), code="tag_too_long"
                    )


def _create_questions(template: QuestionnaireTemplate, questions: list[dict]) -> None:
    Question.objects.bulk_create(
        Question(
            template=template,
            position=position,
            text=q["text"],
            kind=q["kind"],
            required=q["required"],
            choices=list(q["choices"]) if q["kind"] in CHOICE_KINDS else [],
            profile_field=q.get("profile_field", ""),
        )
        for position, q in enumerate(questions, start=1)
    )


@transaction.atomic
def questionnaire_template_create(
    *, organisation: Organisation, title: str, audience: str, phase: str, questions: list[dict]
) -> QuestionnaireTemplate:
    """A school's own questionnaire; questions are dicts of text, kind, required, choices and profile_field."""
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
    *, organisation: Organisation, template: QuestionnaireTemplate, people, expires_at, user, repeat: bool = False
) -> tuple[list[SentInvitation], list[Person]]:
    """Invites the people to the template's version: (created, skipped_without_consent).

    People without a valid participation consent (or with processing blocked) get no link; people
    already invited to this version get no second one and are in neither list. A repeated survey
    (``repeat``: quarterly diagnostics, a new school year) invites again those who have answered;
    whoever still holds an unused link keeps it.
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
    earlier = Invitation.objects.filter(template=template, person__in=ids)
    if repeat:
        earlier = earlier.filter(answered_at__isnull=True)
    invited = set(earlier.values_list("person_id", flat=True))
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


def _has_valid_consent(person: Person) -> bool:
    return person.anonymised_at is None and Person.objects.filter(pk=person.pk).filter(valid_consent_exists()).exists()


def _new_token(invitation: Invitation, now: datetime.datetime) -> str:
    """Gives the invitation a new token (the old link stops working) and a term that has not passed."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    if invitation.expires_at <= now:
        invitation.expires_at = now + datetime.timedelta(days=REISSUE_DAYS)
    return token


@transaction.atomic
def invitation_reissue(*, organisation: Organisation, invitation: Invitation) -> SentInvitation:
    """A new link for a lost one: only the hash is kept, so the same invitation gets a new token.

    The old link stops working at once; a passed term is extended by REISSUE_DAYS; a draft
    already saved stays with the invitation. Answered invitations and people without a valid
    consent get no new link.
    """
    if invitation.organisation_id != organisation.pk:
        raise ValidationError(ERROR_FOREIGN_INVITATION, code="foreign_invitation")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered_at is not None:
        raise ValidationError(ERROR_REISSUE_ANSWERED, code="answered")
    if not _has_valid_consent(invitation.person):
        raise ValidationError(ERROR_REISSUE_NO_CONSENT, code="no_consent")
    token = _new_token(invitation, timezone.now())
    invitation.save(update_fields=["token_hash", "expires_at"])
    return SentInvitation(invitation=invitation, token=token)


@dataclass(frozen=True)
class ClassSheet:
    """The students of a class for a printed sheet of links, each list in name order."""

    issued: list[SentInvitation]  # unanswered invitations, given new tokens
    without_consent: list[Person]  # no valid consent: no link, whatever they were sent before
    answered: list[Person]
    not_invited: list[Person]  # with a consent but never sent this version

    @property
    def is_empty(self) -> bool:
        return not (self.issued or self.without_consent or self.answered or self.not_invited)


def class_students(*, organisation: Organisation, grade: int, class_letter: str):
    """The students of a class («7Б»: grade 7, letter «Б» in either case), not anonymised."""
    letter = class_letter.strip()
    return organisation.people.filter(
        category=Person.Category.STUDENT,
        grade=grade,
        class_letter__in={letter.upper(), letter.lower()},
        anonymised_at__isnull=True,
    )


def _class_sheet_rows(*, organisation, template, grade, class_letter, lock: bool):
    students = list(
        class_students(organisation=organisation, grade=grade, class_letter=class_letter)
        .annotate(has_valid_consent=valid_consent_exists())
        .order_by("last_name", "first_name", "patronymic", "pk")
    )
    invitations = Invitation.objects.filter(
        organisation=organisation, template=template, person__in=[s.pk for s in students]
    )
    if lock:
        invitations = invitations.select_for_update()
    by_person = {invitation.person_id: invitation for invitation in invitations}
    return [(student, by_person.get(student.pk)) for student in students]


def class_sheet_preview(*, organisation: Organisation, template: QuestionnaireTemplate, grade: int, class_letter: str):
    """What printing the sheet would do, changing nothing: a ClassSheet whose ``issued`` has no tokens."""
    return _class_sheet(
        _class_sheet_rows(
            organisation=organisation, template=template, grade=grade, class_letter=class_letter, lock=False
        ),
        issue=False,
    )


def _class_sheet(rows, *, issue: bool) -> ClassSheet:
    now = timezone.now()
    issued, without_consent, answered, not_invited = [], [], [], []
    for student, invitation in rows:
        if not student.has_valid_consent:
            without_consent.append(student)
        elif invitation is None:
            not_invited.append(student)
        elif invitation.answered_at is not None:
            answered.append(student)
        else:
            invitation.person = student
            token = _new_token(invitation, now) if issue else ""
            issued.append(SentInvitation(invitation=invitation, token=token))
    if issue:
        Invitation.objects.bulk_update([sent.invitation for sent in issued], ["token_hash", "expires_at"])
    return ClassSheet(issued=issued, without_consent=without_consent, answered=answered, not_invited=not_invited)


@transaction.atomic
def invitations_reissue_for_class(
    *, organisation: Organisation, template: QuestionnaireTemplate, grade: int, class_letter: str
) -> ClassSheet:
    """New links for a class's printed sheet: every unanswered invitation to the version gets a new token.

    Links given out before stop working. Students without a valid consent get no link (their old
    one is refused anyway); those never sent this version are listed, not invited here.
    """
    if template.organisation_id not in (None, organisation.pk):
        raise ValidationError(ERROR_FOREIGN_TEMPLATE, code="foreign_template")
    rows = _class_sheet_rows(
        organisation=organisation, template=template, grade=grade, class_letter=class_letter, lock=True
    )
    return _class_sheet(rows, issue=True)


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
    if not _has_valid_consent(invitation.person):
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
        profile_apply(invitation=invitation, answers=answers)
    else:
        response.draft = answers
        response.save(update_fields=["draft", "updated_at"])
    return response


# --- The profile that matching reads ------------------------------------------------------------


def _answer_pieces(value) -> list[str]:
    """The words of an answer a profile keeps: a text, a chosen option or the chosen options."""
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _appended(text: str, pieces: list[str], *, separator: str, max_length: int | None = None) -> str:
    """The text with the pieces it does not yet contain added at its end, in one «; »-joined part."""
    known = text.casefold()
    new: list[str] = []
    for piece in pieces:
        if piece.casefold() not in known and piece.casefold() not in (p.casefold() for p in new):
            new.append(piece)
    if not new:
        return text
    result = f"{text.rstrip()}{separator}{'; '.join(new)}" if text.strip() else "; ".join(new)
    return result[:max_length] if max_length else result


def _tags_add(*, person: Person, names: list[str]) -> None:
    """Adds the school's tags of these names to the person (creating missing tags); keeps the others."""
    wanted = []
    for raw in names:
        name = tag_normalise(raw)
        if name and len(name) <= TAG_MAX_LENGTH and name not in wanted:
            wanted.append(name)
    if not wanted:
        return
    organisation_id = person.organisation_id
    Tag.objects.bulk_create([Tag(organisation_id=organisation_id, name=name) for name in wanted], ignore_conflicts=True)
    tags = Tag.objects.filter(organisation_id=organisation_id, name__in=wanted)
    PersonTag.objects.bulk_create(
        [PersonTag(organisation_id=organisation_id, person=person, tag=tag) for tag in tags], ignore_conflicts=True
    )


def profile_apply(*, invitation: Invitation, answers: dict) -> None:
    """Carries submitted answers of questions with a profile field into the person's profile.

    Competencies and availability go to the mentor base entry, needs to the mentee base entry
    of the school year the invitation was sent in (appended, nothing repeated); chosen options
    of a «tags» question become the person's tags. A missing base entry is not created: the
    answer stays in the response only.
    """
    Field = Question.ProfileField
    questions = [q for q in invitation.template.questions.all() if q.profile_field]
    if not questions:
        return
    person = invitation.person
    year = current_school_year(timezone.localtime(invitation.created_at).date())
    entries = {"organisation_id": invitation.organisation_id, "person": person, "school_year": year}
    mentor = (
        MentorEntry.objects.filter(**entries).first()
        if any(q.profile_field in {Field.COMPETENCIES, Field.AVAILABILITY} for q in questions)
        else None
    )
    mentee = (
        MenteeEntry.objects.filter(**entries).first()
        if any(q.profile_field == Field.NEEDS for q in questions)
        else None
    )
    availability_length = MentorEntry._meta.get_field("availability").max_length
    mentor_fields, mentee_fields, tag_names = set(), set(), []
    for question in questions:
        pieces = _answer_pieces(answers.get(str(question.pk)))
        if not pieces:
            continue
        if question.profile_field == Field.TAGS and question.has_choices:
            tag_names.extend(pieces)
        elif question.profile_field == Field.COMPETENCIES and mentor is not None:
            mentor.competencies = _appended(mentor.competencies, pieces, separator="\n")
            mentor_fields.add("competencies")
        elif question.profile_field == Field.AVAILABILITY and mentor is not None:
            mentor.availability = _appended(mentor.availability, pieces, separator="; ", max_length=availability_length)
            mentor_fields.add("availability")
        elif question.profile_field == Field.NEEDS and mentee is not None:
            mentee.needs = _appended(mentee.needs, pieces, separator="\n")
            mentee_fields.add("needs")
    if mentor_fields:
        mentor.save(update_fields=sorted(mentor_fields))
    if mentee_fields:
        mentee.save(update_fields=sorted(mentee_fields))
    _tags_add(person=person, names=tag_names)
