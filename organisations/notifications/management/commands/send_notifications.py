"""``manage.py send_notifications``: the time-based notifications, then the pending e-mails.

Run it from cron (every 15 minutes to an hour); running it twice sends nothing twice.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from organisations.notifications.sending import run
from organisations.notifications.tasks import send_notifications_task
from organisations.russian import plural


class Command(BaseCommand):
    help = (
        "Создаёт уведомления о наступающих сроках, парах без встреч, истекающих справках и т. п. "
        "и отправляет ожидающие письма (сразу и ежедневные сводки). Повторный запуск ничего не дублирует."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="считать сегодняшним этот день (ГГГГ-ММ-ДД), для проверки")
        parser.add_argument(
            "--enqueue", action="store_true", help="поставить задачу в очередь фонового обработчика (db_worker)"
        )

    def handle(self, *args, date=None, enqueue=False, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError("Дата указывается в виде ГГГГ-ММ-ДД, например 2026-10-01.") from error
        if enqueue:
            result = send_notifications_task.enqueue(digests=True, collect=True)
            self.stdout.write(f"Задача поставлена в очередь: {result.id}")
            return
        result = run(today=today or timezone.localdate())
        self.stdout.write(
            f"Новых уведомлений: {result.made}. Отправлено {result.sent} "
            f"{plural(result.sent, 'письмо', 'письма', 'писем')}"
            + (f", не отправлено {result.failed} (будут отправлены при следующем запуске)." if result.failed else ".")
        )
