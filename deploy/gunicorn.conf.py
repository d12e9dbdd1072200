"""Gunicorn settings of «Наставник» (gunicorn -c deploy/gunicorn.conf.py mentorship.wsgi).

Every value can be changed through the environment of the service (deploy/nastavnik.env.example).
"""

import multiprocessing
import os

# nginx talks to gunicorn on the loopback only; never expose this port.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: each serves one request at a time. Long files are built by the background
# worker (db_worker), so a page never waits behind an export.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that takes longer is killed and logged; PDFs of a few pages take seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (plus jitter), which caps slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Only nginx on this machine may say which scheme the visitor used (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs go to the journal (journalctl -u nastavnik-web).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# The query string of a personal questionnaire link is not logged with the path: only method, path, status, time.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# Loads the application once before forking: faster start, less memory.
preload_app = True
# No control socket (gunicornc): systemd manages the service, and two instances of one user would share it.
control_socket_disable = True
