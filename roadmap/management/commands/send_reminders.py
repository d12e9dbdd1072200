"""``manage.py send_reminders``: the daily letter to responsible people without an account (run it once a day;
those with an account are told by ``send_notifications``)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from organisations.russian import plural
from roadmap.reminders import DAYS_AHEAD, send_reminders


class Command(BaseCommand):
    help = (
        "Отправляет ответственным без учётной записи письма о просроченных мероприятиях дорожных карт и о тех, "
        f"срок которых наступает в ближайшие {DAYS_AHEAD} дней."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="считать сегодняшним этот день (ГГГГ-ММ-ДД), для проверки")

    def handle(self, *args, date=None, **options):
        today = timezone.localdate()
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError("Дата указывается в виде ГГГГ-ММ-ДД, например 2026-10-01.") from error
        letters = send_reminders(today=today)
        count = len(letters)
        self.stdout.write(f"Отправлено {count} {plural(count, 'письмо', 'письма', 'писем')} с напоминаниями.")
