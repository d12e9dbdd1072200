"""``manage.py import_people <organisation> <file> [--yes]``: a class or staff list from the command line.

Without ``--yes`` it only shows what would change; with ``--yes`` and no errors it writes
everything in one transaction. Any error ends the command with a non-zero exit and nothing written.
"""

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organisations.models import Organisation
from participants.importing import MAX_FILE_SIZE, ImportFileError, mark_problems
from participants.services_import import (
    ImportPlan,
    ImportRefused,
    errors_phrase,
    people_import_apply,
    people_import_plan,
    people_import_preview,
    people_phrase,
    plan_summary,
    too_large_error,
)

ORGANISATION_NOT_FOUND = "Организация с адресом «{slug}» не найдена."
FILE_NOT_FOUND = "Файл «{path}» не найден."
HAS_ERRORS = "{errors}: список не загружен, в базу ничего не записано. Исправьте файл и запустите команду снова."
MARKED_WRITTEN = "Файл с отмеченными ошибками записан: {path}"
PREVIEW_ONLY = (
    "Это предварительный просмотр: в базу ничего не записано. Чтобы загрузить список, повторите команду с ключом --yes."
)


class Command(BaseCommand):
    help = (
        "Загружает список класса или список педагогов (XLSX или CSV) в школу. "
        "Без --yes только показывает, кто будет добавлен и чьи данные изменятся."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="адрес школы в системе, например school-1")
        parser.add_argument("file", help="путь к файлу .xlsx или .csv")
        parser.add_argument("--yes", action="store_true", help="загрузить список, если в нём нет ошибок")
        parser.add_argument(
            "--marked",
            metavar="ПУТЬ",
            help="записать сюда копию файла (.xlsx) с ошибками, залитыми красным, и примечаниями к ячейкам",
        )

    def handle(self, *args, organisation: str, file: str, yes: bool, marked: str | None = None, **options):
        school = Organisation.objects.filter(slug=organisation).first()
        if school is None:
            raise CommandError(ORGANISATION_NOT_FOUND.format(slug=organisation))
        path = Path(file)
        if not path.is_file():
            raise CommandError(FILE_NOT_FOUND.format(path=file))
        if path.stat().st_size > MAX_FILE_SIZE:
            raise CommandError(too_large_error(path.stat().st_size).message)
        data = path.read_bytes()
        try:
            plan = people_import_plan(organisation=school, data=data, filename=path.name)
        except ImportRefused as error:
            raise CommandError(error.message) from error
        self._print_plan(plan, path.name)
        parsed = plan.parsed
        if marked and not parsed.file_error and any(p.row for p in [*parsed.problems, *parsed.warnings]):
            Path(marked).write_bytes(mark_problems(data, parsed))
            self.stdout.write(MARKED_WRITTEN.format(path=marked))
        if plan.problems:
            raise CommandError(HAS_ERRORS.format(errors=errors_phrase(len(plan.problems))))
        if not yes:
            self.stdout.write(PREVIEW_ONLY)
            return
        try:
            with transaction.atomic():
                batch = people_import_preview(
                    organisation=school, uploaded_file=ContentFile(data, name=path.name), user=None
                )
                try:
                    result = people_import_apply(batch=batch, user=None, organisation=school)
                except ImportRefused:
                    batch.file.delete(save=False)
                    raise
        except (ImportFileError, ImportRefused) as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(result.message(path.name)))

    def _print_plan(self, plan: ImportPlan, filename: str) -> None:
        out = self.stdout
        summary = plan_summary(plan)
        parsed = plan.parsed
        if parsed.kind:
            where = f", лист «{parsed.sheet}»" if parsed.sheet else ""
            out.write(
                self.style.MIGRATE_HEADING(
                    f"Файл «{filename}»: {parsed.kind_label}{where}, заголовки в строке {parsed.header_row}."
                )
            )
            columns = ", ".join(f"{c['letter']} «{c['header']}»" for c in summary["columns"])
            out.write(f"Столбцы: {columns}.")
            for column in summary["unused_columns"]:
                out.write(column["text"])
        else:
            out.write(self.style.MIGRATE_HEADING(f"Файл «{filename}»."))
        counts = summary["counts"]
        if parsed.file_error or not parsed.kind:
            self._print_problems(plan)
            return
        out.write(
            f"Новых: {counts['create']}; изменится: {counts['update']}; без изменений: {counts['unchanged']}; "
            f"пропущено: {counts['skipped']}; ошибок: {counts['errors']}."
        )
        self._section("Будут добавлены", summary["create"], counts["create"], lambda r: _row_text(r))
        self._section(
            "Изменятся",
            summary["update"],
            counts["update"],
            lambda r: f"{_row_text(r)}: " + "; ".join(f"{c['field']} {c['old']} → {c['new']}" for c in r["changes"]),
        )
        self._section("Пропущены", summary["skipped"], counts["skipped"], lambda r: f"{_row_text(r)} — {r['reason']}")
        if summary["parents"]:
            out.write(f"Родители: новых — {counts['parents_create']}, уже в базе — {counts['parents_existing']}.")
        if parsed.warnings:
            out.write(self.style.WARNING(f"Предупреждения ({len(parsed.warnings)}), строки будут загружены:"))
            for warning in parsed.warnings:
                out.write(f"  {warning.text}")
        self._print_problems(plan)

    def _print_problems(self, plan: ImportPlan) -> None:
        if plan.problems:
            self.stdout.write(self.style.ERROR(f"{errors_phrase(len(plan.problems))}:"))
            for problem in plan.problems:
                self.stdout.write(f"  {problem.text}")

    def _section(self, title: str, rows: list[dict], total: int, line) -> None:
        if not rows:
            return
        self.stdout.write(f"{title} ({people_phrase(total)}):")
        for row in rows:
            self.stdout.write(f"  {line(row)}")
        if total > len(rows):
            self.stdout.write(f"  … и ещё {people_phrase(total - len(rows))}.")


def _row_text(row: dict) -> str:
    details = ", ".join(part for part in (row["birth_date"], row["details"]) if part)
    return f"строка {row['row']}: {row['name']}" + (f" ({details})" if details else "")
