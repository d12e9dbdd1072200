from django import template

from organisations.russian import plural

register = template.Library()


@register.filter
def ru_plural(number, forms: str) -> str:
    """{{ n|ru_plural:"ученик,ученика,учеников" }} -> «5 учеников»."""
    one, few, many = forms.split(",")
    return f"{number} {plural(int(number), one, few, many)}"


@register.filter
def ru_minutes(duration) -> str:
    """A timedelta as «15 минут», rounded up to whole minutes."""
    minutes = max(1, -(-int(duration.total_seconds()) // 60))
    return ru_plural(minutes, "минуту,минуты,минут")
