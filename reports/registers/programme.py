"""Registers of the programme as XLSX/CSV: pairs and groups, meetings, plan fulfilment.

Each export filters with its page's filter (mentorship.filters, or the plans list's status), so
the file holds what the user sees. Nobody without a valid consent to participation is exported
(152-ФЗ): a pair, meeting or plan whose mentor has none is left out whole, a mentee without one is
left out of the names; the file says how many people (and pairs) were left out.
"""

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentorship.filters import MeetingFilter, PairFilter
from mentorship.models import Meeting, MeetingAttendance, Pair, PairMentee, PlanItem
from mentorship.selectors_plans import fulfilment_percent, school_plans
from organisations.russian import plural
from participants.selectors import valid_consent_exists
from reports.exports.base import Column, TableExporter

CHUNK = 2000  # rows fetched at a time: memory stays flat, queries grow only per chunk


# --- Shared: consent, names, counts --------------------------------------------------------


def _people(count: int) -> str:
    return f"{count} {plural(count, 'человек', 'человека', 'человек')}"


def _mentee_links():
    """The mentees of a pair in name order, each marked ``consented``."""
    return (
        PairMentee.objects.select_related("mentee")
        .annotate(consented=valid_consent_exists(person_field="mentee"))
        .order_by("mentee__last_name", "mentee__first_name", "pk")
    )


def _with_people(pairs):
    """Pairs with the mentor and their consent (``mentor_consented``) and the mentees as
    ``mentee_links``: two queries whatever the number of pairs."""
    return (
        pairs.select_related("mentor", "form", "role_model", "programme")
        .annotate(mentor_consented=valid_consent_exists(person_field="mentor"))
        .prefetch_related(Prefetch("pair_mentees", queryset=_mentee_links(), to_attr="mentee_links"))
    )


def _mentee_name(person) -> str:
    return f"{person.full_name} ({person.class_name})" if person.class_name else person.full_name


def _mentees_text(pair) -> str:
    return "; ".join(_mentee_name(link.mentee) for link in pair.mentee_links if link.consented)


def _pair_text(pair) -> str:
    """«Николаева Ольга Андреевна — Черных Илья Ильич (7Б); …»: the mentees with a consent only."""
    mentees = _mentees_text(pair)
    return f"{pair.mentor.full_name} — {mentees}" if mentees else pair.mentor.full_name


def _count_per_pair(queryset, pair_field: str):
    """How many rows of the queryset belong to the outer pair: a subquery, 0 for none."""
    counted = (
        queryset.filter(**{pair_field: OuterRef("pk")})
        .order_by()
        .values(pair_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _consent_split(*, organisation, pair_ids):
    """(people named in the export, people left out for lack of consent, pairs left out as their
    mentor has none) among the pairs: three queries."""
    pairs = organisation.pairs.filter(pk__in=pair_ids)
    kept = pairs.filter(valid_consent_exists(person_field="mentor"))
    in_pairs = Q(pk__in=pairs.values("mentor_id")) | Q(
        pk__in=PairMentee.objects.filter(organisation=organisation, pair__in=pairs.values("pk")).values("mentee_id")
    )
    in_kept = Q(pk__in=kept.values("mentor_id")) | Q(
        pk__in=PairMentee.objects.filter(organisation=organisation, pair__in=kept.values("pk")).values("mentee_id")
    )
    exported = organisation.people.filter(in_kept).filter(valid_consent_exists()).count()
    left_out = organisation.people.filter(in_pairs).exclude(valid_consent_exists()).count()
    return exported, left_out, pairs.count() - kept.count()


def _consent_notes(left_out: int, pairs_left_out: int, *, pairs_text: str) -> list[str]:
    """The lines under the title saying who was left out; ``pairs_text`` names what of such pairs was."""
    notes = []
    if left_out:
        notes.append(
            "Не выгружено из-за отсутствия действующего согласия на обработку персональных данных: "
            f"{_people(left_out)}."
        )
    if pairs_left_out:
        notes.append(pairs_text.format(n=pairs_left_out))
    return notes


# --- Pairs and groups ------------------------------------------------------------------------


def filtered_pairs(*, organisation, params):
    """The pairs as the pairs list filters them (status, programme, form, search, ?person=)."""
    return PairFilter(params, queryset=organisation.pairs.all(), organisation=organisation).qs


class PairsExporter(TableExporter):
    """The pairs and groups list as filtered on its page."""

    identifier = "pairs"
    title = "Реестр наставнических пар и групп"
    capability = "pairs.view"
    personal_data = True
    sheet_title = "Пары и группы"
    columns = (
        Column("Наставник", 32),
        Column("Должность / класс наставника", 26),
        Column("Наставляемые (класс)", 44),
        Column("Форма наставничества", 22),
        Column("Ролевая модель", 26),
        Column("Программа", 36),
        Column("Начало", 12),
        Column("Плановое окончание", 12),
        Column("Статус", 18),
        Column("Итог", 26),
        Column("Дата завершения", 12),
        Column("Приказ об утверждении", 24),
        Column("Выполнение плана, %", 12),
        Column("Встреч", 9),
        Column("Последняя встреча", 12),
    )

    def pairs(self, *, organisation, params):
        return filtered_pairs(organisation=organisation, params=params)

    def row_total(self, *, organisation, params) -> int:
        return (
            self.pairs(organisation=organisation, params=params)
            .filter(valid_consent_exists(person_field="mentor"))
            .count()
        )

    def _split(self, *, organisation, params):
        return _consent_split(
            organisation=organisation, pair_ids=self.pairs(organisation=organisation, params=params).values("pk")
        )

    def people_count(self, *, organisation, params) -> int:
        return self._split(organisation=organisation, params=params)[0]

    def notes(self, *, organisation, params) -> list[str]:
        _, left_out, pairs_left_out = self._split(organisation=organisation, params=params)
        return _consent_notes(
            left_out,
            pairs_left_out,
            pairs_text="Не выгружены пары и группы, у наставника которых нет действующего согласия: {n}.",
        )

    def rows(self, *, organisation, params):
        plan_items = PlanItem.objects.filter(organisation=organisation)
        pairs = (
            _with_people(self.pairs(organisation=organisation, params=params))
            .filter(mentor_consented=True)
            .annotate(
                items_total=_count_per_pair(plan_items, "plan__pair"),
                items_done=_count_per_pair(plan_items.filter(done=True), "plan__pair"),
                meetings_count=_count_per_pair(Meeting.objects.filter(organisation=organisation), "pair"),
                last_meeting_at=Subquery(
                    Meeting.objects.filter(pair=OuterRef("pk"))
                    .order_by()
                    .values("pair")
                    .annotate(last=Max("starts_at"))
                    .values("last")
                ),
            )
            .order_by("mentor__last_name", "mentor__first_name", "pk")
        )
        for pair in pairs.iterator(chunk_size=CHUNK):
            mentor = pair.mentor
            yield (
                mentor.full_name,
                mentor.class_name or mentor.position,
                _mentees_text(pair),
                pair.form.name,
                pair.role_model.name if pair.role_model else "",
                pair.programme.title,
                pair.starts_on,
                pair.planned_end_on,
                pair.get_status_display(),
                _outcome(pair),
                pair.closed_on,
                pair.approval_order,
                fulfilment_percent(pair.items_done, pair.items_total),
                pair.meetings_count,
                timezone.localtime(pair.last_meeting_at).date() if pair.last_meeting_at else None,
            )


def _outcome(pair: Pair) -> str | None:
    if not pair.outcome:
        return None
    if pair.outcome == Pair.Outcome.TERMINATED and pair.termination_reason:
        return f"{pair.get_outcome_display()}: {pair.termination_reason}"
    return pair.get_outcome_display()


# --- Meetings --------------------------------------------------------------------------------


class MeetingsExporter(TableExporter):
    """Meetings of the school's pairs: a month of the calendar, a range of days or one pair."""

    identifier = "meetings"
    title = "Встречи наставнических пар и групп"
    capability = "meetings.view"
    personal_data = True
    background = True  # a school's year is thousands of meetings
    sheet_title = "Встречи"
    columns = (
        Column("Дата и время", 17),
        Column("Пара (наставник — наставляемые)", 48),
        Column("Вид встречи", 22),
        Column("Формат", 14),
        Column("Длительность, мин", 12),
        Column("Присутствовали", 36),
        Column("Оценка наставляемого (1–10)", 12),
        Column("Тема", 36),
        Column("Заметки", 48),
    )

    def meetings(self, *, organisation, params):
        meetings = organisation.meetings.all()
        return MeetingFilter(params, queryset=meetings, organisation=organisation).qs

    def _kept(self, *, organisation, params):
        return self.meetings(organisation=organisation, params=params).filter(
            valid_consent_exists(person_field="pair__mentor")
        )

    def row_total(self, *, organisation, params) -> int:
        return self._kept(organisation=organisation, params=params).count()

    def _split(self, *, organisation, params):
        pair_ids = self.meetings(organisation=organisation, params=params).values("pair_id")
        return _consent_split(organisation=organisation, pair_ids=pair_ids)

    def people_count(self, *, organisation, params) -> int:
        return self._split(organisation=organisation, params=params)[0]

    def notes(self, *, organisation, params) -> list[str]:
        _, left_out, pairs_left_out = self._split(organisation=organisation, params=params)
        return _consent_notes(
            left_out,
            pairs_left_out,
            pairs_text="Не выгружены встречи пар и групп, у наставника которых нет действующего согласия "
            "(пар и групп: {n}).",
        )

    def rows(self, *, organisation, params):
        attendance = (
            MeetingAttendance.objects.select_related("person")
            .annotate(consented=valid_consent_exists(person_field="person"))
            .order_by("person__last_name", "person__first_name", "pk")
        )
        meetings = (
            self._kept(organisation=organisation, params=params)
            .select_related("pair__mentor")
            .prefetch_related(
                Prefetch("pair__pair_mentees", queryset=_mentee_links(), to_attr="mentee_links"),
                Prefetch("attendance", queryset=attendance, to_attr="attendance_list"),
            )
            .order_by("starts_at", "pk")
        )
        for meeting in meetings.iterator(chunk_size=CHUNK):
            yield (
                timezone.localtime(meeting.starts_at),
                _pair_text(meeting.pair),
                meeting.get_kind_display(),
                meeting.get_format_display(),
                meeting.duration_minutes,
                ", ".join(row.person.short_name for row in meeting.attendance_list if row.consented),
                meeting.usefulness,
                meeting.topic,
                meeting.notes,
            )


# --- Plan fulfilment -------------------------------------------------------------------------


def _status(params) -> str:
    return params.get("status", "")


def _items_mode(params) -> bool:
    return params.get("items", "") in {"1", "on", "true"}


class PlanFulfilmentExporter(TableExporter):
    """The plans list: one row per pair's plan; ``?items=1``: one row per plan item."""

    identifier = "plan-fulfilment"
    title = "Выполнение индивидуальных планов"
    capability = "plans.edit"
    personal_data = True
    background = True  # by items: thousands of rows
    sheet_title = "Выполнение планов"
    plan_columns = (
        Column("Пара (наставник — наставляемые)", 48),
        Column("Форма наставничества", 22),
        Column("Статус пары", 18),
        Column("Пунктов плана", 10),
        Column("Выполнено", 10),
        Column("Выполнение, %", 10),
        Column("Просрочено", 10),
        Column("Статус плана", 14),
        Column("Дата утверждения", 12),
    )
    item_columns = (
        Column("Пара (наставник — наставляемые)", 48),
        Column("Форма наставничества", 22),
        Column("№", 5),
        Column("Мероприятие", 44),
        Column("Срок", 12),
        Column("Форма работы", 22),
        Column("Ожидаемый результат", 36),
        Column("Выполнено", 10),
        Column("Дата выполнения", 12),
        Column("Просрочено", 10),
        Column("Комментарий", 36),
    )
    columns = plan_columns

    def render(self, *, organisation, params, fmt: str = "xlsx", progress=None, context=None):
        # The columns depend on the mode; ``render`` is the one place that reads them.
        if _items_mode(params):
            return _ItemsMode(self).render(organisation=organisation, params=params, fmt=fmt, progress=progress)
        return super().render(organisation=organisation, params=params, fmt=fmt, progress=progress)

    def pairs(self, *, organisation, params):
        # school_plans: the pairs (not drafts) the plans list shows, filtered by its ?status=.
        return school_plans(organisation=organisation, status=_status(params))

    def _kept_pairs(self, *, organisation, params):
        return self.pairs(organisation=organisation, params=params).filter(valid_consent_exists(person_field="mentor"))

    def _split(self, *, organisation, params):
        pair_ids = self.pairs(organisation=organisation, params=params).values("pk")
        return _consent_split(organisation=organisation, pair_ids=pair_ids)

    def people_count(self, *, organisation, params) -> int:
        return self._split(organisation=organisation, params=params)[0]

    def notes(self, *, organisation, params) -> list[str]:
        today = timezone.localdate()
        notes = [f"Просроченные пункты — с истёкшим сроком и не выполненные на {today:%d.%m.%Y}."]
        _, left_out, pairs_left_out = self._split(organisation=organisation, params=params)
        return notes + _consent_notes(
            left_out,
            pairs_left_out,
            pairs_text="Не выгружены планы пар и групп, у наставника которых нет действующего согласия "
            "(пар и групп: {n}).",
        )

    def _items(self, *, organisation, params):
        pair_ids = self._kept_pairs(organisation=organisation, params=params).values("pk")
        return PlanItem.objects.filter(organisation=organisation, plan__pair__in=pair_ids)

    def row_total(self, *, organisation, params) -> int:
        if _items_mode(params):
            return self._items(organisation=organisation, params=params).count()
        return self._kept_pairs(organisation=organisation, params=params).count()

    def rows(self, *, organisation, params):
        today = timezone.localdate()
        overdue = Q(plan__items__done=False, plan__items__due_on__lt=today)
        pairs = (
            # school_plans counts the items in the same join; its mentees are replaced by ours,
            # marked with their consent.
            self._kept_pairs(organisation=organisation, params=params)
            .annotate(items_overdue=Count("plan__items", filter=overdue))
            .prefetch_related(None)
            .prefetch_related(Prefetch("pair_mentees", queryset=_mentee_links(), to_attr="mentee_links"))
        )
        for pair in pairs.iterator(chunk_size=CHUNK):
            plan = getattr(pair, "plan", None)
            yield (
                _pair_text(pair),
                pair.form.name,
                pair.get_status_display(),
                pair.items_total,
                pair.items_done,
                fulfilment_percent(pair.items_done, pair.items_total),
                pair.items_overdue,
                plan.get_status_display() if plan else "не составлен",
                plan.approved_on if plan else None,
            )

    def item_rows(self, *, organisation, params):
        today = timezone.localdate()
        pairs = self._kept_pairs(organisation=organisation, params=params)
        mentees = Prefetch("plan__pair__pair_mentees", queryset=_mentee_links(), to_attr="mentee_links")
        items = (
            PlanItem.objects.filter(organisation=organisation, plan__pair__in=pairs.values("pk"))
            .select_related("plan__pair__mentor", "plan__pair__form")
            .prefetch_related(mentees)
            .order_by("plan__pair__mentor__last_name", "plan__pair__mentor__first_name", "plan__pair", "position", "pk")
        )
        for item in items.iterator(chunk_size=CHUNK):
            pair = item.plan.pair
            yield (
                _pair_text(pair),
                pair.form.name,
                item.position,
                item.activity,
                item.due_on,
                item.work_form,
                item.expected_result,
                item.done,
                item.done_on,
                bool(not item.done and item.due_on and item.due_on < today),
                item.comment,
            )


class _ItemsMode(TableExporter):
    """The plan fulfilment export by items: same filters, title and file name, other columns."""

    def __init__(self, parent: PlanFulfilmentExporter):
        self.parent = parent
        self.identifier = f"{parent.identifier}-items"
        self.capability = parent.capability
        self.personal_data = parent.personal_data
        self.title = f"{parent.title}: пункты планов"
        self.sheet_title = "Пункты планов"
        self.columns = parent.item_columns

    def rows(self, *, organisation, params):
        return self.parent.item_rows(organisation=organisation, params=params)

    def row_total(self, *, organisation, params):
        return self.parent.row_total(organisation=organisation, params=params)

    def people_count(self, *, organisation, params):
        return self.parent.people_count(organisation=organisation, params=params)

    def notes(self, *, organisation, params):
        return self.parent.notes(organisation=organisation, params=params)
