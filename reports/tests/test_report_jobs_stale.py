"""A file whose worker died while building it is marked failed with a message, never «готовится» forever."""

import datetime
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports.exports.tasks import INTERRUPTED_MESSAGE, NEVER_STARTED_MESSAGE, report_jobs_fail_stale
from reports.models import ReportJob


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _job(school, user, *, status, minutes_ago, task=None):
    job = ReportJob.objects.create(
        organisation=school,
        user=user,
        exporter="people",
        title="Список участников",
        fmt="xlsx",
        status=status,
        task_id=str(task.pk) if task else "",
    )
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    job.refresh_from_db()
    return job


def _task(status):
    return DBTaskResult.objects.create(
        task_path="reports.exports.tasks.build_report",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        status=status,
    )


@pytest.mark.django_db
def test_jobs_cut_short_fail_with_a_message_the_user_sees(client, curator_a, school_a):
    task = _task(TaskResultStatus.RUNNING)
    dead = _job(school_a, curator_a, status=ReportJob.Status.RUNNING, minutes_ago=45, task=task)
    dead.file.save("partial.xlsx", ContentFile(b"half"), save=True)
    partial = dead.file.path
    busy = _job(school_a, curator_a, status=ReportJob.Status.RUNNING, minutes_ago=5)
    waiting = _job(school_a, curator_a, status=ReportJob.Status.QUEUED, minutes_ago=60)
    forgotten = _job(school_a, curator_a, status=ReportJob.Status.QUEUED, minutes_ago=25 * 60)
    done = _job(school_a, curator_a, status=ReportJob.Status.DONE, minutes_ago=120)

    assert report_jobs_fail_stale() == (1, 1)

    dead.refresh_from_db()
    assert dead.status == ReportJob.Status.FAILED
    assert dead.message == INTERRUPTED_MESSAGE
    assert not dead.file
    assert not os.path.exists(partial)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    forgotten.refresh_from_db()
    assert (forgotten.status, forgotten.message) == (ReportJob.Status.FAILED, NEVER_STARTED_MESSAGE)
    for job, status in ((busy, "running"), (waiting, "queued"), (done, "done")):
        job.refresh_from_db()
        assert job.status == status

    client.force_login(curator_a)
    page = client.get(reverse("reports:job_progress", kwargs={"org": school_a.slug, "pk": dead.pk}))
    assert "Подготовка файла прервалась" in page.content.decode()


@pytest.mark.django_db
def test_the_command_says_how_many_it_failed(curator_a, school_a):
    out = io.StringIO()
    call_command("fail_stale_report_jobs", stdout=out)
    assert out.getvalue().strip() == "Прерванных выгрузок нет."
    _job(school_a, curator_a, status=ReportJob.Status.RUNNING, minutes_ago=12)
    call_command("fail_stale_report_jobs", "--minutes", "10", stdout=out)
    assert "Отмечено неудавшимися выгрузок: 1 (прерванных 1, не начатых за сутки 0)." in out.getvalue()
