#!/usr/bin/env bash
# CI: the production shape on this machine. Collects static files, starts gunicorn (2 workers),
# the background worker and nginx with the deploy/ configs templated to local paths and ports,
# runs deploy/ci/smoke.py through nginx over HTTPS, then stops everything it started.
# Usage: deploy/ci/prod_smoke.sh DATABASE_URL MEDIA_ROOT [python]
#   The database must hold the demo (deploy/ci/backup_restore.sh leaves the restored one).
#   Ports: NK_HTTPS_PORT [8443], NK_HTTP_PORT [8080], NK_APP_PORT [8001]; GUNICORN_WORKERS [2].
#   NK_THEN: a command run after the smoke test while everything still runs (make load runs locust so),
#   with NK_BASE_URL and NK_CA (the certificate to trust) in its environment.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DB_URL=$1
MEDIA=$2
PY=${3:-.venv/bin/python}
BIN=$(dirname "$PY")
HTTPS_PORT=${NK_HTTPS_PORT:-8443}
HTTP_PORT=${NK_HTTP_PORT:-8080}
APP_PORT=${NK_APP_PORT:-8001}
RUN=$(mktemp -d /tmp/nk-prod.XXXXXX)
chmod 755 "$RUN"
pids=()
cleanup() {
  [ -f "$RUN/nginx.pid" ] && kill "$(cat "$RUN/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$RUN"
}
trap cleanup EXIT
show_logs() { for f in "$RUN"/*.log; do echo "--- $f"; tail -n 40 "$f"; done; }

export DEBUG=0 DATABASE_URL="$DB_URL" MEDIA_ROOT="$MEDIA" STATIC_ROOT="$RUN/static"
export SECRET_KEY="smoke-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS=localhost SITE_URL="https://localhost:$HTTPS_PORT"
export TRUST_X_FORWARDED_PROTO=1 SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=60 SECURE_HSTS_PRELOAD=0
export TASKS_INLINE=0 EXPORTS_BACKGROUND_FROM_ROWS=1 GUNICORN_BIND="127.0.0.1:$APP_PORT" GUNICORN_WORKERS=${GUNICORN_WORKERS:-2} GUNICORN_ACCESSLOG="$RUN/access.log"

$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0

# A self-signed certificate for localhost; the smoke test trusts exactly this one.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost \
  -keyout "$RUN/key.pem" -out "$RUN/cert.pem" 2>/dev/null

# The site as shipped, with local paths and ports.
sed -e "s#server 127.0.0.1:8000#server 127.0.0.1:$APP_PORT#" \
    -e "s#listen 443 ssl http2;#listen $HTTPS_PORT ssl http2;#" -e "s#listen 80;#listen $HTTP_PORT;#" \
    -e "/listen \[::\]/d" -e "s#server_name nastavnik.example.org;#server_name localhost;#" \
    -e "s#/etc/letsencrypt/live/nastavnik.example.org/fullchain.pem#$RUN/cert.pem#" \
    -e "s#/etc/letsencrypt/live/nastavnik.example.org/privkey.pem#$RUN/key.pem#" \
    -e "s#/srv/nastavnik/staticfiles/#$RUN/static/#" -e "s#/var/log/nginx/nastavnik\.#$RUN/nginx-#" \
    -e "s#return 301 https://\$host\$request_uri;#return 301 https://\$host:$HTTPS_PORT\$request_uri;#" \
    deploy/nginx/nastavnik.conf >"$RUN/site.conf"
mkdir -p "$RUN/tmp"
cat >"$RUN/nginx.conf" <<NGINX
worker_processes 1;
pid $RUN/nginx.pid;
error_log $RUN/nginx-main.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $RUN/tmp/body;
    proxy_temp_path $RUN/tmp/proxy;
    fastcgi_temp_path $RUN/tmp/fastcgi;
    uwsgi_temp_path $RUN/tmp/uwsgi;
    scgi_temp_path $RUN/tmp/scgi;
    include $RUN/site.conf;
}
NGINX
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
$NGINX_BIN -t -q -c "$RUN/nginx.conf" -p "$RUN"

"$BIN/gunicorn" -c deploy/gunicorn.conf.py mentorship.wsgi >"$RUN/gunicorn.log" 2>&1 &
pids+=($!)
$PY manage.py db_worker --no-reload --interval 1 >"$RUN/worker.log" 2>&1 &
pids+=($!)
$NGINX_BIN -c "$RUN/nginx.conf" -p "$RUN"

for _ in $(seq 60); do
  curl -sf --cacert "$RUN/cert.pem" "https://localhost:$HTTPS_PORT/health/" >/dev/null && break
  sleep 1
done
if ! $PY deploy/ci/smoke.py "https://localhost:$HTTPS_PORT" "http://localhost:$HTTP_PORT" "$RUN/cert.pem"; then
  show_logs
  exit 1
fi
if [ -n "${NK_THEN:-}" ]; then
  NK_BASE_URL="https://localhost:$HTTPS_PORT" NK_CA="$RUN/cert.pem" bash -c "$NK_THEN"
fi
