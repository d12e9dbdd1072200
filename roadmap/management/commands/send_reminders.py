"""``manage.py send_reminders``: kept as an alias of ``send_notifications`` (roadmap deadlines are
one kind of notification now, roadmap/notifications.py)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Устаревшее имя команды send_notifications: создаёт и отправляет уведомления, "
        "в том числе о сроках дорожной карты."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="считать сегодняшним этот день (ГГГГ-ММ-ДД), для проверки")

    def handle(self, *args, date=None, **options):
        call_command("send_notifications", *(["--date", date] if date else []), stdout=self.stdout)
