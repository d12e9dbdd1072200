"""Nightly (nastavnik-backup.timer): the database and the uploaded files into BACKUP_DIR, keeping BACKUP_KEEP."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mentorship.backups import BackupError, backup_create
from organisations.russian import plural


class Command(BaseCommand):
    help = (
        "Резервная копия базы данных (pg_dump или копия SQLite) и загруженных файлов (MEDIA_ROOT) "
        "с описью: число строк каждой таблицы и контрольные суммы файлов. Старые копии сверх --keep удаляются."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Папка копий (по умолчанию BACKUP_DIR).")
        parser.add_argument("--keep", type=int, default=None, help="Сколько последних копий хранить (BACKUP_KEEP).")

    def handle(self, *args, dir, keep, **options):
        try:
            result = backup_create(directory=dir or settings.BACKUP_DIR, keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Резервная копия готова: {result.path} — {result.tables} "
                f"{plural(result.tables, 'таблица', 'таблицы', 'таблиц')}, {result.rows} "
                f"{plural(result.rows, 'строка', 'строки', 'строк')}, {result.files} "
                f"{plural(result.files, 'файл', 'файла', 'файлов')}."
            )
        )
        for path in result.deleted:
            self.stdout.write(f"Удалена старая копия: {path}")
