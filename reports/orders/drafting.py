"""Drafting an order: the template an organisation uses and the live values of its placeholders.

Template texts hold placeholders (``{curator_accusative}``); drafting replaces them once, so the
curator edits plain text afterwards and sees exactly what will be printed.
"""

import string
from dataclasses import dataclass

from django.db.models import Q

from organisations.declension import Case, declined_full_name, declined_short_name
from organisations.models import Organisation
from organisations.russian import programme_genitive, surname_with_initials
from reports.orders.kinds import TemplateSeed, order_type
from reports.orders.models import OrderTemplate, Regulation
from roadmap.deadlines import ru_date

PLACEHOLDERS = frozenset(
    {
        "organisation_short",
        "organisation_full",
        "school_year",
        "programme_title",
        "programme_genitive",
        "programme_period",
        "curator_accusative",
        "curator_dative",
        "curator_initials",
        "director_initials",
        "people_dative",
        "appendix_pairs",
        "appendix_register",
        "appendix_plans",
        "appendix_regulation",
        "appendix_roadmap",
        "appendix_pay",
    }
)

# Appendices in the order they are numbered; which kinds carry each is in their declarations.
APPENDICES = (
    ("regulation", "Положение о наставничестве"),
    ("roadmap", "Дорожная карта реализации целевой модели наставничества"),
    ("register", "Реестр наставников"),
    ("pairs", "Состав наставнических пар (групп)"),
    ("plans", "Перечень индивидуальных планов"),
    ("pay", "Перечень работников, которым устанавливается выплата за наставничество"),
)


def _inherited(queryset, organisation: Organisation):
    """The organisation's own version, else its district's published one, else its region's
    published one, else the standard one (a district: its own, its region's, the standard one)."""
    grandparent_id = organisation.parent.parent_id if organisation.parent_id else None
    above = [pk for pk in (organisation.parent_id, grandparent_id) if pk]
    candidates = queryset.filter(
        Q(organisation=organisation) | Q(organisation_id__in=above, is_published=True) | Q(organisation__isnull=True)
    )
    by_source = {candidate.organisation_id: candidate for candidate in candidates}
    for source in (organisation.pk, *above, None):
        if source in by_source:
            return by_source[source]
    return None


def template_for(*, organisation: Organisation, kind: str) -> OrderTemplate | None:
    """The order template the organisation drafts a kind of order from."""
    return _inherited(OrderTemplate.objects.filter(kind=kind), organisation)


def template_text_for(
    *, organisation: Organisation, kind: str
) -> tuple[OrderTemplate | None, OrderTemplate | TemplateSeed | None]:
    """(the template row the organisation drafts from, the text to draft from): the row's text,
    else the seed its type declares (a type declared after the rows were seeded has no row)."""
    template = template_for(organisation=organisation, kind=kind)
    if template is not None:
        return template, template
    try:
        return None, order_type(kind).seed
    except LookupError:
        return None, None


def kind_appendices(kind: str) -> tuple[str, ...]:
    """The appendices an order of the kind carries (none for a code nobody declares)."""
    try:
        return order_type(kind).appendices
    except LookupError:
        return ()


def regulation_for(*, organisation: Organisation) -> Regulation | None:
    """The Положение о наставничестве the organisation appends to its implementation order."""
    return _inherited(Regulation.objects.all(), organisation)


def appendix_numbers(kind: str, *, include_regulation: bool = True, include_roadmap: bool = True) -> dict[str, int]:
    """{"pairs": 1, ...}: the appendices this kind of order carries, numbered from 1."""
    wanted = set(kind_appendices(kind))
    if not include_regulation:
        wanted.discard("regulation")
    if not include_roadmap:
        wanted.discard("roadmap")
    numbers: dict[str, int] = {}
    for key, _title in APPENDICES:
        if key in wanted:
            numbers[key] = len(numbers) + 1
    return numbers


def _initials_of(full_name: str) -> str:
    """«Иванов Иван Иванович» → «Иванов И. И.» (non-breaking) for a name typed as one string."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    return surname_with_initials(parts[0], *parts[1:3])


@dataclass
class DraftSubjects:
    programme: object = None
    curator: object = None
    people: tuple = ()
    pairs: tuple = ()


def period_text(*, programme, pairs=()) -> str:
    """«с 5 октября 2026 г. по 31 мая 2027 г.»: the period a point names. With pairs listed, the
    span of their terms, the dates the pairs appendix prints; else the programme's period. One
    source for the point and the appendix, so they never disagree (issue #16)."""
    terms = [(pair.starts_on, pair.planned_end_on) for pair in pairs]
    if terms:
        start, end = min(start for start, _end in terms), max(end for _start, end in terms)
    elif programme is not None:
        start, end = programme.starts_on, programme.ends_on
    else:
        return ""
    return f"с {ru_date(start)} по {ru_date(end)}"


def with_period(points: list[dict], *, programme, before, after) -> list[dict]:
    """The points with the period of the pairs the order listed replaced by that of those it lists
    now (as with_people does for names); a point the user retyped keeps the user's words."""
    old, new = period_text(programme=programme, pairs=before), period_text(programme=programme, pairs=after)
    if not old or old == new:
        return points
    return [
        {**point, **{key: point.get(key, "").replace(old, new) for key in ("action", "deadline")}} for point in points
    ]


def placeholder_values(*, organisation: Organisation, kind: str, subjects: DraftSubjects) -> dict[str, str]:
    programme = subjects.programme
    curator = subjects.curator
    numbers = appendix_numbers(kind)
    values = {
        "organisation_short": organisation.short_name,
        "organisation_full": organisation.full_name,
        "school_year": f"{programme.school_year}/{programme.school_year + 1}" if programme else "",
        "programme_title": programme.title if programme else "",
        "programme_genitive": programme_genitive(programme.title) if programme else "",
        "programme_period": period_text(programme=programme, pairs=subjects.pairs),
        "curator_accusative": declined_full_name(curator, Case.ACCUSATIVE) if curator else "",
        "curator_dative": declined_full_name(curator, Case.DATIVE) if curator else "",
        "curator_initials": declined_short_name(curator, Case.NOMINATIVE) if curator else "",
        "director_initials": _initials_of(organisation.director_name),
    }
    if subjects.people:
        values["people_dative"] = people_dative(subjects.people)
    # Without people yet the placeholder stays as typed: order_save puts the names there once the
    # curator picks them on the edit page.
    for key, _title in APPENDICES:
        number = numbers.get(key)
        values[f"appendix_{key}"] = f"приложению № {number}" if number else "приложению"
    return values


PEOPLE_PLACEHOLDER = "{people_dative}"


def people_dative(people) -> str:
    """«Кляпке Ольге Викторовне, Черных Илье Сергеевичу»: whom an order thanks."""
    return ", ".join(declined_full_name(person, Case.DATIVE) for person in people)


def with_people(points: list[dict], *, before, after) -> list[dict]:
    """The points with the names of the people the order listed replaced by those it lists now.

    A point the user retyped keeps the user's words; with nobody listed the placeholder comes back.
    """
    old = people_dative(before) or PEOPLE_PLACEHOLDER
    new = people_dative(after) or PEOPLE_PLACEHOLDER
    if old == new:
        return points
    return [{**point, "action": point.get("action", "").replace(old, new)} for point in points]


def fill(text: str, values: dict[str, str]) -> str:
    """The text with its placeholders replaced; unknown ones stay as typed."""

    class _Keep(dict):
        def __missing__(self, key):
            return "{" + key + "}"

    try:
        return string.Formatter().vformat(text, (), _Keep(values))
    except (ValueError, IndexError):
        # A stray brace in a user's template: leave the text as it is.
        return text
