"""Template helpers of roadmap pages: statuses with «просрочено» computed for a given day, dates."""

import datetime

from django import template

from roadmap.deadlines import ru_date

register = template.Library()

BADGES = {
    "planned": "text-bg-secondary",
    "in_progress": "text-bg-info",
    "done": "text-bg-success",
    "overdue": "text-bg-danger",
    "cancelled": "text-bg-light border",
}


@register.filter
def state(occurrence, today: datetime.date) -> str:
    return occurrence.state(today)


@register.filter
def state_label(occurrence, today: datetime.date) -> str:
    return occurrence.state_label(today)


@register.filter
def badge(state_value: str) -> str:
    return BADGES.get(state_value, "text-bg-secondary")


@register.filter
def long_date(day) -> str:
    """«1 сентября 2025 г.»"""
    return ru_date(day) if day else ""


@register.filter
def number(value) -> str:
    """A Decimal as people write it: 90, 2,5."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")


@register.filter
def progress(item, today: datetime.date):
    """The item's state from its (prefetched) occurrences: see Item.progress."""
    return item.progress(today)
