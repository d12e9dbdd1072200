#!/usr/bin/env bash
# make load: the demo in its own PostgreSQL database, the production shape (deploy/ci/prod_smoke.sh) and
# locust over it. LOAD_USERS [50], LOAD_TIME [5m], LOAD_DATABASE [nastavnik_load], GUNICORN_WORKERS [5].
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
PG=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}
DB=${LOAD_DATABASE:-nastavnik_load}
OUT=${LOAD_OUT:-var/load}
mkdir -p "$OUT/media"
OUT=$(realpath "$OUT")
psql -q "$PG/postgres" -tc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -q "$PG/postgres" -c "CREATE DATABASE $DB"
export DATABASE_URL="$PG/$DB" MEDIA_ROOT="$OUT/media"
DEBUG=1 TASKS_INLINE=1 $PY manage.py migrate --noinput -v0
DEBUG=1 TASKS_INLINE=1 $PY manage.py load_demo >/dev/null
DEBUG=1 $PY deploy/load/prepare.py "$OUT/tokens.txt"
export GUNICORN_WORKERS=${GUNICORN_WORKERS:-5} LOAD_TOKENS="$OUT/tokens.txt"
export NK_THEN="$(dirname "$PY")/locust -f deploy/load/locustfile.py --headless -u ${LOAD_USERS:-50} -r 5 \
  -t ${LOAD_TIME:-5m} --host \$NK_BASE_URL --csv $OUT/result --only-summary --stop-timeout 30"
deploy/ci/prod_smoke.sh "$DATABASE_URL" "$MEDIA_ROOT" "$PY"
echo "Figures: $OUT/result_stats.csv (per request), $OUT/result_stats_history.csv"
