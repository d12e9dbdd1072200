"""Links handed out by hand: one line per person for a parents' chat, and a ready message for one person.

Only the hash of a token is stored, so a link exists as text only when it is issued: when the
questionnaire is sent, when one link is re-issued, or when a class's links are re-issued for the
printed sheet, the XLSX or the «Скопировать все ссылки» box (each re-issue makes the earlier links stop
working, and the pages say so before).
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format


def link_line(person, url: str) -> str:
    """«Иван Петров — https://…/q/…/»: the first name first, as a parents' chat reads it."""
    name = " ".join(part for part in (person.first_name, person.last_name) if part)
    return f"{name} — {url}"


def links_text(links) -> str:
    """One line per (person, url), in the order given."""
    return "\n".join(link_line(person, url) for person, url in links)


def link_message(*, person, questionnaire, url: str, expires_at: datetime.datetime | None = None) -> str:
    """A ready message to send one person their link."""
    name = " ".join(part for part in (person.first_name, person.last_name) if part)
    term = ""
    if expires_at is not None:
        term = f" Ссылка действует по {date_format(timezone.localtime(expires_at).date(), 'j E Y г.')}."
    # No declension of the name: «Отвечает: Анна Андреева» reads right for anyone.
    return (
        f"Здравствуйте! Просим ответить на анкету «{questionnaire.title}». Отвечает: {name}.\n"
        f"Личная ссылка: {url}\n"
        f"Не пересылайте её другим.{term}"
    )
