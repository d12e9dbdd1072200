"""Demo programmes of the current school year, one story per demo school.

- school-1 is mid-year: a students' programme at stage 6 with pairs from the matching engine's
  suggestions, approved by order and working: individual plans about half done, meetings since
  October (two or three pairs have not met for over a month, so «Давно не встречались» is not empty)
  and a «Школа наставника» group with six sessions held.
- school-2 is at the start: a students' programme at stage 2, no pairs yet.
- school-3 is finished-ish: a teachers' programme at stage 7, its pairs closed as completed, one of
  them a best practice.

Rules go through the services (forming, approving, activating and closing pairs, stages, meetings,
training, consents); rows without rules of their own (plans' items) are bulk-created.
``demo_programmes(schools=…)`` can be run again: a school with a programme of the year is skipped.
Each school has its own seeded ``random.Random``, so the story is the same on every run.
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from organisations.models import Membership, Organisation
from organisations.roles import Role
from organisations.school_year import current_school_year
from participants.models import ConsentPurpose, MentorEntry, MentoringForm, Person, RoleModel
from participants.selectors import valid_consent_exists
from participants.selectors_bases import REGISTER_STATUSES
from participants.services import consent_record
from participants.services_bases import BASE_MENTOR, bases_add_people, mentor_set_status
from roadmap.stages import Stage

from .matching import suggest
from .matching_data import profiles_for_year
from .models import IndividualPlan, Meeting, Pair, PlanItem, Programme, StageTransition, YearChange
from .selectors import programme_weights
from .services import (
    pair_activate,
    pair_approve,
    pair_case_save,
    pair_close,
    pair_form,
    programme_advance,
    programme_save,
)
from .services_meetings import meeting_log
from .services_plans import plan_approve
from .services_training import training_group_save, training_session_save
from .services_year import year_change_start, year_change_upload

DEMO_SEED = 2026
MID_YEAR, AT_START, FINISHED = "school-1", "school-2", "school-3"

STUDENT_FORMS = ("ученик – ученик", "учитель – ученик")
TEACHER_FORM = "учитель – учитель"
# The role model of a pair by its form.
ROLE_MODELS = {
    "ученик – ученик": "успевающий – неуспевающий",
    "учитель – ученик": "мастер – ученик",
    "учитель – учитель": "опытный педагог – молодой специалист",
}
ORDER_LABEL = "№ 45-ОД от 01.10.{year}"
NEGLECTED_PAIRS = 3  # pairs that stopped meeting in October
MEETING_HOURS = (14, 15, 16)

MENTOR_USER_COMPETENCIES = "подготовка к олимпиадам по математике, помощь при трудностях с математикой"

TRAINING_SESSIONS = (
    ((9, 23), "Целевая модель наставничества: роли наставника и наставляемого", "лекция"),
    ((9, 30), "Первая встреча с наставляемым: как договориться о целях", "практикум"),
    ((10, 7), "Индивидуальный план: цели, задачи, измеримые результаты", "практикум"),
    ((10, 21), "Активное слушание и обратная связь", "тренинг"),
    ((11, 3), "Мотивация подростка: что делать, если интерес пропал", "тренинг"),
    ((11, 18), "Разбор трудных случаев из практики наставников", "практикум"),
)
INTENSIVE_SESSIONS = tuple(
    ((9, 8 + index), topic, format_name) for index, (_, topic, format_name) in enumerate(TRAINING_SESSIONS[:3])
)
TRAINING_FORMATS = {"лекция": "lecture", "практикум": "workshop", "тренинг": "training", "вебинар": "online"}
TRAINING_EXPERT = "Педагог-психолог Лаврентьева Т. В."

# Plans: (activity, work form, expected result), the first ones are done first.
STUDENT_PLAN = [
    ("Встреча-знакомство, обсуждение интересов и трудностей", "беседа", "Определены запрос и цели работы"),
    ("Совместное составление индивидуального плана", "консультация", "План согласован с наставляемым"),
    ("Разбор трудных тем по предмету, решение задач вместе", "практическое занятие", "Закрыты пробелы по темам"),
    ("Подготовка к школьному этапу олимпиады", "тренировка", "Участие в школьном этапе олимпиады"),
    ("Работа над мини-проектом и его защита на классном часе", "проект", "Проект представлен одноклассникам"),
    ("Промежуточное подведение итогов, корректировка плана", "беседа", "План скорректирован"),
]
TEACHER_PLAN = [
    ("Знакомство с локальными актами школы и электронным журналом", "консультация", "Журнал ведётся без ошибок"),
    ("Посещение уроков наставника и их разбор", "взаимопосещение", "Освоены приёмы организации урока"),
    ("Разработка рабочей программы и технологических карт уроков", "практикум", "Программа утверждена"),
    ("Посещение наставником уроков молодого педагога", "наблюдение", "Получены рекомендации"),
    ("Подготовка и проведение родительского собрания", "совместная подготовка", "Собрание проведено"),
    ("Открытый урок молодого педагога", "открытый урок", "Урок проведён и проанализирован"),
]
GOALS = {
    Programme.Kind.STUDENTS: "Повысить учебную мотивацию и успеваемость наставляемого, раскрыть его интересы.",
    Programme.Kind.TEACHERS: "Помочь молодому педагогу войти в профессию и освоиться в коллективе школы.",
}
TASKS = {
    Programme.Kind.STUDENTS: "Выявить трудности в учёбе; составить план занятий; подготовить проект или олимпиаду.",
    Programme.Kind.TEACHERS: "Освоить документацию, методику урока и работу с родителями; провести открытый урок.",
}

INTRODUCTION = ("Знакомство", "Рассказали о себе, обсудили интересы и ожидания от работы вместе.")
PLANNING = ("Составление индивидуального плана", "Определили цели на полугодие, договорились о времени встреч.")
REGULAR_STUDENTS = [
    ("Разбор домашнего задания по математике", "Прошли тему дробей, наставляемый решил пять задач сам."),
    ("Подготовка к олимпиаде", "Решали задачи прошлых лет, разобрали типичные ошибки."),
    ("Как распределить время на учёбу", "Составили расписание на неделю с учётом кружков."),
    ("Работа над проектом", "Выбрали тему проекта и составили план работы над ним."),
    ("Подготовка к контрольной работе", "Повторили правила, наставляемый чувствует себя увереннее."),
    ("Обсуждение прочитанной книги", "Поговорили о героях, наставляемый подготовил короткий отзыв."),
    ("Профориентационная беседа", "Обсудили интересные профессии и какие предметы для них нужны."),
]
REGULAR_TEACHERS = [
    ("Разбор посещённого урока", "Обсудили начало урока и смену видов деятельности."),
    ("Рабочая программа и КТП", "Проверили тематическое планирование, внесли исправления."),
    ("Дисциплина на уроке", "Разобрали приёмы работы с шумным классом, договорились о правилах."),
    ("Подготовка к родительскому собранию", "Составили план собрания и памятку для родителей."),
]
FINAL = ("Итоги работы", "Подвели итоги, наставляемый отметил, что стал увереннее в работе.")
CASE_DESCRIPTION = (
    "Молодой педагог и опытный наставник работали по индивидуальному плану: взаимопосещение уроков, "
    "совместная разработка технологических карт, подготовка открытого урока и родительского собрания."
)
CASE_RESULTS = (
    "Открытый урок получил высокую оценку методического объединения; замечаний по ведению журнала нет; "
    "молодой педагог готов сам стать наставником обучающихся."
)


@dataclass
class DemoProgrammesResult:
    created: int = 0
    existing: int = 0
    pairs: int = 0
    meetings: int = 0
    plan_items: int = 0
    training_sessions: int = 0
    skipped_suggestions: list[str] = field(default_factory=list)


def _user(school: Organisation, *roles: str):
    """The first user of the school with one of the roles, in that order of preference."""
    for role in roles:
        membership = (
            Membership.objects.filter(organisation=school, role=role).select_related("user").order_by("user_id").first()
        )
        if membership is not None:
            return membership.user
    return None


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _programme(school, *, year, kind, title, starts_on, ends_on, curator, form_names) -> Programme:
    forms = list(MentoringForm.objects.filter(name__in=form_names))
    role_models = list(
        RoleModel.objects.filter(form__in=forms, name__in=[ROLE_MODELS[f.name] for f in forms if f.name in ROLE_MODELS])
    )
    programme = Programme(
        organisation=school,
        school_year=year,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        curator=curator,
    )
    return programme_save(programme=programme, forms=forms, role_models=role_models)


def _advance(programme: Programme, *, to: int, user, dates: dict[int, datetime.date]) -> None:
    """Moves the programme up to the stage ``to``, dating each transition as the story has it."""
    while programme.current_stage < to:
        transition = programme_advance(programme=programme, user=user)
        programme.current_stage = transition.to_stage
        day = dates.get(transition.to_stage)
        if day is not None:
            StageTransition.objects.filter(pk=transition.pk).update(moved_at=_aware(day, 10))


def _plan(pair: Pair, kind: str, rng: random.Random, *, done_share: float, start: datetime.date) -> int:
    """An individual plan of 4–6 items, the first ``done_share`` of them done; approved."""
    template = STUDENT_PLAN if kind == Programme.Kind.STUDENTS else TEACHER_PLAN
    count = rng.randint(4, 6)
    chosen = template[:2] + rng.sample(template[2:], count - 2)
    done = round(count * done_share)
    plan = IndividualPlan.objects.create(
        organisation=pair.organisation, pair=pair, goals=GOALS[kind], tasks=TASKS[kind]
    )
    items = []
    for position, (activity, work_form, expected) in enumerate(chosen, start=1):
        due_on = start + datetime.timedelta(days=14 * position + rng.randint(0, 6))
        items.append(
            PlanItem(
                organisation=pair.organisation,
                plan=plan,
                position=position,
                activity=activity,
                work_form=work_form,
                expected_result=expected,
                due_on=due_on,
                done=position <= done,
                done_on=due_on - datetime.timedelta(days=rng.randint(0, 5)) if position <= done else None,
            )
        )
    PlanItem.objects.bulk_create(items)
    plan_approve(plan=plan, user=None, on=start + datetime.timedelta(days=7))
    return len(items)


def _meetings(pair: Pair, mentee_ids, rng, *, user, start, last_day, regular, final=False) -> int:
    """Introduction, planning, then a regular meeting every 2–3 weeks up to ``last_day``."""
    day = start + datetime.timedelta(days=rng.randint(0, 3))
    schedule = [(Meeting.Kind.INTRODUCTION, day, INTRODUCTION)]
    day += datetime.timedelta(days=rng.randint(6, 9))
    schedule.append((Meeting.Kind.PLANNING, day, PLANNING))
    topics = rng.sample(regular, len(regular))
    # Every 2–2.5 weeks: a pair that keeps meeting never looks silent for three weeks.
    regular_until = last_day - datetime.timedelta(days=7) if final else last_day
    while True:
        day += datetime.timedelta(days=rng.randint(14, 18))
        if day > regular_until:
            break
        schedule.append((Meeting.Kind.REGULAR, day, topics[len(schedule) % len(topics)]))
    if final:
        schedule.append((Meeting.Kind.FINAL, last_day, FINAL))
    for kind, day, (topic, notes) in schedule:
        if day > last_day:
            continue
        while day.weekday() >= 5 and day > pair.starts_on:  # meetings are on school days
            day -= datetime.timedelta(days=1)
        meeting_log(
            pair=pair,
            user=user,
            kind=kind,
            starts_at=_aware(day, rng.choice(MEETING_HOURS), rng.choice((0, 30))),
            duration_minutes=rng.choice((30, 40, 45, 60)),
            format=Meeting.Format.ONLINE if rng.random() < 0.15 else Meeting.Format.IN_PERSON,
            topic=topic,
            notes=notes,
            usefulness=rng.randint(6, 10),
            attendee_ids=mentee_ids,
        )
    return len([1 for _, day, _ in schedule if day <= last_day])


def _add_demo_mentor(school: Organisation, year: int, curator) -> None:
    """The demo «mentor» user's staff record joins the register, so that «Мои пары» is not empty."""
    person = Person.objects.filter(organisation=school, user__username="mentor").first()
    if person is None or MentorEntry.objects.filter(person=person, school_year=year).exists():
        return
    if not Person.objects.filter(pk=person.pk).filter(valid_consent_exists()).exists():
        consent_record(
            organisation=school,
            person=person,
            purpose=ConsentPurpose.PARTICIPATION,
            signed_on=datetime.date(year, 9, 7),
            signed_by_subject=True,
            user=curator,
        )
    bases_add_people(organisation=school, person_ids=[person.pk], base=BASE_MENTOR, school_year=year, user=curator)
    entry = MentorEntry.objects.get(person=person, school_year=year)
    entry.capacity, entry.competencies = 2, MENTOR_USER_COMPETENCIES
    entry.save(update_fields=["capacity", "competencies"])
    mentor_set_status(entry=entry, status=MentorEntry.Status.APPROVED, user=curator, on=datetime.date(year, 9, 21))


def _matched_pairs(
    programme: Programme, form: MentoringForm, *, mentor_category: str, starts_on: datetime.date, user, result
) -> list[Pair]:
    """Pairs from the engine's suggestions for the form among mentors of one category and the
    mentees not yet in a pair; a suggestion that breaks a rule of ``pair_form`` is skipped."""
    school, year = programme.organisation, programme.school_year
    mentees, mentors = profiles_for_year(organisation=school, school_year=year, form=form)
    busy = set(programme.pairs.values_list("pair_mentees__mentee_id", flat=True))
    mentees = [m for m in mentees if m.person_id not in busy]
    mentors = [m for m in mentors if m.category == mentor_category]
    matched = suggest(mentees, mentors, programme_weights(programme=programme), form_id=form.pk)
    people = {p.pk: p for p in Person.objects.filter(pk__in=[m.person_id for m in [*mentees, *mentors]])}
    role_model = RoleModel.objects.filter(form=form, name=ROLE_MODELS.get(form.name, "")).first()
    pairs = []
    for suggestion in matched.suggestions:
        mentor, mentee = people[suggestion.mentor.person_id], people[suggestion.mentee.person_id]
        try:
            with transaction.atomic():
                pair = pair_form(
                    programme=programme,
                    mentor=mentor,
                    mentees=[mentee],
                    form=form,
                    role_model=role_model,
                    starts_on=starts_on,
                    planned_end_on=programme.ends_on,
                    user=user,
                )
        except ValidationError as error:
            result.skipped_suggestions += [f"{school.slug}: {message}" for message in error.messages]
            continue
        pairs.append(pair)
    return pairs


def _training(programme: Programme, sessions, *, today: datetime.date, rng: random.Random, result) -> None:
    """A «Школа наставника» group of the register's mentors with its sessions held so far."""
    school, year = programme.organisation, programme.school_year
    mentors = MentorEntry.objects.filter(organisation=school, school_year=year, status__in=REGISTER_STATUSES)
    if programme.kind == Programme.Kind.TEACHERS:
        mentors = mentors.filter(person__category=Person.Category.TEACHER)
    mentor_ids = list(mentors.order_by("person_id").values_list("person_id", flat=True))
    group = training_group_save(
        programme=programme, title=f"Школа наставника — {year}", sessions_target=10, member_ids=mentor_ids
    )
    for (month, day), topic, format_name in sessions:
        held_on = datetime.date(year, month, day)
        if held_on > today:
            continue
        training_session_save(
            group=group,
            held_on=held_on,
            topic=topic,
            expert=TRAINING_EXPERT,
            format=TRAINING_FORMATS[format_name],
            attendee_ids=[pk for pk in mentor_ids if rng.random() < 0.85],
        )
        result.training_sessions += 1


def _approve(pairs: list[Pair], *, director, order: str, on: datetime.date) -> list[Pair]:
    """Approves the pairs by the order, dated the order's day; returns them approved."""
    approved = [pair_approve(pair=pair, user=director, order_label=order) for pair in pairs]
    Pair.objects.filter(pk__in=[p.pk for p in approved]).update(approved_at=_aware(on, 12))
    return approved


def _stage_dates(year: int, *, intensive: bool = False) -> dict[int, datetime.date]:
    """When the programme reached each stage; an intensive one is paired by mid-September."""
    if intensive:
        days = [(9, 2), (9, 4), (9, 7), (9, 10), (9, 14), (11, 20)]
        return {stage: datetime.date(year, m, d) for stage, (m, d) in zip(range(2, 8), days, strict=True)}
    return {
        Stage.MENTEE_BASE: datetime.date(year, 9, 7),
        Stage.MENTOR_BASE: datetime.date(year, 9, 14),
        Stage.MENTOR_TRAINING: datetime.date(year, 9, 21),
        Stage.PAIRING: datetime.date(year, 9, 28),
        Stage.PAIR_WORK: datetime.date(year, 10, 5),
        Stage.COMPLETION: datetime.date(year, 11, 20),
    }


def _mid_year(school: Organisation, year: int, today: datetime.date, rng: random.Random, result) -> None:
    curator = _user(school, Role.CURATOR, Role.DEPUTY_DIRECTOR, Role.DIRECTOR)
    director = _user(school, Role.DIRECTOR) or curator
    dates = _stage_dates(year)
    programme = _programme(
        school,
        year=year,
        kind=Programme.Kind.STUDENTS,
        title=f"Программа наставничества обучающихся «Шаг вперёд» на {year}/{year + 1} учебный год",
        starts_on=datetime.date(year, 9, 1),
        ends_on=datetime.date(year + 1, 5, 31),
        curator=curator,
        form_names=STUDENT_FORMS,
    )
    _advance(programme, to=Stage.MENTOR_TRAINING, user=curator, dates=dates)
    _add_demo_mentor(school, year, curator)
    _training(programme, TRAINING_SESSIONS, today=today, rng=rng, result=result)
    _advance(programme, to=Stage.PAIRING, user=curator, dates=dates)

    # Student mentors first (the engine would give every mentee to a teacher), then teachers.
    starts_on = datetime.date(year, 10, 5)
    pairs = []
    for form_name, category in (
        ("ученик – ученик", Person.Category.STUDENT),
        ("учитель – ученик", Person.Category.TEACHER),
    ):
        form = MentoringForm.objects.get(name=form_name)
        pairs += _matched_pairs(
            programme, form, mentor_category=category, starts_on=starts_on, user=curator, result=result
        )
    pairs = _approve(pairs, director=director, order=ORDER_LABEL.format(year=year), on=datetime.date(year, 10, 1))
    neglected = set(rng.sample([p.pk for p in pairs], min(NEGLECTED_PAIRS, len(pairs))))
    for pair in pairs:
        done_share = 0.3 if pair.pk in neglected else 0.5
        result.plan_items += _plan(pair, programme.kind, rng, done_share=done_share, start=pair.starts_on)
    _advance(programme, to=Stage.PAIR_WORK, user=curator, dates=dates)

    pairs = [pair_activate(pair=pair, user=curator) for pair in pairs]
    yesterday = today - datetime.timedelta(days=1)
    for pair in pairs:
        # A neglected pair met in its first fortnight and then stopped.
        last_day = min(yesterday, datetime.date(year, 10, 16)) if pair.pk in neglected else yesterday
        result.meetings += _meetings(
            pair,
            list(pair.pair_mentees.values_list("mentee_id", flat=True)),
            rng,
            user=curator,
            start=pair.starts_on,
            last_day=last_day,
            regular=REGULAR_STUDENTS,
        )
    # One neglected pair met only at its introduction: silent for over 60 days by December, the
    # curator is offered on its page to close it with a reason or to re-pair it.
    if neglected:
        later = Meeting.objects.filter(pair_id=min(neglected)).exclude(kind=Meeting.Kind.INTRODUCTION)
        result.meetings -= later.count()
        later.delete()
    result.pairs += len(pairs)


def _at_start(school: Organisation, year: int, result) -> None:
    curator = _user(school, Role.CURATOR, Role.DEPUTY_DIRECTOR, Role.DIRECTOR)
    programme = _programme(
        school,
        year=year,
        kind=Programme.Kind.STUDENTS,
        title=f"Программа наставничества обучающихся на {year}/{year + 1} учебный год",
        starts_on=datetime.date(year, 9, 1),
        ends_on=datetime.date(year + 1, 5, 31),
        curator=curator,
        form_names=STUDENT_FORMS,
    )
    _advance(programme, to=Stage.MENTEE_BASE, user=curator, dates=_stage_dates(year))


def _finished(school: Organisation, year: int, today: datetime.date, rng: random.Random, result) -> None:
    curator = _user(school, Role.CURATOR, Role.DEPUTY_DIRECTOR, Role.DIRECTOR)
    director = _user(school, Role.DIRECTOR) or curator
    dates = _stage_dates(year, intensive=True)
    ends_on = min(datetime.date(year, 11, 20), timezone.localdate())
    programme = _programme(
        school,
        year=year,
        kind=Programme.Kind.TEACHERS,
        title=f"Программа наставничества педагогов «Первые шаги в профессии» на {year}/{year + 1} учебный год",
        starts_on=datetime.date(year, 9, 1),
        ends_on=max(ends_on, datetime.date(year, 9, 30)),
        curator=curator,
        form_names=[TEACHER_FORM],
    )
    _advance(programme, to=Stage.MENTOR_TRAINING, user=curator, dates=dates)
    _training(programme, INTENSIVE_SESSIONS, today=today, rng=rng, result=result)
    _advance(programme, to=Stage.PAIRING, user=curator, dates=dates)
    starts_on = datetime.date(year, 9, 14)
    form = MentoringForm.objects.get(name=TEACHER_FORM)
    pairs = _matched_pairs(
        programme, form, mentor_category=Person.Category.TEACHER, starts_on=starts_on, user=curator, result=result
    )
    pairs = _approve(pairs, director=director, order=f"№ 38-ОД от 11.09.{year}", on=datetime.date(year, 9, 11))
    for pair in pairs:
        result.plan_items += _plan(pair, programme.kind, rng, done_share=1.0, start=starts_on)
    _advance(programme, to=Stage.PAIR_WORK, user=curator, dates=dates)

    closed_on = programme.ends_on
    pairs = [pair_activate(pair=pair, user=curator) for pair in pairs]
    for pair in pairs:
        result.meetings += _meetings(
            pair,
            list(pair.pair_mentees.values_list("mentee_id", flat=True)),
            rng,
            user=curator,
            start=starts_on,
            last_day=closed_on,
            regular=REGULAR_TEACHERS,
            final=True,
        )
    _advance(programme, to=Stage.COMPLETION, user=curator, dates=dates)

    for pair in pairs:
        pair_close(pair=pair, outcome=Pair.Outcome.COMPLETED, closed_on=closed_on, user=curator)
    if pairs:
        best = pairs[0]
        for person in [best.mentor, *best.mentees.all()]:
            published = Person.objects.filter(pk=person.pk).filter(
                valid_consent_exists(purpose=ConsentPurpose.PUBLICATION)
            )
            if not published.exists():
                consent_record(
                    organisation=school,
                    person=person,
                    purpose=ConsentPurpose.PUBLICATION,
                    signed_on=starts_on,
                    signed_by_subject=True,
                    user=curator,
                )
        pair_case_save(pair=best, description=CASE_DESCRIPTION, results=CASE_RESULTS, user=curator)
    result.pairs += len(pairs)


def demo_mid_year_programme(*, school: Organisation, today: datetime.date | None = None) -> DemoProgrammesResult:
    """school-1's story (stage 6: matched pairs, plans half done, meetings) on any school with a
    curator and bases for the year: the benchmark measures the programme pages on it."""
    today = today or timezone.localdate()
    result = DemoProgrammesResult()
    rng = random.Random(f"{DEMO_SEED}-programme-{school.slug}")  # noqa: S311 - demo data, not secrets
    with transaction.atomic():
        _mid_year(school, current_school_year(today), today, rng, result)
    result.created = 1
    return result


def demo_programmes(*, schools, today: datetime.date | None = None) -> DemoProgrammesResult:
    """Creates the demo programme of each school (by slug: school-1, school-2, school-3) that has
    none for the current school year; other schools are left alone."""
    today = today or timezone.localdate()
    year = current_school_year(today)
    result = DemoProgrammesResult()
    with transaction.atomic():
        for school in sorted(schools, key=lambda s: s.slug):
            if school.slug not in {MID_YEAR, AT_START, FINISHED}:
                continue
            if Programme.objects.filter(organisation=school, school_year=year).exists():
                result.existing += 1
                continue
            # Demo data, not secrets: a seeded non-cryptographic generator is what we want.
            rng = random.Random(f"{DEMO_SEED}-programme-{school.slug}")  # noqa: S311
            if school.slug == MID_YEAR:
                _mid_year(school, year, today, rng, result)
            elif school.slug == AT_START:
                _at_start(school, year, result)
            else:
                _finished(school, year, today, rng, result)
            result.created += 1
    return result


def demo_year_change(*, schools, today: datetime.date | None = None) -> int:
    """school-3 (its programme finished) prepares the next school year: a draft «Новый учебный год»
    with its new class list compared (every class one up, two students gone, a newcomer, a typo).
    Nothing is applied. Returns how many drafts were made (0 on a second run)."""
    today = today or timezone.localdate()
    to_year = current_school_year(today) + 1
    made = 0
    for school in schools:
        if school.slug != FINISHED or YearChange.objects.filter(organisation=school, to_year=to_year).exists():
            continue
        students = list(
            school.people.filter(category=Person.Category.STUDENT, grade__isnull=False, left_on__isnull=True).order_by(
                "last_name", "first_name", "pk"
            )
        )
        if not students:
            continue
        last = max(person.grade for person in students)
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["ФИО", "Класс", "Дата рождения"])
        for n, person in enumerate(p for p in students if p.grade < last):
            if n in (1, 2):  # moved away over the summer
                continue
            first = person.first_name[:-1] if n == 3 and len(person.first_name) > 3 else person.first_name
            letter = person.class_letter if n != 4 else ("Б" if person.class_letter != "Б" else "А")
            sheet.append(
                [f"{person.last_name} {first} {person.patronymic}", f"{person.grade + 1}{letter}", person.birth_date]
            )
        sheet.append(["Новикова Анна Сергеевна", "1А", datetime.date(to_year - 7, 3, 14)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        change = year_change_start(organisation=school, user=None, to_year=to_year)
        year_change_upload(
            change=change, uploaded_files=[SimpleUploadedFile("Списки классов.xlsx", buffer.getvalue())], user=None
        )
        made += 1
    return made
