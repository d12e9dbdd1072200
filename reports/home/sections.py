"""The organisation's front page per role: a registry of sections, each one function.

A ``Section`` says its title, the roles that see it (and the capability it needs), whether it
belongs to a school's or a district's front page, a selector that returns its items from live
data, and what comes next when it is empty («Всё сделано — дальше: …»). A person with several
roles sees the sections of each, once. To add a section, write one selector
``(HomeContext) -> list[HomeItem]`` and append one ``Section`` to ``SECTIONS``.

Every item is a link to where the work is done, with a count and the oldest date. Every selector
asks a fixed number of queries whatever the size of the school (aggregates in the database, at
most ``ROWS`` rows listed under an item): reports/tests/test_home.py asserts it per role.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from mentorship.models import IndividualPlan, Meeting, Pair, PairMentee, PlanItem
from mentorship.selectors import current_programmes, stage_missing
from mentorship.selectors_meetings import INACTIVE_DAYS, days_without_meeting, pairs_without_meeting_since
from organisations.roles import Role
from organisations.russian import plural
from organisations.school_year import current_school_year
from participants.models import Invitation, MenteeEntry, MentorEntry, Person, QuestionnaireTemplate
from participants.selectors import valid_consent_exists
from reports.analytics.kpi import BAD, WARN, district_indicators, school_indicators
from reports.orders.models import Order
from reports.orders.selectors import visas_waiting_for
from roadmap.models import Item, Occurrence, Roadmap
from roadmap.selectors import occurrences_of
from roadmap.stages import Stage

ROWS = 5  # lines listed under an item; the count says how many there are in all
ROWS_MINE = 20  # a mentor's own pairs are all listed (a mentor has a few)
SOON_DAYS = 7  # «на этой неделе»: due within this many days

DIRECTOR = frozenset({Role.DIRECTOR})
CURATORS = frozenset({Role.DEPUTY_DIRECTOR, Role.CURATOR})
METHODIST = frozenset({Role.METHODIST})
MENTOR = frozenset({Role.MENTOR})
DISTRICT_OFFICER = frozenset({Role.DISTRICT_OFFICER})
VISA_HOLDERS = frozenset({Role.DEPUTY_DIRECTOR, Role.CURATOR, Role.METHODIST, Role.ACCOUNTANT})


@dataclass(frozen=True)
class HomeRow:
    """One line under an item: an order, a pair, an activity."""

    text: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class HomeItem:
    text: str
    url: str
    count: int | None = None  # None: a value, not a number of things (an indicator)
    oldest: datetime.date | None = None
    oldest_label: str = "самое давнее"
    note: str = ""
    rows: tuple[HomeRow, ...] = ()
    tone: str = "warning"  # Bootstrap colour of the count


@dataclass(frozen=True)
class HomeContext:
    organisation: object
    user: object
    access: object
    today: datetime.date

    def url(self, name: str, **kwargs) -> str:
        return reverse(name, kwargs={"org": self.organisation.slug, **kwargs})


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    roles: frozenset[str]
    items: Callable[[HomeContext], list[HomeItem]]
    done: str  # shown after «Всё сделано — дальше: » when there are no items
    capability: str = "dashboard.view"
    district: bool = False  # on a district's front page; otherwise on a school's


@dataclass
class FilledSection:
    section: Section
    items: list[HomeItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Things to do: an item without a count (an indicator) is one."""
        return sum(1 if item.count is None else item.count for item in self.items)

    @property
    def oldest(self) -> datetime.date | None:
        dates = [item.oldest for item in self.items if item.oldest]
        return min(dates) if dates else None


def _labelled(pairs, limit: int = ROWS) -> list[Pair]:
    """Up to ``limit`` pairs of an ordered queryset with what ``Pair.label`` reads: always two queries,
    even when there is no pair (a prefetch is skipped for no rows, and the page's number of queries
    would then depend on the data)."""
    shown = list(pairs.select_related("mentor", "form", "programme")[:limit])
    links = PairMentee.objects.filter(pair__in=Subquery(pairs.values("pk")[:limit])).select_related("mentee")
    by_pair: dict[int, list[PairMentee]] = {}
    for link in links:
        by_pair.setdefault(link.pair_id, []).append(link)
    for pair in shown:
        # As prefetch_related leaves it: the related manager answers from this evaluated queryset.
        cached = PairMentee.objects.filter(pair=pair)
        cached._result_cache, cached._prefetch_done = by_pair.get(pair.pk, []), True
        pair._prefetched_objects_cache = {"pair_mentees": cached}
    return shown


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def _days(n: int) -> str:
    return f"{n} {plural(n, 'день', 'дня', 'дней')}"


def _ru_date(day: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "j E Y г.")


# --- Orders (director, deputy, curator) ---------------------------------------------------------


def orders_to_sign(ctx: HomeContext) -> list[HomeItem]:
    """Orders submitted for approval: how long each waits and who submitted it."""
    submitted = ctx.organisation.orders.filter(status=Order.Status.SUBMITTED)
    totals = submitted.aggregate(count=Count("pk"), oldest=Min("submitted_at"))
    rows = []
    for order in submitted.select_related("submitted_by").order_by("submitted_at", "pk")[:ROWS]:
        waiting = (ctx.today - _date(order.submitted_at)).days if order.submitted_at else 0
        who = order.submitted_by.display_name if order.submitted_by else "—"
        rows.append(
            HomeRow(
                order.title,
                ctx.url("reports:order_detail", pk=order.pk),
                f"{f'ждёт {_days(waiting)}' if waiting > 0 else 'передан сегодня'}; кто передал: {who}",
            )
        )
    if not totals["count"]:
        return []
    return [
        HomeItem(
            "Приказы ждут утверждения",
            ctx.url("reports:order_list") + "?status=submitted",
            totals["count"],
            _date(totals["oldest"]),
            "ждёт с",
            rows=tuple(rows),
        )
    ]


def orders_returned(ctx: HomeContext, *, by_me: bool = False) -> list[HomeItem]:
    """Orders returned for rework and not yet submitted again (all of them, or those ``ctx.user`` returned)."""
    returned = ctx.organisation.orders.filter(status=Order.Status.RETURNED)
    if by_me:
        returned = returned.filter(returned_by=ctx.user)
    totals = returned.aggregate(count=Count("pk"), oldest=Min("updated_at"))
    rows = tuple(
        HomeRow(order.title, ctx.url("reports:order_detail", pk=order.pk), order.return_comment[:120])
        for order in returned.order_by("updated_at", "pk")[:ROWS]
    )
    if not totals["count"]:
        return []
    return [
        HomeItem(
            "Вы вернули на доработку, ещё не переданы снова"
            if by_me
            else "Возвращены на доработку и ещё не переданы снова",
            ctx.url("reports:order_list") + "?status=returned",
            totals["count"],
            _date(totals["oldest"]),
            "на доработке с",
            rows=rows,
        )
    ]


def orders_returned_by_me(ctx: HomeContext) -> list[HomeItem]:
    return orders_returned(ctx, by_me=True)


def visas_waiting(ctx: HomeContext) -> list[HomeItem]:
    """Orders on the approval route whose visa it is the user's turn to give (reports.orders.selectors)."""
    visas = visas_waiting_for(ctx.user, ctx.organisation)
    totals = visas.aggregate(count=Count("pk"), oldest=Min("turn_at"))
    if not totals["count"]:
        return []
    rows = []
    for visa in visas[:ROWS]:
        waiting = (ctx.today - _date(visa.turn_at)).days if visa.turn_at else 0
        who = visa.order.submitted_by.display_name if visa.order.submitted_by else "—"
        rows.append(
            HomeRow(
                visa.order.title,
                ctx.url("reports:order_detail", pk=visa.order_id),
                f"{f'ждёт {_days(waiting)}' if waiting > 0 else 'ждёт с сегодняшнего дня'}; автор: {who}",
            )
        )
    return [
        HomeItem(
            "Приказы ждут вашей визы",
            ctx.url("reports:order_visas"),
            totals["count"],
            _date(totals["oldest"]),
            "ждёт с",
            rows=tuple(rows),
        )
    ]


# --- Indicators (director) ------------------------------------------------------------------------


def indicators_below_target(ctx: HomeContext) -> list[HomeItem]:
    """The school's indicators below their target: the KPI page's own values (reports.analytics.kpi)."""
    items = []
    for indicator in school_indicators(organisation=ctx.organisation, today=ctx.today):
        if indicator.status not in (BAD, WARN):
            continue
        items.append(
            HomeItem(
                indicator.title,
                ctx.url("reports:kpi_detail", code=indicator.code),
                note=f"{indicator.display}; цель — {indicator.target_prefix}{indicator.target_display}",
                tone="danger" if indicator.status == BAD else "warning",
            )
        )
    return items


# --- The programme (deputy, curator) --------------------------------------------------------------


def stage_gaps(ctx: HomeContext) -> list[HomeItem]:
    """Each current programme's stage and what is still missing for it."""
    programmes = current_programmes(organisation=ctx.organisation)
    if not programmes:
        return [
            HomeItem(
                "Программа наставничества на этот учебный год не создана",
                ctx.url("mentorship:programme_list"),
                1,
            )
        ]
    items = []
    for programme in programmes:
        missing = stage_missing(programme=programme)
        if not missing:
            continue
        items.append(
            HomeItem(
                f"{programme.title}: этап {programme.current_stage} «{Stage(programme.current_stage).label}»",
                ctx.url("mentorship:programme_detail", pk=programme.pk),
                len(missing),
                note="Не хватает для этапа:",
                rows=tuple(HomeRow(text) for text in missing[:ROWS]),
            )
        )
    return items


def _live_occurrences(ctx: HomeContext):
    return (
        occurrences_of(organisation=ctx.organisation)
        .exclude(item__roadmap__status=Roadmap.Status.ARCHIVED)
        .filter(status__in=Occurrence.OPEN, due_on__isnull=False)
    )


def _occurrence_rows(ctx: HomeContext, occurrences) -> tuple[HomeRow, ...]:
    return tuple(
        HomeRow(
            occurrence.item.content[:160],
            ctx.url("roadmap:item_detail", pk=occurrence.item_id),
            f"срок {occurrence.due_on:%d.%m.%Y}",
        )
        for occurrence in occurrences.select_related("item").order_by("due_on", "pk")[:ROWS]
    )


def roadmap_due(ctx: HomeContext) -> list[HomeItem]:
    """Overdue roadmap activities and those due within a week."""
    live = _live_occurrences(ctx)
    soon = ctx.today + datetime.timedelta(days=SOON_DAYS)
    totals = live.aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=ctx.today)),
        overdue_oldest=Min("due_on", filter=Q(due_on__lt=ctx.today)),
        soon=Count("pk", filter=Q(due_on__gte=ctx.today, due_on__lte=soon)),
        soon_first=Min("due_on", filter=Q(due_on__gte=ctx.today, due_on__lte=soon)),
    )
    overdue_rows = _occurrence_rows(ctx, live.filter(due_on__lt=ctx.today))
    soon_rows = _occurrence_rows(ctx, live.filter(due_on__gte=ctx.today, due_on__lte=soon))
    items = []
    if totals["overdue"]:
        items.append(
            HomeItem(
                "Просрочены мероприятия дорожной карты",
                ctx.url("roadmap:list"),
                totals["overdue"],
                totals["overdue_oldest"],
                "самый ранний срок",
                rows=overdue_rows,
                tone="danger",
            )
        )
    if totals["soon"]:
        items.append(
            HomeItem(
                "Мероприятия дорожной карты в ближайшие 7 дней",
                ctx.url("roadmap:list"),
                totals["soon"],
                totals["soon_first"],
                "ближайший срок",
                rows=soon_rows,
                tone="info",
            )
        )
    return items


def _pair_rows(ctx: HomeContext, pairs, note: Callable[[Pair], str], url_name="mentorship:pair_detail", key="pk"):
    return tuple(HomeRow(pair.label, ctx.url(url_name, **{key: pair.pk}), note(pair)) for pair in pairs)


def inactive_pairs(ctx: HomeContext) -> list[HomeItem]:
    """Active pairs without a meeting for more than INACTIVE_DAYS days (mentorship.selectors_meetings)."""
    pairs = pairs_without_meeting_since(organisation=ctx.organisation, today=ctx.today)
    totals = pairs.aggregate(count=Count("pk"))
    shown = _labelled(pairs)
    if not totals["count"]:
        return []
    oldest = min(_date(pair.last_meeting_at) or pair.starts_on for pair in shown)
    return [
        HomeItem(
            f"Пары и группы без встреч больше {INACTIVE_DAYS} дней",
            ctx.url("mentorship:pair_list") + "?inactive=on",
            totals["count"],
            oldest,
            "без встреч с",
            rows=_pair_rows(ctx, shown, lambda p: f"без встреч {_days(days_without_meeting(p, today=ctx.today))}"),
        )
    ]


def _people_in_programme(organisation, year: int):
    """People in this year's bases or in approved and working pairs, not anonymised."""
    in_bases = Q(
        pk__in=MentorEntry.objects.filter(organisation=organisation, school_year=year)
        .exclude(status=MentorEntry.Status.LEFT)
        .values("person_id")
    ) | Q(
        pk__in=MenteeEntry.objects.filter(organisation=organisation, school_year=year)
        .exclude(status=MenteeEntry.Status.LEFT)
        .values("person_id")
    )
    working = [Pair.Status.APPROVED, Pair.Status.ACTIVE]
    in_pairs = Q(pk__in=organisation.pairs.filter(status__in=working).values("mentor_id")) | Q(
        pk__in=PairMentee.objects.filter(organisation=organisation, pair__status__in=working).values("mentee_id")
    )
    return organisation.people.filter(anonymised_at__isnull=True).filter(in_bases | in_pairs)


def people_without_consent(ctx: HomeContext) -> list[HomeItem]:
    """People in the bases or in pairs without a valid participation consent."""
    people = _people_in_programme(ctx.organisation, current_school_year(ctx.today)).exclude(valid_consent_exists())
    totals = people.aggregate(count=Count("pk"), oldest=Min("created_at"))
    if not totals["count"]:
        return []
    return [
        HomeItem(
            "Участники баз и пар без действующего согласия",
            ctx.url("participants:consent_list") + "?without_consent=on",
            totals["count"],
            _date(totals["oldest"]),
            "в базе с",
            tone="danger",
        )
    ]


def questionnaires_low(ctx: HomeContext) -> list[HomeItem]:
    """Questionnaires sent (links still valid) that fewer than half of the recipients answered."""
    now = timezone.now()
    sendings = (
        Invitation.objects.filter(organisation=ctx.organisation, expires_at__gt=now)
        .values("template_id", "template__title")
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)), first=Min("created_at"))
        .filter(total__gt=2 * F("answered"))
        .order_by("first", "template_id")
    )
    rows = list(sendings)
    if not rows:
        return []
    url = ctx.url("participants:invitation_list")
    return [
        HomeItem(
            "Анкеты, на которые ответили меньше половины",
            url + "?pending=1",
            len(rows),
            _date(rows[0]["first"]),
            "первая рассылка",
            rows=tuple(
                HomeRow(
                    row["template__title"],
                    f"{url}?template={row['template_id']}&pending=1",
                    f"ответили {row['answered']} из {row['total']}",
                )
                for row in rows[:ROWS]
            ),
        )
    ]


# --- Plans and diagnostics (methodist) ------------------------------------------------------------

WORKING = (Pair.Status.APPROVED, Pair.Status.ACTIVE)


def plans_to_fill(ctx: HomeContext) -> list[HomeItem]:
    """Working pairs without a plan, with a draft plan or with a plan without items."""
    has_items = PlanItem.objects.filter(plan__pair=OuterRef("pk"))
    pairs = ctx.organisation.pairs.filter(status__in=WORKING).filter(
        Q(plan__isnull=True) | Q(plan__status=IndividualPlan.Status.DRAFT) | ~Exists(has_items)
    )
    totals = pairs.aggregate(count=Count("pk"), oldest=Min("starts_on"))
    shown = _labelled(pairs.select_related("plan").order_by("starts_on", "pk"))
    if not totals["count"]:
        return []

    def note(pair):
        plan = getattr(pair, "plan", None)
        return "плана нет" if plan is None else f"план: {plan.get_status_display()}"

    return [
        HomeItem(
            "Индивидуальные планы составить или заполнить",
            ctx.url("mentorship:plan_list"),
            totals["count"],
            totals["oldest"],
            "пара работает с",
            rows=_pair_rows(ctx, shown, note, "mentorship:plan_edit", "pair_pk"),
        )
    ]


def _plan_item_rows(ctx: HomeContext, items, url_name: str | None) -> tuple[HomeRow, ...]:
    rows = []
    for item in items.select_related("plan__pair__mentor").order_by("due_on", "pk")[:ROWS]:
        url = ctx.url(url_name, pair_pk=item.plan.pair_id) if url_name else ctx.url("mentorship:my_pairs")
        note = f"срок {item.due_on:%d.%m.%Y}"
        if url_name:  # the methodist's list names the mentor; the mentor's own does not
            note += f", {item.plan.pair.mentor.short_name}"
        rows.append(HomeRow(item.activity[:160], url, note))
    return tuple(rows)


def plan_items_overdue(ctx: HomeContext) -> list[HomeItem]:
    items = PlanItem.objects.filter(
        organisation=ctx.organisation, done=False, due_on__lt=ctx.today, plan__pair__status__in=WORKING
    )
    totals = items.aggregate(count=Count("pk"), oldest=Min("due_on"))
    rows = _plan_item_rows(ctx, items, "mentorship:plan_edit")
    if not totals["count"]:
        return []
    return [
        HomeItem(
            "Пункты индивидуальных планов просрочены",
            ctx.url("mentorship:plan_list"),
            totals["count"],
            totals["oldest"],
            "самый ранний срок",
            rows=rows,
            tone="danger",
        )
    ]


def quarter_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = (today.month - 1) // 3 * 3 + 1
    start = today.replace(month=first_month, day=1)
    end = (start.replace(day=28) + datetime.timedelta(days=70)).replace(day=1) - datetime.timedelta(days=1)
    return start, end


def diagnostics_due(ctx: HomeContext) -> list[HomeItem]:
    """The quarterly diagnostics: people of working pairs not yet sent, or not yet answered, this quarter."""
    start, end = quarter_bounds(ctx.today)
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    quarterly = Invitation.objects.filter(
        organisation=ctx.organisation,
        person=OuterRef("pk"),
        template__phase=QuestionnaireTemplate.Phase.QUARTERLY,
        created_at__gte=since,
    )
    working = [Pair.Status.ACTIVE]
    in_pairs = Q(pk__in=ctx.organisation.pairs.filter(status__in=working).values("mentor_id")) | Q(
        pk__in=PairMentee.objects.filter(organisation=ctx.organisation, pair__status__in=working).values("mentee_id")
    )
    people = Person.objects.filter(organisation=ctx.organisation, anonymised_at__isnull=True).filter(in_pairs)
    totals = people.aggregate(
        not_sent=Count("pk", filter=~Q(Exists(quarterly))),
        pending=Count("pk", filter=Q(Exists(quarterly.filter(answered_at__isnull=True)))),
    )
    quarter = f"{(start.month - 1) // 3 + 1}-й квартал"
    items = []
    if totals["not_sent"]:
        items.append(
            HomeItem(
                f"Ежеквартальная диагностика ({quarter}): участники пар ещё не получили анкету",
                ctx.url("participants:questionnaire_list"),
                totals["not_sent"],
                end,
                "до",
                note="Анкету рассылает куратор со страницы программы.",
            )
        )
    if totals["pending"]:
        items.append(
            HomeItem(
                f"Ежеквартальная диагностика ({quarter}): получили анкету, но не ответили",
                ctx.url("participants:invitation_list") + "?pending=1",
                totals["pending"],
                end,
                "до",
                tone="info",
            )
        )
    return items


# --- A mentor's own pairs -------------------------------------------------------------------------


def _my_pairs(ctx: HomeContext):
    return ctx.organisation.pairs.filter(mentor__user=ctx.user, status__in=WORKING)


def my_pairs_next_meeting(ctx: HomeContext) -> list[HomeItem]:
    """The mentor's working pairs, each with its next meeting."""
    upcoming = Meeting.objects.filter(pair=OuterRef("pk"), starts_at__gte=timezone.now()).order_by("starts_at")
    pairs = list(
        _labelled(
            _my_pairs(ctx).annotate(next_meeting_at=Subquery(upcoming.values("starts_at")[:1])).order_by("pk"),
            limit=ROWS_MINE,
        )
    )
    if not pairs:
        return []

    def note(pair):
        if pair.next_meeting_at:
            return f"следующая встреча — {_ru_date(_date(pair.next_meeting_at))}"
        return "следующая встреча не назначена"

    firsts = [_date(p.next_meeting_at) for p in pairs if p.next_meeting_at]
    return [
        HomeItem(
            "Мои пары и группы",
            ctx.url("mentorship:my_pairs"),
            len(pairs),
            min(firsts) if firsts else None,
            "ближайшая встреча",
            rows=_pair_rows(ctx, pairs[:ROWS], note, "mentorship:meeting_list", "pair_pk"),
            tone="primary",
        )
    ]


def my_plan_items_this_week(ctx: HomeContext) -> list[HomeItem]:
    soon = ctx.today + datetime.timedelta(days=SOON_DAYS)
    items = PlanItem.objects.filter(
        organisation=ctx.organisation, done=False, due_on__lte=soon, plan__pair__in=_my_pairs(ctx)
    )
    totals = items.aggregate(count=Count("pk"), oldest=Min("due_on"))
    rows = _plan_item_rows(ctx, items, None)
    if not totals["count"]:
        return []
    return [
        HomeItem(
            "Пункты плана на этой неделе и просроченные",
            ctx.url("mentorship:my_pairs"),
            totals["count"],
            totals["oldest"],
            "самый ранний срок",
            rows=rows,
        )
    ]


def my_feedback_to_fill(ctx: HomeContext) -> list[HomeItem]:
    """Past meetings of the mentor's pairs without the mentee's rating of usefulness."""
    meetings = Meeting.objects.filter(
        organisation=ctx.organisation,
        pair__in=_my_pairs(ctx),
        starts_at__lt=timezone.now(),
        usefulness__isnull=True,
    )
    totals = meetings.aggregate(count=Count("pk"), oldest=Min("starts_at"))
    rows = tuple(
        HomeRow(
            f"{meeting.get_kind_display().capitalize()} {_ru_date(_date(meeting.starts_at))}",
            ctx.url("mentorship:meeting_edit", pair_pk=meeting.pair_id, pk=meeting.pk),
            meeting.topic[:120],
        )
        for meeting in meetings.order_by("starts_at", "pk")[:ROWS]
    )
    if not totals["count"]:
        return []
    return [
        HomeItem(
            "Отзывы о встречах: внесите оценку полезности",
            ctx.url("mentorship:my_pairs"),
            totals["count"],
            _date(totals["oldest"]),
            "самая давняя встреча",
            rows=rows,
        )
    ]


# --- The district -----------------------------------------------------------------------------------


def schools_behind(ctx: HomeContext) -> list[HomeItem]:
    """The district's schools that are behind, the furthest behind first: overdue roadmap activities,
    indicators below target, and the district's own assignments (district roadmap items copied to the
    schools) overdue there. A fixed number of queries whatever the number of schools."""
    district = ctx.organisation
    kpi = district_indicators(district=district, today=ctx.today)
    open_overdue = Occurrence.objects.filter(
        organisation__parent=district, status__in=Occurrence.OPEN, due_on__lt=ctx.today
    ).exclude(item__roadmap__status=Roadmap.Status.ARCHIVED)
    overdue = {
        row["organisation_id"]: row
        for row in open_overdue.values("organisation_id").annotate(n=Count("pk"), oldest=Min("due_on")).order_by()
    }
    late = Occurrence.objects.filter(item=OuterRef("pk"), status__in=Occurrence.OPEN, due_on__lt=ctx.today)
    assignments = {
        row["organisation_id"]: row["n"]
        for row in Item.objects.filter(organisation__parent=district, district_item__isnull=False)
        .filter(Exists(late))
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = []
    for row in kpi.schools:
        school = row.school
        below = sum(1 for indicator in row.indicators.values() if indicator.status in (BAD, WARN))
        late_items = overdue.get(school.pk, {}).get("n", 0)
        not_done = assignments.get(school.pk, 0)
        total = late_items + below + not_done
        if total:
            rows.append((total, school, late_items, below, not_done, overdue.get(school.pk, {}).get("oldest")))
    rows.sort(key=lambda r: (-r[0], r[1].short_name))
    return [
        HomeItem(
            school.short_name,
            school.get_absolute_url(),
            total,
            oldest,
            "просрочено с",
            note=(
                f"просрочено мероприятий дорожной карты: {late_items}; показателей ниже цели: {below}; "
                f"заданий управления не выполнено в срок: {not_done}"
            ),
            tone="danger" if late_items or not_done else "warning",
        )
        for total, school, late_items, below, not_done, oldest in rows
    ]


# --- The registry -------------------------------------------------------------------------------

SECTIONS: list[Section] = [
    Section(
        "to_sign",
        "На подпись",
        DIRECTOR,
        orders_to_sign,
        "приказов на утверждении нет; переданный на утверждение приказ появится здесь.",
        capability="orders.approve",
    ),
    Section(
        "returned_by_me",
        "Возвращённые вами приказы",
        DIRECTOR,
        orders_returned_by_me,
        "все возвращённые вами приказы переданы снова; они вернутся в «На подпись».",
        capability="orders.approve",
    ),
    Section(
        "visas",
        "Визы, ожидающие вас",
        VISA_HOLDERS,
        visas_waiting,
        "вашей визы не ждёт ни один приказ; когда до вас дойдёт очередь в маршруте согласования, он появится здесь.",
        capability="orders.visa",
    ),
    Section(
        "returned",
        "Приказы на доработке",
        CURATORS,
        orders_returned,
        "возвращённых приказов нет; проект, возвращённый с замечаниями, появится здесь.",
        capability="orders.draft",
    ),
    Section(
        "indicators",
        "Показатели ниже цели",
        DIRECTOR,
        indicators_below_target,
        "все показатели школы достигают цели; следите за их изменением на странице показателей.",
        capability="reports.view",
    ),
    Section(
        "stage",
        "Этап программы",
        CURATORS,
        stage_gaps,
        "для текущего этапа всего хватает: переведите программу на следующий этап на её странице.",
        capability="programme.manage",
    ),
    Section(
        "roadmap",
        "Дорожная карта",
        CURATORS,
        roadmap_due,
        "просроченных мероприятий нет и на неделю ничего не назначено; загляните в дорожную карту на месяц вперёд.",
        capability="roadmap.view",
    ),
    Section(
        "inactive_pairs",
        "Пары без встреч",
        CURATORS,
        inactive_pairs,
        f"все пары встречались за последние {INACTIVE_DAYS} дней; проверьте планы встреч на следующий месяц.",
        capability="pairs.view",
    ),
    Section(
        "consents",
        "Согласия",
        CURATORS,
        people_without_consent,
        "у всех участников баз и пар есть действующее согласие; новые участники появятся здесь.",
        capability="participants.view",
    ),
    Section(
        "questionnaires",
        "Анкетирование",
        CURATORS,
        questionnaires_low,
        "на разосланные анкеты ответили больше половины; следующая рассылка — по плану диагностики.",
        capability="participants.view",
    ),
    Section(
        "plans",
        "Индивидуальные планы",
        METHODIST,
        plans_to_fill,
        "у каждой работающей пары есть утверждённый план с пунктами.",
        capability="plans.edit",
    ),
    Section(
        "plan_items",
        "Просроченные пункты планов",
        METHODIST,
        plan_items_overdue,
        "просроченных пунктов нет; отметьте выполненное по итогам встреч.",
        capability="plans.edit",
    ),
    Section(
        "diagnostics",
        "Диагностика в этом квартале",
        METHODIST,
        diagnostics_due,
        "в этом квартале все участники пар получили анкету и ответили; следующая диагностика — в новом квартале.",
        capability="participants.view",
    ),
    Section(
        "my_pairs",
        "Мои пары",
        MENTOR,
        my_pairs_next_meeting,
        "у вас пока нет работающих пар; пара появится здесь после приказа о закреплении.",
        capability="meetings.log",
    ),
    Section(
        "my_plan_items",
        "План на неделю",
        MENTOR,
        my_plan_items_this_week,
        "на этой неделе пунктов плана нет; запланируйте следующую встречу.",
        capability="meetings.log",
    ),
    Section(
        "my_feedback",
        "Отзывы о встречах",
        MENTOR,
        my_feedback_to_fill,
        "оценки всех прошедших встреч внесены; после следующей встречи внесите её оценку.",
        capability="meetings.log",
    ),
    Section(
        "schools_behind",
        "Школы, которые отстают",
        DISTRICT_OFFICER,
        schools_behind,
        "ни одна школа не отстаёт: мероприятия в срок, показатели на уровне цели.",
        capability="district.view",
        district=True,
    ),
]


def sections_for(access) -> list[Section]:
    """The sections the user's roles see on this organisation's front page, each once, in registry order."""
    is_district = access.organisation.is_district
    return [
        section
        for section in SECTIONS
        if section.district == is_district and section.roles & access.roles and access.can(section.capability)
    ]


def home_sections(*, access, user, today: datetime.date | None = None) -> list[FilledSection]:
    ctx = HomeContext(organisation=access.organisation, user=user, access=access, today=today or timezone.localdate())
    return [FilledSection(section, section.items(ctx)) for section in sections_for(access)]
