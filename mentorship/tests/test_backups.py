"""manage.py backup and restore: the copy restores into a new database and folder, checked against its manifest."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from mentorship.backups import MANIFEST, backup_create, backup_restore, media_checksums
from organisations.models import Organisation

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL backup is checked by .ci/run")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "private" / "scans").mkdir(parents=True)
    (settings.MEDIA_ROOT / "private" / "scans" / "согласие.pdf").write_bytes(b"%PDF-1.4 consent")
    (settings.MEDIA_ROOT / "orders.pdf").write_bytes(b"%PDF-1.4 order")
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_row_and_file(school_a, curator_a, media, tmp_path):
    out = io.StringIO()
    call_command("backup", "--dir", str(tmp_path / "backups"), "--keep", "3", stdout=out)
    assert "Резервная копия готова" in out.getvalue()
    (copy,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((copy / MANIFEST).read_text())
    assert manifest["engine"] == "sqlite"
    assert manifest["tables"]["organisations_organisation"] == Organisation.objects.count() >= 2
    assert manifest["tables"]["organisations_user"] >= 1
    assert set(manifest["files"]) == {"private/scans/согласие.pdf", "orders.pdf"}

    target = tmp_path / "restored"
    out = io.StringIO()
    call_command(
        "restore",
        str(copy),
        "--database-url",
        f"sqlite:///{target / 'db.sqlite3'}",
        "--media-root",
        str(target / "media"),
        stdout=out,
    )
    assert "Восстановлено и сверено" in out.getvalue()
    assert media_checksums(target / "media") == media_checksums(media)
    assert (target / "media" / "private" / "scans" / "согласие.pdf").read_bytes() == b"%PDF-1.4 consent"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_copy_and_a_full_folder(school_a, media, tmp_path):
    copy = backup_create(directory=tmp_path / "backups", keep=1).path
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CommandError, match="не пуста"):
        call_command(
            "restore",
            str(copy),
            "--database-url",
            f"sqlite:///{tmp_path / 'a.sqlite3'}",
            "--media-root",
            str(tmp_path / "full"),
        )
    with open(copy / "media.tar.gz", "ab") as archive:
        archive.write(b"garbage")
    with pytest.raises(CommandError, match="повреждён"):
        call_command(
            "restore",
            str(copy),
            "--database-url",
            f"sqlite:///{tmp_path / 'b.sqlite3'}",
            "--media-root",
            str(tmp_path / "m"),
        )


@pytest.mark.django_db(transaction=True)
def test_restore_notices_a_missing_row_and_a_changed_file(school_a, media, tmp_path):
    import sqlite3

    copy = backup_create(directory=tmp_path / "backups", keep=1).path
    manifest = json.loads((copy / MANIFEST).read_text())
    manifest["tables"]["organisations_organisation"] += 1
    manifest["files"]["orders.pdf"] = "0" * 64
    (copy / MANIFEST).write_text(json.dumps(manifest))
    report = backup_restore(path=copy, database_url=f"sqlite:///{tmp_path / 'r.sqlite3'}", media_root=tmp_path / "m")
    assert not report.ok
    assert any("organisations_organisation" in problem for problem in report.problems)
    assert "Файл orders.pdf отличается от сохранённого (контрольная сумма)." in report.problems
    assert sqlite3.connect(tmp_path / "r.sqlite3").execute("SELECT count(*) FROM organisations_organisation").fetchone()


@pytest.mark.django_db(transaction=True)
def test_rotation_keeps_the_newest(school_a, media, tmp_path):
    import datetime

    from django.utils import timezone

    start = timezone.now()
    made = [
        backup_create(directory=tmp_path / "b", keep=2, now=start + datetime.timedelta(days=day)).path
        for day in range(3)
    ]
    assert sorted(Path(tmp_path / "b").iterdir()) == made[1:]
