"""Every 10 minutes (timer): files cut short by a dead worker are marked failed, with a message to their user."""

from django.core.management.base import BaseCommand

from reports.exports.tasks import STALE_RUNNING_MINUTES, report_jobs_fail_stale


class Command(BaseCommand):
    help = (
        "Отмечает как неудавшиеся фоновые выгрузки, которые готовятся дольше "
        f"{STALE_RUNNING_MINUTES} минут (обработчик остановился) или не начаты за сутки; "
        "пользователь видит сообщение и может заказать файл ещё раз."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=STALE_RUNNING_MINUTES,
            help="Через сколько минут подготовки выгрузка считается прерванной (по умолчанию %(default)s).",
        )

    def handle(self, *args, minutes, **options):
        running, queued = report_jobs_fail_stale(minutes=minutes)
        total = running + queued
        if not total:
            self.stdout.write("Прерванных выгрузок нет.")
            return
        self.stdout.write(
            self.style.WARNING(
                f"Отмечено неудавшимися выгрузок: {total} (прерванных {running}, не начатых за сутки {queued})."
            )
        )
