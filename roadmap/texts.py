"""Russian wording shared by roadmap pages, documents and the demo."""

from .deadlines import Period
from .models import period_label


def default_title(period: Period) -> str:
    """«Дорожная карта внедрения целевой модели наставничества на 2026/2027 учебный год»"""
    return f"Дорожная карта внедрения целевой модели наставничества на {period_label(period.start, period.end)}"


def signature_of(full_name: str) -> str:
    """«Кляпка Ольга Викторовна» → «О.В. Кляпка», as a signature is printed under «УТВЕРЖДАЮ»."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    initials = "".join(f"{part[0]}." for part in parts[1:3])
    return f"{initials} {parts[0]}"
