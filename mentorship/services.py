"""Writes of programmes and pairs: keyword-only, atomic, Russian messages as constants.

The rules of a pair live in ``pair_form``; matching, re-pairing and the pages all go through it.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organisations.scans import scan_content_type
from participants.mentoring_forms import MENTEE, MENTOR, person_refusal
from participants.models import Gender, MenteeEntry, MentorEntry, MentoringForm, Person, RoleModel
from participants.selectors_bases import REGISTER_STATUSES
from participants.services import consent_require
from participants.services_bases import BASE_MENTOR, bases_add_people, documents_state, needs_documents
from participants.validators import validate_scan
from roadmap.stages import Stage

from .matching import Weights
from .models import CasePhoto, MatchDecision, Pair, PairMentee, Programme, ProgrammeForm, ProgrammeRoleModel
from .selectors import (
    default_pair_dates,
    mentees_in_open_pairs,
    mentor_places_taken,
    programme_forms,
    publication_consent_missing,
    stage_missing,
)

# Programmes
ERROR_LAST_STAGE = "Программа уже на последнем этапе «{stage}»."
ERROR_ROLE_MODEL_NOT_IN_FORMS = "Ролевая модель «{role_model}» не относится к выбранным формам наставничества."
ERROR_FORM_AUDIENCE = "Форма «{form}» не подходит для программы {kind}."

# Pairs: the rules of pair_form; {name} is the person's full name.
ERROR_NO_MENTEES = "Выберите хотя бы одного наставляемого."
ERROR_FOREIGN_PERSON = "Участник относится к другой организации."
ERROR_SAME_PERSON = "{name} не может быть в одной паре и наставником, и наставляемым."
ERROR_FORM_NOT_IN_PROGRAMME = "Форма «{form}» не выбрана в программе «{programme}»."
ERROR_ROLE_MODEL_OF_OTHER_FORM = "Ролевая модель «{role_model}» не относится к форме «{form}»."
ERROR_DATES = "Плановое окончание не может быть раньше начала."
ERROR_MENTEE_CATEGORY = "{name} не может быть наставляемым в программе {kind}."
ERROR_MENTOR_NOT_IN_BASE = "{name} нет в базе наставников {year} учебного года."
ERROR_MENTOR_NOT_APPROVED = "{name} не {approved} в реестре наставников {year} учебного года (статус «{status}»)."
ERROR_MENTOR_DOCUMENTS = "{name}: справки внешнего наставника не в порядке — {problems}."
ERROR_MENTOR_CAPACITY = (
    "У наставника {name} не хватает мест: не больше {capacity}, уже занято {taken}, в этой паре {requested}."
)
ERROR_MENTEE_BUSY = "{name} уже в паре или группе этой программы (наставник {mentor})."

# Pair statuses
ERROR_APPROVE_STATUS = "Утвердить можно только черновик пары (сейчас: «{status}»)."
ERROR_ORDER_REQUIRED = "Укажите номер и дату приказа, например «№ 56-ОД от 01.10.2026»."
ERROR_ACTIVATE_STATUS = "Начать работу может только пара, утверждённая приказом (сейчас: «{status}»)."
ERROR_ALREADY_CLOSED = "Пара уже завершена."
ERROR_UNKNOWN_OUTCOME = "Выберите итог из списка."
ERROR_REASON_REQUIRED = "Укажите причину досрочного прекращения."
ERROR_OUTCOME_NEEDS_ACTIVE = (
    "С итогом «{outcome}» можно завершить только работающую пару; "
    "черновик или утверждённую пару можно только прекратить."
)
ERROR_CLOSED_IN_FUTURE = "Дата завершения не может быть позже сегодняшнего дня."
ERROR_CLOSED_BEFORE_START = "Дата завершения не может быть раньше начала работы пары ({date:%d.%m.%Y})."
ERROR_REPAIR_CLOSED = "Завершённую пару заменить нельзя: сформируйте новую пару."
ERROR_EDIT_NOT_DRAFT = (
    "Изменить можно только черновик, а эта пара {state}: её состав и сроки закрепил приказ. "
    "Сменить наставника можно заменой пары, другой состав — завершив эту пару и сформировав новую."
)

# Best practices
ERROR_CASE_NOT_CLOSED = "Отметить лучшую практику можно только у завершённой пары."
ERROR_CASE_DESCRIPTION = "Опишите практику."
ERROR_CASE_CONSENT = (
    "Нет согласия на публикацию фото и материалов: {names}. "
    "Лучшую практику можно отметить, когда согласие есть у каждого участника пары."
)
ERROR_PHOTO_TYPE = "Загрузите фото в формате JPEG или PNG."
ERROR_NOT_COMPLETED = (
    "В базу наставников следующего года переводят наставляемых пары, завершённой с итогом «программа выполнена» "
    "или «продолжит работу в следующем году»."
)

# Matching
ERROR_DECISION_KIND = "Неизвестное решение о паре."
ERROR_NOTHING_TO_ACCEPT = "Не выбрано ни одной предложенной пары."


def _ended(person: Person, masculine: str, feminine: str) -> str:
    return feminine if person.gender == Gender.FEMALE else masculine


# --- Programmes -----------------------------------------------------------------------------


@transaction.atomic
def programme_save(*, programme: Programme, forms: Iterable[MentoringForm], role_models: Iterable[RoleModel]):
    """Saves the programme with its enabled forms and role models (replacing the old ones)."""
    forms, role_models = list(forms), list(role_models)
    errors = [
        ERROR_FORM_AUDIENCE.format(form=f, kind=programme.get_kind_display())
        for f in forms
        if f.audience != programme.kind
    ]
    form_ids = {f.pk for f in forms}
    errors += [
        ERROR_ROLE_MODEL_NOT_IN_FORMS.format(role_model=r.name) for r in role_models if r.form_id not in form_ids
    ]
    if errors:
        raise ValidationError(errors)
    if not programme.matching_weights:
        programme.matching_weights = Weights().as_dict()
    programme.full_clean()
    programme.save()
    organisation = programme.organisation
    ProgrammeForm.objects.filter(programme=programme).exclude(form__in=forms).delete()
    ProgrammeForm.objects.bulk_create(
        [ProgrammeForm(organisation=organisation, programme=programme, form=f) for f in forms], ignore_conflicts=True
    )
    ProgrammeRoleModel.objects.filter(programme=programme).exclude(role_model__in=role_models).delete()
    ProgrammeRoleModel.objects.bulk_create(
        [ProgrammeRoleModel(organisation=organisation, programme=programme, role_model=r) for r in role_models],
        ignore_conflicts=True,
    )
    return programme


@transaction.atomic
def programme_advance(*, programme: Programme, user):
    """Moves the programme to the next stage, recording what the current one still missed."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.current_stage == Stage.COMPLETION:
        raise ValidationError(ERROR_LAST_STAGE.format(stage=Stage(programme.current_stage).label))
    missing = stage_missing(programme=programme)
    from_stage = programme.current_stage
    programme.current_stage = from_stage + 1
    programme.save(update_fields=["current_stage"])
    return programme.transitions.create(
        organisation=programme.organisation,
        from_stage=from_stage,
        to_stage=programme.current_stage,
        moved_by=user,
        missing=missing,
    )


def programme_weights_save(*, programme: Programme, weights: Weights) -> Programme:
    programme.matching_weights = weights.as_dict()
    programme.save(update_fields=["matching_weights"])
    return programme


# --- The rules of a pair --------------------------------------------------------------------


def pair_check(
    *,
    programme: Programme,
    mentor: Person,
    mentees: list[Person],
    form: MentoringForm,
    role_model: RoleModel | None,
    starts_on: datetime.date,
    planned_end_on: datetime.date,
    exclude_pair: Pair | None = None,
) -> list[str]:
    """Every rule a new pair breaks, in Russian, naming the people; empty when it may be formed.
    ``exclude_pair``: a draft being edited, whose own places and mentees do not count as taken."""
    organisation = programme.organisation
    if not mentees:
        return [ERROR_NO_MENTEES]
    if any(p.organisation_id != organisation.pk for p in [mentor, *mentees]):
        return [ERROR_FOREIGN_PERSON]
    errors = []
    year = f"{programme.school_year}/{programme.school_year + 1}"
    if any(m.pk == mentor.pk for m in mentees):
        errors.append(ERROR_SAME_PERSON.format(name=mentor.full_name))
    if not programme_forms(programme=programme).filter(pk=form.pk).exists():
        errors.append(ERROR_FORM_NOT_IN_PROGRAMME.format(form=form.name, programme=programme.title))
    if role_model is not None and role_model.form_id != form.pk:
        errors.append(ERROR_ROLE_MODEL_OF_OTHER_FORM.format(role_model=role_model.name, form=form.name))
    if planned_end_on < starts_on:
        errors.append(ERROR_DATES)
    category = Person.Category.TEACHER if programme.kind == Programme.Kind.TEACHERS else Person.Category.STUDENT
    for mentee in mentees:
        if mentee.category != category:
            errors.append(ERROR_MENTEE_CATEGORY.format(name=mentee.full_name, kind=programme.get_kind_display()))
        elif refusal := person_refusal(form, mentee, MENTEE):
            errors.append(refusal)
    # Who may mentor in the form («ученик – ученик»: students only), as the matching engine reads it.
    if refusal := person_refusal(form, mentor, MENTOR):
        errors.append(refusal)

    # Consents: participation, of both sides (for a minor the guardian's, recorded on the consent).
    for person in [mentor, *mentees]:
        try:
            consent_require(person=person)
        except ValidationError as error:
            errors.extend(error.messages)

    # The mentor: in the register of the year, documents of an external mentor, free places.
    entry = MentorEntry.objects.filter(
        organisation=organisation, person=mentor, school_year=programme.school_year
    ).first()
    if entry is None:
        errors.append(ERROR_MENTOR_NOT_IN_BASE.format(name=mentor.full_name, year=year))
    else:
        if entry.status not in REGISTER_STATUSES:
            errors.append(
                ERROR_MENTOR_NOT_APPROVED.format(
                    name=mentor.full_name,
                    approved=_ended(mentor, "утверждён", "утверждена"),
                    year=year,
                    status=entry.get_status_display(),
                )
            )
        taken = mentor_places_taken(
            organisation=organisation, school_year=programme.school_year, exclude_pair=exclude_pair
        ).get(mentor.pk, 0)
        if taken + len(mentees) > entry.capacity:
            errors.append(
                ERROR_MENTOR_CAPACITY.format(
                    name=mentor.full_name, capacity=entry.capacity, taken=taken, requested=len(mentees)
                )
            )
    if needs_documents(mentor):
        documents = mentor.documents.filter(organisation=organisation)
        problems = [state.problem for state in documents_state(documents, timezone.localdate()) if not state.ok]
        if problems:
            errors.append(ERROR_MENTOR_DOCUMENTS.format(name=mentor.full_name, problems="; ".join(problems)))

    # Mentees: in no other non-closed pair of the programme.
    busy = mentees_in_open_pairs(programme=programme, exclude_pair=exclude_pair)
    for mentee in mentees:
        if mentee.pk in busy:
            errors.append(ERROR_MENTEE_BUSY.format(name=mentee.full_name, mentor=busy[mentee.pk].mentor.full_name))
    return errors


@transaction.atomic
def pair_form(
    *,
    programme: Programme,
    mentor: Person,
    mentees: Iterable[Person],
    form: MentoringForm,
    role_model: RoleModel | None = None,
    starts_on: datetime.date,
    planned_end_on: datetime.date,
    user,
    replaces: Pair | None = None,
) -> Pair:
    """A draft pair (one mentee) or group; ValidationError with every broken rule otherwise."""
    mentees = list({m.pk: m for m in mentees}.values())
    # One pair formed at a time per mentor: the capacity check stays true under concurrent requests.
    list(MentorEntry.objects.select_for_update().filter(person=mentor, school_year=programme.school_year).values("pk"))
    errors = pair_check(
        programme=programme,
        mentor=mentor,
        mentees=mentees,
        form=form,
        role_model=role_model,
        starts_on=starts_on,
        planned_end_on=planned_end_on,
    )
    if errors:
        raise ValidationError(errors)
    pair = Pair.objects.create(
        organisation=programme.organisation,
        programme=programme,
        mentor=mentor,
        form=form,
        role_model=role_model,
        starts_on=starts_on,
        planned_end_on=planned_end_on,
        created_by=user,
        replaces=replaces,
    )
    PairMentee.objects.bulk_create(
        [PairMentee(organisation=programme.organisation, pair=pair, mentee=mentee) for mentee in mentees]
    )
    return pair


def pair_edit_refusal(pair: Pair) -> str | None:
    """Why the pair cannot be edited, or None for a draft."""
    if pair.status == Pair.Status.DRAFT:
        return None
    if pair.status == Pair.Status.APPROVED:
        state = f"утверждена приказом {pair.approval_order}" if pair.approval_order else "утверждена приказом"
    elif pair.status == Pair.Status.ACTIVE:
        state = "уже работает"
    else:
        state = "завершена"
    return ERROR_EDIT_NOT_DRAFT.format(state=state)


@transaction.atomic
def pair_update(
    *,
    pair: Pair,
    mentees: Iterable[Person],
    form: MentoringForm,
    role_model: RoleModel | None = None,
    starts_on: datetime.date,
    planned_end_on: datetime.date,
    user,
) -> Pair:
    """Changes a draft pair's mentees, form, role model and dates under the rules of ``pair_form``
    (the mentor stays: another mentor is a re-pairing). ValidationError with every broken rule."""
    pair = _locked(pair)
    refusal = pair_edit_refusal(pair)
    if refusal:
        raise ValidationError(refusal)
    mentees = list({m.pk: m for m in mentees}.values())
    programme = pair.programme
    list(
        MentorEntry.objects.select_for_update()
        .filter(person=pair.mentor, school_year=programme.school_year)
        .values("pk")
    )
    errors = pair_check(
        programme=programme,
        mentor=pair.mentor,
        mentees=mentees,
        form=form,
        role_model=role_model,
        starts_on=starts_on,
        planned_end_on=planned_end_on,
        exclude_pair=pair,
    )
    if errors:
        raise ValidationError(errors)
    pair.form, pair.role_model = form, role_model
    pair.starts_on, pair.planned_end_on = starts_on, planned_end_on
    pair.save(update_fields=["form", "role_model", "starts_on", "planned_end_on"])
    keep = {m.pk for m in mentees}
    PairMentee.objects.filter(pair=pair).exclude(mentee_id__in=keep).delete()
    present = set(PairMentee.objects.filter(pair=pair).values_list("mentee_id", flat=True))
    PairMentee.objects.bulk_create(
        [PairMentee(organisation_id=pair.organisation_id, pair=pair, mentee=m) for m in mentees if m.pk not in present]
    )
    return pair


# --- Statuses -------------------------------------------------------------------------------


def _locked(pair: Pair) -> Pair:
    return Pair.objects.select_for_update().select_related("programme", "mentor").get(pk=pair.pk)


def _mentee_entries(pair: Pair):
    mentee_ids = PairMentee.objects.filter(pair=pair).values("mentee_id")
    return MenteeEntry.objects.filter(
        organisation=pair.organisation, school_year=pair.programme.school_year, person__in=mentee_ids
    )


@transaction.atomic
def pair_approve(*, pair: Pair, user, order_label: str = "") -> Pair:
    """Draft → approved. The orders module will call this with the pairs order's number and date."""
    pair = _locked(pair)
    if pair.status != Pair.Status.DRAFT:
        raise ValidationError(ERROR_APPROVE_STATUS.format(status=pair.get_status_display()))
    order_label = order_label.strip()
    if not order_label:
        raise ValidationError(ERROR_ORDER_REQUIRED)
    pair.status = Pair.Status.APPROVED
    pair.approval_order = order_label[:200]
    pair.approved_at = timezone.now()
    pair.approved_by = user
    pair.save(update_fields=["status", "approval_order", "approved_at", "approved_by"])
    return pair


@transaction.atomic
def pair_activate(*, pair: Pair, user) -> Pair:
    """Approved → active; the mentees' base entries become «в паре», the mentor's «работает»."""
    pair = _locked(pair)
    if pair.status != Pair.Status.APPROVED:
        raise ValidationError(ERROR_ACTIVATE_STATUS.format(status=pair.get_status_display()))
    pair.status = Pair.Status.ACTIVE
    pair.save(update_fields=["status"])
    _mentee_entries(pair).filter(status=MenteeEntry.Status.INCLUDED).update(status=MenteeEntry.Status.IN_PAIR)
    MentorEntry.objects.filter(
        organisation=pair.organisation,
        person=pair.mentor,
        school_year=pair.programme.school_year,
        status=MentorEntry.Status.APPROVED,
    ).update(status=MentorEntry.Status.ACTIVE)
    return pair


@transaction.atomic
def pair_close(*, pair: Pair, outcome: str, closed_on: datetime.date, reason: str = "", user) -> Pair:
    """Closes the pair: completed or continued (a working pair), or terminated with a reason."""
    pair = _locked(pair)
    if pair.status == Pair.Status.CLOSED:
        raise ValidationError(ERROR_ALREADY_CLOSED)
    if outcome not in Pair.Outcome.values:
        raise ValidationError(ERROR_UNKNOWN_OUTCOME)
    reason = (reason or "").strip()
    errors = []
    if outcome == Pair.Outcome.TERMINATED and not reason:
        errors.append(ERROR_REASON_REQUIRED)
    if outcome != Pair.Outcome.TERMINATED and pair.status != Pair.Status.ACTIVE:
        errors.append(ERROR_OUTCOME_NEEDS_ACTIVE.format(outcome=Pair.Outcome(outcome).label))
    if closed_on > timezone.localdate():
        errors.append(ERROR_CLOSED_IN_FUTURE)
    if pair.status == Pair.Status.ACTIVE and closed_on < pair.starts_on:
        errors.append(ERROR_CLOSED_BEFORE_START.format(date=pair.starts_on))
    if errors:
        raise ValidationError(errors)
    was_active = pair.status == Pair.Status.ACTIVE
    pair.status = Pair.Status.CLOSED
    pair.outcome = outcome
    pair.closed_on = closed_on
    pair.termination_reason = reason if outcome == Pair.Outcome.TERMINATED else ""
    pair.save(update_fields=["status", "outcome", "closed_on", "termination_reason"])
    if was_active:
        entries = _mentee_entries(pair).filter(status=MenteeEntry.Status.IN_PAIR)
        if outcome == Pair.Outcome.COMPLETED:
            entries.update(status=MenteeEntry.Status.COMPLETED)
        elif outcome == Pair.Outcome.TERMINATED:
            entries.update(status=MenteeEntry.Status.INCLUDED)  # back in the base until a new pair
    return pair


@transaction.atomic
def pair_repair(
    *,
    pair: Pair,
    mentor: Person,
    reason: str,
    closed_on: datetime.date,
    user,
    form: MentoringForm | None = None,
    role_model: RoleModel | None = None,
    starts_on: datetime.date | None = None,
    planned_end_on: datetime.date | None = None,
) -> Pair:
    """Re-pairing: the old pair is terminated with the reason, a new draft with the same mentees
    replaces it (a new order approves it). All or nothing."""
    if pair.status == Pair.Status.CLOSED:
        raise ValidationError(ERROR_REPAIR_CLOSED)
    mentees = [row.mentee for row in pair.pair_mentees.select_related("mentee")]
    old = pair_close(pair=pair, outcome=Pair.Outcome.TERMINATED, closed_on=closed_on, reason=reason, user=user)
    return pair_form(
        programme=old.programme,
        mentor=mentor,
        mentees=mentees,
        form=form or old.form,
        role_model=role_model if form else (role_model or old.role_model),
        starts_on=starts_on or max(closed_on, old.starts_on),
        planned_end_on=planned_end_on or old.planned_end_on,
        user=user,
        replaces=old,
    )


# --- Best practices and the next year's mentors ---------------------------------------------


def photo_check(file) -> None:
    """A JPEG or PNG of at most 10 MB, judged by its content."""
    validate_scan(file)
    file.seek(0)
    content_type = scan_content_type(file)
    file.seek(0)
    if content_type not in {"image/jpeg", "image/png"}:
        raise ValidationError(ERROR_PHOTO_TYPE, code="type")


@transaction.atomic
def pair_case_save(*, pair: Pair, description: str, results: str, photo=None, caption: str = "", user) -> Pair:
    """Marks a closed pair as a best practice, with an optional photo: only with everyone's
    publication consent."""
    pair = _locked(pair)
    if pair.status != Pair.Status.CLOSED:
        raise ValidationError(ERROR_CASE_NOT_CLOSED)
    if not (description or "").strip():
        raise ValidationError(ERROR_CASE_DESCRIPTION)
    missing = publication_consent_missing(pair=pair)
    if missing:
        raise ValidationError(ERROR_CASE_CONSENT.format(names=", ".join(p.full_name for p in missing)))
    if photo is not None:
        photo_check(photo)
    pair.is_best_practice = True
    pair.case_description = description.strip()
    pair.case_results = (results or "").strip()
    pair.save(update_fields=["is_best_practice", "case_description", "case_results"])
    if photo is not None:
        CasePhoto.objects.create(organisation=pair.organisation, pair=pair, image=photo, caption=caption[:300])
    return pair


@transaction.atomic
def pair_mentees_to_mentor_base(*, pair: Pair, user) -> tuple[int, int]:
    """The mentees of a completed pair join the next school year's mentor base as candidates."""
    if pair.status != Pair.Status.CLOSED or pair.outcome not in {Pair.Outcome.COMPLETED, Pair.Outcome.CONTINUED}:
        raise ValidationError(ERROR_NOT_COMPLETED)
    return bases_add_people(
        organisation=pair.organisation,
        person_ids=list(PairMentee.objects.filter(pair=pair).values_list("mentee_id", flat=True)),
        base=BASE_MENTOR,
        school_year=pair.programme.school_year + 1,
        user=user,
    )


# --- Matching -------------------------------------------------------------------------------

DECISION_CLEAR = "clear"


@transaction.atomic
def match_decision_set(*, programme: Programme, mentee: Person, mentor: Person, kind: str, user) -> None:
    """Pins or forbids a mentee–mentor pair for the next matching run, or clears the decision.
    A mentee is pinned to one mentor at most: a new pin replaces the old one."""
    if kind not in {*MatchDecision.Kind.values, DECISION_CLEAR}:
        raise ValidationError(ERROR_DECISION_KIND)
    if any(p.organisation_id != programme.organisation_id for p in (mentee, mentor)):
        raise ValidationError(ERROR_FOREIGN_PERSON)
    decisions = MatchDecision.objects.filter(programme=programme, mentee=mentee)
    decisions.filter(mentor=mentor).delete()
    if kind == DECISION_CLEAR:
        return
    if kind == MatchDecision.Kind.PIN:
        decisions.filter(kind=MatchDecision.Kind.PIN).delete()
    MatchDecision.objects.create(
        organisation=programme.organisation, programme=programme, mentee=mentee, mentor=mentor, kind=kind
    )


@transaction.atomic
def pairs_form_many(
    *,
    programme: Programme,
    groups: list[tuple[Person, list[Person]] | tuple[Person, list[Person], RoleModel | None]],
    form: MentoringForm,
    role_model: RoleModel | None,
    user,
) -> list[Pair]:
    """Draft pairs for accepted suggestions, all or none: the error lists every failing pair.

    A group is (mentor, mentees) or (mentor, mentees, the role model its suggestion fits); the
    ``role_model`` chosen for the whole run wins over a group's own."""
    if not groups:
        raise ValidationError(ERROR_NOTHING_TO_ACCEPT)
    starts_on, planned_end_on = default_pair_dates(programme)
    created, errors = [], []
    for mentor, mentees, *own in groups:
        try:
            with transaction.atomic():
                created.append(
                    pair_form(
                        programme=programme,
                        mentor=mentor,
                        mentees=mentees,
                        form=form,
                        role_model=role_model or (own[0] if own else None),
                        starts_on=starts_on,
                        planned_end_on=planned_end_on,
                        user=user,
                    )
                )
        except ValidationError as error:
            who = f"{mentor.short_name} — {', '.join(m.short_name for m in mentees)}"
            errors.extend(f"{who}: {message}" for message in error.messages)
    if errors:
        raise ValidationError(errors)
    return created
