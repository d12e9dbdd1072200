"""Backups of the whole installation and their restore (manage.py backup, manage.py restore).

A backup is a folder ``nastavnik-YYYYMMDD-HHMMSS`` in BACKUP_DIR with:

- ``database.dump``: ``pg_dump --format=custom`` of PostgreSQL, or ``database.sqlite3``, a consistent copy of
  the embedded SQLite database (SQLite's online backup);
- ``media.tar.gz``: every file under MEDIA_ROOT (scans, certificates, approved orders, built exports);
- ``manifest.json``: when, which engine, the row count of every table as dumped and the SHA-256 of
  every file, so that a restore is checked, not trusted.

On PostgreSQL the counts and the dump read one snapshot (``pg_export_snapshot``), so the manifest matches
the dump even while people work. The newest ``keep`` backups are kept, older ones deleted.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connection
from django.utils import timezone

PREFIX = "nastavnik-"
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, in Russian."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``root`` (none if it does not exist)."""
    root = Path(root)
    if not root.exists():
        return {}
    return {path.relative_to(root).as_posix(): sha256_of(path) for path in sorted(root.rglob("*")) if path.is_file()}


def _is_postgres(settings_dict: dict) -> bool:
    return "postgresql" in settings_dict["ENGINE"]


def libpq_env(settings_dict: dict) -> dict[str, str]:
    """The environment that points pg_dump/pg_restore/psql at a database (no password on a command line)."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _client(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"Не найдена программа {name}: установите пакет postgresql-client.")
    return path


def _pg_conninfo(settings_dict: dict) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(
        dbname=settings_dict["NAME"],
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
    )


def pg_table_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        from psycopg import sql

        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def sqlite_table_counts(database: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    # Table names read from the database itself, quoted as identifiers.
    return {
        table: database.execute('SELECT count(*) FROM "{}"'.format(table.replace('"', '""'))).fetchone()[0]  # noqa: S608
        for table in tables
    }


def table_counts(database_url: str) -> dict[str, int]:
    """Row count of every table of the database at ``database_url``."""
    settings_dict = dj_database_url.parse(database_url)
    if _is_postgres(settings_dict):
        import psycopg

        with psycopg.connect(_pg_conninfo(settings_dict)) as pg, pg.cursor() as cursor:
            return pg_table_counts(cursor)
    database = sqlite3.connect(settings_dict["NAME"])
    try:
        return sqlite_table_counts(database)
    finally:
        database.close()


def _dump_postgres(settings_dict: dict, target: Path) -> dict[str, int]:
    import psycopg

    with psycopg.connect(_pg_conninfo(settings_dict)) as pg:
        pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with pg.cursor() as cursor:
            counts = pg_table_counts(cursor)
        # pg_dump reads the same snapshot while this transaction holds it.
        completed = subprocess.run(  # noqa: S603 - PostgreSQL's own client, our arguments
            [
                _client("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "-f",
                target,
            ],
            env=libpq_env(settings_dict),
            capture_output=True,
            text=True,
        )
        pg.rollback()
    if completed.returncode:
        raise BackupError(f"pg_dump завершился с ошибкой: {completed.stderr.strip()}")
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return sqlite_table_counts(copy)
    finally:
        copy.close()


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    deleted: list[Path] = field(default_factory=list)


def backup_create(*, directory: Path | None = None, keep: int | None = None, now=None) -> BackupResult:
    """Backs up the database and MEDIA_ROOT into a new folder of ``directory``; keeps the newest ``keep``."""
    directory = Path(directory or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    if keep < 1:
        raise BackupError("Хранить нужно хотя бы одну резервную копию (BACKUP_KEEP ≥ 1).")
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    target = directory / f"{PREFIX}{stamp}"
    partial = directory / f".{PREFIX}{stamp}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    os.chmod(partial, 0o700)  # personal data
    try:
        settings_dict = connection.settings_dict
        if _is_postgres(settings_dict):
            database_file = PG_DUMP
            counts = _dump_postgres(settings_dict, partial / PG_DUMP)
        else:
            database_file = SQLITE_COPY
            counts = _dump_sqlite(partial / SQLITE_COPY)
        media_root = Path(settings.MEDIA_ROOT)
        files = media_checksums(media_root)
        with tarfile.open(partial / MEDIA_ARCHIVE, "w:gz") as archive:
            for relative in files:
                archive.add(media_root / relative, arcname=relative, recursive=False)
        manifest = {
            "format": 1,
            "created_at": timezone.now().isoformat(),
            "engine": "postgresql" if _is_postgres(settings_dict) else "sqlite",
            "database_file": database_file,
            "database_sha256": sha256_of(partial / database_file),
            "media_archive": MEDIA_ARCHIVE,
            "media_archive_sha256": sha256_of(partial / MEDIA_ARCHIVE),
            "tables": counts,
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    deleted = backups_rotate(directory=directory, keep=keep)
    return BackupResult(path=target, tables=len(counts), rows=sum(counts.values()), files=len(files), deleted=deleted)


def backups_list(directory: Path) -> list[Path]:
    """Finished backups, oldest first."""
    if not directory.exists():
        return []
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_dir() and path.name.startswith(PREFIX) and (path / MANIFEST).exists()
    )


def backups_rotate(*, directory: Path, keep: int) -> list[Path]:
    old = backups_list(directory)[:-keep]
    for path in old:
        shutil.rmtree(path)
    return old


@dataclass
class RestoreReport:
    tables: int
    rows: int
    files: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def manifest_read(path: Path) -> dict:
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"В папке {path} нет файла {MANIFEST}: это не резервная копия «Наставника».") from None
    for name, key in ((manifest["database_file"], "database_sha256"), (MEDIA_ARCHIVE, "media_archive_sha256")):
        if sha256_of(path / name) != manifest[key]:
            raise BackupError(f"Файл {name} повреждён: его контрольная сумма не совпадает с записанной в копии.")
    return manifest


def backup_restore(*, path: Path, database_url: str, media_root: Path, replace_media: bool = False) -> RestoreReport:
    """Restores a backup into the (empty) database at ``database_url`` and the folder ``media_root``,
    then compares every table's row count and every file's checksum with the manifest."""
    path = Path(path)
    manifest = manifest_read(path)
    target = dj_database_url.parse(database_url)
    if manifest["engine"] == "postgresql":
        if not _is_postgres(target):
            raise BackupError("Копию базы PostgreSQL можно восстановить только в PostgreSQL.")
        completed = subprocess.run(  # noqa: S603 - PostgreSQL's own client, our arguments
            [
                _client("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "-d",
                target["NAME"],
                path / PG_DUMP,
            ],
            env=libpq_env(target),
            capture_output=True,
            text=True,
        )
        if completed.returncode:
            raise BackupError(
                "pg_restore завершился с ошибкой (база должна быть новой и пустой: createdb): "
                f"{completed.stderr.strip()[:2000]}"
            )
    else:
        if _is_postgres(target):
            raise BackupError("Копию базы SQLite можно восстановить только в файл SQLite (sqlite:///путь).")
        destination = Path(target["NAME"])
        if destination.exists() and destination.stat().st_size:
            raise BackupError(f"Файл базы {destination} уже есть: восстановление не перезаписывает данные.")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path / SQLITE_COPY, destination)
    media_root = Path(media_root)
    if media_root.exists() and any(media_root.iterdir()):
        if not replace_media:
            raise BackupError(f"Папка {media_root} не пуста: укажите пустую папку или --replace-media.")
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return backup_compare(manifest=manifest, database_url=database_url, media_root=media_root)


def backup_compare(*, manifest: dict, database_url: str, media_root: Path) -> RestoreReport:
    problems = []
    counts = table_counts(database_url)
    for table, expected in sorted(manifest["tables"].items()):
        actual = counts.get(table)
        if actual is None:
            problems.append(f"Таблицы {table} нет в восстановленной базе.")
        elif actual != expected:
            problems.append(f"В таблице {table} {actual} строк, а в копии {expected}.")
    files = media_checksums(media_root)
    for name, digest in sorted(manifest["files"].items()):
        if name not in files:
            problems.append(f"Файла {name} нет в восстановленной папке.")
        elif files[name] != digest:
            problems.append(f"Файл {name} отличается от сохранённого (контрольная сумма).")
    return RestoreReport(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(manifest["files"]),
        problems=problems,
    )
