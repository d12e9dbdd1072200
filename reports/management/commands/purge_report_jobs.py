"""Daily (cron): deletes files built in the background, with their jobs, after ReportJob.KEEP_DAYS days."""

from django.core.management.base import BaseCommand

from organisations.russian import plural
from reports.exports.models import ReportJob
from reports.exports.tasks import report_jobs_purge


class Command(BaseCommand):
    help = (
        f"Удаляет файлы фоновых выгрузок и отчётов, заказанные {ReportJob.KEEP_DAYS} дней назад и раньше "
        f"(в них персональные данные). Запускается ежедневно."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=ReportJob.KEEP_DAYS,
            help="Сколько дней хранить файлы (по умолчанию %(default)s).",
        )

    def handle(self, *args, days, **options):
        count = report_jobs_purge(days=days)
        if count == 0:
            self.stdout.write("Удалять нечего: старых выгрузок нет.")
            return
        verb = plural(count, "Удалена", "Удалены", "Удалено")
        self.stdout.write(self.style.SUCCESS(f"{verb} {count} {plural(count, 'выгрузка', 'выгрузки', 'выгрузок')}."))
