"""Reads of programmes, pairs and the stage checklist, shared by pages, services and the dashboard.

Every function takes the organisation (or an object of it) and queries through it.
"""

import datetime
from dataclasses import dataclass, field, replace

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation
from organisations.russian import plural
from organisations.school_year import current_school_year
from participants.mentoring_forms import MENTEE, MENTOR, person_fits, side_rule
from participants.models import (
    ConsentPurpose,
    MenteeEntry,
    MentorDocument,
    MentorEntry,
    MentoringForm,
    Person,
    QuestionnaireTemplate,
    RoleModel,
)
from participants.questionnaires.results import ResultsFilter
from participants.questionnaires.selectors import QuestionnaireCoverage, for_audience, questionnaire_coverage
from participants.selectors import valid_consent_exists
from participants.selectors_bases import REGISTER_STATUSES
from participants.services_bases import EXTERNAL_MENTOR_CATEGORIES, documents_state
from roadmap.selectors import StageActivities, stage_activities
from roadmap.stages import Stage

from .matching import MatchingError, MatchResult, Weights, suggest
from .matching_data import profiles_for_year, role_model_profiles
from .models import CasePhoto, IndividualPlan, MatchDecision, Meeting, Pair, PairMentee, Programme
from .stage_documents import stage_documents

OPEN_STATUSES = [Pair.Status.DRAFT, Pair.Status.APPROVED, Pair.Status.ACTIVE]
# Two different questions about a pair's status, kept apart on purpose:
# does it work now (meetings are logged for it), and did it count in the year (an order fixed it;
# a draft is only a proposal, a closed pair still worked) — letters and indicators ask the second.
WORKING_NOW_STATUSES = (Pair.Status.APPROVED, Pair.Status.ACTIVE)
COUNTED_PAIR_STATUSES = (Pair.Status.APPROVED, Pair.Status.ACTIVE, Pair.Status.CLOSED)
_NAMES_LISTED = 5


# --- Programmes ---------------------------------------------------------------------------


def programmes_with_counts(*, organisation: Organisation):
    """The school's programmes, each with ``pairs_total`` and ``pairs_open``: one query."""
    return organisation.programmes.select_related("curator").annotate(
        pairs_total=Count("pairs"),
        pairs_open=Count("pairs", filter=Q(pairs__status__in=OPEN_STATUSES)),
    )


def programme_pair_counts(*, programme: Programme) -> dict[str, int]:
    """Pairs of the programme by status, plus ``total`` and ``mentees``: two queries."""
    counts = programme.pairs.aggregate(
        total=Count("pk"), **{status.value: Count("pk", filter=Q(status=status)) for status in Pair.Status}
    )
    counts["mentees"] = PairMentee.objects.filter(
        organisation=programme.organisation, pair__programme=programme, pair__status__in=OPEN_STATUSES
    ).count()
    return counts


def current_programmes(*, organisation: Organisation) -> list[Programme]:
    """The programmes of the current school year (for the dashboard): one query."""
    return list(organisation.programmes.filter(school_year=current_school_year()).order_by("kind"))


def programme_forms(*, programme: Programme):
    """The forms enabled in the programme, or every active form of its audience when none is."""
    enabled = MentoringForm.objects.filter(programmeform__programme=programme)
    if enabled.exists():
        return enabled.order_by("position", "name")
    return MentoringForm.objects.filter(audience=programme.kind, is_active=True).order_by("position", "name")


def programme_weights(*, programme: Programme) -> Weights:
    """The programme's matching weights; the engine's defaults when none are saved."""
    return Weights.from_dict(programme.matching_weights) if programme.matching_weights else Weights()


def form_role_models(*, programme: Programme, form: MentoringForm) -> list[RoleModel]:
    """The role models of a form the programme allows: those it enables, or every role model of
    the form when it enables none of this form. In the reference order."""
    order = ("position", "name", "pk")
    enabled = RoleModel.objects.filter(programmerolemodel__programme=programme, form=form).select_related("form")
    return list(enabled.order_by(*order)) or list(form.role_models.select_related("form").order_by(*order))


def programme_role_models(*, programme: Programme):
    enabled = RoleModel.objects.filter(programmerolemodel__programme=programme).select_related("form")
    if enabled.exists():
        return enabled
    return RoleModel.objects.filter(form__in=programme_forms(programme=programme)).select_related("form")


# --- Pairs ----------------------------------------------------------------------------------


def pairs_for_list(*, organisation: Organisation):
    """Pairs with everything a row shows: a fixed number of queries whatever the number of rows."""
    mentees = PairMentee.objects.select_related("mentee").order_by("mentee__last_name", "mentee__first_name", "pk")
    return (
        organisation.pairs.select_related("mentor", "form", "role_model", "programme")
        .prefetch_related(Prefetch("pair_mentees", queryset=mentees))
        .order_by("mentor__last_name", "mentor__first_name", "pk")
    )


def pairs_of_person(*, organisation: Organisation, person: Person):
    """The pairs where the person is the mentor or a mentee."""
    as_mentee = PairMentee.objects.filter(organisation=organisation, mentee=person).values("pair_id")
    return pairs_for_list(organisation=organisation).filter(Q(mentor=person) | Q(pk__in=as_mentee))


def best_practice_pairs(*, organisation: Organisation):
    return pairs_for_list(organisation=organisation).filter(is_best_practice=True).prefetch_related("case_photos")


def mentor_places_taken(*, organisation: Organisation, school_year: int, exclude_pair: Pair | None = None) -> dict:
    """Mentor person id -> mentees in the mentor's non-closed pairs of the school year: one query."""
    rows = PairMentee.objects.filter(
        organisation=organisation, pair__programme__school_year=school_year, pair__status__in=OPEN_STATUSES
    )
    if exclude_pair is not None:
        rows = rows.exclude(pair=exclude_pair)
    return dict(rows.order_by().values("pair__mentor_id").annotate(n=Count("pk")).values_list("pair__mentor_id", "n"))


def mentees_in_open_pairs(*, programme: Programme, exclude_pair: Pair | None = None) -> dict[int, Pair]:
    """Mentee person id -> the non-closed pair of the programme the mentee is in: one query."""
    rows = PairMentee.objects.filter(
        organisation=programme.organisation, pair__programme=programme, pair__status__in=OPEN_STATUSES
    ).select_related("pair__mentor")
    if exclude_pair is not None:
        rows = rows.exclude(pair=exclude_pair)
    return {row.mentee_id: row.pair for row in rows}


def case_photos(*, organisation: Organisation):
    return CasePhoto.objects.filter(organisation=organisation).select_related("pair")


# --- Questionnaires: who of the pairs gets one, whose answers a pair filter counts ----------------
# The questionnaires themselves live in participants.questionnaires; pairs are known only here.


def programme_people_ids(*, programme: Programme, include_closed: bool, template: QuestionnaireTemplate) -> set[int]:
    """Mentors and/or mentees (by the questionnaire's audience) of the programme's approved and
    working pairs (and closed ones if asked)."""
    statuses = COUNTED_PAIR_STATUSES if include_closed else WORKING_NOW_STATUSES
    pairs = programme.pairs.filter(status__in=statuses)
    mentors = pairs.values_list("mentor_id", flat=True)
    mentees = PairMentee.objects.filter(organisation=programme.organisation_id, pair__in=pairs).values_list(
        "mentee_id", flat=True
    )
    return for_audience(template, mentors=mentors, mentees=mentees)


def results_filter(
    *,
    organisation: Organisation,
    form: MentoringForm | None = None,
    pair: Pair | None = None,
    grade: int | None = None,
    class_letter: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> ResultsFilter:
    """The filter of questionnaire results. A form or a pair means the people of the school's
    pairs (not drafts) of that form, or of that pair, as mentor or mentee."""
    pair_people = None
    if form is not None or pair is not None:
        pairs = Pair.objects.filter(organisation=organisation).exclude(status=Pair.Status.DRAFT)
        if form is not None:
            pairs = pairs.filter(form=form)
        if pair is not None:
            pairs = pairs.filter(pk=pair.pk)
        mentees = PairMentee.objects.filter(organisation=organisation, pair__in=pairs).values("mentee")
        pair_people = (
            Person.objects.filter(organisation=organisation)
            .filter(Q(pk__in=pairs.values("mentor")) | Q(pk__in=mentees))
            .values("pk")
        )
    return ResultsFilter(
        form=form,
        grade=grade,
        class_letter=class_letter,
        pair=pair,
        start=start,
        end=end,
        pair_people=pair_people,
    )


# --- The stage checklist --------------------------------------------------------------------

OK, MISSING, LATER = "ok", "missing", "later"


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    state: str  # OK, MISSING or LATER (something another module will check)
    note: str = ""
    url: str = ""  # the document or the page to make it

    @property
    def missing(self) -> bool:
        return self.state == MISSING


def _names(people) -> str:
    people = list(people)
    shown = ", ".join(person.short_name for person in people[:_NAMES_LISTED])
    if len(people) > _NAMES_LISTED:
        shown += f" и ещё {len(people) - _NAMES_LISTED}"
    return shown


def _item(ok: bool, text_ok: str, text_missing: str) -> ChecklistItem:
    return ChecklistItem(text_ok, OK) if ok else ChecklistItem(text_missing, MISSING)


def _audience_categories(programme: Programme) -> list[str]:
    if programme.kind == Programme.Kind.TEACHERS:
        return [Person.Category.TEACHER]
    return [Person.Category.STUDENT]


def _mentee_entries(programme: Programme):
    return programme.organisation.mentee_entries.filter(
        school_year=programme.school_year, person__category__in=_audience_categories(programme)
    ).exclude(status__in=[MenteeEntry.Status.LEFT])


def _mentor_entries(programme: Programme):
    entries = programme.organisation.mentor_entries.filter(school_year=programme.school_year).exclude(status="left")
    if programme.kind == Programme.Kind.TEACHERS:
        entries = entries.filter(person__category=Person.Category.TEACHER)
    return entries


def _without_consent(entries) -> list[Person]:
    return [
        entry.person
        for entry in entries.exclude(valid_consent_exists(person_field="person"))
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    ]


# Questionnaires (participants: templates by audience and phase, invitations, responses). A person
# is invited to a template version once, so an entry questionnaire sent in an earlier year still
# counts; interim and exit answers count from the programme's start.
Audience, Phase = QuestionnaireTemplate.Audience, QuestionnaireTemplate.Phase
TITLE_MENTEE_ENTRY = "Входная анкета наставляемых (запросы и потребности)"
TITLE_MENTOR_ENTRY = "Анкета «Чем я могу быть полезен в качестве наставника?»"
TITLE_INTERIM = "Анкета обратной связи для промежуточной оценки"


def _mentee_audience(programme: Programme) -> str:
    return Audience.TEACHER_MENTEE if programme.kind == Programme.Kind.TEACHERS else Audience.STUDENT_MENTEE


def _sent_item(coverage: QuestionnaireCoverage, title: str, whom: tuple[str, str, str], everyone: str):
    """«… отправлена всем наставникам; ответили 3 из 5» or «… не отправлена 2 наставникам: …»."""
    if not coverage.not_invited:
        return ChecklistItem(
            f"{title} отправлена всем {everyone}; ответили {coverage.answered} из {coverage.total}", OK
        )
    n = len(coverage.not_invited)
    return ChecklistItem(f"{title} не отправлена {n} {plural(n, *whom)}: {_names(coverage.not_invited)}", MISSING)


def _answered_item(coverage: QuestionnaireCoverage, who: tuple[str, str, str], everyone: str) -> ChecklistItem:
    """«Итоговую анкету заполнили все наставники» or «Не заполнили итоговую анкету: 2 наставника из 5: …»."""
    if not coverage.not_answered:
        return ChecklistItem(f"Итоговую анкету заполнили все {everyone} ({coverage.total})", OK)
    n = len(coverage.not_answered)
    return ChecklistItem(
        f"Не заполнили итоговую анкету: {n} {plural(n, *who)} из {coverage.total}: {_names(coverage.not_answered)}",
        MISSING,
    )


def _stage_preparation(programme: Programme) -> list[ChecklistItem]:
    return [
        _item(programme.curator_id is not None, "Куратор программы назначен", "Не назначен куратор программы"),
        _item(
            programme.forms.exists(),
            "Формы наставничества выбраны",
            "Не выбраны формы наставничества программы",
        ),
    ]


def _stage_mentee_base(programme: Programme) -> list[ChecklistItem]:
    entries = _mentee_entries(programme)
    count = entries.count()
    items = [
        _item(
            count > 0,
            f"В базе наставляемых {count} {plural(count, 'человек', 'человека', 'человек')}",
            "База наставляемых пуста",
        )
    ]
    if count:
        missing = _without_consent(entries)
        items.append(
            _item(
                not missing,
                "У всех наставляемых есть согласие на обработку персональных данных",
                f"Без согласия на обработку персональных данных {len(missing)} "
                f"{plural(len(missing), 'наставляемый', 'наставляемых', 'наставляемых')}: {_names(missing)}",
            )
        )
        candidates = entries.filter(status=MenteeEntry.Status.CANDIDATE).count()
        items.append(
            _item(
                not candidates,
                "Все кандидаты рассмотрены",
                f"Не включены в базу (статус «кандидат»): {candidates} "
                f"{plural(candidates, 'человек', 'человека', 'человек')}",
            )
        )
        coverage = questionnaire_coverage(
            organisation=programme.organisation,
            person_ids=entries.values("person_id"),
            audience=_mentee_audience(programme),
            phases=[Phase.ENTRY],
        )
        items.append(
            _sent_item(coverage, TITLE_MENTEE_ENTRY, ("наставляемому", "наставляемым", "наставляемым"), "наставляемым")
        )
    return items


def _stage_mentor_base(programme: Programme) -> list[ChecklistItem]:
    entries = _mentor_entries(programme)
    count = entries.count()
    items = [
        _item(
            count > 0,
            f"В базе наставников {count} {plural(count, 'человек', 'человека', 'человек')}",
            "База наставников пуста",
        )
    ]
    if count:
        missing = _without_consent(entries)
        items.append(
            _item(
                not missing,
                "У всех наставников есть согласие на обработку персональных данных",
                f"Без согласия на обработку персональных данных: {_names(missing)}",
            )
        )
        external = list(
            entries.filter(person__category__in=EXTERNAL_MENTOR_CATEGORIES)
            .select_related("person")
            .prefetch_related(
                Prefetch(
                    "person__documents", queryset=MentorDocument.objects.filter(organisation=programme.organisation)
                )
            )
        )
        today = timezone.localdate()
        without = [
            e.person for e in external if not all(s.ok for s in documents_state(e.person.documents.all(), today))
        ]
        items.append(
            _item(
                not without,
                "Справки внешних наставников в порядке",
                f"Нет действующих справок у внешних наставников: {_names(without)}",
            )
        )
        coverage = questionnaire_coverage(
            organisation=programme.organisation,
            person_ids=entries.values("person_id"),
            audience=Audience.MENTOR,
            phases=[Phase.ENTRY],
        )
        items.append(
            _sent_item(coverage, TITLE_MENTOR_ENTRY, ("наставнику", "наставникам", "наставникам"), "наставникам")
        )
    return items


def _stage_training(programme: Programme) -> list[ChecklistItem]:
    registered = _mentor_entries(programme).filter(status__in=REGISTER_STATUSES).count()
    return [
        _item(
            registered > 0,
            f"В реестре наставников {registered} {plural(registered, 'человек', 'человека', 'человек')}",
            "В реестре наставников никого нет: утвердите наставников в базе",
        ),
        _item(
            programme.training_groups.exists(),
            "Группа «Школы наставника» создана",
            "Не создано ни одной группы «Школы наставника»",
        ),
    ]


def _stage_pairing(programme: Programme) -> list[ChecklistItem]:
    pairs = programme.pairs.filter(status__in=OPEN_STATUSES)
    count = pairs.count()
    items = [_item(count > 0, f"Сформировано пар и групп: {count}", "Не сформировано ни одной пары или группы")]
    if count:
        drafts = pairs.filter(status=Pair.Status.DRAFT).count()
        items.append(
            _item(
                not drafts,
                "Все пары утверждены",
                f"Не утверждены приказом: {drafts} {plural(drafts, 'пара', 'пары', 'пар')}",
            )
        )
        without_plan = pairs.exclude(Exists(IndividualPlan.objects.filter(pair=OuterRef("pk")))).count()
        items.append(
            _item(
                not without_plan,
                "У всех пар есть индивидуальный план",
                f"Без индивидуального плана: {without_plan} {plural(without_plan, 'пара', 'пары', 'пар')}",
            )
        )
    paired = PairMentee.objects.filter(pair__in=pairs).values("mentee_id")
    left_out = _mentee_entries(programme).filter(status=MenteeEntry.Status.INCLUDED).exclude(person__in=paired).count()
    items.append(
        _item(
            not left_out,
            "Все наставляемые базы распределены по парам",
            f"Не распределены по парам: {left_out} {plural(left_out, 'наставляемый', 'наставляемых', 'наставляемых')}",
        )
    )
    return items


def _stage_pair_work(programme: Programme) -> list[ChecklistItem]:
    active = programme.pairs.filter(status=Pair.Status.ACTIVE)
    not_started = programme.pairs.filter(status__in=[Pair.Status.DRAFT, Pair.Status.APPROVED]).count()
    silent = active.exclude(Exists(Meeting.objects.filter(pair=OuterRef("pk")))).count()
    items = [
        _item(active.exists(), "Пары работают", "Нет ни одной работающей пары"),
        _item(
            not not_started,
            "Все пары приступили к работе",
            f"Ещё не приступили к работе: {not_started} {plural(not_started, 'пара', 'пары', 'пар')}",
        ),
        _item(
            not silent,
            "У всех работающих пар есть встречи",
            f"Работающие пары без встреч: {silent}",
        ),
    ]
    mentees = PairMentee.objects.filter(pair__in=active).values("mentee_id")
    coverage = questionnaire_coverage(
        organisation=programme.organisation,
        person_ids=mentees,
        audience=_mentee_audience(programme),
        phases=[Phase.INTERIM, Phase.QUARTERLY],
        since=programme.starts_on,
    )
    if coverage.total:
        items.append(
            _sent_item(
                coverage,
                TITLE_INTERIM,
                ("наставляемому", "наставляемым", "наставляемым"),
                "наставляемым работающих пар",
            )
        )
    return items


def _stage_completion(programme: Programme) -> list[ChecklistItem]:
    open_pairs = programme.pairs.filter(status__in=OPEN_STATUSES).count()
    # Who gives the final feedback: the people of pairs that worked (not of drafts or pairs
    # terminated before they started).
    worked = programme.pairs.filter(
        Q(status=Pair.Status.ACTIVE)
        | Q(status=Pair.Status.CLOSED, outcome__in=[Pair.Outcome.COMPLETED, Pair.Outcome.CONTINUED])
    )
    satisfaction = []
    for audience, people, who, everyone in (
        (Audience.MENTOR, worked.values("mentor_id"), ("наставник", "наставника", "наставников"), "наставники"),
        (
            _mentee_audience(programme),
            PairMentee.objects.filter(pair__in=worked).values("mentee_id"),
            ("наставляемый", "наставляемых", "наставляемых"),
            "наставляемые",
        ),
    ):
        coverage = questionnaire_coverage(
            organisation=programme.organisation,
            person_ids=people,
            audience=audience,
            phases=[Phase.EXIT],
            since=programme.starts_on,
        )
        if coverage.total:
            satisfaction.append(_answered_item(coverage, who, everyone))
    return [
        _item(
            not open_pairs,
            "Все пары завершены",
            f"Не завершены: {open_pairs} {plural(open_pairs, 'пара', 'пары', 'пар')}",
        ),
        _item(
            programme.pairs.filter(is_best_practice=True).exists(),
            "Лучшие практики отмечены",
            "Не отмечено ни одной лучшей практики",
        ),
        *satisfaction,
    ]


_CHECKS = {
    Stage.PREPARATION: _stage_preparation,
    Stage.MENTEE_BASE: _stage_mentee_base,
    Stage.MENTOR_BASE: _stage_mentor_base,
    Stage.MENTOR_TRAINING: _stage_training,
    Stage.PAIRING: _stage_pairing,
    Stage.PAIR_WORK: _stage_pair_work,
    Stage.COMPLETION: _stage_completion,
}


def programme_stage_activities(*, programme: Programme, stage: int | None = None) -> StageActivities:
    """The stage's activities in the school's roadmap for the programme's period."""
    return stage_activities(
        organisation=programme.organisation,
        on=programme.starts_on,
        stage=stage or programme.current_stage,
        today=timezone.localdate(),
    )


def _roadmap_item(activities: StageActivities, stage: int) -> ChecklistItem | None:
    if activities.roadmap is None:
        # The roadmap is one of the documents of the first stage.
        return ChecklistItem("Нет дорожной карты на период программы", MISSING) if stage == Stage.PREPARATION else None
    if not activities.occurrences:
        return None
    late = activities.unfinished_due
    done = len(activities.due) - len(late)
    due = len(activities.due)
    if late:
        return ChecklistItem(f"Мероприятия этапа по дорожной карте: не выполнено в срок {len(late)} из {due}", MISSING)
    return ChecklistItem(f"Мероприятия этапа по дорожной карте: выполнено {done} из {due} наступивших", OK)


def stage_checklist(*, programme: Programme, stage: int | None = None) -> list[ChecklistItem]:
    """What the stage (the current one by default) needs: done or missing, with the documents the
    registered sources know of (``stage_documents``: the orders)."""
    stage = Stage(stage or programme.current_stage)
    items = _CHECKS[stage](programme)
    items += [
        ChecklistItem(document.title, OK if document.present else MISSING, document.detail, document.url or "")
        for document in stage_documents(programme=programme, stage=stage)
    ]
    roadmap_item = _roadmap_item(programme_stage_activities(programme=programme, stage=stage), stage)
    return [*items, roadmap_item] if roadmap_item else items


def stage_missing(*, programme: Programme, stage: int | None = None) -> list[str]:
    return [item.text for item in stage_checklist(programme=programme, stage=stage) if item.missing]


def publication_consent_missing(*, pair: Pair) -> list[Person]:
    """People of the pair (mentor first) without a valid publication consent."""
    people = [pair.mentor, *(row.mentee for row in pair.pair_mentees.select_related("mentee"))]
    covered = set(
        pair.organisation.people.filter(pk__in=[p.pk for p in people], anonymised_at__isnull=True)
        .filter(valid_consent_exists(purpose=ConsentPurpose.PUBLICATION))
        .values_list("pk", flat=True)
    )
    return [p for p in people if p.pk not in covered]


def default_pair_dates(programme: Programme) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start = min(max(programme.starts_on, today), programme.ends_on)
    return start, programme.ends_on


# --- Matching -------------------------------------------------------------------------------


@dataclass
class MatchingRun:
    """One run of the engine for a programme and a form, with the curator's decisions applied."""

    result: MatchResult | None  # None when the input was inconsistent
    error: str
    decisions: dict  # (mentee person id, mentor person id) -> MatchDecision.Kind
    skipped_decisions: int  # decisions about people no longer in the pools
    mentors_total: int
    mentees_total: int
    role_models: list[RoleModel] = field(default_factory=list)  # those the suggestions were checked against


def matching_run(*, programme: Programme, form: MentoringForm, role_model: RoleModel | None = None) -> MatchingRun:
    """Runs ``suggest`` on the year's pools: mentees already in a non-closed pair of the programme
    are left out, mentors' places taken by non-closed pairs of the year are subtracted. The pairs
    are checked against the chosen role model, or else the form's role models of the programme."""
    organisation = programme.organisation
    role_models = [role_model] if role_model is not None else form_role_models(programme=programme, form=form)
    mentees, mentors = profiles_for_year(organisation=organisation, school_year=programme.school_year, form=form)
    busy = mentees_in_open_pairs(programme=programme)
    mentees = [m for m in mentees if m.person_id not in busy]
    taken = mentor_places_taken(organisation=organisation, school_year=programme.school_year)
    mentors = [replace(m, capacity=max(0, m.capacity - taken.get(m.person_id, 0))) for m in mentors]

    mentee_entry = {m.person_id: m.id for m in mentees}
    mentor_entry = {m.person_id: m.id for m in mentors}
    decisions, pinned, forbidden, skipped = {}, set(), set(), 0
    for decision in MatchDecision.objects.filter(organisation=organisation, programme=programme):
        decisions[(decision.mentee_id, decision.mentor_id)] = decision.kind
        if decision.mentee_id not in mentee_entry or decision.mentor_id not in mentor_entry:
            skipped += 1
            continue
        key = (mentee_entry[decision.mentee_id], mentor_entry[decision.mentor_id])
        (pinned if decision.kind == MatchDecision.Kind.PIN else forbidden).add(key)
    try:
        result, error = (
            suggest(
                mentees,
                mentors,
                programme_weights(programme=programme),
                form_id=form.pk,
                pinned=pinned,
                forbidden=forbidden,
                role_models=role_model_profiles(role_models),
            ),
            "",
        )
    except MatchingError as exc:
        result, error = None, str(exc)
    return MatchingRun(
        result=result,
        error=error,
        decisions=decisions,
        skipped_decisions=skipped,
        mentors_total=len(mentors),
        mentees_total=len(mentees),
        role_models=role_models,
    )


# --- Why matching proposes little ------------------------------------------------------------


@dataclass(frozen=True)
class MatchingGap:
    """One reason people are missing from matching, with the page that fixes it."""

    text: str
    action: str = ""  # the link's words, «подтвердить»
    url: str = ""
    always: bool = False  # shown even when matching found a mentor for everyone: work left to do


def _entry_rows(entries):
    """Base entries with their person's fields the form's sides read and ``eligible``: one query."""
    return list(
        entries.select_related("person")
        .only(
            "status",
            "person__category",
            "person__grade",
            "person__class_letter",
            "person__position",
            "person__processing_blocked_at",
            "person__anonymised_at",
        )
        .annotate(has_consent=valid_consent_exists(person_field="person"))
    )


def _eligible(entry) -> bool:
    person = entry.person
    return entry.has_consent and person.processing_blocked_at is None and person.anonymised_at is None


def matching_gaps(*, programme: Programme, form: MentoringForm, run: MatchingRun) -> list[MatchingGap]:
    """Why the run has fewer mentees or mentors than the bases: people waiting for confirmation,
    without consent, outside the form's sides, already in pairs; mentors without free places.
    Counts and the pages to fix each; two queries besides the run's own."""
    organisation = programme.organisation
    year = programme.school_year
    slug = organisation.slug
    mentee_list = reverse("participants:mentee_list", args=[slug])
    mentor_list = reverse("participants:mentor_list", args=[slug])
    consents = reverse("participants:consent_list", args=[slug]) + "?without_consent=on"
    mentee_categories = form.mentee_categories or (
        [Person.Category.TEACHER] if form.audience == MentoringForm.Audience.TEACHERS else [Person.Category.STUDENT]
    )
    gaps: list[MatchingGap] = []

    mentees = _entry_rows(
        organisation.mentee_entries.filter(
            school_year=year,
            status__in=[MenteeEntry.Status.CANDIDATE, MenteeEntry.Status.INCLUDED, MenteeEntry.Status.IN_PAIR],
        )
    )
    fitting = [e for e in mentees if e.person.category in mentee_categories and person_fits(form, e.person, MENTEE)]
    candidates = sum(1 for e in fitting if e.status == MenteeEntry.Status.CANDIDATE)
    included = [e for e in fitting if e.status == MenteeEntry.Status.INCLUDED]
    no_consent = sum(1 for e in included if not _eligible(e))
    if candidates:
        gaps.append(
            MatchingGap(
                f"{candidates} {plural(candidates, 'наставляемый ждёт', 'наставляемых ждут', 'наставляемых ждут')} "
                "подтверждения в базе: подбор берёт только включённых в базу",
                "подтвердить",
                f"{mentee_list}?year={year}&status={MenteeEntry.Status.CANDIDATE}",
                always=True,
            )
        )
    if no_consent:
        gaps.append(
            MatchingGap(
                f"нет согласия на участие у {no_consent} "
                f"{plural(no_consent, 'наставляемого', 'наставляемых', 'наставляемых')} базы",
                "оформить согласия",
                consents,
                always=True,
            )
        )
    # Those with a pair: marked so in the base, or included but already in an open pair of the programme.
    busy = sum(1 for e in fitting if e.status == MenteeEntry.Status.IN_PAIR) + len(included) - no_consent
    busy -= run.mentees_total
    if run.mentees_total == 0 and busy > 0:
        gaps.append(
            MatchingGap(
                f"все подходящие форме наставляемые базы уже в парах ({busy}): подбирать некого",
                "пары и группы",
                reverse("mentorship:pair_list", args=[slug]) + f"?programme={programme.pk}",
            )
        )
    if not fitting:
        outside = len(mentees)
        rule = side_rule(form, MENTEE)
        text = f"в базе наставляемых {year}/{year + 1} учебного года нет подходящих форме «{form.name}»"
        if outside and rule:
            text += f" ({rule}; в базе {outside} {plural(outside, 'человек', 'человека', 'человек')} других категорий)"
        gaps.append(MatchingGap(text, "открыть базу наставляемых", f"{mentee_list}?year={year}"))

    mentors = _entry_rows(
        organisation.mentor_entries.filter(
            school_year=year, status__in=[MentorEntry.Status.CANDIDATE, *REGISTER_STATUSES]
        )
    )
    fit = [e for e in mentors if person_fits(form, e.person, MENTOR)]
    unfit = len(mentors) - len(fit)
    waiting = sum(1 for e in fit if e.status == MentorEntry.Status.CANDIDATE)
    registered = [e for e in fit if e.status in REGISTER_STATUSES]
    mentors_no_consent = sum(1 for e in registered if not _eligible(e))
    if waiting:
        gaps.append(
            MatchingGap(
                f"{waiting} {plural(waiting, 'наставник', 'наставника', 'наставников')} "
                f"{plural(waiting, 'не утверждён', 'не утверждены', 'не утверждены')} в реестре: "
                "подбор берёт только утверждённых",
                "утвердить",
                f"{mentor_list}?year={year}&status={MentorEntry.Status.CANDIDATE}",
                always=True,
            )
        )
    if mentors_no_consent:
        gaps.append(
            MatchingGap(
                f"нет согласия на участие у {mentors_no_consent} "
                f"{plural(mentors_no_consent, 'наставника', 'наставников', 'наставников')} реестра",
                "оформить согласия",
                consents,
                always=True,
            )
        )
    if unfit and (rule := side_rule(form, MENTOR)):
        gaps.append(
            MatchingGap(
                f"форма «{form.name}»: {rule}; не подходят {unfit} "
                f"{plural(unfit, 'наставник', 'наставника', 'наставников')} базы",
                "добавить наставников",
                f"{mentor_list}?year={year}",
            )
        )
    if not fit:
        gaps.append(
            MatchingGap(
                f"в базе наставников {year}/{year + 1} учебного года нет подходящих форме «{form.name}»",
                "открыть базу наставников",
                f"{mentor_list}?year={year}",
            )
        )
    elif run.result is not None and run.result.unassigned and run.mentors_total:
        free = sum(run.result.free_places.values())
        if free == 0:
            gaps.append(
                MatchingGap(
                    f"у наставников нет свободных мест: все места {run.mentors_total} "
                    f"{plural(run.mentors_total, 'наставника', 'наставников', 'наставников')} заняты "
                    "(ёмкость «наставляемых не больше» исчерпана)",
                    "увеличить ёмкость",
                    f"{mentor_list}?year={year}",
                )
            )
    return gaps
