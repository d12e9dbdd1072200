"""Long reports and exports built by a background task (django.tasks through the django-tasks backport).

A request becomes a ``ReportJob``; ``build_report`` renders it through the exporter registry,
shows how far it got, stores the file under MEDIA_ROOT/private/ and records the export in the
access journal. Production queues the task in the database for ``manage.py db_worker``; the
embedded default runs it inline (settings.TASKS_INLINE).
"""

import datetime
import logging
import secrets

from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.http import Http404, QueryDict
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from organisations.russian import plural
from organisations.tenancy import resolve_access
from participants.journal import client_ip
from participants.models import AccessLogEntry
from reports.exports.base import REGISTRY, ExportContext, Exporter
from reports.exports.models import ReportJob

logger = logging.getLogger(__name__)

# Form fields that are not filters of the list.
NOT_PARAMS = frozenset({"csrfmiddlewaretoken", "format"})

FAILED_MESSAGE = (
    "Не удалось подготовить файл из-за ошибки на сервере. Попробуйте ещё раз; "
    "если ошибка повторится, сообщите администратору."
)
NOT_FOUND_MESSAGE = "Не удалось подготовить файл: данных для выгрузки больше нет (возможно, их удалили)."
NO_ACCESS_MESSAGE = "Файл не подготовлен: у вас больше нет прав на эту выгрузку."
NO_EXPORTER_MESSAGE = "Файл не подготовлен: такой выгрузки больше нет."
INTERRUPTED_MESSAGE = (
    "Подготовка файла прервалась: фоновый обработчик остановился во время работы. "
    "Закажите файл ещё раз; если ошибка повторится, сообщите администратору."
)
NEVER_STARTED_MESSAGE = (
    "Файл не подготовлен: фоновый обработчик не взялся за него за сутки. "
    "Закажите файл ещё раз и сообщите администратору, что фоновые задачи не выполняются."
)
# A file still «готовится» this long after it was asked for was cut short (the worker was killed or
# the server restarted): the exports of the largest district take a few minutes.
STALE_RUNNING_MINUTES = 30
STALE_QUEUED_HOURS = 24


def params_to_json(params) -> dict[str, list[str]]:
    """The list's filters (a QueryDict or a plain dict) as JSON: name → values."""
    getlist = params.getlist if hasattr(params, "getlist") else lambda key: [params[key]]
    return {key: [str(value) for value in getlist(key)] for key in params if key not in NOT_PARAMS}


def params_from_json(data: dict) -> QueryDict:
    params = QueryDict(mutable=True)
    for key, values in data.items():
        params.setlist(key, [str(value) for value in values])
    params._mutable = False
    return params


def report_job_request(*, organisation, request, exporter: Exporter, params, fmt: str) -> ReportJob:
    """The user's job for this file: a new one, queued; or the same one still being built."""
    data = params_to_json(params)
    active = ReportJob.objects.filter(
        organisation=organisation,
        user=request.user,
        exporter=exporter.identifier,
        fmt=fmt,
        status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING],
        created_at__gte=timezone.now() - datetime.timedelta(hours=1),
    )
    # A second click (or a reload of the export link) must not build the same file twice.
    for job in active:
        if job.params == data:
            return job
    job = ReportJob.objects.create(
        organisation=organisation,
        user=request.user,
        exporter=exporter.identifier,
        title=exporter.title,
        params=data,
        fmt=fmt,
        message="В очереди",
        request_path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )
    # Outside any transaction: the inline backend builds the file right here, and a long write
    # transaction around it would lock the embedded SQLite database for everyone else.
    try:
        result = build_report.enqueue(job.pk)
    except Exception:
        logger.exception("Report job %s could not be queued", job.pk)
        _fail(job, FAILED_MESSAGE)
        return job
    ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


@task()
def build_report(job_id: int) -> None:
    report_job_run(job_id=job_id)


def report_job_run(*, job_id: int) -> None:
    """Builds the file of a queued job; on any error the job fails with a message and keeps no file."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING, progress=1, message="Готовится"
    )
    if not claimed:
        return  # already built, or purged before a worker got to it
    job = ReportJob.objects.select_related("organisation", "user").get(pk=job_id)
    exporter = REGISTRY.get(job.exporter)
    if exporter is None:
        _fail(job, NO_EXPORTER_MESSAGE)
        return
    # Rights may have been taken away while the job waited in the queue.
    try:
        access = resolve_access(job.user, job.organisation.slug)
        allowed = access.can(exporter.required_capability(access))
    except Http404:
        allowed = False
    if not allowed:
        _fail(job, NO_ACCESS_MESSAGE)
        return
    try:
        result = exporter.build(
            organisation=job.organisation,
            params=params_from_json(job.params),
            fmt=job.fmt,
            progress=_progress_reporter(job.pk),
            context=ExportContext(user=job.user, access=access),
        )
    except Http404:
        _fail(job, NOT_FOUND_MESSAGE)
        return
    except Exception:
        _fail(job, FAILED_MESSAGE)
        raise  # the worker logs the traceback
    _store(job, result, journalled=exporter.personal_data if result.journalled is None else result.journalled)


def _progress_reporter(job_id: int):
    last = {"percent": None}

    def progress(done: int, total: int | None) -> None:
        rows = f"{done:,}".replace(",", "\u00a0")
        message = f"Обработано {rows} {plural(done, 'строка', 'строки', 'строк')}"
        # Rows are 5–95 %: the query before them and the file after them take the rest.
        percent = min(95, 5 + done * 90 // total) if total else 50
        if total:
            message += f" из {total:,}".replace(",", "\u00a0")
        if percent == last["percent"] and done % 5000:
            return
        last["percent"] = percent
        try:
            ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
                progress=percent, message=message
            )
        except OperationalError:
            # SQLite locked by a request while our rows are read: the bar moves at the next step.
            logger.warning("Progress of report job %s not saved: the database is busy", job_id)

    return progress


def _store(job: ReportJob, result, *, journalled: bool) -> None:
    extension = result.filename.rsplit(".", 1)[-1].lower() if "." in result.filename else job.fmt
    try:
        # The stored name is random; the user gets the exporter's filename when downloading.
        job.file.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(result.content), save=False)
        with transaction.atomic():
            job.status = ReportJob.Status.DONE
            job.progress = 100
            job.message = ""
            job.filename = result.filename[:255]
            job.content_type = result.content_type[:100]
            job.people_count = result.people_count
            job.finished_at = timezone.now()
            job.save()
            if journalled:
                AccessLogEntry.objects.create(
                    organisation=job.organisation,
                    user=job.user,
                    action=AccessLogEntry.Action.EXPORT,
                    what=f"Выгрузка: {job.title} ({job.fmt.upper()})"[:300],
                    people_count=result.people_count,
                    path=job.request_path,
                    ip_address=job.ip_address,
                )
    except Exception:
        if job.file.name:
            job.file.storage.delete(job.file.name)
        _fail(job, FAILED_MESSAGE)
        raise


def _fail(job: ReportJob, message: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.FAILED, message=message, file="", finished_at=timezone.now()
    )


def report_jobs_purge(*, days: int = ReportJob.KEEP_DAYS, now: datetime.datetime | None = None) -> int:
    """Deletes jobs asked for ``days`` or more days ago, with their files; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    old = ReportJob.objects.filter(created_at__lt=cutoff)
    count = 0
    for job in old.only("pk", "file").iterator(chunk_size=500):
        if job.file.name:
            job.file.storage.delete(job.file.name)
        job.delete()
        count += 1
    return count


def report_jobs_fail_stale(
    *, minutes: int = STALE_RUNNING_MINUTES, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """Jobs never finished because their worker died (a crash, a kill, a power cut) are marked failed
    with a message their user sees, instead of staying «готовится» forever. Returns (running, queued)
    jobs failed. Run every few minutes (nastavnik-task@fail_stale_report_jobs)."""
    now = now or timezone.now()
    running = ReportJob.objects.filter(
        status=ReportJob.Status.RUNNING, created_at__lt=now - datetime.timedelta(minutes=minutes)
    )
    queued = ReportJob.objects.filter(
        status=ReportJob.Status.QUEUED, created_at__lt=now - datetime.timedelta(hours=STALE_QUEUED_HOURS)
    )
    counts = []
    for jobs, message in ((running, INTERRUPTED_MESSAGE), (queued, NEVER_STARTED_MESSAGE)):
        task_ids = []
        count = 0
        for job in jobs.only("pk", "file", "task_id", "status"):
            if job.file.name:
                job.file.storage.delete(job.file.name)
            # Only a job still in the same state is failed: a worker may finish it meanwhile.
            count += ReportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=ReportJob.Status.FAILED, message=message, file="", finished_at=now
            )
            if job.task_id:
                task_ids.append(job.task_id)
        # The queue's own record of the dead task is closed too, so that the health check and
        # prune_db_task_results see it finished.
        if task_ids:
            _task_results_close(task_ids, now)
        counts.append(count)
    return counts[0], counts[1]


def _task_results_close(task_ids: list[str], now: datetime.datetime) -> None:
    DBTaskResult.objects.filter(pk__in=task_ids, status__in=[TaskResultStatus.RUNNING, TaskResultStatus.READY]).update(
        status=TaskResultStatus.FAILED, finished_at=now
    )
