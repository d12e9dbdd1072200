"""/health/: is this installation able to serve? For the proxy, the load balancer and monitoring.

No login; the answer names the checks and says ok or fail, nothing else (no versions, no paths,
no error texts, which go to the log). 200 when all pass, 503 otherwise.
"""

import datetime
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def check_worker() -> bool:
    """The background worker is alive when no queued task has waited too long for it.

    With TASKS_INLINE (the embedded SQLite default) no worker runs: requests build files themselves.
    """
    if settings.TASKS_INLINE:
        return True
    since = timezone.now() - datetime.timedelta(seconds=settings.HEALTH_QUEUE_MAX_WAIT_SECONDS)
    return not DBTaskResult.objects.ready().filter(enqueued_at__lt=since).exists()


def check_media_disk() -> bool:
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free >= settings.HEALTH_MEDIA_MIN_FREE_MB * 1024 * 1024


CHECKS = {"database": check_database, "worker": check_worker, "media_disk": check_media_disk}


@never_cache
@require_GET
def health(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "fail"
        except Exception:
            logger.exception("Health check %s failed", name)
            results[name] = "fail"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503)
