"""Order templates and the Положение: a school's or district's own versions and publishing."""

import string

from django.core.exceptions import ValidationError
from django.db import transaction

from organisations.models import Organisation
from reports.orders.drafting import PLACEHOLDERS, template_for
from reports.orders.kinds import order_types
from reports.orders.models import OrderTemplate, Regulation

PLACEHOLDER_LABELS = {
    "organisation_short": "краткое наименование организации",
    "organisation_full": "полное наименование организации",
    "school_year": "учебный год, «2026/2027»",
    "programme_title": "название программы",
    "programme_genitive": "«программы «…»» в родительном падеже (в целях реализации чего?)",
    "programme_period": "срок программы, «с 1 сентября 2026 г. по 31 мая 2027 г.»",
    "curator_accusative": "куратор в винительном падеже (назначить кого?)",
    "curator_dative": "куратор в дательном падеже (поручить кому?)",
    "curator_initials": "куратор с инициалами, «Николаева О. А.»",
    "director_initials": "руководитель с инициалами",
    "people_dative": "поощряемые участники в дательном падеже (объявить благодарность кому?)",
    "appendix_pairs": "«приложению № N» со списком пар",
    "appendix_register": "«приложению № N» с реестром наставников",
    "appendix_plans": "«приложению № N» с перечнем планов",
    "appendix_regulation": "«приложению № N» с положением о наставничестве",
    "appendix_roadmap": "«приложению № N» с дорожной картой",
}
REGULATION_PLACEHOLDERS = frozenset({"organisation_full", "organisation_short"})


def kinds_of(organisation: Organisation) -> list[tuple[str, str]]:
    return [(t.code, t.title) for t in order_types(district=organisation.is_authority)]


def check_placeholders(text: str, allowed=PLACEHOLDERS, where: str = "") -> None:
    """A clear message for a misspelt placeholder or a stray brace, instead of a broken order."""
    prefix = f"{where}: " if where else ""
    try:
        names = {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError as error:
        raise ValidationError(
            _sentence(f"{prefix}фигурные скобки используются только для подстановок вида {{curator_accusative}}.")
        ) from error
    unknown = sorted(names - set(allowed))
    if unknown:
        raise ValidationError(
            _sentence(
                f"{prefix}неизвестная подстановка {{{unknown[0]}}}. Доступные подстановки перечислены справа от формы."
            )
        )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@transaction.atomic
def order_template_save(
    *,
    organisation: Organisation,
    kind: str,
    title: str,
    preamble: str,
    control_text: str,
    points: list[dict],
    is_published: bool = False,
) -> OrderTemplate:
    """The organisation's own version of a kind's template (made from the inherited one on first save)."""
    if kind not in dict(kinds_of(organisation)):
        raise ValidationError("Шаблон приказа этого вида организации недоступен.")
    for field, text in (("title", title), ("preamble", preamble)):
        try:
            check_placeholders(text)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from error  # shown next to the field
    for number, point in enumerate(points, start=1):
        for field in ("action", "responsible", "deadline"):
            check_placeholders(point.get(field, ""), where=f"Пункт {number}")
    inherited = template_for(organisation=organisation, kind=kind)
    defaults = {
        "title": title,
        "preamble": preamble,
        "control_text": control_text,
        "points": points,
        "is_published": is_published and organisation.is_authority,
    }
    template, _ = OrderTemplate.objects.update_or_create(
        organisation=organisation,
        kind=kind,
        defaults=defaults,
        create_defaults={
            **defaults,
            "based_on": inherited if inherited and inherited.organisation_id != organisation.pk else None,
        },
    )
    return template


@transaction.atomic
def order_template_reset(*, organisation: Organisation, kind: str) -> None:
    """Back to the district's or the standard version; drafts already made keep their text."""
    OrderTemplate.objects.filter(organisation=organisation, kind=kind).delete()


@transaction.atomic
def regulation_save(*, organisation: Organisation, title: str, body: str, is_published: bool = False) -> Regulation:
    check_placeholders(body, allowed=REGULATION_PLACEHOLDERS, where="Текст положения")
    regulation, _ = Regulation.objects.update_or_create(
        organisation=organisation,
        defaults={"title": title, "body": body, "is_published": is_published and organisation.is_authority},
    )
    return regulation


@transaction.atomic
def regulation_reset(*, organisation: Organisation) -> None:
    Regulation.objects.filter(organisation=organisation).delete()


def template_source_label(*, organisation: Organisation, template) -> str:
    if template is None:
        return "нет шаблона"
    if template.organisation_id == organisation.pk:
        return "своя редакция"
    if template.organisation_id is None:
        return "стандартный шаблон"
    return "шаблон управления образования"
