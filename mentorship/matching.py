"""The matching engine: which mentor for which mentee, for one form of mentoring.

Pure Python (no ORM): ``mentorship.matching_data`` builds the profiles from the bases.

The score of a pair is a sum over criteria (``CRITERIA``). Each criterion gives a value in
[0, 1] (or None: nothing to compare, e.g. the mentee stated no subject), multiplied by the
criterion's weight 0–10 (``Weights``, editable per programme). A criterion marked as a must-have
makes a pair impossible when its value is a known 0; an unknown value never fails a must-have.
The role models of the chosen form (``RoleModelProfile``) are one criterion: each suggestion also
names the role model its pair fits.

``suggest`` finds the assignment that, within the mentors' capacities, first leaves as few
mentees unassigned as possible and then maximises the total score: a global optimum, found by the
Hungarian algorithm (``scipy.optimize.linear_sum_assignment``, a Jonker–Volgenant variant) on a
matrix whose rows are the mentees and whose columns are the mentors' free places (a mentor with
capacity 3 is three columns) plus one «unassigned» column per mentee. Impossible pairs cost more
than staying unassigned, so they are never chosen. Pinned pairs are fixed first and take their
places; forbidden pairs are impossible. Costs are integers (milli-points), so the result is exact
and the same input gives the same result in any order; among equal totals the engine spreads
mentees over mentors (a mentor's second place costs a hair more than another's first).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from scipy.optimize import linear_sum_assignment

from organisations.russian import plural

# The categories of people, as participants.models.Person.Category stores them.
STUDENT = "student"
TEACHER = "teacher"
GRADUATE = "graduate"
PARENT = "parent"
PARTNER_EMPLOYEE = "partner_employee"
ADULT_CATEGORIES = frozenset({TEACHER, GRADUATE, PARENT, PARTNER_EMPLOYEE})

MAX_WEIGHT = 10

# --- Words ---------------------------------------------------------------------------------
#
# Free text (needs, competencies, tags) becomes a set of word stems: lower case, «ё» as «е»,
# words of fewer than 3 letters and a few function words dropped, then the longest common
# Russian ending cut off as long as a stem of 3 letters or more remains. Crude but symmetric:
# «математикой» and «математика» both give «математик», «олимпиадам» and «олимпиады» give
# «олимпиад». Adjectives and nouns of one root may still differ («проектная» / «проект»).

_WORD = re.compile(r"[0-9a-zа-я]+")
_STOP_WORDS_TEXT = """
для при про без над под или что как это так мне меня его еще уже все они она оно мой моя мое мои свой своя свои
хочу хотел хотела нужна нужно нужен нужны очень также который которая которые чтобы после перед через между более
менее сам сама помощь помочь помогу
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_ENDINGS_TEXT = """
иями ями ами ией иям иях ием ого его ому ему ыми ими ым им ых их ый ий ой ая яя ое ее ые ие ую юю ия ии ию ей
ов ев ам ям ах ях ом ем ою ею а я о е ы и у ю ь й
"""
ENDINGS = tuple(sorted(_ENDINGS_TEXT.split(), key=len, reverse=True))  # the longest ending first
MIN_STEM = 3


def normalise(text: str) -> str:
    return (text or "").lower().replace("ё", "е")


def stem(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def word_forms(text: str) -> dict[str, str]:
    """Stems of the text's words, each with the first form it was written in: {«математик»: «математикой»}."""
    forms: dict[str, str] = {}
    for word in _WORD.findall(normalise(text)):
        if len(word) >= MIN_STEM and word not in STOP_WORDS:
            forms.setdefault(stem(word), word)
    return forms


def words(text: str) -> frozenset[str]:
    """«Трудности с математикой» -> {«трудност», «математик»}."""
    return frozenset(word_forms(text))


# School subjects, found by the beginning of a stem (short ones only as a whole stem).
SUBJECT_STEMS: dict[str, str] = {
    "математик": "математика",
    "алгебр": "математика",
    "геометр": "математика",
    "физик": "физика",
    "хим": "химия",
    "биолог": "биология",
    "информатик": "информатика",
    "программирован": "информатика",
    "русск": "русский язык",
    "литератур": "литература",
    "истор": "история",
    "обществознан": "обществознание",
    "географ": "география",
    "английск": "английский язык",
    "немецк": "немецкий язык",
    "французск": "французский язык",
    "физкультур": "физическая культура",
    "физическ": "физическая культура",
    "музык": "музыка",
    "изо": "изобразительное искусство",
    "астроном": "астрономия",
    "обж": "ОБЗР",
    "обзр": "ОБЗР",
}


def subjects_in(text: str) -> frozenset[str]:
    """School subjects named in free text: «олимпиада по алгебре, химия» -> {«математика», «химия»}."""
    found = set()
    for word_stem in words(text):
        for prefix, subject in SUBJECT_STEMS.items():
            if word_stem == prefix or (len(prefix) > MIN_STEM and word_stem.startswith(prefix)):
                found.add(subject)
    return frozenset(found)


# Availability: days of the week and the format (online or in person) named in free text.
DAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
ONLINE, IN_PERSON = "онлайн", "очно"
FORMATS = frozenset({ONLINE, IN_PERSON})
_SLOT_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("понедельн", ("пн",)),
    ("вторн", ("вт",)),
    ("четверг", ("чт",)),
    ("пятниц", ("пт",)),
    ("суббот", ("сб",)),
    ("воскресен", ("вс",)),
    ("будн", DAYS[:5]),
    ("выходн", DAYS[5:]),
    ("ежедневн", DAYS),
    ("онлайн", (ONLINE,)),
    ("дистанцион", (ONLINE,)),
    ("удаленн", (ONLINE,)),
    ("видеосвяз", (ONLINE,)),
    ("сферум", (ONLINE,)),
    ("zoom", (ONLINE,)),
    ("очн", (IN_PERSON,)),
)


def availability_slots(text: str) -> frozenset[str]:
    """«по вторникам и четвергам, можно онлайн» -> {«вт», «чт», «онлайн»}."""
    slots: set[str] = set()
    for word in _WORD.findall(normalise(text)):
        if word in DAYS:
            slots.add(word)
        elif word.startswith("сред") and not word.startswith("средн"):
            slots.add("ср")
        else:
            for prefix, found in _SLOT_PREFIXES:
                if word.startswith(prefix):
                    slots.update(found)
    return frozenset(slots)


# --- Profiles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MentorProfile:
    """A mentor as the engine sees it. ``capacity`` is the number of free places."""

    id: int
    name: str
    capacity: int = 1
    category: str = TEACHER
    competencies: frozenset[str] = frozenset()  # word stems, see ``words``
    tags: frozenset[str] = frozenset()  # tag names as the school keeps them
    subjects: frozenset[str] = frozenset()  # names from SUBJECT_STEMS' values
    grade: int | None = None
    age: float | None = None  # years
    experience_years: int | None = None
    availability: frozenset[str] = frozenset()  # DAYS and FORMATS
    preferred_forms: frozenset[int] = frozenset()
    person_id: int | None = None
    position: str = ""  # «учитель математики», «заместитель директора»: read by the role models

    @property
    def is_teacher(self) -> bool:
        return self.category == TEACHER

    @cached_property
    def offer_words(self) -> frozenset[str]:
        return self.competencies | words(" ".join(self.tags))

    @cached_property
    def days(self) -> frozenset[str]:
        return self.availability - FORMATS

    @cached_property
    def formats(self) -> frozenset[str]:
        return self.availability & FORMATS


@dataclass(frozen=True)
class MenteeProfile:
    """A mentee as the engine sees it: ``subjects`` are the subjects of difficulty (for a teacher,
    the subjects taught)."""

    id: int
    name: str
    category: str = STUDENT
    needs: frozenset[str] = frozenset()  # word stems, see ``words``
    tags: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    grade: int | None = None
    age: float | None = None
    experience_years: int | None = None
    availability: frozenset[str] = frozenset()
    need_kind: str = ""
    person_id: int | None = None
    # Stem -> the word as the mentee wrote it, for explanations only.
    word_forms: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def is_teacher(self) -> bool:
        return self.category == TEACHER

    @cached_property
    def request_words(self) -> frozenset[str]:
        return self.needs | words(" ".join(self.tags))

    @cached_property
    def days(self) -> frozenset[str]:
        return self.availability - FORMATS

    @cached_property
    def formats(self) -> frozenset[str]:
        return self.availability & FORMATS


# --- Role models ---------------------------------------------------------------------------
#
# A role model («успевающий – неуспевающий») belongs to a form («ученик – ученик»); neither
# stores who may stand on each side, so the sides are read from the names. A side's words name
# categories of people («ученик» — a student, «педагог» — a teacher, «студент» — a graduate,
# «работодатель» — a partner's employee; «будущий сотрудник» names nobody yet). A role model's
# side narrows its form's side; a side naming nobody keeps the form's, or the audience's (a
# students' form: the mentee is a student; a teachers' form: teachers on both sides).
# «Молодой специалист» is a teacher of at most ``YOUNG_SPECIALIST_YEARS`` years of experience,
# «руководитель» a mentor whose position is a head's. Unknown experience or position never
# fails (as everywhere in the engine). Forms and role models are editable reference data: a
# renamed one is read the same way, and a side naming nothing restricts nothing.

YOUNG_SPECIALIST_YEARS = 3  # DESIGN §5: young specialists are teachers of 0–3 years

# The categories in the nominative, for «наставник — педагог, а нужен обучающийся».
CATEGORY_LABELS: dict[str, str] = {
    STUDENT: "обучающийся",
    TEACHER: "педагог",
    GRADUATE: "студент или выпускник",
    PARENT: "родитель",
    PARTNER_EMPLOYEE: "сотрудник организации-партнёра",
}
_SIDE_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("ученик", STUDENT),
    ("обучающ", STUDENT),
    ("школьник", STUDENT),
    ("учител", TEACHER),
    ("педагог", TEACHER),
    ("предметник", TEACHER),
    ("руководител", TEACHER),
    ("специалист", TEACHER),
    ("студент", GRADUATE),
    ("выпускник", GRADUATE),
    ("работодател", PARTNER_EMPLOYEE),
    ("сотрудник", PARTNER_EMPLOYEE),
    ("родител", PARENT),
)
_HEAD_POSITIONS = ("директор", "заместител", "завуч", "руководител", "заведующ")
_YOUNG_SPECIALIST = re.compile(r"молод\w*\s+(специалист|педагог)")
# The mentee's kind of request (participants.MenteeEntry.NeedKind) a role model speaks of: only to
# choose among several fitting role models, never to rule one out.
_SIDE_NEED_KINDS: tuple[tuple[str, str], ...] = (
    ("неуспева", "educational"),
    ("мотивац", "educational"),
    ("равнодуш", "educational"),
    ("неадаптир", "social"),
    ("пассивн", "social"),
    ("проект", "talent"),
    ("специалист", "professional"),
    ("проблем", "professional"),
    ("неопытн", "professional"),
    ("должност", "professional"),
)
_SIDES = re.compile(r"\s+[–—-]\s+")


def _sides(name: str) -> tuple[str, str]:
    """«успевающий – неуспевающий» -> («успевающий», «неуспевающий»); no dash: nothing on either side."""
    parts = _SIDES.split(normalise(name), maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", "")


def _side_categories(side: str) -> frozenset[str]:
    found: set[str] = set()
    future = False
    for word in _WORD.findall(side):
        if word.startswith("будущ"):
            future = True  # «будущий сотрудник»: a student, not yet an employee
            continue
        if not future:
            found.update(category for prefix, category in _SIDE_CATEGORIES if word.startswith(prefix))
        future = False
    return frozenset(found)


def _narrowed(own: frozenset[str], base: frozenset[str]) -> frozenset[str]:
    if own and base:
        return (own & base) or own  # the role model is the more specific of the two
    return own or base


def is_head(position: str) -> bool | None:
    """Whether a position is a head's («заместитель директора»); None when it is not known."""
    text = normalise(position).strip()
    if not text:
        return None
    return any(word.startswith(_HEAD_POSITIONS) for word in _WORD.findall(text))


@dataclass(frozen=True)
class RoleModelProfile:
    """Who may stand on each side of a role model; empty categories: anybody."""

    id: int
    name: str
    mentor_categories: frozenset[str] = frozenset()
    mentee_categories: frozenset[str] = frozenset()
    mentor_head: bool = False  # «руководитель – …»
    mentee_young_specialist: bool = False  # «… – молодой специалист»
    need_kinds: frozenset[str] = frozenset()

    def fits(self, mentee, mentor) -> bool:
        """Whether the pair stands on the role model's sides. Takes profiles or people alike
        (``category``, ``experience_years``; the mentor's ``position``)."""
        if self.mentor_categories and mentor.category not in self.mentor_categories:
            return False
        if self.mentee_categories and mentee.category not in self.mentee_categories:
            return False
        if self.mentee_young_specialist and (mentee.experience_years or 0) > YOUNG_SPECIALIST_YEARS:
            return False
        return not (self.mentor_head and is_head(getattr(mentor, "position", "")) is False)

    def problems(self, mentee, mentor) -> list[str]:
        """Why the pair does not fit, in Russian."""
        found = []
        for who, person, allowed in (
            ("наставник", mentor, self.mentor_categories),
            ("наставляемый", mentee, self.mentee_categories),
        ):
            if allowed and person.category not in allowed:
                wanted = " или ".join(CATEGORY_LABELS.get(c, c) for c in sorted(allowed))
                found.append(f"{who} — {CATEGORY_LABELS.get(person.category, person.category)}, а нужен {wanted}")
        years = mentee.experience_years
        if self.mentee_young_specialist and years is not None and years > YOUNG_SPECIALIST_YEARS:
            found.append(f"стаж наставляемого {years} {plural(years, 'год', 'года', 'лет')}: не молодой специалист")
        if self.mentor_head and is_head(getattr(mentor, "position", "")) is False:
            found.append("наставник не руководитель")
        return found


def role_model_profile(*, id: int, name: str, form_name: str, audience: str) -> RoleModelProfile:
    """Reads the sides of a role model of a form; ``audience``: «students» or «teachers»."""
    form_mentor, form_mentee = _sides(form_name)
    own_mentor, own_mentee = _sides(name)
    teachers = audience == "teachers"
    mentor_base = _side_categories(form_mentor) or (frozenset({TEACHER}) if teachers else frozenset())
    mentee_base = _side_categories(form_mentee) or frozenset({TEACHER if teachers else STUDENT})
    mentee_side = f"{form_mentee} {own_mentee}"
    return RoleModelProfile(
        id=id,
        name=name,
        mentor_categories=_narrowed(_side_categories(own_mentor), mentor_base),
        mentee_categories=_narrowed(_side_categories(own_mentee), mentee_base),
        mentor_head=any(w.startswith("руководител") for w in _WORD.findall(f"{form_mentor} {own_mentor}")),
        mentee_young_specialist=bool(_YOUNG_SPECIALIST.search(mentee_side)),
        need_kinds=frozenset(
            kind for word in _WORD.findall(own_mentee) for prefix, kind in _SIDE_NEED_KINDS if word.startswith(prefix)
        ),
    )


def best_role_model(mentee, mentor, role_models: Iterable[RoleModelProfile]) -> RoleModelProfile | None:
    """The role model a pair gets, None when it fits none. Of those it fits: the first that speaks
    of the mentee's kind of request («неуспевающий» for an educational deficit), else the first
    that speaks of none («равный – равному»), else the first in the reference order."""
    fitting = [rm for rm in role_models if rm.fits(mentee, mentor)]
    if not fitting:
        return None
    need_kind = getattr(mentee, "need_kind", "")
    return (
        next((rm for rm in fitting if need_kind and need_kind in rm.need_kinds), None)
        or next((rm for rm in fitting if not rm.need_kinds), None)
        or fitting[0]
    )


# --- Weights -------------------------------------------------------------------------------

ERROR_UNKNOWN_CRITERION = "Неизвестный критерий подбора: «{code}»."
ERROR_WEIGHT = "Вес критерия «{name}» должен быть целым числом от 0 до 10."
ERROR_GAPS = "Минимальная разница в классах не может быть больше рекомендуемой максимальной."
ERROR_NEGATIVE = "Разница в классах, возрасте и стаже не может быть отрицательной."


RULE_NAMES = ("min_grade_gap", "min_age_gap", "max_grade_gap", "min_experience_gap")


class MatchingError(ValueError):
    """Input the engine cannot work with; the message is in Russian, for the curator."""


@dataclass(frozen=True)
class CriterionSetting:
    weight: int
    required: bool = False


@dataclass(frozen=True)
class Weights:
    """Per-criterion weights (0–10) and must-have flags, and the age and grade rules.

    Criteria missing from ``settings`` take their defaults (``Criterion.default_weight`` and
    ``default_required``). A weight of 0 with a must-have flag filters without scoring.
    """

    settings: Mapping[str, CriterionSetting] = field(default_factory=dict)
    # A student mentor is at least this many grades (or, without grades, years) older...
    min_grade_gap: int = 2
    min_age_gap: int = 2
    # ...and a gap above this counts half.
    max_grade_gap: int = 5
    # A teacher mentor of a teacher has at least this many more years of experience.
    min_experience_gap: int = 3

    def __post_init__(self):
        for code, setting in self.settings.items():
            criterion = CRITERIA_BY_CODE.get(code)
            if criterion is None:
                raise MatchingError(ERROR_UNKNOWN_CRITERION.format(code=code))
            weight = setting.weight
            if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= MAX_WEIGHT:
                raise MatchingError(ERROR_WEIGHT.format(name=criterion.name))
        if min(self.min_grade_gap, self.min_age_gap, self.max_grade_gap, self.min_experience_gap) < 0:
            raise MatchingError(ERROR_NEGATIVE)
        if self.min_grade_gap > self.max_grade_gap:
            raise MatchingError(ERROR_GAPS)

    def setting(self, code: str) -> CriterionSetting:
        if code in self.settings:
            return self.settings[code]
        criterion = CRITERIA_BY_CODE[code]
        return CriterionSetting(criterion.default_weight, criterion.default_required)

    def with_setting(self, code: str, *, weight: int | None = None, required: bool | None = None) -> Weights:
        """A copy with one criterion changed: ``weights.with_setting("subject", required=True)``."""
        if code not in CRITERIA_BY_CODE:
            raise MatchingError(ERROR_UNKNOWN_CRITERION.format(code=code))
        old = self.setting(code)
        new = CriterionSetting(old.weight if weight is None else weight, old.required if required is None else required)
        return replace(self, settings={**self.settings, code: new})

    def as_dict(self) -> dict:
        """Plain data for a JSON field of a programme; ``from_dict`` reads it back."""
        return {
            "criteria": {
                c.code: {"weight": self.setting(c.code).weight, "required": self.setting(c.code).required}
                for c in CRITERIA
            },
            **{name: getattr(self, name) for name in RULE_NAMES},
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Weights:
        settings = {
            code: CriterionSetting(int(item.get("weight", 0)), bool(item.get("required", False)))
            for code, item in (data.get("criteria") or {}).items()
        }
        rules = {name: int(data[name]) for name in RULE_NAMES if name in data}
        return cls(settings=settings, **rules)


# --- Criteria ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    weights: Weights
    form_id: int | None = None
    role_models: tuple[RoleModelProfile, ...] = ()  # of the chosen form; empty: nothing to compare


Evaluate = Callable[[MenteeProfile, MentorProfile, Context], float | None]
Explain = Callable[[MenteeProfile, MentorProfile, Context, float | None], str]


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    description: str
    missing: str  # why a mentee has nobody when the criterion is a must-have
    default_weight: int
    evaluate: Evaluate
    explain: Explain
    default_required: bool = False


def _listed(items: Iterable[str]) -> str:
    return ", ".join(sorted(items))


def _needs_value(mentee, mentor, ctx):
    request = mentee.request_words
    if not request:
        return None
    return len(request & mentor.offer_words) / len(request)


def _needs_explain(mentee, mentor, ctx, value):
    if value is None:
        return "запрос наставляемого не указан"
    common = mentee.request_words & mentor.offer_words
    if not common:
        return "запрос не совпадает с компетенциями наставника"
    shown = [mentee.word_forms.get(word, word) for word in common]
    return f"совпадает: {_listed(shown)}"


def _subject_value(mentee, mentor, ctx):
    if not mentee.subjects:
        return None
    return len(mentee.subjects & mentor.subjects) / len(mentee.subjects)


def _subject_explain(mentee, mentor, ctx, value):
    if value is None:
        return "предметы наставляемого не указаны"
    if not mentor.subjects:
        return f"у наставника не указаны предметы (нужно: {_listed(mentee.subjects)})"
    common = mentee.subjects & mentor.subjects
    if not common:
        return f"нет общих предметов (нужно: {_listed(mentee.subjects)})"
    return f"общие предметы: {_listed(common)}"


def _gap(mentee, mentor, ctx) -> tuple[str, float, int, int] | None:
    """(unit, gap, minimum, comfortable maximum or -1), or None when no rule applies."""
    w = ctx.weights
    if mentee.category == STUDENT and mentor.category == STUDENT:
        if mentee.grade is not None and mentor.grade is not None:
            return "grade", mentor.grade - mentee.grade, w.min_grade_gap, w.max_grade_gap
        if mentee.age is not None and mentor.age is not None:
            return "age", mentor.age - mentee.age, w.min_age_gap, w.max_grade_gap
        return None
    if mentee.category == TEACHER and mentor.category == TEACHER:
        if mentee.experience_years is not None and mentor.experience_years is not None:
            return "experience", mentor.experience_years - mentee.experience_years, w.min_experience_gap, -1
        return None
    return None


def _gap_value(mentee, mentor, ctx):
    if mentee.category == STUDENT and mentor.category in ADULT_CATEGORIES:
        return 1.0
    gap = _gap(mentee, mentor, ctx)
    if gap is None:
        return None
    _unit, difference, minimum, maximum = gap
    if difference < minimum:
        return 0.0
    if maximum >= 0 and difference > maximum:
        return 0.5
    return 1.0


_GAP_UNITS = {
    "grade": ("класс", "класса", "классов"),
    "age": ("год", "года", "лет"),
    "experience": ("год", "года", "лет"),
}


def _amount(number: float, unit: str) -> str:
    """«2 класса», «5 лет»."""
    n = int(number)
    return f"{n} {plural(n, *_GAP_UNITS[unit])}"


def _gap_explain(mentee, mentor, ctx, value):
    if mentee.category == STUDENT and mentor.category in ADULT_CATEGORIES:
        return "взрослый наставник"
    gap = _gap(mentee, mentor, ctx)
    if gap is None:
        return "правило не применяется или нет данных о классе, возрасте, стаже"
    unit, difference, minimum, maximum = gap
    if unit == "experience":
        more, less, same = "стаж наставника больше на", "стаж наставника меньше на", "стаж одинаковый"
        should = "должен быть больше"
    else:
        more, less, same = "наставник старше на", "наставник младше на", "ровесники"
        should = "должен быть старше"
    if int(difference) > 0:
        actual = f"{more} {_amount(difference, unit)}"
    elif int(difference) < 0:
        actual = f"{less} {_amount(-difference, unit)}"
    else:
        actual = same
    if difference < minimum:
        if int(difference) > 0:
            return f"{actual}, а нужно — не меньше чем на {_amount(minimum, unit)}"
        return f"{actual}, а {should} не меньше чем на {_amount(minimum, unit)}"
    if maximum >= 0 and difference > maximum:
        return f"{actual}: больше рекомендуемой разницы ({_amount(maximum, unit)})"
    return actual


def _availability_value(mentee, mentor, ctx):
    parts = []
    if mentee.days and mentor.days:
        parts.append(len(mentee.days & mentor.days) / len(mentee.days))
    if mentee.formats and mentor.formats:
        parts.append(1.0 if mentee.formats & mentor.formats else 0.0)
    if not parts:
        return None
    return min(parts)


def _ordered_days(slots):
    return ", ".join(day for day in DAYS if day in slots)


def _availability_explain(mentee, mentor, ctx, value):
    if value is None:
        return "время или формат занятий не указаны у одной из сторон"
    notes = []
    if mentee.formats and mentor.formats and not mentee.formats & mentor.formats:
        notes.append(f"разный формат ({_listed(mentee.formats)} и {_listed(mentor.formats)})")
    if mentee.days and mentor.days:
        common = mentee.days & mentor.days
        notes.append(f"общие дни: {_ordered_days(common)}" if common else "нет общих дней")
    if mentee.formats & mentor.formats:
        notes.append(f"формат: {_listed(mentee.formats & mentor.formats)}")
    return "; ".join(notes)


def _form_value(mentee, mentor, ctx):
    if ctx.form_id is None or not mentor.preferred_forms:
        return None
    return 1.0 if ctx.form_id in mentor.preferred_forms else 0.0


def _form_explain(mentee, mentor, ctx, value):
    if ctx.form_id is None:
        return "форма наставничества не выбрана"
    if value is None:
        return "наставник не указал предпочтительные формы"
    return "наставник выбрал эту форму" if value else "наставник предпочитает другие формы"


def _role_model_value(mentee, mentor, ctx):
    if not ctx.role_models:
        return None
    return 1.0 if any(rm.fits(mentee, mentor) for rm in ctx.role_models) else 0.0


def _role_model_explain(mentee, mentor, ctx, value):
    if value is None:
        return "у формы нет ролевых моделей"
    if value:
        return f"ролевая модель «{best_role_model(mentee, mentor, ctx.role_models).name}»"
    if len(ctx.role_models) == 1:
        only = ctx.role_models[0]
        return f"не подходит ролевая модель «{only.name}»: {'; '.join(only.problems(mentee, mentor))}"
    problems = dict.fromkeys(p for rm in ctx.role_models for p in rm.problems(mentee, mentor))
    return f"не подходит ни одна ролевая модель формы: {'; '.join(problems)}"


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        code="needs",
        name="Запрос и компетенции",
        description="Доля слов запроса и тегов наставляемого, которые есть в компетенциях и тегах наставника.",
        missing="нет наставника с подходящими компетенциями",
        default_weight=8,
        evaluate=_needs_value,
        explain=_needs_explain,
    ),
    Criterion(
        code="subject",
        name="Предмет",
        description="Доля предметов, с которыми трудности у наставляемого, которые знает наставник.",
        missing="нет наставника с подходящим предметом",
        default_weight=6,
        evaluate=_subject_value,
        explain=_subject_explain,
    ),
    Criterion(
        code="gap",
        name="Разница в возрасте/классах",
        description=(
            "Наставник-обучающийся старше наставляемого не меньше чем на заданное число классов (или лет), "
            "наставник-педагог молодого педагога — опытнее на заданное число лет стажа."
        ),
        missing="нет наставника с подходящей разницей в возрасте или классах",
        default_weight=4,
        default_required=True,
        evaluate=_gap_value,
        explain=_gap_explain,
    ),
    Criterion(
        code="availability",
        name="Формат и время",
        description="Общие дни занятий и формат (очно или онлайн).",
        missing="нет наставника с подходящим временем и форматом занятий",
        default_weight=4,
        evaluate=_availability_value,
        explain=_availability_explain,
    ),
    Criterion(
        code="form",
        name="Предпочтительная форма",
        description="Наставник указал выбранную форму наставничества среди предпочтительных.",
        missing="нет наставника, готового работать в выбранной форме",
        default_weight=3,
        evaluate=_form_value,
        explain=_form_explain,
    ),
    Criterion(
        code="role_model",
        name="Ролевая модель",
        description=(
            "Наставник и наставляемый подходят под ролевую модель выбранной формы, включённую в программу: "
            "например, в форме «ученик – ученик» наставник — обучающийся, «молодой специалист» — педагог "
            f"со стажем до {YOUNG_SPECIALIST_YEARS} лет."
        ),
        missing="нет наставника, подходящего под ролевые модели формы",
        default_weight=5,
        evaluate=_role_model_value,
        explain=_role_model_explain,
    ),
)
CRITERIA_BY_CODE: dict[str, Criterion] = {c.code: c for c in CRITERIA}


# --- Scores --------------------------------------------------------------------------------


def _milli(value: float | None, weight: int) -> int:
    """Points in thousandths: exact integers for the optimisation, the same numbers for display."""
    return 0 if value is None else round(value * weight * 1000)


@dataclass(frozen=True)
class ScorePart:
    code: str
    name: str
    weight: int
    required: bool
    value: float | None  # None: nothing to compare
    points: float  # value × weight, to 0.001
    failed: bool  # a must-have with a known 0
    explanation: str


@dataclass(frozen=True)
class ScoreBreakdown:
    parts: tuple[ScorePart, ...]
    total: float  # the sum of the parts' points
    max_total: int  # the sum of the weights

    @property
    def possible(self) -> bool:
        return not any(part.failed for part in self.parts)

    @property
    def failed_criteria(self) -> list[str]:
        return [part.name for part in self.parts if part.failed]


def score(
    mentee: MenteeProfile,
    mentor: MentorProfile,
    weights: Weights | None = None,
    *,
    form_id: int | None = None,
    role_models: Iterable[RoleModelProfile] = (),
) -> ScoreBreakdown:
    """The score of one pair by criterion, with a Russian explanation of each part."""
    ctx = Context(weights or Weights(), form_id, tuple(role_models))
    parts, total_milli, max_total = [], 0, 0
    for criterion in CRITERIA:
        setting = ctx.weights.setting(criterion.code)
        value = criterion.evaluate(mentee, mentor, ctx)
        milli = _milli(value, setting.weight)
        total_milli += milli
        max_total += setting.weight
        parts.append(
            ScorePart(
                code=criterion.code,
                name=criterion.name,
                weight=setting.weight,
                required=setting.required,
                value=value,
                points=milli / 1000,
                failed=setting.required and value == 0,
                explanation=criterion.explain(mentee, mentor, ctx, value),
            )
        )
    return ScoreBreakdown(parts=tuple(parts), total=total_milli / 1000, max_total=max_total)


# --- Suggestions ---------------------------------------------------------------------------

REASON_NO_MENTORS = "нет ни одного наставника"
REASON_ALL_FORBIDDEN = "все наставники исключены куратором для этого наставляемого"
REASON_SEVERAL_MUST_HAVES = "нет наставника, подходящего сразу по всем обязательным критериям: {names}"
REASON_NO_FREE_PLACES = "у подходящих наставников нет свободных мест"

ERROR_DUPLICATE_MENTEE = "Наставляемый с номером {id} передан дважды."
ERROR_DUPLICATE_MENTOR = "Наставник с номером {id} передан дважды."
ERROR_NEGATIVE_CAPACITY = "У наставника «{name}» отрицательное число мест."
ERROR_PIN_UNKNOWN = "Закреплённая пара ссылается на наставляемого или наставника, которых нет в подборе."
ERROR_PIN_TWICE = "Наставляемый «{name}» закреплён за двумя наставниками."
ERROR_PIN_FORBIDDEN = "Пара «{mentee}» — «{mentor}» одновременно закреплена и запрещена."
ERROR_PIN_CAPACITY = "За наставником «{name}» закреплено больше наставляемых ({pinned}), чем у него мест ({capacity})."


@dataclass(frozen=True)
class Suggestion:
    mentee: MenteeProfile
    mentor: MentorProfile
    breakdown: ScoreBreakdown
    pinned: bool = False
    role_model: RoleModelProfile | None = None  # the one the pair fits, see ``best_role_model``


@dataclass(frozen=True)
class Unassigned:
    mentee: MenteeProfile
    reason: str


@dataclass(frozen=True)
class MatchResult:
    suggestions: tuple[Suggestion, ...]  # by mentor, then mentee
    unassigned: tuple[Unassigned, ...]
    total: float  # the sum of the suggestions' scores, pinned pairs included
    free_places: Mapping[int, int]  # mentor id -> places left

    def for_mentee(self, mentee_id: int) -> Suggestion | None:
        return next((s for s in self.suggestions if s.mentee.id == mentee_id), None)

    @property
    def pairs(self) -> set[tuple[int, int]]:
        """(mentee id, mentor id) of every suggestion."""
        return {(s.mentee.id, s.mentor.id) for s in self.suggestions}


def _check(mentees, mentors, pinned, forbidden) -> None:
    for items, message in ((mentees, ERROR_DUPLICATE_MENTEE), (mentors, ERROR_DUPLICATE_MENTOR)):
        seen = set()
        for item in items:
            if item.id in seen:
                raise MatchingError(message.format(id=item.id))
            seen.add(item.id)
    for mentor in mentors:
        if mentor.capacity < 0:
            raise MatchingError(ERROR_NEGATIVE_CAPACITY.format(name=mentor.name))
    mentee_by_id = {m.id: m for m in mentees}
    mentor_by_id = {m.id: m for m in mentors}
    pinned_to: dict[int, int] = {}
    load: dict[int, int] = {}
    for mentee_id, mentor_id in sorted(pinned):
        if mentee_id not in mentee_by_id or mentor_id not in mentor_by_id:
            raise MatchingError(ERROR_PIN_UNKNOWN)
        if mentee_id in pinned_to:
            raise MatchingError(ERROR_PIN_TWICE.format(name=mentee_by_id[mentee_id].name))
        if (mentee_id, mentor_id) in forbidden:
            raise MatchingError(
                ERROR_PIN_FORBIDDEN.format(mentee=mentee_by_id[mentee_id].name, mentor=mentor_by_id[mentor_id].name)
            )
        pinned_to[mentee_id] = mentor_id
        load[mentor_id] = load.get(mentor_id, 0) + 1
    for mentor_id, count in load.items():
        mentor = mentor_by_id[mentor_id]
        if count > mentor.capacity:
            raise MatchingError(ERROR_PIN_CAPACITY.format(name=mentor.name, pinned=count, capacity=mentor.capacity))


def _reason(allowed: int, failures: dict[str, int], candidates: int, mentors: int) -> str:
    """Why a mentee stays unassigned. ``candidates``: mentors not forbidden for the mentee;
    ``failures``: how many of them fail each must-have; ``allowed``: how many pass them all."""
    if not mentors:
        return REASON_NO_MENTORS
    if not candidates:
        return REASON_ALL_FORBIDDEN
    if allowed:
        return REASON_NO_FREE_PLACES
    for criterion in CRITERIA:  # a must-have that alone rules out everybody
        if failures.get(criterion.code, 0) == candidates:
            return criterion.missing
    names = ", ".join(f"«{c.name}»" for c in CRITERIA if failures.get(c.code))
    return REASON_SEVERAL_MUST_HAVES.format(names=names)


# Integer costs stay exact in the solver's float64 below this bound.
_EXACT = 2**52


def suggest(
    mentees: Iterable[MenteeProfile],
    mentors: Iterable[MentorProfile],
    weights: Weights | None = None,
    *,
    form_id: int | None = None,
    pinned: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    role_models: Iterable[RoleModelProfile] = (),
) -> MatchResult:
    """The best assignment of mentees to mentors; pairs are (mentee id, mentor id).

    Raises ``MatchingError`` for inconsistent input (duplicate ids, a pin to an unknown person,
    a pair both pinned and forbidden, more pins than a mentor's capacity). A pinned pair is kept
    even when it fails a must-have: the curator decided; its breakdown shows the failure.
    ``role_models``: those of the chosen form the programme allows; each suggestion names the one
    it fits.
    """
    weights = weights or Weights()
    role_models = tuple(role_models)
    ctx = Context(weights, form_id, role_models)

    def suggestion(mentee, mentor, pinned=False) -> Suggestion:
        breakdown = score(mentee, mentor, weights, form_id=form_id, role_models=role_models)
        return Suggestion(mentee, mentor, breakdown, pinned, best_role_model(mentee, mentor, role_models))

    mentees = sorted(mentees, key=lambda m: m.id)
    mentors = sorted(mentors, key=lambda m: m.id)
    pinned, forbidden = set(pinned), set(forbidden)
    _check(mentees, mentors, pinned, forbidden)

    mentee_by_id = {m.id: m for m in mentees}
    mentor_by_id = {m.id: m for m in mentors}
    free = {m.id: m.capacity for m in mentors}
    suggestions = []
    for mentee_id, mentor_id in pinned:
        free[mentor_id] -= 1
        mentee, mentor = mentee_by_id[mentee_id], mentor_by_id[mentor_id]
        suggestions.append(suggestion(mentee, mentor, pinned=True))
    pinned_mentees = {mentee_id for mentee_id, _ in pinned}
    rows = [m for m in mentees if m.id not in pinned_mentees]

    # Points of every (row, mentor) pair and whether the pair is possible at all.
    active = []
    for criterion in CRITERIA:
        setting = weights.setting(criterion.code)
        if setting.weight or setting.required:
            active.append((criterion.evaluate, setting.weight, setting.required, criterion.code))
    n, m = len(rows), len(mentors)
    points = np.zeros((n, m), dtype=np.int64)
    possible = np.zeros((n, m), dtype=bool)
    diagnostics = []
    for i, mentee in enumerate(rows):
        allowed, candidates, failures = 0, 0, {}
        for j, mentor in enumerate(mentors):
            if (mentee.id, mentor.id) in forbidden:
                continue
            candidates += 1
            total, ok = 0, True
            for evaluate, weight, required, code in active:
                value = evaluate(mentee, mentor, ctx)
                if value is None:
                    continue
                if required and value == 0:
                    ok = False
                    failures[code] = failures.get(code, 0) + 1
                total += round(value * weight * 1000)
            if ok:
                allowed += 1
                points[i, j] = total
                possible[i, j] = True
        diagnostics.append((allowed, failures, candidates))

    # Columns: every free place of every mentor (slot k of a mentor is its (k+1)-th mentee), then
    # one «unassigned» column per row. Cost of a possible pair: -(cover + points·unit) + k, where
    # ``cover`` outweighs any difference of total points (fewer unassigned first) and ``unit``
    # outweighs any sum of slot numbers (the slot only breaks ties, spreading the load).
    slots = [(j, k) for j, mentor in enumerate(mentors) for k in range(min(free[mentor.id], n))]
    max_points = int(points.max()) if points.size else 0
    max_slot = max((k for _, k in slots), default=0)
    unit = n * max_slot + 1
    cover = (n * max_points + 1) * unit
    if n * (cover + max_points * unit) >= _EXACT:  # ~1,500 mentees of capacity-30 mentors: drop the spreading
        unit, cover = 1, n * max_points + 1
        slot_cost = np.zeros(len(slots), dtype=np.int64)
    else:
        slot_cost = np.array([k for _, k in slots], dtype=np.int64)
    assignment: dict[int, int] = {}
    if n and slots:
        slot_mentor = np.array([j for j, _ in slots], dtype=np.int64)
        pair_cost = np.where(possible, -(cover + points * unit), cover)  # impossible: worse than unassigned
        cost = np.zeros((n, len(slots) + n), dtype=np.int64)
        cost[:, : len(slots)] = pair_cost[:, slot_mentor] + slot_cost[None, :]
        row_index, column_index = linear_sum_assignment(cost)
        for i, column in zip(row_index, column_index, strict=True):
            if column < len(slots) and possible[i, slot_mentor[column]]:
                assignment[i] = int(slot_mentor[column])

    unassigned = []
    for i, mentee in enumerate(rows):
        j = assignment.get(i)
        if j is None:
            allowed, failures, candidates = diagnostics[i]
            unassigned.append(Unassigned(mentee, _reason(allowed, failures, candidates, m)))
            continue
        mentor = mentors[j]
        free[mentor.id] -= 1
        suggestions.append(suggestion(mentee, mentor))

    suggestions.sort(key=lambda s: (s.mentor.name, s.mentor.id, s.mentee.name, s.mentee.id))
    unassigned.sort(key=lambda u: (u.mentee.name, u.mentee.id))
    total_milli = sum(round(s.breakdown.total * 1000) for s in suggestions)
    return MatchResult(
        suggestions=tuple(suggestions), unassigned=tuple(unassigned), total=total_milli / 1000, free_places=free
    )


# --- Sample data for the benchmark and the tests -------------------------------------------

_SAMPLE_WORDS = tuple(
    sorted(
        words(
            "олимпиада проект исследование робототехника программирование профориентация адаптация мотивация "
            "дисциплина чтение шахматы экология волонтерство театр спорт журналистика дизайн финансы "
            "предпринимательство лидерство общение конкурс экзамен огэ егэ дроби уравнения сочинение"
        )
    )
)  # sorted: a set's order changes from one process to another
_SAMPLE_SUBJECTS = tuple(sorted(set(SUBJECT_STEMS.values())))


def random_profiles(
    mentees: int, mentors: int, *, seed: int = 0, capacity: tuple[int, int] = (1, 5), forms: int = 4
) -> tuple[list[MenteeProfile], list[MentorProfile]]:
    """Seeded random but plausible profiles: students of grades 5–8 and a mix of teachers and
    older students as mentors. For the benchmark and the tests, not for the product."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not security

    def pick_words(k: int) -> frozenset[str]:
        return frozenset(rng.sample(_SAMPLE_WORDS, k))

    def pick_availability() -> frozenset[str]:
        days = frozenset(rng.sample(DAYS[:6], rng.randint(1, 3)))
        return days | {rng.choice(sorted(FORMATS))} if rng.random() < 0.5 else days

    mentee_list = [
        MenteeProfile(
            id=i + 1,
            name=f"Наставляемый {i + 1:04d}",
            needs=pick_words(rng.randint(1, 4)),
            subjects=frozenset(rng.sample(_SAMPLE_SUBJECTS, rng.randint(0, 2))),
            grade=rng.randint(5, 8),
            availability=pick_availability(),
        )
        for i in range(mentees)
    ]
    mentor_list = []
    for i in range(mentors):
        is_student = rng.random() < 0.4
        mentor_list.append(
            MentorProfile(
                id=i + 1,
                name=f"Наставник {i + 1:04d}",
                capacity=rng.randint(*capacity),
                category=STUDENT if is_student else TEACHER,
                competencies=pick_words(rng.randint(2, 6)),
                subjects=frozenset(rng.sample(_SAMPLE_SUBJECTS, rng.randint(1, 3))),
                grade=rng.randint(7, 11) if is_student else None,
                experience_years=None if is_student else rng.randint(1, 30),
                availability=pick_availability(),
                preferred_forms=frozenset(rng.sample(range(1, forms + 1), rng.randint(0, 2))),
            )
        )
    return mentee_list, mentor_list
