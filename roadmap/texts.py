"""Russian wording shared by roadmap pages, documents and the demo."""

from organisations.russian import signature_name

from .deadlines import DeadlineKind, Period
from .models import Item, period_label


def default_title(period: Period) -> str:
    """«Дорожная карта внедрения целевой модели наставничества на 2026/2027 учебный год»"""
    return f"Дорожная карта внедрения целевой модели наставничества на {period_label(period.start, period.end)}"


def signature_of(full_name: str) -> str:
    """«Кляпка Ольга Викторовна» → «О. В. Кляпка» (non-breaking), as a signature is printed under «УТВЕРЖДАЮ»."""
    return signature_name(full_name)


def deadline_cell(item: Item) -> str:
    """Our spelling of the deadline; a text that was not understood, as typed."""
    if item.deadline_kind == DeadlineKind.TEXT:
        return item.deadline_text
    return item.deadline_display


def responsible_cell(item: Item) -> str:
    """As typed in the document; else the names of the responsible people."""
    if item.responsible_text:
        return item.responsible_text
    return ", ".join(r.name for r in item.responsibles.all())
