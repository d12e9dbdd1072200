"""Analytical reports: a school's «Аналитическая справка по итогам мониторинга реализации целевой
модели наставничества» for a period, the district's annual analytical report (seed 004, item 7.2:
«Ежегодный аналитический доклад о развитии наставничества…», with the data of item 7.1, the mentor
bank of 7.3 and the best practices of 5.1–6.1) and the mentor registers the schools sent.

This module builds the contexts the PDF (templates/reports/pdf/analytics_*.html), the DOCX
(reports.analytics.documents_docx) and the XLSX below print. Indicators come from reports.analytics.kpi, questionnaire
results from participants.questionnaires.results, roadmap completion from roadmap.selectors. The district's
contexts use a fixed number of queries whatever the number of schools (grouped by organisation).

A district officer sees aggregates of the schools' people only: the district report names no
participant. The mentor registers are the exception by design (DESIGN §1): a school sends its
approved register to the district; the pages journal every view and export of them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format

from mentorship.models import Pair, Programme, TrainingAttendance
from organisations.declension import gender_of
from organisations.figures import SUPPRESSED_TEXT, is_small, round_half_up, suppress_cells
from organisations.models import Organisation
from organisations.russian import agreeing, plural
from organisations.school_year import current_school_year, school_year_label
from participants.models import ConsentPurpose, MentorEntry, Person, QuestionnaireTemplate
from participants.questionnaires.results import growth
from participants.selectors import people_allowed, valid_consent_exists
from reports.analytics import indicators, kpi
from reports.analytics.formulas import counted_pairs
from reports.analytics.indicators import ROUNDING_NOTE
from reports.exports.base import XLSX_CONTENT_TYPE, Column, Exporter, ExportResult, Sheet, write_workbook
from reports.exports.pdf import render_pdf
from reports.orders.kinds import codes_where
from reports.orders.models import Order
from roadmap.deadlines import ru_date, short_date
from roadmap.models import ItemResponsible, Occurrence
from roadmap.selectors import Completion, completion_aggregates, occurrences_of
from roadmap.texts import responsible_cell, signature_of

PDF_CONTENT_TYPE = "application/pdf"
SCHOOL_PDF_TEMPLATE = "reports/pdf/analytics_school.html"
DISTRICT_PDF_TEMPLATE = "reports/pdf/analytics_district.html"
RECOMMENDATIONS_MAX_LENGTH = 8000
# Below this mean (of 10) the recommendations suggest looking into the participants' satisfaction.
LOW_SATISFACTION = 7.0

Audience = QuestionnaireTemplate.Audience
GROWTH_GROUPS = (
    (Audience.MENTOR, "Наставники"),
    (Audience.STUDENT_MENTEE, "Наставляемые-обучающиеся"),
    (Audience.TEACHER_MENTEE, "Наставляемые-педагоги"),
)

# The report's sentences and advice about targets come from the declarations (report_phrase, advice).
RANKING_CODE = "students_involved"
MENTOR_CATEGORIES = (
    Person.Category.TEACHER,
    Person.Category.STUDENT,
    Person.Category.GRADUATE,
    Person.Category.PARTNER_EMPLOYEE,
    Person.Category.PARENT,
)
MENTOR_CATEGORY_TITLES = {
    Person.Category.TEACHER: "Педагоги",
    Person.Category.STUDENT: "Обучающиеся",
    Person.Category.GRADUATE: "Выпускники",
    Person.Category.PARTNER_EMPLOYEE: "Сотрудники партнёров",
    Person.Category.PARENT: "Родители",
}


# --- Small helpers ----------------------------------------------------------------------------


def number(value: float | None, places: int = 2, *, signed: bool = False) -> str:
    """«7,20», «+1,50»; «—» without a value."""
    if value is None:
        return "—"
    text = number_format(round_half_up(value, places), decimal_pos=places)
    return f"+{text}" if signed and value > 0 else text


def period_phrase(period: kpi.Period) -> str:
    """«2025/2026 учебный год» or «период с 01.09.2025 по 31.01.2026»: what follows «за»."""
    label = period.label
    return f"период {label}" if label.startswith("с ") else label


def custom_period(start: datetime.date, end: datetime.date) -> kpi.Period:
    """A period of chosen dates; the school year of its start picks the mentor and mentee bases."""
    return kpi.Period(start, end, current_school_year(start))


def paragraphs(text: str) -> list[str]:
    """Typed text as paragraphs: each non-empty line its own."""
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _counted_pairs(period: kpi.Period) -> Q:
    # The pairs the indicators count (not drafts, working at some time in the period): one rule.
    return counted_pairs(period)


def _closed_in(period: kpi.Period) -> Q:
    return Q(status=Pair.Status.CLOSED, closed_on__lte=period.end)


def _phrased_codes() -> list[str]:
    """The indicators whose targets the reports speak of, in the order of the pages."""
    return [spec.code for spec in indicators.all_indicators() if spec.report_phrase]


def _advised() -> list[indicators.IndicatorSpec]:
    """The indicators with advice for the curator when their target is not reached."""
    return [spec for spec in indicators.all_indicators() if spec.advice]


def _indicator_sentence(indicator: kpi.Indicator, *, where: str = "") -> str | None:
    """The sentence about a target indicator: reached or not, with the value."""
    phrase = indicators.get(indicator.code).report_phrase if indicators.exists(indicator.code) else ""
    if not phrase or indicator.target is None:
        return None
    where = f" {where}" if where else ""
    if indicator.suppressed:
        return f"Показатель «{indicator.title}»{where} не приводится: он описывает группу меньше 5 человек."
    if indicator.value is None:
        return f"Показатель «{indicator.title}»{where} не рассчитан: в периоде нет данных для расчёта."
    reached = "достигнут" if indicator.status == kpi.OK else "не достигнут"
    return f"Целевой показатель {phrase} ({indicator.target_display}){where} {reached}: {indicator.display}."


# --- School: «Аналитическая справка» -----------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    title: str
    kind: str
    stage: str
    curator: str
    dates: str


@dataclass(frozen=True)
class GrowthItemRow:
    text: str
    participants: int
    entry: str
    exit: str
    growth: str
    growth_value: float | None


@dataclass(frozen=True)
class GrowthGroup:
    title: str
    participants: int
    mean: float | None
    items: list[GrowthItemRow]

    @property
    def mean_display(self) -> str:
        return number(self.mean, signed=True)


@dataclass(frozen=True)
class Monitoring:
    # The KPI's own indicators (reports.analytics.kpi): the справка prints the same figures as the page.
    mentees: kpi.Indicator
    mentors: kpi.Indicator
    groups: list[GrowthGroup]

    @property
    def mentees_satisfaction(self) -> float | None:
        return self.mentees.value

    @property
    def mentors_satisfaction(self) -> float | None:
        return self.mentors.value

    @property
    def mentees_display(self) -> str:
        return number(self.mentees.value)

    @property
    def mentors_display(self) -> str:
        return number(self.mentors.value)

    @property
    def mentees_counts(self) -> str:
        return self.mentees.counts_text

    @property
    def mentors_counts(self) -> str:
        return self.mentors.counts_text

    @property
    def best_item(self) -> GrowthItemRow | None:
        rows = [row for group in self.groups for row in group.items if row.growth_value is not None]
        return max(rows, key=lambda row: row.growth_value) if rows else None


@dataclass(frozen=True)
class OverdueRow:
    content: str
    section: str
    due_on: datetime.date
    responsible: str

    @property
    def due_text(self) -> str:
        return short_date(self.due_on)


@dataclass(frozen=True)
class RoadmapPart:
    completion: Completion
    overdue: list[OverdueRow]

    @property
    def percent_display(self) -> str:
        percent = self.completion.percent
        return "—" if percent is None else f"{percent}\u00a0%"


@dataclass(frozen=True)
class FormRow:
    form: str
    role_model: str
    total: int
    working: int
    closed: int
    mentees: int
    is_subtotal: bool = False


@dataclass(frozen=True)
class BestCase:
    form: str
    role_model: str
    mentor: str
    mentees: str
    term: str
    state: str
    description: str
    results: str
    school: str = ""
    people: int = 0  # named participants (journalled when printed)


def _programmes(organisation: Organisation, period: kpi.Period) -> list[ProgrammeRow]:
    programmes = organisation.programmes.filter(starts_on__lte=period.end, ends_on__gte=period.start).select_related(
        "curator"
    )
    return [
        ProgrammeRow(
            title=programme.title,
            kind=programme.get_kind_display(),
            stage=f"{programme.current_stage}. {programme.get_current_stage_display()}",
            curator=programme.curator.display_name if programme.curator else "",
            dates=f"{short_date(programme.starts_on)}–{short_date(programme.ends_on)}",
        )
        for programme in programmes.order_by("kind", "starts_on", "pk")
    ]


def _monitoring(organisation: Organisation, period: kpi.Period, by_code: dict[str, kpi.Indicator]) -> Monitoring:
    groups = []
    for audience, title in GROWTH_GROUPS:
        measured = growth(organisation, audience=audience, start=period.start, end=period.end)
        if not measured.participants:
            continue
        items = [
            GrowthItemRow(
                text=item.item.text,
                participants=item.participants,
                entry=number(item.entry_mean),
                exit=number(item.exit_mean),
                growth=number(item.growth, signed=True),
                growth_value=item.growth,
            )
            for item in measured.items
            if item.participants
        ]
        groups.append(GrowthGroup(title=title, participants=measured.participants, mean=measured.mean, items=items))
    return Monitoring(mentees=by_code["satisfaction_mentees"], mentors=by_code["satisfaction_mentors"], groups=groups)


def _roadmap(organisation: Organisation, period: kpi.Period, as_of: datetime.date) -> RoadmapPart:
    in_period = Q(due_on__gte=period.start, due_on__lte=period.end)
    totals = Occurrence.objects.filter(in_period, organisation=organisation).aggregate(**completion_aggregates(as_of))
    overdue = (
        occurrences_of(organisation=organisation)
        .filter(in_period, status__in=Occurrence.OPEN, due_on__lt=as_of)
        .prefetch_related(
            Prefetch("item__responsibles", queryset=ItemResponsible.objects.select_related("user", "person"))
        )
        .order_by("due_on", "item__section__position", "item__position", "pk")
    )
    rows = [
        OverdueRow(
            content=occurrence.item.content,
            section=occurrence.item.section.title,
            due_on=occurrence.due_on,
            responsible=responsible_cell(occurrence.item),
        )
        for occurrence in overdue
    ]
    return RoadmapPart(completion=Completion.of(totals), overdue=rows)


def _form_rows(pairs, period: kpi.Period) -> list[FormRow]:
    """Pairs by form and role model, a subtotal per form with more than one row and a total: one query."""
    rows = (
        pairs.values("form_id", "form__name", "form__audience", "form__position", "role_model__name")
        .annotate(
            total=Count("pk", distinct=True),
            closed=Count("pk", filter=_closed_in(period), distinct=True),
            mentees=Count("pair_mentees", distinct=True),
        )
        .order_by("form__audience", "form__position", "form__name", "role_model__name")
    )
    result: list[FormRow] = []
    by_form: dict[int, list[FormRow]] = defaultdict(list)
    names: dict[int, str] = {}
    for row in rows:
        names[row["form_id"]] = row["form__name"]
        by_form[row["form_id"]].append(
            FormRow(
                form=row["form__name"],
                role_model=row["role_model__name"] or "—",
                total=row["total"],
                working=row["total"] - row["closed"],
                closed=row["closed"],
                mentees=row["mentees"],
            )
        )
    for form_id, form_rows in by_form.items():
        result.extend(form_rows)
        if len(form_rows) > 1:
            result.append(_sum_rows(form_rows, form=names[form_id], role_model="всего по форме"))
    if result:
        result.append(_sum_rows([row for row in result if not row.is_subtotal], form="Итого", role_model=""))
    return result


def _sum_rows(rows: Sequence[FormRow], *, form: str, role_model: str) -> FormRow:
    return FormRow(
        form=form,
        role_model=role_model,
        total=sum(row.total for row in rows),
        working=sum(row.working for row in rows),
        closed=sum(row.closed for row in rows),
        mentees=sum(row.mentees for row in rows),
        is_subtotal=True,
    )


def _state(pair: Pair) -> str:
    if pair.status == Pair.Status.CLOSED:
        return pair.get_outcome_display() or pair.get_status_display()
    return pair.get_status_display()


def _best_cases(organisation: Organisation, period: kpi.Period, *, with_names: bool) -> list[BestCase]:
    pairs = (
        Pair.objects.filter(_counted_pairs(period), organisation=organisation, is_best_practice=True)
        .select_related("mentor", "form", "role_model")
        .order_by("form__position", "form__name", "mentor__last_name", "pk")
    )
    if with_names:
        pairs = pairs.prefetch_related(Prefetch("mentees", queryset=Person.objects.order_by("last_name", "first_name")))
    cases = []
    for pair in pairs:
        names = [person.full_name for person in pair.mentees.all()] if with_names else []
        mentees = ", ".join(names)
        cases.append(
            BestCase(
                form=pair.form.name,
                role_model=pair.role_model.name if pair.role_model else "",
                mentor=pair.mentor.full_name if with_names else "",
                mentees=mentees,
                term=f"{short_date(pair.starts_on)}–{short_date(pair.closed_on or pair.planned_end_on)}",
                state=_state(pair),
                description=pair.case_description,
                results=pair.case_results,
                people=1 + len(names) if with_names else 0,
            )
        )
    return cases


def school_conclusions(
    *,
    indicators: dict[str, kpi.Indicator],
    monitoring: Monitoring,
    roadmap: RoadmapPart,
    forms: list[FormRow],
    best_cases: list[BestCase],
) -> list[str]:
    """Sentences stating what the numbers say, in the order of the report's sections."""
    sentences = [s for s in (_indicator_sentence(indicators[code]) for code in _phrased_codes()) if s]
    young = indicators["young_specialists"]
    if young.denominator:
        sentences.append(
            f"Наставниками обеспечены {young.numerator} из {young.denominator} "
            f"{plural(young.denominator, 'молодого специалиста', 'молодых специалистов', 'молодых специалистов')} "
            f"({young.display})."
        )
    partners = indicators["partner_share"]
    if partners.denominator:
        sentences.append(
            f"Наставников предоставили {partners.numerator} из {partners.denominator} "
            f"{plural(partners.denominator, 'организации-партнёра', 'организаций-партнёров', 'организаций-партнёров')} "
            f"({partners.display})."
        )
    if monitoring.mentees_satisfaction is not None or monitoring.mentors_satisfaction is not None:
        parts = []
        if monitoring.mentees_satisfaction is not None:
            parts.append(f"наставляемых — {monitoring.mentees_display} из 10")
        if monitoring.mentors_satisfaction is not None:
            parts.append(f"наставников — {monitoring.mentors_display} из 10")
        sentences.append(f"Средняя удовлетворённость по итоговым анкетам: {', '.join(parts)}.")
    else:
        sentences.append("Итоговое анкетирование удовлетворённости участников в периоде не проводилось.")
    total_growth = indicators["growth"]
    if total_growth.value is not None:
        sentence = f"Средний прирост по одинаковым вопросам входной и итоговой анкет составил {total_growth.display}"
        best = monitoring.best_item
        if best is not None and best.growth_value and best.growth_value > 0:
            sentence += f"; наибольший — по вопросу «{best.text.rstrip('.?!')}» ({best.growth})"
        sentences.append(sentence + ".")
    completion = roadmap.completion
    if completion.counted:
        sentence = (
            f"Мероприятия дорожной карты выполнены в срок: {completion.on_time} из {completion.counted} "
            f"({roadmap.percent_display})"
        )
        if completion.overdue:
            sentence += f"; просрочено — {completion.overdue}"
        sentences.append(sentence + ".")
    if forms:
        total = forms[-1]
        form_count = len({row.form for row in forms if not row.is_subtotal})
        sentences.append(
            f"В периоде работали наставнические пары и группы: {total.total}, из них завершили работу — "
            f"{total.closed}; форм наставничества — {form_count}, наставляемых — {total.mentees}."
        )
    else:
        sentences.append("Наставнические пары и группы в периоде не работали.")
    if best_cases:
        sentences.append(f"Пар и групп, отмеченных как лучшие практики: {len(best_cases)}.")
    return sentences


def default_recommendations(
    *, indicators: dict[str, kpi.Indicator], monitoring: Monitoring, roadmap: RoadmapPart, best_cases: list[BestCase]
) -> str:
    """The recommendations the curator starts from: one numbered line per problem the numbers show."""
    lines = [spec.advice for spec in _advised() if indicators[spec.code].status in (kpi.WARN, kpi.BAD)]
    if roadmap.completion.overdue:
        lines.append("Выполнить просроченные мероприятия дорожной карты и скорректировать сроки на следующий период.")
    if monitoring.mentees_satisfaction is None and monitoring.mentors_satisfaction is None:
        lines.append("Провести итоговое анкетирование наставников и наставляемых.")
    elif any(
        value is not None and value < LOW_SATISFACTION
        for value in (monitoring.mentees_satisfaction, monitoring.mentors_satisfaction)
    ):
        lines.append("Проанализировать причины невысокой удовлетворённости участников по ответам итоговых анкет.")
    growth_value = indicators["growth"].value
    if growth_value is not None and growth_value <= 0:
        lines.append("Пересмотреть содержание индивидуальных планов: прирост по итогам анкетирования не выявлен.")
    if best_cases:
        lines.append(
            "Представить лучшие практики наставничества на итоговом мероприятии и опубликовать кейсы на сайте школы."
        )
    else:
        lines.append("Отобрать лучшие практики наставничества и оформить их в кейсы.")
    lines.append("Продолжить реализацию программы наставничества в следующем учебном году с учётом итогов мониторинга.")
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))


def school_report(
    *,
    organisation: Organisation,
    period: kpi.Period,
    today: datetime.date | None = None,
    with_names: bool = True,
    recommendations: str | None = None,
) -> dict:
    """Everything the school's analytical report prints (PDF, DOCX, the page's summary).

    ``with_names``: print the names of the best cases' participants (a district officer visiting
    the school sees aggregates only). ``recommendations``: the curator's edited text; None gives
    the default one.
    """
    today = today or timezone.localdate()
    as_of = period.as_of(today)
    indicators = kpi.school_indicators(organisation=organisation, period=period, today=today)
    if not with_names:
        # Printed for a district or region officer: no group under 5 (organisations.figures).
        indicators = list(kpi.suppress_small_groups({i.code: i for i in indicators}).values())
    by_code = {indicator.code: indicator for indicator in indicators}
    monitoring = _monitoring(organisation, period, by_code)
    roadmap = _roadmap(organisation, period, as_of)
    pairs = Pair.objects.filter(_counted_pairs(period), organisation=organisation)
    forms = _form_rows(pairs, period)
    best_cases = _best_cases(organisation, period, with_names=with_names)
    programmes = _programmes(organisation, period)
    defaults = default_recommendations(
        indicators=by_code, monitoring=monitoring, roadmap=roadmap, best_cases=best_cases
    )
    text = defaults if recommendations is None else recommendations
    curator = next((p.curator for p in programmes if p.curator), "")
    return {
        "organisation": organisation,
        "period": period,
        "period_phrase": period_phrase(period),
        "title": "Аналитическая справка по итогам мониторинга реализации целевой модели наставничества",
        "subtitle": f"в {organisation.full_name} за {period_phrase(period)}",
        "as_of": as_of,
        "as_of_text": ru_date(as_of),
        "date_text": ru_date(today),
        "programmes": programmes,
        "curators": ", ".join(dict.fromkeys(p.curator for p in programmes if p.curator)),
        "indicators": indicators,
        "by_code": by_code,
        "monitoring": monitoring,
        "roadmap": roadmap,
        "forms": forms,
        "best_cases": best_cases,
        "with_names": with_names,
        "named_people": sum(case.people for case in best_cases),
        "conclusions": school_conclusions(
            indicators=by_code, monitoring=monitoring, roadmap=roadmap, forms=forms, best_cases=best_cases
        ),
        "default_recommendations": defaults,
        "recommendations": text,
        "recommendation_paragraphs": paragraphs(text),
        "rounding_note": ROUNDING_NOTE,
        "signer_position": "Куратор программы наставничества",
        "signer_signature": signature_of(curator) if curator else "",
    }


def school_report_filename(context: dict, extension: str) -> str:
    organisation, period = context["organisation"], context["period"]
    return f"Аналитическая справка — {organisation.short_name}, {period.label}.{extension}".replace("/", "-")


def school_report_pdf(context: dict) -> bytes:
    return render_pdf(template_name=SCHOOL_PDF_TEMPLATE, context=context)


# --- District: the annual analytical report ------------------------------------------------------


@dataclass
class DistrictSchool:
    school: Organisation
    indicators: dict[str, kpi.Indicator]
    has_programme: bool = False
    overdue: int = 0
    rank: int | None = None
    mentors: dict[str, int] = field(default_factory=dict)
    mentors_total: int = 0
    trained: int = 0

    @property
    def cells(self) -> list[kpi.Indicator]:
        return list(self.indicators.values())

    @property
    def mentor_cells(self) -> list[int | str]:
        """Mentors by category, a group under 5 as «менее 5» with its complementary cell (the row's
        total is shown): the district sees no small group of people (organisations.figures)."""
        counts = [self.mentors.get(category, 0) for category in MENTOR_CATEGORIES]
        hidden = suppress_cells(counts)
        return [SUPPRESSED_TEXT if index in hidden else n for index, n in enumerate(counts)]

    @property
    def mentors_total_shown(self) -> int | str:
        return SUPPRESSED_TEXT if is_small(self.mentors_total) else self.mentors_total

    @property
    def trained_shown(self) -> int | str:
        return SUPPRESSED_TEXT if is_small(self.trained) else self.trained


def _district_forms(district: Organisation, period: kpi.Period) -> list[FormRow]:
    pairs = Pair.objects.filter(_counted_pairs(period), district.schools_q("organisation"))
    return _form_rows(pairs, period)


def _district_mentors(district: Organisation, period: kpi.Period) -> dict[int, dict]:
    """Per school: mentors by category (in the year's register or mentoring a counted pair) and
    how many of them attended «Школа наставников» in the period: one query."""
    register = MentorEntry.objects.filter(
        person=OuterRef("pk"), school_year=period.school_year, status__in=kpi.REGISTER_STATUSES
    )
    mentoring = Pair.objects.filter(_counted_pairs(period), mentor=OuterRef("pk"))
    trained = TrainingAttendance.objects.filter(
        mentor=OuterRef("pk"), session__held_on__gte=period.start, session__held_on__lte=period.end
    )
    rows = (
        Person.objects.filter(district.schools_q("organisation"), anonymised_at__isnull=True)
        .alias(in_register=Exists(register), mentoring=Exists(mentoring), was_trained=Exists(trained))
        .filter(Q(in_register=True) | Q(mentoring=True))
        .values("organisation_id", "category")
        .annotate(n=Count("pk"), trained=Count("pk", filter=Q(was_trained=True)))
        .order_by()
    )
    result: dict[int, dict] = defaultdict(lambda: {"categories": {}, "trained": 0})
    for row in rows:
        entry = result[row["organisation_id"]]
        entry["categories"][row["category"]] = row["n"]
        entry["trained"] += row["trained"]
    return result


def _district_best_cases(district: Organisation, period: kpi.Period) -> list[BestCase]:
    """Best practices of the schools, without names: the district sees no one's personal data."""
    pairs = (
        Pair.objects.filter(_counted_pairs(period), district.schools_q("organisation"), is_best_practice=True)
        .select_related("organisation", "form", "role_model")
        .order_by("organisation__short_name", "organisation_id", "form__position", "pk")
    )
    return [
        BestCase(
            form=pair.form.name,
            role_model=pair.role_model.name if pair.role_model else "",
            mentor="",
            mentees="",
            term=f"{short_date(pair.starts_on)}–{short_date(pair.closed_on or pair.planned_end_on)}",
            state=_state(pair),
            description=pair.case_description,
            results=pair.case_results,
            school=pair.organisation.short_name,
        )
        for pair in pairs
    ]


DISTRICT_AREA = {
    "gen": "района",
    "prep": "районе",
    "dat": "району",
    "event": "муниципальном",
    "authority": "управления образования",
}
REGION_AREA = {
    "gen": "региона",
    "prep": "регионе",
    "dat": "региону",
    "event": "региональном",
    "authority": "министерства",
}


def area_words(authority: Organisation) -> dict[str, str]:
    """The words of the annual report that name its territory: «по району» / «по региону»."""
    return REGION_AREA if authority.is_region else DISTRICT_AREA


def _school_names(rows: Iterable[DistrictSchool]) -> str:
    return ", ".join(row.school.short_name for row in rows)


def district_conclusions(
    *,
    schools: list[DistrictSchool],
    totals: dict[str, kpi.Indicator],
    ranking: list[DistrictSchool],
    forms: list[FormRow],
    mentors_total: int,
    mentor_categories: dict[str, int],
    best_cases: list[BestCase],
    period: kpi.Period,
    area: dict[str, str] = DISTRICT_AREA,
) -> list[str]:
    count = len(schools)
    if not count:
        return ["К управлению образования не подключена ни одна школа: данных для доклада нет."]
    with_programme = sum(1 for row in schools if row.has_programme)
    sentences = [
        f"Программы наставничества за {period_phrase(period)} реализовывали {with_programme} из {count} "
        f"{plural(count, 'школы', 'школ', 'школ')} {area['gen']}."
    ]
    for code in _phrased_codes():
        sentence = _indicator_sentence(totals[code], where=f"в целом по {area['dat']}")
        if sentence is None:
            continue
        if totals[code].value is not None:
            reached = sum(1 for row in schools if row.indicators[code].status == kpi.OK)
            sentence = (
                sentence.rstrip(".") + f"; цели достигли {reached} из {count} {plural(count, 'школы', 'школ', 'школ')}."
            )
        sentences.append(sentence)
    ranked = [row for row in ranking if row.indicators[RANKING_CODE].value is not None]
    if len(ranked) > 1 and ranked[0].indicators[RANKING_CODE].value != ranked[-1].indicators[RANKING_CODE].value:
        first, last = ranked[0], ranked[-1]
        sentences.append(
            f"Наибольшая вовлечённость обучающихся — в {first.school.short_name} "
            f"({first.indicators[RANKING_CODE].display}), наименьшая — в {last.school.short_name} "
            f"({last.indicators[RANKING_CODE].display})."
        )
    if forms:
        total = forms[-1]
        by_form: dict[str, int] = defaultdict(int)
        for row in forms:
            if not row.is_subtotal:
                by_form[row.form] += row.total
        leading_form = max(by_form.items(), key=lambda item: item[1])
        sentences.append(
            f"В школах {area['gen']} работали наставнические пары и группы: {total.total}, наставляемых — "
            f"{total.mentees}; наиболее распространённая форма — «{leading_form[0]}» ({leading_form[1]})."
        )
    if mentors_total:
        parts = [
            f"{MENTOR_CATEGORY_TITLES[category].lower()} — {mentor_categories[category]}"
            for category in MENTOR_CATEGORIES
            if mentor_categories.get(category)
        ]
        sentences.append(f"В банке наставников {area['gen']} {mentors_total} чел., из них {', '.join(parts)}.")
    roadmap = totals["roadmap_completion"]
    if roadmap.denominator:
        late = [row for row in schools if row.overdue]
        sentence = (
            f"Мероприятия дорожных карт школ выполнены в срок: {roadmap.numerator} из {roadmap.denominator} "
            f"({roadmap.display})"
        )
        if late:
            sentence += (
                f"; просроченные мероприятия есть в {len(late)} {plural(len(late), 'школе', 'школах', 'школах')}"
            )
        sentences.append(sentence + ".")
    if best_cases:
        n = len(best_cases)
        schools_with = len({case.school for case in best_cases})
        sentences.append(
            f"Школы отметили {n} {plural(n, 'лучшую практику', 'лучшие практики', 'лучших практик')} наставничества "
            f"({schools_with} {plural(schools_with, 'школа', 'школы', 'школ')})."
        )
    else:
        sentences.append("Лучшие практики наставничества школами не отмечены.")
    return sentences


def district_default_recommendations(
    *,
    schools: list[DistrictSchool],
    totals: dict[str, kpi.Indicator],
    best_cases: list[BestCase],
    mentors_total: int,
    area: dict[str, str] = DISTRICT_AREA,
) -> str:
    """«Прогноз и задачи на следующий этап»: one numbered line per problem the numbers show."""
    lines = []
    without = [row for row in schools if not row.has_programme]
    if without:
        lines.append(f"Обеспечить запуск программ наставничества в школах: {_school_names(without)}.")
    below = [row for row in schools if row.indicators[RANKING_CODE].status in (kpi.WARN, kpi.BAD)]
    if below:
        lines.append(
            "Оказать методическую помощь школам с вовлечённостью обучающихся ниже целевого показателя "
            f"({totals[RANKING_CODE].target:g} %): {_school_names(below)}."
        )
    if totals["consent_coverage"].status in (kpi.WARN, kpi.BAD):
        lines.append("Обеспечить сбор согласий участников на обработку персональных данных во всех школах.")
    if totals["plan_fulfilment"].status in (kpi.WARN, kpi.BAD):
        lines.append("Усилить контроль выполнения индивидуальных планов наставнических пар и групп.")
    late = [row for row in schools if row.overdue]
    if late:
        lines.append(f"Выполнить просроченные мероприятия дорожных карт: {_school_names(late)}.")
    lines.append(
        f"Сформировать долгосрочный банк наставников {area['gen']}"
        + (f" на основе реестров школ ({mentors_total} чел.)" if mentors_total else "")
        + " и организовать обучение наставников."
    )
    if best_cases:
        lines.append(
            f"Обобщить опыт лучших практик наставничества на {area['event']} мероприятии и опубликовать кейсы "
            f"на сайте {area['authority']}."
        )
    else:
        lines.append("Организовать отбор лучших практик наставничества в школах и оформление их в кейсы.")
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))


def district_report(
    *,
    district: Organisation,
    period: kpi.Period,
    today: datetime.date | None = None,
    recommendations: str | None = None,
) -> dict:
    """Everything the district's annual report prints; a fixed number of queries whatever the
    number of schools. Totals are Σ numerators / Σ denominators (reports.analytics.kpi)."""
    if not district.is_authority:
        raise Http404
    today = today or timezone.localdate()
    as_of = period.as_of(today)
    result = kpi.district_indicators(district=district, period=period, today=today)
    with_programme = set(
        Programme.objects.filter(
            district.schools_q("organisation"), starts_on__lte=period.end, ends_on__gte=period.start
        )
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    overdue = dict(
        Occurrence.objects.filter(
            district.schools_q("organisation"),
            due_on__gte=period.start,
            due_on__lte=period.end,
            due_on__lt=as_of,
            status__in=Occurrence.OPEN,
        )
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("organisation_id", "n")
    )
    mentors = _district_mentors(district, period)
    schools = []
    for row in result.schools:
        school_mentors = mentors.get(row.school.pk, {"categories": {}, "trained": 0})
        schools.append(
            DistrictSchool(
                school=row.school,
                indicators=row.indicators,
                has_programme=row.school.pk in with_programme,
                overdue=overdue.get(row.school.pk, 0),
                mentors=school_mentors["categories"],
                mentors_total=sum(school_mentors["categories"].values()),
                trained=school_mentors["trained"],
            )
        )
    ranking = _ranking(schools)
    forms = _district_forms(district, period)
    best_cases = _district_best_cases(district, period)
    mentor_categories = {
        category: sum(row.mentors.get(category, 0) for row in schools) for category in MENTOR_CATEGORIES
    }
    mentors_total = sum(mentor_categories.values())
    totals = result.totals
    area = area_words(district)
    defaults = district_default_recommendations(
        schools=schools, totals=totals, best_cases=best_cases, mentors_total=mentors_total, area=area
    )
    text = defaults if recommendations is None else recommendations
    year_label = f"{school_year_label(period.school_year)} учебный год"
    return {
        "organisation": district,
        "district": district,
        "area": area,
        "period": period,
        "period_phrase": period_phrase(period),
        "year_label": year_label,
        "title": "Ежегодный аналитический доклад о развитии наставничества в образовательных организациях "
        + area["gen"],
        "subtitle": f"за {period_phrase(period)}",
        "as_of": as_of,
        "as_of_text": ru_date(as_of),
        "date_text": ru_date(today),
        "schools": schools,
        "schools_count": len(schools),
        "with_programme_count": sum(1 for row in schools if row.has_programme),
        "totals": totals,
        "total_cells": list(totals.values()),
        "rounding_note": ROUNDING_NOTE,
        "columns": [{"code": spec.code, "title": spec.short_title, "spec": spec} for spec in result.specs],
        "specs": result.specs,
        "ranking": ranking,
        "ranking_title": indicators.get(RANKING_CODE).title,
        "forms": forms,
        "mentor_categories": [(MENTOR_CATEGORY_TITLES[c], mentor_categories[c]) for c in MENTOR_CATEGORIES],
        "mentor_category_titles": [MENTOR_CATEGORY_TITLES[c] for c in MENTOR_CATEGORIES],
        "mentors_total": mentors_total,
        "trained_total": sum(row.trained for row in schools),
        "best_cases": best_cases,
        "conclusions": district_conclusions(
            schools=schools,
            totals=totals,
            ranking=ranking,
            forms=forms,
            mentors_total=mentors_total,
            mentor_categories=mentor_categories,
            best_cases=best_cases,
            period=period,
            area=area,
        ),
        "default_recommendations": defaults,
        "recommendations": text,
        "recommendation_paragraphs": paragraphs(text),
        "signer_position": district.director_position or "Руководитель",
        "signer_signature": signature_of(district.director_name) if district.director_name else "",
    }


def _ranking(schools: list[DistrictSchool]) -> list[DistrictSchool]:
    """Schools by the students' involvement, best first; equal values share a rank (kpi.rank_schools)."""
    rows = [kpi.SchoolRow(row.school, row.indicators) for row in schools]
    by_pk = {row.school.pk: row for row in schools}
    ranked = []
    for row in kpi.rank_schools(rows, RANKING_CODE):
        school = by_pk[row.school.pk]
        school.rank = row.rank
        ranked.append(school)
    return ranked


def district_period(params) -> kpi.Period:
    """?year=2025 (a school year near today), the current one otherwise."""
    value = str(params.get("year", "") or "")
    current = current_school_year()
    year = int(value) if value.isdigit() and current - 10 <= int(value) <= current + 1 else current
    return kpi.Period.of_school_year(year)


def _wrapped_sheet(*args, **kwargs) -> Sheet:
    """A sheet of the district files: long texts (a practice's description) wrap in their cell."""
    return Sheet(*args, wrap_long=True, **kwargs)


def _ratio_cells(indicator: kpi.Indicator) -> tuple:
    if indicator.suppressed:
        # A group under 5 (organisations.figures): its figures read «менее 5».
        width = 5 if indicator.kind == indicators.MEAN else 3
        return (SUPPRESSED_TEXT, *([None] * (width - 2)), SUPPRESSED_TEXT)
    if indicator.kind == indicators.MEAN:
        return (indicator.numerator, indicator.denominator, indicator.respondents, indicator.asked, indicator.value)
    return (indicator.numerator, indicator.denominator, indicator.value)


def district_report_xlsx(context: dict) -> bytes:
    """The report as a workbook written in write-only mode, a sheet per section."""
    district, specs = context["district"], context.get("specs") or indicators.all_indicators()
    codes = [spec.code for spec in specs]
    indicator_columns = [Column("Школа", 36)]
    for spec in specs:
        title = spec.short_title
        if spec.unit == indicators.MEAN:
            indicator_columns += [
                Column(f"{title}: сумма баллов", 12),
                Column(f"{title}: ответов", 12),
                Column(f"{title}: ответили, человек", 12),
                Column(f"{title}: опрошено, человек", 12),
                Column(f"{title}, {spec.label}", 12),
            ]
        else:
            indicator_columns += [
                Column(f"{title}: учтено", 12),
                Column(f"{title}: всего", 12),
                Column(f"{title}, {spec.label}" if spec.label else title, 12),
            ]

    def indicator_rows():
        for row in context["schools"]:
            yield [row.school.short_name, *(v for code in codes for v in _ratio_cells(row.indicators[code]))]
        yield [
            f"Итого по {context['area']['dat']}",
            *(v for code in codes for v in _ratio_cells(context["totals"][code])),
        ]

    ranking_rows = [
        [
            row.rank,
            row.school.short_name,
            SUPPRESSED_TEXT if row.indicators[RANKING_CODE].suppressed else row.indicators[RANKING_CODE].value,
            row.indicators[RANKING_CODE].status_label,
        ]
        for row in context["ranking"]
    ]
    form_rows = [
        [row.form, row.role_model, row.total, row.working, row.closed, row.mentees] for row in context["forms"]
    ]
    mentor_rows = [
        [row.school.short_name, *row.mentor_cells, row.mentors_total_shown, row.trained_shown]
        for row in context["schools"]
    ]
    mentor_rows.append(
        [
            f"Итого по {context['area']['dat']}",
            *(n for _, n in context["mentor_categories"]),
            context["mentors_total"],
            context["trained_total"],
        ]
    )
    case_rows = [
        [case.school, case.form, case.role_model, case.term, case.state, case.description, case.results]
        for case in context["best_cases"]
    ]
    heading = f"{context['title']} {context['subtitle']}"
    sheets = [
        _wrapped_sheet(
            "Показатели",
            f"Показатели мониторинга по школам — {district.short_name}, {context['period'].label}",
            indicator_columns,
            indicator_rows(),
            notes=(
                f"Итог по {context['area']['dat']} — сумма числителей, делённая на сумму знаменателей школ.",
                ROUNDING_NOTE,
                *(f"{spec.title}: {spec.formula_text}." for spec in specs if spec.formula_text),
            ),
        ),
        _wrapped_sheet(
            "Рейтинг",
            f"Рейтинг школ: {context['ranking_title'].lower()}",
            [Column("Место", 8), Column("Школа", 36), Column("Значение, %", 14), Column("Статус", 18)],
            ranking_rows,
        ),
        _wrapped_sheet(
            "Формы наставничества",
            "Наставнические пары и группы по формам",
            [
                Column("Форма", 30),
                Column("Ролевая модель", 30),
                Column("Всего", 10),
                Column("Работают", 10),
                Column("Завершены", 10),
                Column("Наставляемых", 14),
            ],
            form_rows,
        ),
        _wrapped_sheet(
            "Наставники",
            "Наставники по категориям",
            [
                Column("Школа", 36),
                *(Column(title, 14) for title in context["mentor_category_titles"]),
                Column("Всего", 10),
                Column("Прошли обучение", 14),
            ],
            mentor_rows,
        ),
        _wrapped_sheet(
            "Лучшие практики",
            "Лучшие практики наставничества школ",
            [
                Column("Школа", 30),
                Column("Форма", 24),
                Column("Ролевая модель", 24),
                Column("Срок", 22),
                Column("Состояние", 18),
                Column("Описание практики", 60),
                Column("Результаты", 60),
            ],
            case_rows,
        ),
        _wrapped_sheet(
            "Выводы",
            heading,
            [Column("Выводы", 120)],
            [[sentence] for sentence in context["conclusions"]]
            + [[""], ["Прогноз и задачи на следующий этап"]]
            + [[line] for line in context["recommendation_paragraphs"]],
        ),
    ]
    return write_workbook(sheets)


# --- District: the mentor registers received from schools ----------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    name: str
    who: str
    organisation: str
    competencies: str
    basis: str


@dataclass
class SchoolRegister:
    school: Organisation
    rows: list[RegisterRow]
    orders: list[str]  # «от 25.10.2025 № 56-ОД» of the approved register orders
    left_out: int = 0  # current register only: people without a valid consent
    # Counted, not named: no valid consent to the transfer to the education authority (156-ФЗ).
    unnamed: int = 0

    @property
    def people_count(self) -> int:
        return len(self.rows) + self.unnamed

    @property
    def from_orders(self) -> bool:
        return bool(self.orders)


def _who(category: str, class_name: str, position: str, gender: str = "") -> str:
    if category == Person.Category.STUDENT:
        word = agreeing(gender, "обучающийся", "обучающаяся")
        return f"{word} {class_name}" if class_name else word
    return position or Person.Category(category).label


def district_registers(*, district: Organisation, year: int) -> list[SchoolRegister]:
    """Each school's approved mentor register of the school year: the rows of its approved orders
    «Об утверждении реестра наставников» (their snapshot, as signed); a school without such an
    order gives its current register (approved and working mentors with a valid consent).
    Three queries whatever the number of schools."""
    if not district.is_district:
        raise Http404
    schools = list(district.schools.order_by("short_name", "pk"))
    start, end = datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)
    orders = (
        Order.objects.filter(
            organisation__parent=district,
            kind__in=codes_where(lambda t: t.approves_register),
            status=Order.Status.APPROVED,
        )
        .filter(
            Q(programme__school_year=year) | Q(programme__isnull=True, approved_on__gte=start, approved_on__lte=end)
        )
        .only("pk", "organisation_id", "approved_on", "number_label", "number", "snapshot")
        .order_by("approved_on", "number", "pk")
    )
    from_orders: dict[int, SchoolRegister] = {}
    seen: dict[int, set] = defaultdict(set)
    orders = list(orders)
    # The transfer gate on signed registers: a row carries its person (orders since 156-ФЗ).
    snapshot_people = {
        row["person_id"]
        for order in orders
        for row in (order.snapshot or {}).get("register", [])
        if row.get("person_id") is not None
    }
    transferable = people_allowed(person_ids=snapshot_people, purpose=ConsentPurpose.AUTHORITY_TRANSFER)
    for order in orders:
        register_ = from_orders.setdefault(order.organisation_id, SchoolRegister(school=None, rows=[], orders=[]))
        register_.orders.append(order.label)
        for row in (order.snapshot or {}).get("register", []):
            key = row.get("person_id") or (row.get("name", ""), row.get("who", ""))
            if key in seen[order.organisation_id]:
                continue  # a later order that repeats a mentor
            seen[order.organisation_id].add(key)
            if row.get("person_id") is not None and row["person_id"] not in transferable:
                register_.unnamed += 1
                continue
            register_.rows.append(
                RegisterRow(
                    name=row.get("name", ""),
                    who=row.get("who", ""),
                    organisation=row.get("organisation", ""),
                    competencies=row.get("competencies", ""),
                    basis=f"приказ {order.label}",
                )
            )
    missing = [school.pk for school in schools if school.pk not in from_orders]
    current: dict[int, SchoolRegister] = {}
    if missing:
        entries = (
            MentorEntry.objects.filter(
                organisation_id__in=missing,
                school_year=year,
                status__in=kpi.REGISTER_STATUSES,
                person__anonymised_at__isnull=True,
            )
            .annotate(
                consented=valid_consent_exists(person_field="person"),
                transferable=valid_consent_exists(purpose=ConsentPurpose.AUTHORITY_TRANSFER, person_field="person"),
            )
            .select_related("person", "person__partner")
            .order_by("person__last_name", "person__first_name", "person__patronymic", "pk")
        )
        for entry in entries:
            register_ = current.setdefault(entry.organisation_id, SchoolRegister(school=None, rows=[], orders=[]))
            if not entry.consented:
                register_.left_out += 1
                continue
            if not entry.transferable:
                register_.unnamed += 1
                continue
            person = entry.person
            gender = gender_of(person)
            approved = agreeing(gender, "утверждён", "утверждена")
            basis = (
                f"{approved} {short_date(entry.approved_on)}, приказ в системе не оформлен"
                if entry.approved_on
                else "приказ в системе не оформлен"
            )
            register_.rows.append(
                RegisterRow(
                    name=person.full_name,
                    who=_who(person.category, person.class_name, person.position, gender),
                    organisation=person.partner.name if person.partner_id else "",
                    competencies=entry.competencies,
                    basis=basis,
                )
            )
    result = []
    for school in schools:
        register_ = from_orders.get(school.pk) or current.get(school.pk) or SchoolRegister(None, [], [])
        register_.school = school
        result.append(register_)
    return result


REGISTER_COLUMNS = (
    Column("Школа", 30),
    Column("№", 6),
    Column("ФИО наставника", 32),
    Column("Должность (класс)", 24),
    Column("Организация", 24),
    Column("Компетенции", 40),
    Column("Основание", 34),
)


def registers_xlsx(*, district: Organisation, year: int, registers: list[SchoolRegister]) -> bytes:
    """A summary sheet (a row per school) and one sheet of every school's mentors with a school column."""
    label = school_year_label(year)
    summary = [
        [
            register_.school.short_name,
            "; ".join(register_.orders) if register_.orders else "текущий реестр (приказ не утверждён)",
            register_.people_count,
            register_.unnamed or None,
            register_.left_out or None,
        ]
        for register_ in registers
    ]

    def rows():
        for register_ in registers:
            for n, row in enumerate(register_.rows, start=1):
                yield [register_.school.short_name, n, row.name, row.who, row.organisation, row.competencies, row.basis]

    return write_workbook(
        [
            _wrapped_sheet(
                "Сводка",
                f"Реестры наставников школ — {district.short_name}, {label} учебный год",
                [
                    Column("Школа", 36),
                    Column("Основание", 50),
                    Column("Наставников", 14),
                    Column("Без имени: нет согласия на передачу", 18),
                    Column("Не выгружено: нет согласия", 16),
                ],
                summary,
            ),
            _wrapped_sheet("Реестры", f"Реестры наставников школ, {label} учебный год", REGISTER_COLUMNS, rows()),
        ]
    )


# --- Exporters (reports.exports.base.REGISTRY): built by a background task for a large district ---------


class _DistrictExporter(Exporter):
    capability = "reports.view"
    background = True
    # A district of fewer schools is answered in the request: its file takes a second or two.
    background_from_schools = 10

    def in_background(self, *, organisation, params) -> bool:
        if not self.background or not organisation.is_authority:
            return False
        return organisation.schools_below().count() >= self.background_from_schools


class DistrictReportExporter(_DistrictExporter):
    """The annual analytical report as PDF (fmt="pdf") or XLSX."""

    identifier = "district-report"
    title = "Ежегодный аналитический доклад о развитии наставничества"

    formats = ("xlsx", "pdf")
    personal_data = False  # aggregates of the schools

    def render(self, *, organisation, params, fmt: str = "xlsx", context=None) -> ExportResult:
        period = district_period(params)
        text = params.get("recommendations")
        if text is not None:
            text = str(text)[:RECOMMENDATIONS_MAX_LENGTH]
        context = district_report(district=organisation, period=period, recommendations=text)
        if fmt == "pdf":
            content, content_type = render_pdf(template_name=DISTRICT_PDF_TEMPLATE, context=context), PDF_CONTENT_TYPE
        else:
            fmt, content, content_type = "xlsx", district_report_xlsx(context), XLSX_CONTENT_TYPE
        filename = f"district-report-{organisation.slug}-{period.school_year}.{fmt}"
        return ExportResult(filename=filename, content_type=content_type, content=content)


class DistrictRegistersExporter(_DistrictExporter):
    """Every school's mentor register as one XLSX; it names people: the export is journalled."""

    identifier = "district-registers"
    title = "Реестры наставников школ района"

    personal_data = True

    def render(self, *, organisation, params, fmt: str = "xlsx", context=None) -> ExportResult:
        year = district_period(params).school_year
        registers = district_registers(district=organisation, year=year)
        content = registers_xlsx(district=organisation, year=year, registers=registers)
        return ExportResult(
            filename=f"mentor-registers-{organisation.slug}-{year}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
            content=content,
            people_count=sum(len(register_.rows) for register_ in registers),  # named ones only
        )
