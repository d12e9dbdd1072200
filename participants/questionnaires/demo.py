"""Demo questionnaires that tell the same story as the demo programmes (mentorship/demo.py).

- school-1 is mid-year: in September its mentors answered «Чем я могу быть полезен…» and its
  student mentees the needs questionnaire; after the meetings of October and November the
  mentees of the working pairs gave interim feedback. Two external mentors never answered, and
  the mentees of pairs that stopped meeting left the November link unused, so «Кто не ответил»
  has rows.
- school-3 is finished: its mentors and young teachers answered the entry questionnaires in
  September and the exit ones in the last week of the programme, with the growth a real
  programme hopes for (entry against exit, satisfaction).

Sending and answering go through participants.questionnaires.services (consents are checked,
profiles are filled as from a real answer); the times are then moved back to when the story has
them, never later than now. Pairs are mentorship's (an app above this one), so the caller
passes them in as DemoPair. A school that already has invitations is skipped, so running
``load_demo`` again adds nothing. Each school has its own seeded ``random.Random``.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from organisations.models import Membership, Organisation
from organisations.roles import Role
from participants.models import Invitation, MenteeEntry, MentorEntry, Person, Question, QuestionnaireTemplate, Response

from .services import invitations_send, questionnaire_template_create, response_save, templates_for

DEMO_SEED = 2026
MID_YEAR, FINISHED = "school-1", "school-3"

Audience = QuestionnaireTemplate.Audience
Phase = QuestionnaireTemplate.Phase
Kind = Question.Kind

# How long a link lives in the story: answered ones are long closed, unused ones may have expired.
LINK_DAYS = 21
SEND_HOURS = (9, 10, 11)
ANSWER_HOURS = (15, 16, 17, 18, 19, 20)

# The standard questionnaires by their question texts (participants/migrations/0006_seed_questionnaires.py).
MENTOR_ENTRY = {
    "areas": "В каких областях вы готовы делиться опытом?",
    "whom": "С кем вам было бы интереснее работать?",
    "time": "Сколько времени в неделю вы готовы уделять наставничеству?",
    "experience": "Был ли у вас опыт наставничества?",
    "confidence": "Насколько вы уверены в своих силах как наставник?",
    "help": "Какая помощь куратора вам понадобится?",
}
STUDENT_ENTRY = {
    "help": "С чем вам нужна помощь?",
    "subject": "Какой предмет или тема даётся вам труднее всего?",
    "interest": "Насколько вам сейчас интересно учиться?",
    "confidence": "Насколько уверенно вы чувствуете себя в школе?",
    "who": "Кто мог бы стать вашим наставником?",
    "expect": "Чего вы ждёте от занятий с наставником?",
}
TEACHER_ENTRY = {
    "support": "В чём вам нужна поддержка?",
    "lesson": "Насколько уверенно вы ведёте урок?",
    "parents": "Насколько легко вам общаться с родителями учеников?",
    "work": "Насколько вы удовлетворены работой в школе?",
    "visit": "Хотели бы вы посещать уроки наставника?",
    "change": "Что вы хотели бы изменить в своей работе за этот год?",
}
INTERIM = {
    "useful": "Насколько полезной была встреча?",
    "comfort": "Было ли вам комфортно на встрече?",
    "done": "Удалось ли сделать то, что планировали?",
    "best": "Что было самым полезным?",
    "change": "Что стоит изменить на следующей встрече?",
}
MENTOR_EXIT = {
    "satisfied": "Насколько вы довольны участием в программе наставничества?",
    "progress": "Насколько наставляемый продвинулся к своим целям?",
    "time": "Насколько вам хватало времени на встречи?",
    "curator": "Насколько полезной была поддержка куратора?",
    "confidence": "Насколько вы уверены в своих силах как наставник?",
    "continue": "Готовы ли вы продолжить наставничество в следующем году?",
    "improve": "Что стоит улучшить в программе?",
}
TEACHER_EXIT = {
    "satisfied": "Насколько вы довольны участием в программе наставничества?",
    "helped": "Насколько наставник помог вам достичь ваших целей?",
    "lesson": TEACHER_ENTRY["lesson"],
    "parents": TEACHER_ENTRY["parents"],
    "work": TEACHER_ENTRY["work"],
    "mentor": "Хотели бы вы сами стать наставником?",
    "memory": "Что вам больше всего запомнилось?",
}
# The standard set has no exit questionnaire for young teachers: school-3 made its own, with the
# entry questionnaire's items worded the same so that entry against exit compares them.
TEACHER_EXIT_TITLE = "Итоговая анкета молодого педагога"
TEACHER_EXIT_QUESTIONS = [
    (TEACHER_EXIT["satisfied"], Kind.SCALE_10, True),
    (TEACHER_EXIT["helped"], Kind.SCALE_10, True),
    (TEACHER_EXIT["lesson"], Kind.SCALE_10, True),
    (TEACHER_EXIT["parents"], Kind.SCALE_10, True),
    (TEACHER_EXIT["work"], Kind.SCALE_10, True),
    (TEACHER_EXIT["mentor"], Kind.YES_NO, True),
    (TEACHER_EXIT["memory"], Kind.LONG_TEXT, False),
]

# --- What people answer ------------------------------------------------------------------------

MENTOR_AREAS = [
    "подготовка к олимпиадам и конкурсам",
    "проектная и исследовательская деятельность",
    "профориентация, знакомство с профессией",
]
CURATOR_HELP = [
    "Помочь составить индивидуальный план.",
    "Методические материалы для первых встреч.",
    "Согласовать время встреч с расписанием уроков.",
    "Пока не знаю, обращусь по ходу работы.",
    "Подсказать, как говорить с родителями наставляемого.",
]
# A mentee's base entry says what the curator learnt; the answers agree with it.
STUDENT_NEEDS = {
    # need: (what they ask help with, the hardest subject, what they expect)
    "трудности с математикой": (
        ["с учёбой по отдельным предметам"],
        ["математика, дроби", "уравнения", "геометрия"],
        ["Хочу лучше понимать математику и не бояться контрольных.", "Разобраться с задачами, которые не получаются."],
    ),
    "низкая мотивация к учёбе": (
        ["с учёбой по отдельным предметам", "с выбором профессии"],
        ["русский язык", "физика", "всё понемногу"],
        ["Понять, зачем мне это всё нужно.", "Чтобы было с кем посоветоваться."],
    ),
    "адаптация после перехода в новую школу": (
        ["с общением в классе"],
        ["английский язык", "история"],
        ["Найти друзей и освоиться в классе.", "Чтобы было с кем посоветоваться."],
    ),
    "интерес к исследовательским проектам": (
        ["с проектом или исследованием", "с участием в олимпиадах и конкурсах"],
        ["", "химия"],
        ["Сделать проект и выступить с ним.", "Подготовиться к олимпиаде."],
    ),
}
STUDENT_EXTRA_HELP = ["с подготовкой к экзаменам", "с выбором профессии", "с участием в олимпиадах и конкурсах"]
TEACHER_NEEDS = {
    "дисциплина на уроке": ["дисциплина на уроке"],
    "подготовка рабочих программ": ["планирование уроков", "ведение документации"],
    "работа с родителями": ["работа с родителями"],
}
TEACHER_EXTRA_SUPPORT = [
    "оценивание",
    "ведение документации",
    "работа с детьми с особыми образовательными потребностями",
]
TEACHER_CHANGE = [
    "Научиться держать темп урока и успевать всё запланированное.",
    "Спокойнее разговаривать с родителями.",
    "Меньше времени тратить на документацию.",
    "Провести открытый урок.",
]
INTERIM_BEST = [
    "Разобрали задачи, которые не получались",
    "Составили план на неделю",
    "Поговорили о профессиях",
    "Наставник объяснил тему по-другому, стало понятно",
    "Работали над проектом",
    "Решали олимпиадные задачи",
]
INTERIM_CHANGE = [
    "Встречаться чаще",
    "Больше практики",
    "Встречаться после уроков, а не на перемене",
    "Ничего менять не надо",
]
MENTOR_IMPROVE = [
    "Больше времени на встречи в расписании.",
    "Общие встречи наставников раз в месяц, чтобы делиться опытом.",
    "Заранее планировать открытые уроки.",
]
TEACHER_MEMORY = [
    "Разбор моих уроков: наставник замечал то, чего я сама не видела.",
    "Подготовка открытого урока вместе с наставником.",
    "Первое родительское собрание, которое прошло спокойно.",
    "Поддержка в первые недели, когда всё было непривычно.",
]


@dataclass(frozen=True)
class DemoPair:
    """What the questionnaires need to know of a demo pair or group."""

    mentor_id: int
    mentee_ids: tuple[int, ...]
    meeting_days: tuple[datetime.date, ...]  # the days it met, in order


@dataclass
class DemoQuestionnairesResult:
    invitations: int = 0
    responses: int = 0
    schools_existing: int = 0
    templates_created: int = 0


@dataclass
class _Story:
    """One school's run: its generator, clock and what it has sent and answered."""

    school: Organisation
    rng: random.Random
    now: datetime.datetime
    year: int
    user: object
    result: DemoQuestionnairesResult
    entry_answers: dict[tuple[str, int], dict[str, object]] = field(default_factory=dict)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        """That moment of the school's time zone, but never later than a few minutes ago."""
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        return min(moment, self.now - datetime.timedelta(minutes=5))


def _user(school: Organisation):
    """Who sends the questionnaires: the school's curator, else its deputy or director, else nobody."""
    for role in (Role.CURATOR, Role.DEPUTY_DIRECTOR, Role.DIRECTOR):
        membership = (
            Membership.objects.filter(organisation=school, role=role).select_related("user").order_by("user_id").first()
        )
        if membership is not None:
            return membership.user
    return None


def _template(school: Organisation, *, audience: str, phase: str) -> QuestionnaireTemplate | None:
    """The current questionnaire of the audience and phase: the school's own version first, else the standard one."""
    candidates = (
        templates_for(organisation=school)
        .filter(audience=audience, phase=phase, is_current=True)
        .prefetch_related("questions")
    )
    own = [t for t in candidates if t.organisation_id is not None]
    standard = [t for t in candidates if t.organisation_id is None]
    replaced = {t.replaces_id for t in own}
    chosen = sorted(own, key=lambda t: -t.pk) or [
        t for t in sorted(standard, key=lambda t: t.pk) if t.pk not in replaced
    ]
    return chosen[0] if chosen else None


def _teacher_exit_template(story: _Story) -> QuestionnaireTemplate:
    template = _template(story.school, audience=Audience.TEACHER_MENTEE, phase=Phase.EXIT)
    if template is not None:
        return template
    story.result.templates_created += 1
    return questionnaire_template_create(
        organisation=story.school,
        title=TEACHER_EXIT_TITLE,
        audience=Audience.TEACHER_MENTEE,
        phase=Phase.EXIT,
        questions=[
            {"text": text, "kind": kind, "required": required, "choices": []}
            for text, kind, required in TEACHER_EXIT_QUESTIONS
        ],
    )


def _by_id(template: QuestionnaireTemplate, answers: dict[str, object]) -> dict[str, object]:
    """{question text: value} as stored ({str(question id): value}); a school's own wording that
    differs is left unanswered, an optional question not answered is stored empty as the form does."""
    stored = {}
    for question in template.questions.all():
        value = answers.get(question.text)
        if value is None:
            value = [] if question.kind == Kind.MULTIPLE else ""
        stored[str(question.pk)] = value
    return stored


def _survey(
    story: _Story,
    template: QuestionnaireTemplate | None,
    *,
    people: list[Person],
    sent_on: datetime.date,
    answers: dict[int, tuple[datetime.date, dict[str, object]] | None],
    repeat: bool = False,
) -> None:
    """Sends the template to the people on ``sent_on``; those with answers submit them on their day.

    ``answers`` maps a person's id to (day answered, {question text: value}), or None for a link
    left unused. A survey the story has not reached yet (sent after today) is not sent.
    """
    if template is None or not people or sent_on > story.today:
        return
    sent, _ = invitations_send(
        organisation=story.school,
        template=template,
        people=people,
        expires_at=story.now + datetime.timedelta(days=1),
        user=story.user,
        repeat=repeat,
    )
    invitations, responses = [], []
    for item in sent:
        invitation = item.invitation
        invitation.created_at = story.at(sent_on, story.rng.choice(SEND_HOURS), story.rng.choice((0, 15, 30, 45)))
        # An unused link of an old survey has expired by now, as it would have.
        invitation.expires_at = invitation.created_at + datetime.timedelta(days=LINK_DAYS)
        answer = answers.get(invitation.person_id)
        if answer is not None:
            day, values = answer
            response = response_save(invitation=invitation, answers=_by_id(template, values), submit=True)
            answered_at = max(
                story.at(day, story.rng.choice(ANSWER_HOURS), story.rng.randint(0, 59)),
                invitation.created_at + datetime.timedelta(minutes=story.rng.randint(20, 240)),
            )
            answered_at = min(answered_at, story.now - datetime.timedelta(minutes=1))
            invitation.answered_at = answered_at
            response.submitted_at = response.updated_at = answered_at
            responses.append(response)
            story.result.responses += 1
        invitations.append(invitation)
    Invitation.objects.bulk_update(invitations, ["created_at", "expires_at", "answered_at"])
    Response.objects.bulk_update(responses, ["submitted_at", "updated_at"])
    story.result.invitations += len(invitations)


def _day_between(rng: random.Random, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, days))


def _scale(rng: random.Random, low: int, high: int) -> int:
    return max(1, min(10, rng.randint(low, high)))


# --- Entry questionnaires ------------------------------------------------------------------------


def _mentor_entry_answers(story: _Story, entry: MentorEntry) -> dict[str, object]:
    rng, person = story.rng, entry.person
    teacher = person.category == Person.Category.TEACHER
    experienced = teacher and (person.experience_years or 0) >= 10
    if story.school.slug == FINISHED and teacher:
        whom = ["с молодыми педагогами"] + (
            ["с педагогами, сменившими предмет или школу"] if rng.random() < 0.4 else []
        )
    else:
        whom = rng.sample(
            ["с успевающими обучающимися", "с обучающимися, которым трудно учиться", "с одарёнными обучающимися"],
            rng.randint(1, 2),
        )
    areas = entry.competencies.strip() or rng.choice(MENTOR_AREAS)
    answers = {
        MENTOR_ENTRY["areas"]: areas[:1].upper() + areas[1:],
        MENTOR_ENTRY["whom"]: whom,
        MENTOR_ENTRY["time"]: rng.choice(
            ["1–2 часа", "1–2 часа", "3–4 часа"] if not teacher else ["до 1 часа", "1–2 часа"]
        ),
        MENTOR_ENTRY["experience"]: rng.random() < (0.7 if experienced else 0.2),
        MENTOR_ENTRY["confidence"]: _scale(rng, 6, 8) if experienced else _scale(rng, 4, 7),
    }
    if rng.random() < 0.5:
        answers[MENTOR_ENTRY["help"]] = rng.choice(CURATOR_HELP)
    story.entry_answers[(Audience.MENTOR, person.pk)] = answers
    return answers


def _student_entry_answers(story: _Story, entry: MenteeEntry) -> dict[str, object]:
    rng = story.rng
    helps, subjects, expectations = STUDENT_NEEDS.get(
        entry.needs.strip(), (["с учёбой по отдельным предметам"], [""], ["Чтобы было с кем посоветоваться."])
    )
    helps = list(helps) + ([rng.choice(STUDENT_EXTRA_HELP)] if rng.random() < 0.3 else [])
    unmotivated = "мотивац" in entry.needs
    new_here = "адаптац" in entry.needs
    answers = {
        STUDENT_ENTRY["help"]: list(dict.fromkeys(helps)),
        STUDENT_ENTRY["subject"]: rng.choice(subjects),
        STUDENT_ENTRY["interest"]: _scale(rng, 2, 4) if unmotivated else _scale(rng, 4, 7),
        STUDENT_ENTRY["confidence"]: _scale(rng, 2, 4) if new_here else _scale(rng, 4, 7),
        STUDENT_ENTRY["who"]: rng.choice(["ученик постарше", "учитель", "учитель", "не знаю"]),
    }
    if rng.random() < 0.6:
        answers[STUDENT_ENTRY["expect"]] = rng.choice(expectations)
    story.entry_answers[(Audience.STUDENT_MENTEE, entry.person_id)] = answers
    return answers


def _teacher_entry_answers(story: _Story, entry: MenteeEntry) -> dict[str, object]:
    rng = story.rng
    support = list(TEACHER_NEEDS.get(entry.needs.strip(), ["планирование уроков"]))
    if rng.random() < 0.5:
        support.append(rng.choice(TEACHER_EXTRA_SUPPORT))
    answers = {
        TEACHER_ENTRY["support"]: list(dict.fromkeys(support)),
        TEACHER_ENTRY["lesson"]: _scale(rng, 3, 6),
        TEACHER_ENTRY["parents"]: _scale(rng, 3, 6),
        TEACHER_ENTRY["work"]: _scale(rng, 5, 7),
        TEACHER_ENTRY["visit"]: rng.random() < 0.9,
        TEACHER_ENTRY["change"]: rng.choice(TEACHER_CHANGE),
    }
    story.entry_answers[(Audience.TEACHER_MENTEE, entry.person_id)] = answers
    return answers


def _mentee_survey(story: _Story, *, category: str, audience: str, sent_on: datetime.date) -> None:
    """The needs questionnaire to the year's mentee base of the category: everyone answers within a week."""
    mentees = list(
        MenteeEntry.objects.filter(organisation=story.school, school_year=story.year, person__category=category)
        .exclude(status=MenteeEntry.Status.LEFT)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person_id")
    )
    entry_answers = _teacher_entry_answers if audience == Audience.TEACHER_MENTEE else _student_entry_answers
    _survey(
        story,
        _template(story.school, audience=audience, phase=Phase.ENTRY),
        people=[entry.person for entry in mentees],
        sent_on=sent_on,
        answers={e.person_id: (_day_between(story.rng, sent_on, 6), entry_answers(story, e)) for e in mentees},
    )


def _mentor_entries(story: _Story, *, teachers_only: bool) -> list[MentorEntry]:
    mentors = MentorEntry.objects.filter(organisation=story.school, school_year=story.year).exclude(
        status=MentorEntry.Status.LEFT
    )
    if teachers_only:
        mentors = mentors.filter(person__category=Person.Category.TEACHER)
    return list(mentors.select_related("person").order_by("person__last_name", "person__first_name", "person_id"))


def _mentor_survey(story: _Story, mentors: list[MentorEntry], *, sent_on: datetime.date, silent: set[int]) -> None:
    """«Чем я могу быть полезен» to the year's mentor base; the ``silent`` ones never answer."""
    answers = {}
    for entry in mentors:
        values = _mentor_entry_answers(story, entry)
        day = _day_between(story.rng, sent_on, 8)
        answers[entry.person_id] = None if entry.person_id in silent else (day, values)
    _survey(
        story,
        _template(story.school, audience=Audience.MENTOR, phase=Phase.ENTRY),
        people=[entry.person for entry in mentors],
        sent_on=sent_on,
        answers=answers,
    )


# --- The two stories -------------------------------------------------------------------------------


def _interim_answers(rng: random.Random) -> dict[str, object]:
    answers = {
        INTERIM["useful"]: rng.choices([3, 4, 5], weights=[1, 4, 5])[0],
        INTERIM["comfort"]: rng.choices([3, 4, 5], weights=[1, 3, 6])[0],
        INTERIM["done"]: rng.choices(["да", "частично", "нет"], weights=[13, 6, 1])[0],
    }
    if rng.random() < 0.7:
        answers[INTERIM["best"]] = rng.choice(INTERIM_BEST)
    if rng.random() < 0.3:
        answers[INTERIM["change"]] = rng.choice(INTERIM_CHANGE)
    return answers


def _interim_round(story: _Story, template, pairs: list[DemoPair], *, sent_on: datetime.date, window_days: int):
    """Interim feedback after a meeting: a mentee answers the day after the pair's first meeting
    near the survey; a pair that has not met since leaves the link unused, and so do a few others.
    A repeated survey: whoever still holds the last round's unused link gets no second one."""
    rng = story.rng
    answers = {}
    for pair in pairs:
        near = [
            day
            for day in pair.meeting_days
            if sent_on - datetime.timedelta(days=7) <= day <= sent_on + datetime.timedelta(days=window_days)
        ]
        for mentee_id in pair.mentee_ids:
            if not near or rng.random() < 0.08:
                answers[mentee_id] = None
                continue
            day = max(sent_on, near[0] + datetime.timedelta(days=1))
            answers[mentee_id] = (min(day, story.today), _interim_answers(rng))
    people = list(Person.objects.filter(organisation=story.school, pk__in=list(answers)))
    _survey(story, template, people=people, sent_on=sent_on, answers=answers, repeat=True)


def _mid_year(story: _Story, pairs: list[DemoPair]) -> None:
    year = story.year
    _mentee_survey(
        story, category=Person.Category.STUDENT, audience=Audience.STUDENT_MENTEE, sent_on=datetime.date(year, 9, 3)
    )
    # Two mentors outside the pairs (picked by the generator) never answered.
    mentors = _mentor_entries(story, teachers_only=False)
    paired = {pair.mentor_id for pair in pairs}
    unpaired = sorted(e.person_id for e in mentors if e.person_id not in paired)
    silent = set(story.rng.sample(unpaired, min(2, len(unpaired))))
    _mentor_survey(story, mentors, sent_on=datetime.date(year, 9, 9), silent=silent)

    template = _template(story.school, audience=Audience.STUDENT_MENTEE, phase=Phase.INTERIM)
    _interim_round(story, template, pairs, sent_on=datetime.date(year, 10, 19), window_days=12)
    _interim_round(story, template, pairs, sent_on=datetime.date(year, 11, 12), window_days=12)


def _finished(story: _Story, pairs: list[DemoPair]) -> None:
    year, rng = story.year, story.rng
    _mentee_survey(
        story, category=Person.Category.TEACHER, audience=Audience.TEACHER_MENTEE, sent_on=datetime.date(year, 9, 2)
    )
    _mentor_survey(story, _mentor_entries(story, teachers_only=True), sent_on=datetime.date(year, 9, 4), silent=set())

    # Exit questionnaires in the programme's last week, up to its final meeting.
    last_day = max((day for pair in pairs for day in pair.meeting_days), default=None)
    if last_day is None:
        return
    sent_on = last_day - datetime.timedelta(days=7)
    mentor_answers, mentee_answers = {}, {}
    for pair in pairs:
        entry = story.entry_answers.get((Audience.MENTOR, pair.mentor_id), {})
        confidence = entry.get(MENTOR_ENTRY["confidence"], 6)
        mentor_answers[pair.mentor_id] = (
            _day_between(rng, sent_on, 6),
            {
                MENTOR_EXIT["satisfied"]: _scale(rng, 8, 10),
                MENTOR_EXIT["progress"]: _scale(rng, 7, 10),
                MENTOR_EXIT["time"]: _scale(rng, 5, 8),
                MENTOR_EXIT["curator"]: _scale(rng, 7, 10),
                MENTOR_EXIT["confidence"]: _scale(rng, confidence + 1, confidence + 3),
                MENTOR_EXIT["continue"]: rng.random() < 0.85,
                MENTOR_EXIT["improve"]: rng.choice(MENTOR_IMPROVE) if rng.random() < 0.6 else "",
            },
        )
        for mentee_id in pair.mentee_ids:
            entry = story.entry_answers.get((Audience.TEACHER_MENTEE, mentee_id), {})
            mentee_answers[mentee_id] = (
                _day_between(rng, sent_on, 6),
                {
                    TEACHER_EXIT["satisfied"]: _scale(rng, 8, 10),
                    TEACHER_EXIT["helped"]: _scale(rng, 8, 10),
                    TEACHER_EXIT["lesson"]: _scale(rng, entry.get(TEACHER_ENTRY["lesson"], 5) + 2, 9),
                    TEACHER_EXIT["parents"]: _scale(rng, entry.get(TEACHER_ENTRY["parents"], 5) + 1, 9),
                    TEACHER_EXIT["work"]: _scale(rng, entry.get(TEACHER_ENTRY["work"], 6), 9),
                    TEACHER_EXIT["mentor"]: rng.random() < 0.4,
                    TEACHER_EXIT["memory"]: rng.choice(TEACHER_MEMORY),
                },
            )
    people = {
        p.pk: p for p in Person.objects.filter(organisation=story.school, pk__in=[*mentor_answers, *mentee_answers])
    }
    _survey(
        story,
        _template(story.school, audience=Audience.MENTOR, phase=Phase.EXIT),
        people=[people[pk] for pk in mentor_answers if pk in people],
        sent_on=sent_on,
        answers=mentor_answers,
    )
    _survey(
        story,
        _teacher_exit_template(story),
        people=[people[pk] for pk in mentee_answers if pk in people],
        sent_on=sent_on,
        answers=mentee_answers,
    )


def demo_questionnaires(
    *, schools, pairs: dict[str, list[DemoPair]], school_year: int, now: datetime.datetime | None = None
) -> DemoQuestionnairesResult:
    """Sends and answers the demo questionnaires of school-1 and school-3 (by slug; others are left
    alone); ``pairs`` are the pairs and groups of the school year by school slug. A school that has
    invitations already is skipped."""
    now = now or timezone.now()
    result = DemoQuestionnairesResult()
    with transaction.atomic():
        for school in sorted(schools, key=lambda s: s.slug):
            if school.slug not in {MID_YEAR, FINISHED}:
                continue
            if Invitation.objects.filter(organisation=school).exists():
                result.schools_existing += 1
                continue
            story = _Story(
                school=school,
                # Demo data, not secrets: a seeded non-cryptographic generator is what we want.
                rng=random.Random(f"{DEMO_SEED}-questionnaires-{school.slug}"),  # noqa: S311
                now=now,
                year=school_year,
                user=_user(school),
                result=result,
            )
            school_pairs = sorted(pairs.get(school.slug, []), key=lambda p: (p.mentor_id, p.mentee_ids))
            if school.slug == MID_YEAR:
                _mid_year(story, school_pairs)
            else:
                _finished(story, school_pairs)
    return result
