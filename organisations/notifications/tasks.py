"""The background task (django.tasks through the django-tasks backport, as reports/exports/tasks.py).

``notify()`` queues ``send_notifications_task(digests=False)`` after its commit, so «сразу» leaves
within seconds under ``manage.py db_worker``; ``manage.py send_notifications --enqueue`` queues the
full run (collect + send + digests) for the worker instead of running it in the command.
"""

from django_tasks import task

from .sending import run, send_pending


@task()
def send_notifications_task(digests: bool = True, collect: bool = False) -> dict:
    result = run(digests=digests) if collect else send_pending(digests=digests)
    return {"made": result.made, "sent": result.sent, "failed": result.failed}
