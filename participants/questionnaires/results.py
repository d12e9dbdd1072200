"""Questionnaire results (DESIGN.md §5): per question, entry against exit, quarterly dynamics,
the satisfaction and growth numbers the KPIs take (the XLSX file of a questionnaire is written
by reports.analytics.questionnaire_results from these numbers).

Every read starts from the organisation and counts only submitted responses of people whose
participation consent is valid now: a withdrawal stops processing at once (152-ФЗ), so the
pages, the file and the KPIs agree on what they count.

Answers are stored as ``{str(question_id): value}`` (participants.questionnaires.services):
scales as integers, a single choice as its text, several choices as a list of texts, yes/no as
a boolean, text as text; an unanswered optional question is "", [] or null. Django's JSON key
lookups read a numeric key as an array index, so AnswerValue and AnswerNumber extract a key in
SQL themselves, for SQLite and PostgreSQL (the two databases the product runs on). Scales,
single choices and yes/no are counted and averaged in the database, in one query whatever the
number of responses; the lists of several choices and the texts are read in one more query and
counted here (neither database offers a portable "this JSON array contains" test).

Versions. Editing a questionnaire that was sent makes a new version (``replaces``); a reworded
question may mean something else, so questions of two versions are NOT merged: results are per
version, and the page switches between the versions of a lineage (template_versions).

Items across phases. Entry against exit and the quarterly table compare questions of different
templates; they are matched by text, not by position (the standard exit questionnaire asks
about satisfaction first, the entry one about needs). Rule: two scale questions are the same
item when their texts are equal after folding case, «ё» to «е», runs of spaces and the final
punctuation, and their scales are the same (1–10 or 1–5). All versions of every template of
the audience and phase visible to the school take part; inside one template only the first
question with a given text counts. The wording shown is that of the newest template.
"""

import datetime
import json
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import reduce

from django.db import NotSupportedError
from django.db.models import Avg, Count, Exists, F, FloatField, Func, OuterRef, Q, QuerySet, Subquery, Sum, TextField
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear

from organisations.figures import is_small, round_half_up, suppress_cells, whole_percent
from organisations.models import Organisation
from participants.models import MentoringForm, Person, Question, QuestionnaireTemplate, Response, normalise_for_search
from participants.questionnaires.services import templates_for
from participants.selectors import valid_consent_exists

Kind = Question.Kind
Audience = QuestionnaireTemplate.Audience
Phase = QuestionnaireTemplate.Phase

SCALE_MAX = {Kind.SCALE_10: 10, Kind.SCALE_5: 5}
TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)
MENTEE_AUDIENCES = (Audience.STUDENT_MENTEE, Audience.TEACHER_MENTEE)
YES, NO = "Да", "Нет"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# --- Reading one answer in SQL ----------------------------------------------------------------


class _Answer(Func):
    def __init__(self, question_id: int, field_name: str = "answers"):
        self.question_id = int(question_id)
        super().__init__(F(field_name))

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("Questionnaire results are computed on SQLite or PostgreSQL only.")

    def _column(self, compiler):
        return compiler.compile(self.source_expressions[0])


class AnswerValue(_Answer):
    """The answer to one question as text: "7", "true"/"false", the chosen text; NULL when absent."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        column, params = self._column(compiler)
        path = f'$."{self.question_id}"'
        sql = (
            f"CASE json_type({column}, %s) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
            f"ELSE CAST(json_extract({column}, %s) AS TEXT) END"
        )
        return sql, (*params, path, *params, path)

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = self._column(compiler)
        return f"jsonb_extract_path_text({column}, %s::text)", (*params, str(self.question_id))


class AnswerNumber(_Answer):
    """The answer to one question when it is a number (a scale), else NULL."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        column, params = self._column(compiler)
        path = f'$."{self.question_id}"'
        sql = f"CASE WHEN json_type({column}, %s) IN ('integer', 'real') THEN json_extract({column}, %s) END"
        return sql, (*params, path, *params, path)

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = self._column(compiler)
        key = str(self.question_id)
        sql = (
            f"CASE WHEN jsonb_typeof({column} -> %s::text) = 'number' "
            f"THEN ({column} ->> %s::text)::double precision END"
        )
        return sql, (*params, key, *params, key)


# --- Filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsFilter:
    """Who and when: the respondent's mentoring form, class or pair, and the dates of answering.

    Form and pair mean pairs (not drafts) of the school where the respondent is the mentor or a
    mentee; the class is the respondent's own (grade and letter, «7Б»). Pairs live above this app,
    so the people of those pairs come in as ``pair_people``, a subquery of person ids built by
    mentorship.selectors.results_filter; ``form`` and ``pair`` then only name the choice.
    """

    form: MentoringForm | None = None
    grade: int | None = None
    class_letter: str = ""
    pair: object | None = None  # a mentorship Pair: its mentor's name goes into the file's header
    start: datetime.date | None = None
    end: datetime.date | None = None
    pair_people: QuerySet | None = None

    def __post_init__(self):
        # A form or pair without its people would silently count everyone.
        if (self.form is not None or self.pair is not None) and self.pair_people is None:
            raise ValueError("A form or pair filter needs pair_people (mentorship.selectors.results_filter).")

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.class_letter}" if self.grade else ""

    def person_condition(self, organisation: Organisation, *, person_ref: str) -> Q:
        """A condition on the respondent; person_ref is "pk" for people, "person" for responses."""
        prefix = "" if person_ref == "pk" else f"{person_ref}__"
        condition = Q()
        if self.grade is not None:
            condition &= Q(**{f"{prefix}grade": self.grade, f"{prefix}class_letter": self.class_letter})
        if self.pair_people is not None:
            condition &= Q(**{f"{prefix}pk__in": self.pair_people})
        return condition

    def in_period(self, responses):
        if self.start is not None:
            responses = responses.filter(submitted_at__date__gte=self.start)
        if self.end is not None:
            responses = responses.filter(submitted_at__date__lte=self.end)
        return responses

    def describe(self) -> list[str]:
        """The filters in Russian, for the file's header."""
        parts = []
        if self.form is not None:
            parts.append(f"форма наставничества «{self.form.name}»")
        if self.grade is not None:
            parts.append(f"класс {self.class_name}")
        if self.pair is not None:
            parts.append(f"пара (группа) наставника {self.pair.mentor.short_name}")
        if self.start is not None:
            parts.append(f"ответы с {self.start:%d.%m.%Y}")
        if self.end is not None:
            parts.append(f"ответы по {self.end:%d.%m.%Y}")
        return parts


NO_FILTER = ResultsFilter()


def submitted_responses(organisation: Organisation, *, filters: ResultsFilter = NO_FILTER):
    """Submitted responses of the school's people with a valid consent, filtered."""
    responses = Response.objects.filter(organisation=organisation, submitted_at__isnull=False).filter(
        valid_consent_exists(person_field="person")
    )
    responses = responses.filter(filters.person_condition(organisation, person_ref="person"))
    return filters.in_period(responses)


def responses_left_out(organisation: Organisation, *, template, filters: ResultsFilter = NO_FILTER) -> int:
    """Submitted responses to the template that are not counted: the person has no valid consent."""
    responses = Response.objects.filter(organisation=organisation, template=template, submitted_at__isnull=False)
    responses = responses.exclude(valid_consent_exists(person_field="person"))
    responses = responses.filter(filters.person_condition(organisation, person_ref="person"))
    return filters.in_period(responses).count()


# --- Versions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    pk: int
    version: int
    title: str
    created_at: datetime.datetime
    is_current: bool


def template_versions(organisation: Organisation, *, template: QuestionnaireTemplate) -> list[Version]:
    """Every version of the template's lineage the school sees (linked by ``replaces``): one query."""
    rows = list(
        templates_for(organisation=organisation)
        .filter(audience=template.audience, phase=template.phase)
        .values("pk", "replaces_id", "version", "title", "created_at", "is_current")
    )
    neighbours: dict[int, set[int]] = {row["pk"]: set() for row in rows}
    for row in rows:
        if row["replaces_id"] in neighbours:
            neighbours[row["pk"]].add(row["replaces_id"])
            neighbours[row["replaces_id"]].add(row["pk"])
    lineage, queue = {template.pk}, [template.pk]
    while queue:
        for other in neighbours.get(queue.pop(), ()):
            if other not in lineage:
                lineage.add(other)
                queue.append(other)
    return sorted(
        (
            Version(row["pk"], row["version"], row["title"], row["created_at"], row["is_current"])
            for row in rows
            if row["pk"] in lineage
        ),
        key=lambda v: (v.version, v.created_at, v.pk),
    )


# --- Results of one questionnaire -----------------------------------------------------------


@dataclass(frozen=True)
class Share:
    label: str
    count: int | None  # None: hidden, a group under MIN_GROUP (organisations.figures)
    percent: int | None  # whole percent, half up (organisations.figures), as every figure of the product

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    distribution: tuple[Share, ...] = ()
    mean: float | None = None
    texts: tuple[str, ...] = ()
    suppressed: bool = False  # fewer than MIN_GROUP answered: nothing of it is shown

    @property
    def is_scale(self) -> bool:
        return self.question.kind in SCALE_MAX

    @property
    def is_text(self) -> bool:
        return self.question.kind in TEXT_KINDS

    @property
    def scale_max(self) -> int | None:
        return SCALE_MAX.get(self.question.kind)

    def chart(self) -> dict | None:
        """What questionnaire-charts.js draws for the question; None for a text question."""
        if self.is_text:
            return None
        return {
            "canvas": f"chart-q{self.question.pk}",
            "type": "bar",
            "horizontal": self.question.kind == Kind.MULTIPLE,
            "labels": [share.label for share in self.distribution],
            "datasets": [{"label": "Ответов", "data": [share.count for share in self.distribution]}],
            "integer": True,
        }


@dataclass(frozen=True)
class TemplateResults:
    template: QuestionnaireTemplate
    responses: int
    left_out: int
    questions: list[QuestionResult]
    suppressed: bool = False  # fewer than MIN_GROUP responses: no question is shown

    def charts(self) -> list[dict]:
        return [chart for result in self.questions if (chart := result.chart()) is not None]


def _shares(pairs: Sequence[tuple[str, int]], answered: int) -> tuple[Share, ...]:
    return tuple(Share(label, count, whole_percent(count, answered) or 0) for label, count in pairs)


def _value_labels(question: Question) -> list[tuple[str, object]]:
    """(label, stored value as AnswerValue/AnswerNumber gives it) for every possible answer."""
    if question.kind in SCALE_MAX:
        return [(str(v), v) for v in range(1, SCALE_MAX[question.kind] + 1)]
    if question.kind == Kind.YES_NO:
        return [(YES, "true"), (NO, "false")]
    if question.kind == Kind.SINGLE:
        return [(choice, choice) for choice in question.choices]
    if question.kind == Kind.MULTIPLE:
        return [(choice, choice) for choice in question.choices]
    return []


def template_results(
    organisation: Organisation, *, template: QuestionnaireTemplate, filters: ResultsFilter = NO_FILTER
) -> TemplateResults:
    """Per question: answered, the distribution, the mean of a scale, the texts. Four queries at most."""
    questions = list(template.questions.all())
    responses = submitted_responses(organisation, filters=filters).filter(template=template)
    aliases, aggregates = {}, {"responses": Count("pk")}
    for question in questions:
        key = f"q{question.pk}"
        if question.kind in SCALE_MAX:
            aliases[key] = AnswerNumber(question.pk)
            aggregates[f"{key}_mean"] = Avg(key)
        elif question.kind in (Kind.SINGLE, Kind.YES_NO):
            aliases[key] = AnswerValue(question.pk)
        else:
            continue
        for index, (_, value) in enumerate(_value_labels(question)):
            aggregates[f"{key}_{index}"] = Count("pk", filter=Q(**{key: value}))
    totals = responses.annotate(**aliases).aggregate(**aggregates)

    # Several choices and texts: read those answers only, in one query, and count them here.
    listed = [q for q in questions if q.kind == Kind.MULTIPLE or q.kind in TEXT_KINDS]
    read: dict[int, list] = {q.pk: [] for q in listed}
    if listed and totals["responses"]:
        names = {f"t{q.pk}": AnswerValue(q.pk) for q in listed}
        for row in responses.annotate(**names).order_by("submitted_at", "pk").values_list(*names):
            for question, value in zip(listed, row, strict=True):
                if value not in (None, ""):
                    read[question.pk].append(value)

    results = []
    for question in questions:
        key = f"q{question.pk}"
        if question.kind in TEXT_KINDS:
            texts = tuple(text.strip() for text in read[question.pk] if text.strip())
            results.append(QuestionResult(question, answered=len(texts), texts=texts))
        elif question.kind == Kind.MULTIPLE:
            chosen = [json.loads(value) for value in read[question.pk]]
            chosen = [set(value) for value in chosen if isinstance(value, list) and value]
            counts = [(choice, sum(choice in picked for picked in chosen)) for choice in question.choices]
            results.append(QuestionResult(question, answered=len(chosen), distribution=_shares(counts, len(chosen))))
        else:
            counts = [(label, totals[f"{key}_{i}"]) for i, (label, _) in enumerate(_value_labels(question))]
            answered = sum(count for _, count in counts)
            mean = totals.get(f"{key}_mean")
            results.append(
                QuestionResult(
                    question,
                    answered=answered,
                    distribution=_shares(counts, answered),
                    mean=float(mean) if mean is not None else None,
                )
            )
    left_out = responses_left_out(organisation, template=template, filters=filters)
    return TemplateResults(template=template, responses=totals["responses"], left_out=left_out, questions=results)


def suppress_template_results(results: TemplateResults) -> TemplateResults:
    """The results as a district or region user (or anyone without «participants.view») sees them:
    no group under MIN_GROUP (organisations.figures), no free texts."""
    if is_small(results.responses):
        return replace(results, questions=[], suppressed=True, left_out=0)
    questions = []
    for result in results.questions:
        if is_small(result.answered) or result.is_text:
            questions.append(
                replace(result, distribution=(), mean=None, texts=(), suppressed=is_small(result.answered))
            )
            continue
        hidden = suppress_cells([share.count for share in result.distribution])
        shares = tuple(
            Share(share.label, None, None) if index in hidden else share
            for index, share in enumerate(result.distribution)
        )
        questions.append(replace(result, distribution=shares))
    return replace(results, questions=questions, left_out=0 if is_small(results.left_out) else results.left_out)


# --- Items matched across templates ----------------------------------------------------------

_TRAILING = " .,;:!?…"


def item_key(text: str, kind: str) -> tuple[str, str]:
    """Two questions with equal keys are the same item (see the module's docstring)."""
    return " ".join(normalise_for_search(text).split()).rstrip(_TRAILING), kind


@dataclass
class _Group:
    text: str
    kind: str
    questions: list[tuple[int, int]] = field(default_factory=list)  # (question pk, template pk)


def _scale_groups(organisation: Organisation, *, audience: str, phase: str) -> dict[tuple[str, str], _Group]:
    """Scale questions of every template of the audience and phase, grouped by item: one query."""
    rows = (
        Question.objects.filter(
            template__in=templates_for(organisation=organisation).filter(audience=audience, phase=phase),
            kind__in=list(SCALE_MAX),
        )
        .order_by("-template__created_at", "-template_id", "position", "pk")
        .values("pk", "text", "kind", "template_id")
    )
    groups: dict[tuple[str, str], _Group] = {}
    seen: set = set()
    for row in rows:
        key = item_key(row["text"], row["kind"])
        if (row["template_id"], key) in seen:
            continue
        seen.add((row["template_id"], key))
        groups.setdefault(key, _Group(row["text"], row["kind"])).questions.append((row["pk"], row["template_id"]))
    return groups


def _number_of(question_ids: Sequence[int]):
    """One number from whichever of the questions the response has (each response has one)."""
    numbers = [AnswerNumber(pk) for pk in sorted(question_ids)]
    return numbers[0] if len(numbers) == 1 else Coalesce(*numbers, output_field=FloatField())


# --- Entry against exit -----------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    text: str
    kind: str
    entry: tuple[tuple[int, int], ...]
    exit: tuple[tuple[int, int], ...]

    @property
    def scale_max(self) -> int:
        return SCALE_MAX[self.kind]


@dataclass(frozen=True)
class ItemGrowth:
    item: Item
    participants: int  # people with both an entry and an exit answer to the item
    entry_mean: float | None
    exit_mean: float | None
    growth: float | None  # mean of (exit − entry) over those people


@dataclass(frozen=True)
class Growth:
    audience: str
    items: list[ItemGrowth]
    participants: int  # people with both answers to at least one item

    @property
    def mean(self) -> float | None:
        """Mean growth over the items, each item weighing the same."""
        values = [item.growth for item in self.items if item.growth is not None]
        return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class ParticipantRow:
    person: Person
    values: tuple[tuple[float | None, float | None, float | None], ...]  # per item: entry, exit, growth


@dataclass(frozen=True)
class EntryExit:
    growth: Growth
    participants: list[ParticipantRow]
    suppressed: bool = False  # fewer than MIN_GROUP answered both: nothing is shown

    @property
    def items(self) -> list[Item]:
        return [item.item for item in self.growth.items]

    def chart(self) -> dict | None:
        if not self.growth.items:
            return None
        return {
            "canvas": "chart-entry-exit",
            "type": "bar",
            "horizontal": True,
            "labels": [item.item.text for item in self.growth.items],
            "datasets": [
                {"label": "На входе", "data": [_round(item.entry_mean) for item in self.growth.items]},
                {"label": "На выходе", "data": [_round(item.exit_mean) for item in self.growth.items]},
            ],
            "max": max(item.item.scale_max for item in self.growth.items),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round_half_up(value, 2)


def suppress_entry_exit(result: EntryExit) -> EntryExit:
    """Entry against exit without names and without an item answered by fewer than MIN_GROUP people."""
    if is_small(result.growth.participants):
        return EntryExit(growth=replace(result.growth, items=[], participants=0), participants=[], suppressed=True)
    items = [
        replace(item, participants=None, entry_mean=None, exit_mean=None, growth=None)
        if is_small(item.participants)
        else item
        for item in result.growth.items
    ]
    return EntryExit(growth=replace(result.growth, items=items), participants=[])


def entry_exit_items(organisation: Organisation, *, audience: str) -> list[Item]:
    """Scale items asked both on entry and on exit of the audience: two queries."""
    entry = _scale_groups(organisation, audience=audience, phase=Phase.ENTRY)
    exit_ = _scale_groups(organisation, audience=audience, phase=Phase.EXIT)
    return [
        Item(group.text, group.kind, tuple(entry[key].questions), tuple(group.questions))
        for key, group in exit_.items()
        if key in entry
    ]


def _latest_answer(organisation: Organisation, questions, filters: ResultsFilter):
    """The person's answer in their latest submitted response (in the period) that answered the item."""
    templates = {template_pk for _, template_pk in questions}
    responses = Response.objects.filter(
        organisation=organisation, person=OuterRef("pk"), submitted_at__isnull=False, template_id__in=templates
    )
    responses = filters.in_period(responses).annotate(value=_number_of([pk for pk, _ in questions]))
    latest = responses.filter(value__isnull=False).order_by("-submitted_at", "-pk").values("value")[:1]
    return Subquery(latest, output_field=FloatField())


def _people_with_answers(organisation: Organisation, *, items: list[Item], filters: ResultsFilter):
    """People with a valid consent who answered an entry or exit questionnaire of the items,
    each with e<i> and x<i>: the entry and exit answers to item i."""
    templates = {template_pk for item in items for _, template_pk in (*item.entry, *item.exit)}
    answered = filters.in_period(
        Response.objects.filter(
            organisation=organisation, person=OuterRef("pk"), submitted_at__isnull=False, template_id__in=templates
        )
    )
    people = (
        Person.objects.filter(organisation=organisation)
        .filter(valid_consent_exists())
        .filter(filters.person_condition(organisation, person_ref="pk"))
        .filter(Exists(answered))
    )
    annotations = {}
    for index, item in enumerate(items):
        annotations[f"e{index}"] = _latest_answer(organisation, item.entry, filters)
        annotations[f"x{index}"] = _latest_answer(organisation, item.exit, filters)
    return people.annotate(**annotations)


def _growth_of(people, *, audience: str, items: list[Item]) -> Growth:
    if not items:
        return Growth(audience=audience, items=[], participants=0)

    def both(index):
        return Q(**{f"e{index}__isnull": False, f"x{index}__isnull": False})

    aggregates = {"participants": Count("pk", filter=reduce(operator.or_, (both(i) for i in range(len(items)))))}
    for i in range(len(items)):
        aggregates[f"n{i}"] = Count("pk", filter=both(i))
        aggregates[f"entry{i}"] = Avg(f"e{i}", filter=both(i))
        aggregates[f"exit{i}"] = Avg(f"x{i}", filter=both(i))
        aggregates[f"growth{i}"] = Avg(F(f"x{i}") - F(f"e{i}"))
    totals = people.aggregate(**aggregates)

    def number(key):
        return None if totals[key] is None else float(totals[key])

    return Growth(
        audience=audience,
        items=[
            ItemGrowth(item, totals[f"n{i}"], number(f"entry{i}"), number(f"exit{i}"), number(f"growth{i}"))
            for i, item in enumerate(items)
        ],
        participants=totals["participants"],
    )


def entry_exit(organisation: Organisation, *, audience: str, filters: ResultsFilter = NO_FILTER) -> EntryExit:
    """Per participant the entry and exit answers and the growth; per item the means. Four queries.

    A participant's entry (exit) answer to an item is the one in their latest submitted entry
    (exit) response that answered it; growth = exit − entry.
    """
    items = entry_exit_items(organisation, audience=audience)
    if not items:
        return EntryExit(growth=Growth(audience=audience, items=[], participants=0), participants=[])
    people = _people_with_answers(organisation, items=items, filters=filters)
    rows = []
    ordered = people.only("pk", "last_name", "first_name", "patronymic", "grade", "class_letter", "category")
    for person in ordered.order_by("last_name", "first_name", "patronymic", "pk"):
        values = []
        for index in range(len(items)):
            entry, exit_ = getattr(person, f"e{index}"), getattr(person, f"x{index}")
            entry = None if entry is None else float(entry)
            exit_ = None if exit_ is None else float(exit_)
            values.append((entry, exit_, exit_ - entry if entry is not None and exit_ is not None else None))
        rows.append(ParticipantRow(person=person, values=tuple(values)))
    return EntryExit(growth=_growth_of(people, audience=audience, items=items), participants=rows)


def growth(
    organisation: Organisation,
    *,
    audience: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    filters: ResultsFilter | None = None,
) -> Growth:
    """The growth indicator (DESIGN §5: exit − entry per item) of one audience: three queries.

    ``start``/``end`` bound the dates of the responses taken (e.g. a school year); ``Growth.mean``
    is the mean over the items, ``Growth.items`` the growth of each.
    """
    filters = filters or ResultsFilter(start=start, end=end)
    items = entry_exit_items(organisation, audience=audience)
    people = _people_with_answers(organisation, items=items, filters=filters) if items else None
    return _growth_of(people, audience=audience, items=items)


# --- Satisfaction ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Satisfaction:
    """Mean of the 1–10 items of exit questionnaires: every answer to such an item weighs the same."""

    mentees: float | None
    mentors: float | None
    mentee_responses: int
    mentor_responses: int


def satisfaction(
    organisation: Organisation,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    filters: ResultsFilter | None = None,
) -> Satisfaction:
    """The satisfaction indicator of mentees (students and teachers) and of mentors: two queries."""
    filters = filters or ResultsFilter(start=start, end=end)
    audiences = [Audience.MENTOR, *MENTEE_AUDIENCES]
    exit_templates = templates_for(organisation=organisation).filter(phase=Phase.EXIT, audience__in=audiences)
    questions = list(
        Question.objects.filter(template__in=exit_templates, kind=Kind.SCALE_10).values_list("pk", "template__audience")
    )
    responses = submitted_responses(organisation, filters=filters).filter(
        template__phase=Phase.EXIT, template__audience__in=audiences
    )
    aggregates = {
        "mentee_responses": Count("pk", filter=Q(template__audience__in=MENTEE_AUDIENCES)),
        "mentor_responses": Count("pk", filter=Q(template__audience=Audience.MENTOR)),
    }
    for pk, _ in questions:
        aggregates[f"s{pk}"] = Sum(AnswerNumber(pk))
        aggregates[f"c{pk}"] = Count(AnswerNumber(pk))
    totals = responses.aggregate(**aggregates)

    def mean(group) -> float | None:
        keys = [pk for pk, audience in questions if audience in group]
        count = sum(totals[f"c{pk}"] for pk in keys)
        return sum(float(totals[f"s{pk}"] or 0) for pk in keys) / count if count else None

    return Satisfaction(
        mentees=mean(MENTEE_AUDIENCES),
        mentors=mean((Audience.MENTOR,)),
        mentee_responses=totals["mentee_responses"],
        mentor_responses=totals["mentor_responses"],
    )


# --- Quarterly dynamics ----------------------------------------------------------------------


def quarter_label(year: int, quarter: int) -> str:
    """«I квартал 2026»"""
    return f"{ROMAN[quarter]} квартал {year}"


@dataclass(frozen=True)
class QuarterlyRow:
    text: str
    kind: str
    means: tuple[float | None, ...]  # one per quarter of the table


@dataclass(frozen=True)
class QuarterlyTable:
    audience: str
    quarters: list[tuple[int, int]]
    responses: list[int]  # per quarter
    rows: list[QuarterlyRow]

    @property
    def labels(self) -> list[str]:
        return [quarter_label(year, quarter) for year, quarter in self.quarters]

    def chart(self) -> dict | None:
        if not self.rows or not self.quarters:
            return None
        return {
            "canvas": "chart-quarterly",
            "type": "line",
            "labels": self.labels,
            "datasets": [{"label": row.text, "data": [_round(m) for m in row.means]} for row in self.rows],
            "max": max(SCALE_MAX[row.kind] for row in self.rows),
        }


def quarterly_dynamics(
    organisation: Organisation, *, audience: str, filters: ResultsFilter = NO_FILTER
) -> QuarterlyTable:
    """Mean of every scale item of the audience's quarterly questionnaires per calendar quarter of
    answering (in the school's time zone): two queries."""
    groups = list(_scale_groups(organisation, audience=audience, phase=Phase.QUARTERLY).values())
    question_ids = [pk for group in groups for pk, _ in group.questions]
    responses = submitted_responses(organisation, filters=filters).filter(
        template__audience=audience, template__phase=Phase.QUARTERLY
    )
    aggregates = {"responses": Count("pk")}
    for pk in question_ids:
        aggregates[f"s{pk}"] = Sum(AnswerNumber(pk))
        aggregates[f"c{pk}"] = Count(AnswerNumber(pk))
    per_quarter = list(
        responses.annotate(year=ExtractYear("submitted_at"), quarter=ExtractQuarter("submitted_at"))
        .values("year", "quarter")
        .annotate(**aggregates)
        .order_by("year", "quarter")
    )
    rows = []
    for group in groups:
        means = []
        for totals in per_quarter:
            count = sum(totals[f"c{pk}"] for pk, _ in group.questions)
            total = sum(float(totals[f"s{pk}"] or 0) for pk, _ in group.questions)
            means.append(total / count if count else None)
        rows.append(QuarterlyRow(group.text, group.kind, tuple(means)))
    return QuarterlyTable(
        audience=audience,
        quarters=[(int(totals["year"]), int(totals["quarter"])) for totals in per_quarter],
        responses=[totals["responses"] for totals in per_quarter],
        rows=rows,
    )


def suppress_quarterly(table: QuarterlyTable) -> QuarterlyTable:
    """The quarterly table without a quarter answered by fewer than MIN_GROUP people."""
    hidden = {index for index, count in enumerate(table.responses) if is_small(count)}
    if not hidden:
        return table
    rows = [
        replace(row, means=tuple(None if index in hidden else mean for index, mean in enumerate(row.means)))
        for row in table.rows
    ]
    responses = [None if index in hidden else count for index, count in enumerate(table.responses)]
    return replace(table, rows=rows, responses=responses)


def audiences_with_responses(organisation: Organisation, *, phase: str | None = None) -> set[str]:
    """Audiences whose questionnaires (of the phase) have counted responses: one query."""
    responses = submitted_responses(organisation)
    if phase is not None:
        responses = responses.filter(template__phase=phase)
    return set(responses.order_by().values_list("template__audience", flat=True).distinct())
