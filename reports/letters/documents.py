"""Thank-you letters (благодарственные письма) and a mentor's portfolio for certification.

Both are context builders for the PDF templates; their exporters (reports.letters.exporters)
render them and the views serve them. The portfolio reads everything in a fixed number of
queries, however many pairs the mentor has: pairs and their mentees, then one grouped query
each for plan items, meetings, the mentees' exit questionnaires, training, register entries and
encouragement orders.
"""

import dataclasses
import datetime

from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils import timezone

from mentorship.models import Meeting, Pair, PlanItem, TrainingAttendance, TrainingMember
from mentorship.selectors import COUNTED_PAIR_STATUSES
from mentorship.selectors_plans import fulfilment_percent, with_mentees
from organisations.declension import FEMALE, Case, declined_full_name, gender_of
from organisations.models import Organisation
from organisations.russian import agreeing, plural
from organisations.school_year import current_school_year, school_year_label
from participants.models import MentorEntry, PartnerOrganisation, Person, Question, QuestionnaireTemplate, Response
from participants.selectors_bases import REGISTER_STATUSES, school_year_bounds
from reports.orders.kinds import codes_where
from reports.orders.models import Order
from roadmap.deadlines import ru_date, short_date
from roadmap.texts import signature_of

MENTEE_AUDIENCES = (QuestionnaireTemplate.Audience.STUDENT_MENTEE, QuestionnaireTemplate.Audience.TEACHER_MENTEE)


# --- Common pieces ------------------------------------------------------------------------------


def salutation(person) -> str:
    """«Уважаемая Ольга Викторовна!»: the first name and patronymic stay in the nominative."""
    word = "Уважаемая" if gender_of(person) == FEMALE else "Уважаемый"
    name = " ".join(part for part in (person.first_name, person.patronymic) if part)
    return f"{word} {name}!"


def signature_context(organisation: Organisation) -> dict:
    """The director's block under a letter: «Директор МБОУ … ____ О.В. Кляпка»."""
    director = organisation.director_name
    return {
        "signer_position": organisation.director_position or "Директор",
        "signer_signature": signature_of(director) if director else "",
    }


def _mean_text(total: int, count: int) -> str | None:
    """«8,5» (one decimal, a decimal comma), None without values."""
    if not count:
        return None
    return f"{total / count:.1f}".replace(".", ",")


def can_be_processed(person: Person) -> bool:
    """False once the consent is withdrawn (processing blocked) or the data are anonymised."""
    return person.processing_blocked_at is None and person.anonymised_at is None


# --- Thank-you letters ---------------------------------------------------------------------------


def _letter_mentees(*, organisation: Organisation, person: Person, school_year: int):
    return Person.objects.filter(
        organisation=organisation,
        mentee_pairs__mentor=person,
        mentee_pairs__programme__school_year=school_year,
        mentee_pairs__status__in=COUNTED_PAIR_STATUSES,
    ).distinct()


def letter_mentees_count(*, organisation: Organisation, person: Person, school_year: int) -> int:
    """How many people the mentor worked with in the year's pairs and groups (not drafts)."""
    return _letter_mentees(organisation=organisation, person=person, school_year=school_year).count()


def partner_mentors(*, organisation: Organisation, partner: PartnerOrganisation, school_year: int) -> list[Person]:
    """The partner's employees who mentored in the year: in the register of the year's mentor base
    or with a pair or group of the year's programmes."""
    in_register = Q(mentor_entries__school_year=school_year, mentor_entries__status__in=REGISTER_STATUSES)
    with_pair = Q(mentor_pairs__programme__school_year=school_year, mentor_pairs__status__in=COUNTED_PAIR_STATUSES)
    people = organisation.people.filter(partner=partner, processing_blocked_at__isnull=True, anonymised_at__isnull=True)
    ids = people.filter(in_register | with_pair).values("pk")
    return list(organisation.people.filter(pk__in=ids).order_by("last_name", "first_name", "patronymic", "pk"))


def mentor_letter_text(*, organisation: Organisation, school_year: int, mentees: int, mentee_gender: str = "") -> str:
    """The default wording of a letter to a mentor; paragraphs are separated by a blank line.
    ``mentee_gender``: of the only mentee, so that a girl is «Вашей наставляемой»."""
    if mentees == 1:
        helped = agreeing(mentee_gender, "Вашему наставляемому", "Вашей наставляемой")
    elif mentees > 1:
        helped = f"{mentees} {plural(mentees, 'наставляемому', 'наставляемым', 'наставляемым')}"
    else:
        helped = "наставляемым"
    return "\n\n".join(
        [
            f"Администрация {organisation.short_name} выражает Вам искреннюю благодарность за наставническую "
            f"деятельность в {school_year_label(school_year)} учебном году в рамках целевой модели наставничества.",
            f"Ваши знания, терпение и личный пример помогли {helped} поверить в свои силы, найти ответы "
            "на трудные вопросы и добиться новых результатов.",
            "Благодарим Вас за профессионализм, внимание к каждому и готовность делиться опытом. "
            "Желаем Вам здоровья, вдохновения и новых успехов!",
        ]
    )


def _employee_line(person: Person) -> str:
    return f"{person.full_name}, {person.position}" if person.position else person.full_name


def partner_letter_text(*, organisation: Organisation, school_year: int, employees: list[Person]) -> str:
    """The default wording of a letter to a partner organisation, naming its employees who mentored."""
    paragraphs = [
        f"Администрация {organisation.short_name} выражает Вашей организации искреннюю благодарность "
        f"за сотрудничество в реализации целевой модели наставничества в {school_year_label(school_year)} "
        "учебном году и за наставников, которых Вы нам предоставили."
    ]
    if len(employees) == 1:
        employee = employees[0]
        female = gender_of(employee) == FEMALE
        paragraphs.append(
            f"Наставником {'стала Ваша сотрудница' if female else 'стал Ваш сотрудник'} {_employee_line(employee)}."
        )
    elif employees:
        paragraphs.append(
            "Наставниками стали Ваши сотрудники:\n" + "\n".join(f"– {_employee_line(p)}" for p in employees)
        )
    paragraphs.append(
        "Благодарим за открытость, время и профессиональный опыт, которыми делятся Ваши специалисты. "
        "Надеемся на дальнейшее плодотворное сотрудничество!"
    )
    return "\n\n".join(paragraphs)


def thank_you_letter_context(
    *,
    organisation: Organisation,
    person: Person | None = None,
    partner: PartnerOrganisation | None = None,
    text: str | None = None,
    school_year: int | None = None,
    signed_on: datetime.date | None = None,
) -> dict:
    """A letter to a mentor (``person``) or to a partner organisation (``partner``).

    ``text`` is the body as the user edited it; without it the default wording is used. The
    salutation and the addressee are not part of the text: they are always declined correctly.
    """
    if (person is None) == (partner is None):
        raise ValueError("A letter goes either to a person or to a partner organisation.")
    school_year = school_year or current_school_year()
    signed_on = signed_on or timezone.localdate()
    context = {
        "organisation": organisation,
        "school_year": school_year,
        "school_year_label": school_year_label(school_year),
        "signed_on": signed_on,
        "date_text": ru_date(signed_on),
        **signature_context(organisation),
    }
    if person is not None:
        mentees = letter_mentees_count(organisation=organisation, person=person, school_year=school_year)
        only = (
            _letter_mentees(organisation=organisation, person=person, school_year=school_year).first()
            if mentees == 1
            else None
        )
        default = mentor_letter_text(
            organisation=organisation,
            school_year=school_year,
            mentees=mentees,
            mentee_gender=gender_of(only) if only else "",
        )
        context |= {
            "kind": "mentor",
            "person": person,
            "addressee": declined_full_name(person, Case.DATIVE),
            "salutation": salutation(person),
            "mentees_count": mentees,
        }
    else:
        employees = partner_mentors(organisation=organisation, partner=partner, school_year=school_year)
        default = partner_letter_text(organisation=organisation, school_year=school_year, employees=employees)
        context |= {
            "kind": "partner",
            "partner": partner,
            "addressee": partner.name,
            "salutation": "Уважаемые коллеги!",
            "employees": employees,
        }
    body = (text or "").replace("\r\n", "\n").strip()
    context |= {"default_text": default, "text": body or default}
    return context


# --- The mentor's portfolio ----------------------------------------------------------------------


@dataclasses.dataclass
class PortfolioPair:
    pair: Pair
    mentees: list[Person]
    items_done: int = 0
    items_total: int = 0
    meetings: int = 0
    rated: int = 0
    rating_sum: int = 0
    # The mentees' exit 1–10 answers by questionnaire, keyed (mentee id, submitted at): a
    # questionnaire that falls to two pairs of the mentor counts once in the totals.
    feedback: dict = dataclasses.field(default_factory=dict)

    @property
    def fulfilment(self) -> int | None:
        return fulfilment_percent(self.items_done, self.items_total)

    @property
    def rating(self) -> str | None:
        return _mean_text(self.rating_sum, self.rated)

    @property
    def feedback_mean(self) -> str | None:
        return _feedback_mean(self.feedback)

    @property
    def feedback_responses(self) -> int:
        return len(self.feedback)

    @property
    def term(self) -> str:
        end = self.pair.closed_on or self.pair.planned_end_on
        return f"{short_date(self.pair.starts_on)}–{short_date(end)}"

    @property
    def state(self) -> str:
        """«работает», or the outcome of a closed pair: «программа выполнена»."""
        if self.pair.status == Pair.Status.CLOSED and self.pair.outcome:
            return f"завершена: {self.pair.get_outcome_display()}"
        return self.pair.get_status_display()


@dataclasses.dataclass(frozen=True)
class Award:
    on: datetime.date | None
    text: str


def _feedback_mean(feedback: dict) -> str | None:
    values = [value for answers in feedback.values() for value in answers]
    return _mean_text(sum(values), len(values))


def _scale_answers(answers: dict, question_ids: set[str]) -> list[int]:
    values = []
    for key in question_ids:
        value = answers.get(key)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10:
            values.append(value)
    return values


def _portfolio_pairs(*, organisation: Organisation, person: Person, school_year: int | None) -> list[PortfolioPair]:
    pairs = organisation.pairs.filter(mentor=person).exclude(status=Pair.Status.DRAFT)
    if school_year is not None:
        pairs = pairs.filter(programme__school_year=school_year)
    pairs = with_mentees(pairs.select_related("form", "role_model", "programme").order_by("starts_on", "pk"))
    rows = {pair.pk: PortfolioPair(pair=pair, mentees=[link.mentee for link in pair.mentee_links]) for pair in pairs}
    if not rows:
        return []

    items = (
        PlanItem.objects.filter(organisation=organisation, plan__pair_id__in=rows)
        .values("plan__pair_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(done=True)))
        .order_by()
    )
    for row in items:
        rows[row["plan__pair_id"]].items_total = row["total"]
        rows[row["plan__pair_id"]].items_done = row["done"]

    # Meetings held so far; the usefulness rating is the mentee's, 1–10, where it was asked.
    meetings = (
        Meeting.objects.filter(organisation=organisation, pair_id__in=rows, starts_at__lte=timezone.now())
        .values("pair_id")
        .annotate(count=Count("pk"), rated=Count("usefulness"), rating_sum=Sum("usefulness"))
        .order_by()
    )
    for row in meetings:
        portfolio_pair = rows[row["pair_id"]]
        portfolio_pair.meetings, portfolio_pair.rated = row["count"], row["rated"]
        portfolio_pair.rating_sum = row["rating_sum"] or 0

    _add_exit_feedback(organisation=organisation, rows=list(rows.values()))
    return list(rows.values())


def _add_exit_feedback(*, organisation: Organisation, rows: list[PortfolioPair]) -> None:
    """The mentees' exit questionnaires, tied to a pair by time: submitted between the pair's start
    and the end of its programme's school year (a questionnaire names no mentor)."""
    mentee_ids = {mentee.pk for row in rows for mentee in row.mentees}
    responses = list(
        Response.objects.filter(
            organisation=organisation,
            person_id__in=mentee_ids,
            submitted_at__isnull=False,
            template__phase=QuestionnaireTemplate.Phase.EXIT,
            template__audience__in=MENTEE_AUDIENCES,
        ).values("person_id", "template_id", "submitted_at", "answers")
    )
    if not responses:
        return
    scale_ids = {
        str(pk)
        for pk in Question.objects.filter(
            template_id__in={r["template_id"] for r in responses}, kind=Question.Kind.SCALE_10
        ).values_list("pk", flat=True)
    }
    for row in rows:
        mentee_ids = {mentee.pk for mentee in row.mentees}
        _start, year_end = school_year_bounds(row.pair.programme.school_year)
        for response in responses:
            submitted = timezone.localdate(response["submitted_at"])
            if response["person_id"] in mentee_ids and row.pair.starts_on <= submitted <= year_end:
                values = _scale_answers(response["answers"] or {}, scale_ids)
                if values:
                    row.feedback[(response["person_id"], response["submitted_at"])] = values


def _portfolio_training(*, organisation: Organisation, person: Person, school_year: int | None, today) -> dict:
    held = Q(group__sessions__held_on__lte=today)
    memberships = (
        TrainingMember.objects.filter(organisation=organisation, mentor=person)
        .select_related("group__programme")
        .annotate(
            held=Count("group__sessions", filter=held, distinct=True),
            attended=Count(
                "group__sessions", filter=held & Q(group__sessions__attendance__mentor_id=F("mentor_id")), distinct=True
            ),
        )
        .order_by("group__programme__school_year", "group__title")
    )
    attendance = (
        TrainingAttendance.objects.filter(organisation=organisation, mentor=person, session__held_on__lte=today)
        .select_related("session__group")
        .order_by("session__held_on", "pk")
    )
    if school_year is not None:
        memberships = memberships.filter(group__programme__school_year=school_year)
        attendance = attendance.filter(session__group__programme__school_year=school_year)
    groups = [
        {
            "title": member.group.title,
            "school_year": school_year_label(member.group.programme.school_year),
            "attended": member.attended,
            "held": member.held,
            "planned": member.group.sessions_target,
        }
        for member in memberships
    ]
    sessions = [
        {"on": a.session.held_on, "topic": a.session.topic, "format": a.session.get_format_display()}
        for a in attendance
    ]
    return {
        "groups": groups,
        "sessions": sessions,
        "attended": sum(g["attended"] for g in groups),
        "held": sum(g["held"] for g in groups),
    }


def _portfolio_awards(*, organisation: Organisation, person: Person, school_year: int | None) -> tuple[list, list]:
    """(register entries of the years shown, awards): approved encouragement orders naming the person
    and each approval in the mentor register (with its order, when an order approved it)."""
    register_orders = Order.objects.filter(
        organisation=organisation, kind__in=codes_where(lambda t: t.approves_register), status=Order.Status.APPROVED
    ).order_by("approved_on", "number")
    entries = (
        organisation.mentor_entries.filter(person=person)
        .prefetch_related(Prefetch("orders", queryset=register_orders, to_attr="register_orders"))
        .order_by("school_year")
    )
    orders = Order.objects.filter(
        organisation=organisation,
        kind__in=codes_where(lambda t: t.awards),
        status=Order.Status.APPROVED,
        people=person,
    ).order_by("approved_on", "number")
    if school_year is not None:
        entries = entries.filter(school_year=school_year)
        start, end = school_year_bounds(school_year)
        orders = orders.filter(approved_on__gte=start, approved_on__lte=end)
    entries = list(entries)
    awards = [Award(on=order.approved_on, text=f"Благодарность (приказ {order.label})") for order in orders]
    for entry in entries:
        if entry.approved_on and entry.status in (*REGISTER_STATUSES, MentorEntry.Status.LEFT):
            text = f"Утверждение в реестре наставников на {school_year_label(entry.school_year)} учебный год"
            if entry.register_orders:
                text += f" (приказ {entry.register_orders[-1].label})"
            awards.append(Award(on=entry.approved_on, text=text))
    awards.sort(key=lambda award: (award.on or datetime.date.min, award.text))
    return entries, awards


def mentor_portfolio_context(
    *, organisation: Organisation, person: Person, school_year: int | None = None, today: datetime.date | None = None
) -> dict:
    """Everything the portfolio prints; ``school_year`` narrows it to one year, None gives all years."""
    today = today or timezone.localdate()
    pairs = _portfolio_pairs(organisation=organisation, person=person, school_year=school_year)
    entries, awards = _portfolio_awards(organisation=organisation, person=person, school_year=school_year)
    items_done = sum(row.items_done for row in pairs)
    items_total = sum(row.items_total for row in pairs)
    feedback = {key: values for row in pairs for key, values in row.feedback.items()}
    latest_entry = entries[-1] if entries else None
    return {
        "organisation": organisation,
        "person": person,
        "school_year": school_year,
        "school_year_label": school_year_label(school_year) if school_year is not None else "",
        "entries": entries,
        "competencies": latest_entry.competencies if latest_entry else "",
        "pairs": pairs,
        "totals": {
            "pairs": len(pairs),
            "groups": sum(len(row.mentees) > 1 for row in pairs),
            "mentees": len({mentee.pk for row in pairs for mentee in row.mentees}),
            "completed": sum(row.pair.outcome == Pair.Outcome.COMPLETED for row in pairs),
            "items_done": items_done,
            "items_total": items_total,
            "fulfilment": fulfilment_percent(items_done, items_total),
            "meetings": sum(row.meetings for row in pairs),
            "rated": sum(row.rated for row in pairs),
            "rating": _mean_text(sum(row.rating_sum for row in pairs), sum(row.rated for row in pairs)),
            "feedback_mean": _feedback_mean(feedback),
            "feedback_responses": len(feedback),
        },
        "training": _portfolio_training(organisation=organisation, person=person, school_year=school_year, today=today),
        "awards": awards,
        "printed_on": today,
        "date_text": ru_date(today),
        **signature_context(organisation),
    }
