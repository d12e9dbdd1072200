"""Who may stand on each side of a form of mentoring: one reading for the matching engine, the
manual pair form and the «why» of the matching page.

A form declares, per side, the categories of people, a range of grades (students) and, for
mentors, the beginnings of words of a position («директор, заместител»). An empty part restricts
nothing. Positions are compared in Python (``str.casefold``), not in SQL: SQLite folds only
ASCII letters, and «Заместитель директора» must match «заместител».
"""

from .models import MentoringForm, Person

MENTOR = "mentor"
MENTEE = "mentee"

# «наставники только из обучающихся»: the genitive plural of each category.
CATEGORY_GENITIVE_PLURAL: dict[str, str] = {
    Person.Category.STUDENT: "обучающихся",
    Person.Category.TEACHER: "педагогов",
    Person.Category.PARENT: "родителей",
    Person.Category.GRADUATE: "студентов и выпускников",
    Person.Category.PARTNER_EMPLOYEE: "сотрудников организаций-партнёров",
}
SIDE_PLURAL = {MENTOR: "наставники", MENTEE: "наставляемые"}
SIDE_INSTRUMENTAL = {MENTOR: "наставником", MENTEE: "наставляемым"}


def _side(form: MentoringForm, side: str) -> tuple[list[str], int | None, int | None, list[str]]:
    if side == MENTOR:
        positions = [p.strip().casefold() for p in form.mentor_positions.split(",") if p.strip()]
        return form.mentor_categories or [], form.mentor_grade_min, form.mentor_grade_max, positions
    return form.mentee_categories or [], form.mentee_grade_min, form.mentee_grade_max, []


def _grades(low: int | None, high: int | None) -> str:
    if low and high:
        return f"{low}–{high} классов" if low != high else f"{low} классов"
    if low:
        return f"с {low} класса"
    if high:
        return f"до {high} класса"
    return ""


def side_rule(form: MentoringForm, side: str) -> str:
    """The side's rule in words, «наставники только из обучающихся 8–11 классов»; "" for none."""
    categories, low, high, positions = _side(form, side)
    grades = _grades(low, high)  # a range of grades speaks of students only
    names = [
        f"{CATEGORY_GENITIVE_PLURAL.get(c, c)} {grades}"
        if grades and c == Person.Category.STUDENT
        else CATEGORY_GENITIVE_PLURAL.get(c, c)
        for c in categories
    ]
    if names:
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} или {names[-1]}"
        text = f"только из {listed}"
    else:
        text = f"— обучающиеся {grades}" if grades else ""
    if positions:
        stems = ", ".join(f"«{stem}…»" for stem in positions)
        text = f"{text}, в должности {stems}" if text else f"— в должности {stems}"
    return f"{SIDE_PLURAL[side]} {text}" if text else ""


def person_fits(form: MentoringForm, person: Person, side: str) -> bool:
    """Whether the person may stand on the side. Unknown grade or position of a person whose
    category the form names does fail: the rule exists to keep such people out."""
    categories, low, high, positions = _side(form, side)
    if categories and person.category not in categories:
        return False
    out_of_range = person.grade is None or (low and person.grade < low) or (high and person.grade > high)
    if (low or high) and person.category == Person.Category.STUDENT and out_of_range:
        return False
    if positions:
        position = person.position.casefold()
        if not any(stem in position for stem in positions):
            return False
    return True


def person_refusal(form: MentoringForm, person: Person, side: str) -> str:
    """Why the person may not stand on the side, in Russian naming the person; "" when they may."""
    if person_fits(form, person, side):
        return ""
    who = person.full_name
    if person.class_name:
        who = f"{who} ({person.class_name})"
    elif person.position:
        who = f"{who} ({person.position})"
    return f"{who} не может быть {SIDE_INSTRUMENTAL[side]} в форме «{form.name}»: {side_rule(form, side)}."
