"""Delivery channels: how a notice leaves the app.

A channel takes the pending notices of ONE recipient and delivers them as one message (one notice,
or the day's digest of several) or raises; ``sending.py`` records the attempt. In-app needs nothing:
the row is the message. A messenger bot (MAX, where Russian schools moved in 2025) is one more
class here::

    class MaxChannel(Channel):
        code = "max"
        def send(self, notifications):
            chat = chat_of(notifications[0].recipient)   # the user's bound chat
            max_api.send_message(chat, render_text(notifications))

plus its entry in ``CHANNELS`` (and, if people choose it, a choice on the preferences page).
Today a notice keeps one delivery state (``emailed_at``, ``attempts``, ``last_error``) for all the
sending channels together; channels that fail independently would each want their own.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from organisations.russian import MONTHS_GENITIVE, plural

from .models import Notification


def ru_date(day) -> str:
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL.rstrip("/") + url


class Channel:
    code = ""

    def send(self, notifications: Sequence[Notification]) -> None:
        """Delivers the notices of one recipient as one message; raises when it could not."""
        raise NotImplementedError


class InAppChannel(Channel):
    """The bell and the list read the rows: nothing to send."""

    code = "app"

    def send(self, notifications: Sequence[Notification]) -> None:
        return None


class EmailChannel(Channel):
    """Django's mail framework: console backend by default, SMTP from the environment (settings.py)."""

    code = "email"

    def subject(self, notifications: Sequence[Notification]) -> str:
        if len(notifications) == 1:
            text = notifications[0].text
            return "Наставник: " + (text if len(text) <= 120 else text[:119] + "…")
        count = len(notifications)
        day = ru_date(timezone.localdate())
        return f"Наставник: {count} {plural(count, 'уведомление', 'уведомления', 'уведомлений')} — сводка на {day}"

    def body(self, notifications: Sequence[Notification]) -> str:
        user = notifications[0].recipient
        name = " ".join(part for part in (user.first_name, user.patronymic) if part)
        lines = [f"Здравствуйте, {name}!" if name else "Здравствуйте!", ""]
        if len(notifications) > 1:
            lines += ["Уведомления за день:", ""]
        for notification in notifications:
            lines += [
                f"{notification.text}",
                f"{notification.organisation.short_name} · {absolute(notification.url)}",
                "",
            ]
        slug = notifications[0].organisation.slug
        lines += [
            "Выбрать, какие уведомления приходят на почту: "
            + absolute(reverse("notifications:preferences", kwargs={"org": slug})),
            "Письмо отправлено автоматически, отвечать на него не нужно.",
        ]
        return "\n".join(lines)

    def send(self, notifications: Sequence[Notification]) -> None:
        user = notifications[0].recipient
        message = EmailMessage(
            self.subject(notifications), self.body(notifications), settings.DEFAULT_FROM_EMAIL, [user.email]
        )
        message.send(fail_silently=False)


# The channels that send (in-app needs no sending).
CHANNELS: list[Channel] = [EmailChannel()]
