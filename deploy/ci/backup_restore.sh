#!/usr/bin/env bash
# CI: back up the demo on PostgreSQL, restore it into a new database and media folder, and compare
# every table's row count and every file's checksum with the live source (and the manifest).
# Usage: deploy/ci/backup_restore.sh [python]   (PG_ADMIN_URL, NK_DB_PREFIX may be set)
# With NK_KEEP_RESTORED=DIR the restored database ${NK_DB_PREFIX}_backup_dst and its media folder
# (DIR/restored-media) are kept for the next step (deploy/ci/prod_smoke.sh runs on them).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${1:-.venv/bin/python}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}
PREFIX=${NK_DB_PREFIX:-nk_ci}
SRC_DB="${PREFIX}_backup_src"
DST_DB="${PREFIX}_backup_dst"
if [ -n "${NK_KEEP_RESTORED:-}" ]; then
  WORK=$NK_KEEP_RESTORED; rm -rf "$WORK"; mkdir -p "$WORK"
else
  WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
fi

psql_admin() { psql -q -v ON_ERROR_STOP=1 "$PG_ADMIN_URL/postgres" -c "$1"; }
psql_admin "DROP DATABASE IF EXISTS $SRC_DB WITH (FORCE)"
psql_admin "DROP DATABASE IF EXISTS $DST_DB WITH (FORCE)"
psql_admin "CREATE DATABASE $SRC_DB"
psql_admin "CREATE DATABASE $DST_DB"

export DATABASE_URL="$PG_ADMIN_URL/$SRC_DB" MEDIA_ROOT="$WORK/media" DEBUG=1 TASKS_INLINE=1
$PY manage.py migrate --noinput -v0
$PY manage.py load_demo >/dev/null
# The demo keeps its approved orders' PDFs under MEDIA_ROOT; one more file in a nested folder.
mkdir -p "$MEDIA_ROOT/private/ci" && head -c 100000 /dev/urandom >"$MEDIA_ROOT/private/ci/scan.bin"

$PY manage.py backup --dir "$WORK/backups" --keep 2
COPY=$(ls -d "$WORK"/backups/nastavnik-* | tail -1)
$PY manage.py restore "$COPY" --database-url "$PG_ADMIN_URL/$DST_DB" --media-root "$WORK/restored-media"

# Independent of the manifest: the live source against the restored copy.
SRC="$PG_ADMIN_URL/$SRC_DB" DST="$PG_ADMIN_URL/$DST_DB" SRC_MEDIA="$MEDIA_ROOT" DST_MEDIA="$WORK/restored-media" \
  DJANGO_SETTINGS_MODULE=mentorship.settings $PY - <<'PY'
import os, sys
import django
django.setup()
from mentorship.backups import media_checksums, table_counts
source, restored = table_counts(os.environ["SRC"]), table_counts(os.environ["DST"])
files_source, files_restored = media_checksums(os.environ["SRC_MEDIA"]), media_checksums(os.environ["DST_MEDIA"])
bad = [t for t in source if source[t] != restored.get(t)]
print(f"tables {len(source)}, rows {sum(source.values())}, files {len(files_source)}")
if bad or source.keys() != restored.keys() or files_source != files_restored or not files_source:
    print("MISMATCH", bad, set(source) ^ set(restored), set(files_source) ^ set(files_restored))
    sys.exit(1)
assert sum(source.values()) > 1000, "the demo should have been loaded"
print("backup restored: every table's row count and every file's checksum match")
PY
psql_admin "DROP DATABASE $SRC_DB WITH (FORCE)"
[ -n "${NK_KEEP_RESTORED:-}" ] || psql_admin "DROP DATABASE $DST_DB WITH (FORCE)"
rm -rf "$WORK/backups" "$WORK/media"
