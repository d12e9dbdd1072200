"""Reads of roadmaps that more than one page needs; each starts from the organisation."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from organisations.figures import whole_percent
from organisations.models import Membership, Organisation
from organisations.roles import Role
from participants.models import Person

from .deadlines import DeadlineKind, month_label
from .models import Item, ItemResponsible, Occurrence, Roadmap, Section
from .stages import stage_from_title

DASHBOARD_ROWS = 5


# --- Completion -------------------------------------------------------------------------------
#
# Completion = occurrences done on time / occurrences that count so far (DESIGN §5): an occurrence
# counts once its due date has come or once it is done (done early counts as done on time). Those
# without a due date and the cancelled ones do not count.


def counted_occurrences(today: datetime.date, prefix: str = "") -> Q:
    """Occurrences that count in the completion at ``today`` (``prefix`` like "items__occurrences__")."""
    p = prefix
    return (
        Q(**{f"{p}due_on__isnull": False})
        & ~Q(**{f"{p}status": Occurrence.Status.CANCELLED})
        & (Q(**{f"{p}due_on__lte": today}) | Q(**{f"{p}status": Occurrence.Status.DONE}))
    )


def on_time_occurrences(today: datetime.date, prefix: str = "") -> Q:
    """Counted occurrences done by their due date: the completion's numerator."""
    p = prefix
    return counted_occurrences(today, prefix) & Q(
        **{f"{p}status": Occurrence.Status.DONE, f"{p}done_on__lte": F(f"{p}due_on")}
    )


def _late(today: datetime.date, prefix: str = "") -> Q:
    p = prefix
    return counted_occurrences(today, prefix) & Q(
        **{f"{p}status": Occurrence.Status.DONE, f"{p}done_on__gt": F(f"{p}due_on")}
    )


def _overdue(today: datetime.date, prefix: str = "") -> Q:
    p = prefix
    return Q(**{f"{p}due_on__lt": today, f"{p}status__in": Occurrence.OPEN})


def completion_aggregates(today: datetime.date, prefix: str = "") -> dict:
    """Count expressions for an aggregate or annotate over occurrences (``prefix`` like "items__occurrences__")."""
    target = f"{prefix}pk" if prefix else "pk"
    return {
        "counted": Count(target, filter=counted_occurrences(today, prefix)),
        "on_time": Count(target, filter=on_time_occurrences(today, prefix)),
        "late": Count(target, filter=_late(today, prefix)),
        "overdue": Count(target, filter=_overdue(today, prefix)),
    }


@dataclass(frozen=True)
class Completion:
    counted: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int | None:
        # Half up, as every figure (organisations.figures): round() would give 62 for 62.5.
        return whole_percent(self.on_time, self.counted)

    @classmethod
    def of(cls, values) -> Completion:
        get = values.get if isinstance(values, dict) else lambda name, default=0: getattr(values, name, default)
        return cls(*(get(name, 0) or 0 for name in ("counted", "on_time", "late", "overdue")))


# --- Roadmaps ---------------------------------------------------------------------------------


def roadmaps_with_completion(*, organisation: Organisation, today: datetime.date) -> QuerySet[Roadmap]:
    """The organisation's roadmaps, newest first, each with its completion counts: one query."""
    return organisation.roadmaps.select_related("district_roadmap__organisation").annotate(
        items_count=Count("items", distinct=True),
        **{
            name: Count("items__occurrences", filter=condition)
            for name, condition in (
                ("counted", counted_occurrences(today, "items__occurrences__")),
                ("on_time", on_time_occurrences(today, "items__occurrences__")),
                ("late", _late(today, "items__occurrences__")),
                ("overdue", _overdue(today, "items__occurrences__")),
            )
        },
    )


def roadmap_get(*, organisation: Organisation, pk: int) -> Roadmap:
    """The organisation's roadmap or Http404: another organisation's roadmap looks missing."""
    return get_object_or_404(organisation.roadmaps.select_related("organisation", "approved_by"), pk=pk)


def items_of(*, organisation: Organisation) -> QuerySet[Item]:
    return Item.objects.filter(organisation=organisation).select_related("roadmap", "section", "organisation")


def occurrences_of(*, organisation: Organisation) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(organisation=organisation).select_related(
        "item__roadmap", "item__section", "item__organisation"
    )


@dataclass
class SectionRows:
    section: Section
    items: list[Item]
    completion: Completion
    number: int


@dataclass
class RoadmapTable:
    roadmap: Roadmap
    sections: list[SectionRows]
    completion: Completion
    unrecognised: int  # items whose deadline text was not understood
    undated: int  # items with no deadline at all


def _with_rows(items: QuerySet[Item]) -> QuerySet[Item]:
    return items.prefetch_related(
        Prefetch("occurrences", queryset=Occurrence.objects.order_by("position", "pk")),
        Prefetch(
            "responsibles",
            queryset=ItemResponsible.objects.select_related("user", "person").order_by("pk"),
        ),
    )


def roadmap_table(*, roadmap: Roadmap, today: datetime.date) -> RoadmapTable:
    """Sections with their items (occurrences and responsible people prefetched) and completion.

    A fixed number of queries whatever the size of the roadmap.
    """
    sections = list(roadmap.sections.order_by("position", "pk"))
    items = list(_with_rows(roadmap.items.order_by("position", "pk")))
    by_section: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        item.roadmap, item.organisation = roadmap, roadmap.organisation  # known: no query per row
        by_section[item.section_id].append(item)
    per_section = {
        row["item__section"]: Completion.of(row)
        for row in Occurrence.objects.filter(organisation_id=roadmap.organisation_id, item__roadmap=roadmap)
        .values("item__section")
        .annotate(**completion_aggregates(today))
        .order_by()
    }
    rows = [
        SectionRows(section, by_section.get(section.pk, []), per_section.get(section.pk, Completion()), number)
        for number, section in enumerate(sections, start=1)
    ]
    total = Completion(
        *(sum(getattr(c, name) for c in per_section.values()) for name in ("counted", "on_time", "late", "overdue"))
    )
    return RoadmapTable(
        roadmap=roadmap,
        sections=rows,
        completion=total,
        unrecognised=sum(1 for item in items if item.deadline_kind == DeadlineKind.TEXT),
        undated=sum(1 for item in items if item.deadline_kind == DeadlineKind.NONE),
    )


def district_item_progress(*, roadmap: Roadmap, today: datetime.date) -> dict[int, dict[str, int]]:
    """Per item of a district roadmap: schools it was assigned to, schools that did it, schools late.

    One aggregate query over the schools' items, not one per school. A school «did it» when none
    of its occurrences is still open; it «is late» when one of them is overdue.
    """
    open_occurrences = Occurrence.objects.filter(item=OuterRef("pk"), status__in=Occurrence.OPEN)
    overdue_occurrences = open_occurrences.filter(due_on__lt=today)
    rows = (
        Item.objects.filter(district_item__roadmap=roadmap, district_item__organisation=roadmap.organisation)
        .annotate(has_open=Exists(open_occurrences), has_overdue=Exists(overdue_occurrences))
        .values("district_item")
        .annotate(
            assigned=Count("pk"),
            done=Count("pk", filter=Q(has_open=False)),
            late=Count("pk", filter=Q(has_overdue=True)),
        )
        .order_by()
    )
    return {row["district_item"]: row for row in rows}


def district_item_schools(*, item: Item) -> list[Item]:
    """The schools' copies of a district item with their occurrences: what each school did."""
    return list(_with_rows(item.school_items.select_related("organisation").order_by("organisation__short_name", "pk")))


# --- Timeline ---------------------------------------------------------------------------------


@dataclass
class TimelineMonth:
    year: int
    month: int
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def label(self) -> str:
        return month_label(self.year, self.month)


@dataclass
class Timeline:
    months: list[TimelineMonth]
    whole_period: list[Item]
    undated: list[Item]
    outside: list[Occurrence]  # due before or after the period


def roadmap_timeline(*, roadmap: Roadmap) -> Timeline:
    """Occurrences by the month they are due in, over the months of the period: two queries."""
    months: dict[tuple[int, int], TimelineMonth] = {}
    year, month = roadmap.starts_on.year, roadmap.starts_on.month
    while (year, month) <= (roadmap.ends_on.year, roadmap.ends_on.month):
        months[(year, month)] = TimelineMonth(year, month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    whole_period, undated, outside = [], [], []
    occurrences = (
        Occurrence.objects.filter(organisation_id=roadmap.organisation_id, item__roadmap=roadmap)
        .select_related("item__section", "item__organisation")
        .order_by("due_on", "item__section__position", "item__position", "pk")
    )
    seen_whole: set[int] = set()
    for occurrence in occurrences:
        item = occurrence.item
        if item.deadline_kind == DeadlineKind.PERIOD:
            if item.pk not in seen_whole:
                seen_whole.add(item.pk)
                item.occurrence = occurrence
                whole_period.append(item)
        elif occurrence.due_on is None:
            item.occurrence = occurrence
            undated.append(item)
        elif (key := (occurrence.due_on.year, occurrence.due_on.month)) in months:
            months[key].occurrences.append(occurrence)
        else:
            outside.append(occurrence)
    return Timeline(months=list(months.values()), whole_period=whole_period, undated=undated, outside=outside)


# --- Responsible people -------------------------------------------------------------------------


def responsible_user_choices(*, organisation: Organisation):
    """Users with a role in the organisation (not the IT administrator)."""
    from django.contrib.auth import get_user_model

    members = Membership.objects.filter(organisation=organisation).exclude(role=Role.ADMINISTRATOR)
    return (
        get_user_model()
        .objects.filter(pk__in=members.values("user_id"), is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def responsible_people_choices(*, organisation: Organisation) -> QuerySet[Person]:
    """Staff records of the school (teachers) whose data may be processed."""
    return organisation.people.filter(
        category=Person.Category.TEACHER, anonymised_at__isnull=True, processing_blocked_at__isnull=True
    ).order_by("last_name", "first_name", "patronymic")


def _mine(user) -> Q:
    return Q(item__responsibles__user=user) | Q(item__responsibles__person__user=user)


def my_occurrences(*, organisation: Organisation, user, today: datetime.date) -> QuerySet[Occurrence]:
    """Occurrences of items the user is responsible for (directly or as a staff record), in live roadmaps."""
    mine = Occurrence.objects.filter(organisation=organisation).filter(_mine(user)).values("pk")
    return (
        occurrences_of(organisation=organisation)
        .filter(pk__in=mine)
        .exclude(item__roadmap__status=Roadmap.Status.ARCHIVED)
        .order_by(F("due_on").asc(nulls_last=True), "item__position", "pk")
    )


def can_report_progress(*, access, user, item: Item) -> bool:
    """Editors of the roadmap, and the people responsible for the item, may mark its progress."""
    if access.can("roadmap.edit"):
        return True
    if not access.can("roadmap.view"):
        return False
    return item.responsibles.filter(Q(user=user) | Q(person__user=user)).exists()


# --- Dashboard and reminders -----------------------------------------------------------------


@dataclass
class DashboardDue:
    overdue: list[Occurrence]
    overdue_count: int
    this_month: list[Occurrence]
    this_month_count: int
    has_roadmap: bool


def _month_end(today: datetime.date) -> datetime.date:
    next_month = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return next_month - datetime.timedelta(days=1)


def dashboard_due(*, organisation: Organisation, today: datetime.date) -> DashboardDue:
    """Overdue occurrences and those due by the end of this month, in live roadmaps: four queries."""
    live = occurrences_of(organisation=organisation).exclude(item__roadmap__status=Roadmap.Status.ARCHIVED)
    open_ = live.filter(status__in=Occurrence.OPEN, due_on__isnull=False)
    overdue = open_.filter(due_on__lt=today).order_by("due_on", "pk")
    this_month = open_.filter(due_on__gte=today, due_on__lte=_month_end(today)).order_by("due_on", "pk")
    counts = open_.aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        this_month=Count("pk", filter=Q(due_on__gte=today, due_on__lte=_month_end(today))),
    )
    return DashboardDue(
        overdue=list(overdue[:DASHBOARD_ROWS]),
        overdue_count=counts["overdue"],
        this_month=list(this_month[:DASHBOARD_ROWS]),
        this_month_count=counts["this_month"],
        has_roadmap=organisation.roadmaps.exists(),
    )


def reminder_occurrences(*, today: datetime.date, days: int) -> QuerySet[Occurrence]:
    """Open occurrences of live roadmaps, overdue or due within ``days``, with their responsible people."""
    return (
        Occurrence.objects.filter(status__in=Occurrence.OPEN, due_on__isnull=False)
        .filter(due_on__lte=today + datetime.timedelta(days=days))
        .exclude(item__roadmap__status=Roadmap.Status.ARCHIVED)
        .select_related("item__roadmap", "organisation")
        .prefetch_related(
            Prefetch(
                "item__responsibles",
                queryset=ItemResponsible.objects.select_related("user", "person__user"),
            )
        )
        .order_by("organisation__short_name", "due_on", "pk")
    )


@dataclass(frozen=True)
class StageActivities:
    """The roadmap items of one programme stage: the sections whose title names the stage."""

    roadmap: Roadmap | None
    occurrences: list[Occurrence]
    today: datetime.date

    @property
    def due(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.due_on is not None and o.due_on <= self.today]

    @property
    def unfinished_due(self) -> list[Occurrence]:
        return [o for o in self.due if o.status not in {Occurrence.Status.DONE, Occurrence.Status.CANCELLED}]


def stage_activities(
    *, organisation: Organisation, on: datetime.date, stage: int, today: datetime.date
) -> StageActivities:
    """The stage's activities in the organisation's roadmaps that cover the date ``on``: its own
    roadmap (the newest not archived, linked as ``roadmap``) and the school's copy of the district
    roadmap, if any. Three queries, whatever the number of items."""
    roadmaps = list(
        organisation.roadmaps.filter(starts_on__lte=on, ends_on__gte=on)
        .exclude(status=Roadmap.Status.ARCHIVED)
        .order_by(F("district_roadmap").asc(nulls_first=True), "-starts_on", "-pk")
    )
    own = [r for r in roadmaps if r.district_roadmap_id is None]
    roadmap = own[0] if own else None
    if not roadmaps:
        return StageActivities(roadmap=None, occurrences=[], today=today)
    chosen = [r.pk for r in ([roadmap] if roadmap else []) + [r for r in roadmaps if r.district_roadmap_id]]
    sections = [
        section.pk
        for section in Section.objects.filter(organisation=organisation, roadmap_id__in=chosen)
        if stage_from_title(section.title) == stage
    ]
    occurrences = list(
        Occurrence.objects.filter(organisation=organisation, item__section_id__in=sections)
        .select_related("item")
        .order_by("item__roadmap__district_roadmap", "item__section__position", "item__position", "position", "pk")
    )
    return StageActivities(roadmap=roadmap, occurrences=occurrences, today=today)
