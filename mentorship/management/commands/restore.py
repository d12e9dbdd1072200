"""Restores a backup (manage.py backup) into a new database and media folder, and checks it against its manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentorship.backups import BackupError, backup_restore
from organisations.russian import plural


class Command(BaseCommand):
    help = (
        "Восстанавливает резервную копию в новую пустую базу и папку файлов и сверяет число строк каждой "
        "таблицы и контрольные суммы файлов с описью копии. Рабочую базу не трогает, если её не указать."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "backup", type=Path, help="Папка копии, например /var/backups/nastavnik/nastavnik-20260901-013000."
        )
        parser.add_argument(
            "--database-url",
            required=True,
            help="Куда восстановить базу: postgres://…/новая_база (создайте её: createdb) или sqlite:///путь.",
        )
        parser.add_argument("--media-root", type=Path, required=True, help="Пустая папка для файлов (MEDIA_ROOT).")
        parser.add_argument("--replace-media", action="store_true", help="Очистить непустую папку файлов.")

    def handle(self, *args, backup, database_url, media_root, replace_media, **options):
        try:
            report = backup_restore(
                path=backup, database_url=database_url, media_root=media_root, replace_media=replace_media
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"Восстановленное не совпадает с копией: расхождений {len(report.problems)}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Восстановлено и сверено: {report.tables} {plural(report.tables, 'таблица', 'таблицы', 'таблиц')}, "
                f"{report.rows} {plural(report.rows, 'строка', 'строки', 'строк')}, "
                f"{report.files} {plural(report.files, 'файл', 'файла', 'файлов')}."
            )
        )
