"""Daily reminder letters for responsible people who have no account.

People with an account are told through notifications (roadmap/notifications.py: in the app and by
e-mail as they choose); a teacher named responsible who never logs in still gets one letter a day
with their overdue items and those due within a week, at the address on their card.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from organisations.russian import plural

from .deadlines import ru_date
from .models import Occurrence
from .selectors import reminder_occurrences

DAYS_AHEAD = 7
SUBJECT = "Наставник: мероприятия дорожной карты — {parts}"


@dataclass
class Letter:
    email: str
    name: str
    overdue: list[Occurrence] = field(default_factory=list)
    soon: list[Occurrence] = field(default_factory=list)

    def subject(self) -> str:
        parts = []
        if self.overdue:
            parts.append(f"просрочено {len(self.overdue)}")
        if self.soon:
            count = len(self.soon)
            parts.append(f"{count} {plural(count, 'срок', 'срока', 'сроков')} на этой неделе")
        return SUBJECT.format(parts=", ".join(parts))

    def body(self, today: datetime.date) -> str:
        lines = [f"Здравствуйте, {self.name}!" if self.name else "Здравствуйте!", ""]
        if self.overdue:
            lines.append("Просрочены мероприятия, за которые вы отвечаете:")
            lines += [_line(occurrence) for occurrence in self.overdue]
            lines.append("")
        if self.soon:
            lines.append(f"Срок наступает в ближайшие {DAYS_AHEAD} дней:")
            lines += [_line(occurrence) for occurrence in self.soon]
            lines.append("")
        lines += [
            "Отметить выполнение можно в разделе «Дорожная карта» → «Мои мероприятия».",
            f"Письмо отправлено {ru_date(today)} автоматически, отвечать на него не нужно.",
        ]
        return "\n".join(lines)


def _line(occurrence: Occurrence) -> str:
    content = " ".join(occurrence.item.content.split())
    if len(content) > 200:
        content = content[:199] + "…"
    return f"— {content} (срок {occurrence.due_on:%d.%m.%Y}; {occurrence.organisation.short_name})"


def _recipients(occurrence: Occurrence):
    """(email, name) of each responsible person without an account; people whose data are blocked get nothing."""
    for responsible in occurrence.item.responsibles.all():
        if responsible.user_id:
            continue
        person = responsible.person
        if person.user_id or person.processing_blocked_at or person.anonymised_at or not person.email:
            continue
        yield person.email.lower(), " ".join(p for p in (person.first_name, person.patronymic) if p)


def collect_letters(*, today: datetime.date, days: int = DAYS_AHEAD) -> list[Letter]:
    letters: dict[str, Letter] = {}
    seen: dict[str, set[int]] = defaultdict(set)
    for occurrence in reminder_occurrences(today=today, days=days):
        for email, name in _recipients(occurrence):
            letter = letters.setdefault(email, Letter(email=email, name=name or ""))
            if occurrence.pk in seen[email]:
                continue
            seen[email].add(occurrence.pk)
            (letter.overdue if occurrence.due_on < today else letter.soon).append(occurrence)
    return sorted(letters.values(), key=lambda letter: letter.email)


def send_reminders(*, today: datetime.date, days: int = DAYS_AHEAD) -> list[Letter]:
    """Sends the letters over one connection; returns them."""
    letters = collect_letters(today=today, days=days)
    messages = [
        EmailMessage(letter.subject(), letter.body(today), settings.DEFAULT_FROM_EMAIL, [letter.email])
        for letter in letters
    ]
    if messages:
        get_connection().send_messages(messages)
    return letters
