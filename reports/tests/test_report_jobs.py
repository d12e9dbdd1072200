"""Long exports built in the background: the job page, the worker, the download, the purge."""

import datetime
import io
import signal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from organisations.models import Membership
from participants.models import AccessLogEntry
from participants.tests.factories import PersonFactory
from participants.tests.factories_consents import consent_for
from reports.exports import tasks
from reports.exports.base import REGISTRY, Column, TableExporter
from reports.models import ReportJob
from reports.registers.people import PeopleExporter

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
INLINE_BACKEND = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def database_tasks(settings):
    """Tasks queued in the database, as in production, for the worker below to run."""
    settings.TASKS = DATABASE_BACKEND


@pytest.fixture
def inline_tasks(settings):
    """The embedded default: a task runs inside the request that queues it."""
    settings.TASKS = INLINE_BACKEND


@pytest.fixture
def people_in_background(monkeypatch):
    """The people register goes to the background however few people the test makes."""
    monkeypatch.setattr(PeopleExporter, "background_from_rows", 1)


def run_worker():
    """``manage.py db_worker`` until the queue is empty; it takes over the signals, give them back.

    The worker drops «old» connections between tasks; inside the test's transaction that would
    close it (PostgreSQL), so that one call is a no-op here.
    """
    from unittest import mock

    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {number: signal.getsignal(number) for number in signals}
    try:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _export_url(school, identifier="people"):
    return reverse("reports:export", kwargs={"org": school.slug, "identifier": identifier})


def _job_url(name, job):
    return reverse(f"reports:{name}", kwargs={"org": job.organisation.slug, "pk": job.pk})


def _downloaded_rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True) if any(v is not None for v in row)]


def _files(media):
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.mark.usefixtures("database_tasks", "people_in_background")
def test_a_large_export_is_queued_built_by_the_worker_and_downloaded(client, school_a, curator_a, monkeypatch, media):
    for name in ("Акимова", "Борисов", "Власова"):
        consent_for(PersonFactory(organisation=school_a, last_name=name, grade=7))
    PersonFactory(organisation=school_a, last_name="Безсогласия", grade=7)
    PersonFactory(organisation=school_a, last_name="Девятиклассник", grade=9)
    reported = []
    real_reporter = tasks._progress_reporter

    def spying_reporter(job_id):
        progress = real_reporter(job_id)

        def spy(done, total):
            progress(done, total)
            reported.append(ReportJob.objects.get(pk=job_id).progress)

        return spy

    monkeypatch.setattr(tasks, "_progress_reporter", spying_reporter)
    monkeypatch.setattr("reports.exports.base.PROGRESS_EVERY_ROWS", 1)
    client.force_login(curator_a)

    response = client.get(_export_url(school_a) + "?grade=7")

    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == _job_url("job_detail", job)
    assert (job.user, job.status, job.params) == (curator_a, ReportJob.Status.QUEUED, {"grade": ["7"]})
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "В очереди" in page
    assert not AccessLogEntry.objects.exists()  # nothing has left the school yet

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.progress, job.people_count) == (ReportJob.Status.DONE, 100, 3)
    assert reported == sorted(reported) and reported[-1] == 95 and len(reported) >= 3
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    fragment = client.get(_job_url("job_progress", job)).content.decode()
    assert "hx-trigger" not in fragment, "polling stops once the file is ready"
    assert "Скачать файл" in fragment and "3 человек" in fragment
    built = AccessLogEntry.objects.get()
    assert (built.user, built.action, built.people_count) == (curator_a, "export", 3)
    assert built.what == "Выгрузка: Участники программы наставничества (XLSX)" and built.path.endswith("?grade=7")
    assert [path.parent.name for path in _files(media)] == ["reportjob"]
    assert str(_files(media)[0].relative_to(media)).startswith(f"private/{school_a.pk}/")

    download = client.get(_job_url("job_download", job))

    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="people-school-a-' in download["Content-Disposition"]
    rows = _downloaded_rows(download)
    assert rows[0][0] == "Участники программы наставничества — МБОУ СОШ № 1"
    names = [row[0] for row in rows]
    assert {"Акимова", "Борисов", "Власова"} <= set(names)
    assert not {"Безсогласия", "Девятиклассник"} & set(names)
    assert AccessLogEntry.objects.filter(what__startswith="Скачивание файла: Участники").count() == 1


@pytest.mark.usefixtures("database_tasks", "people_in_background")
def test_a_second_click_while_the_file_is_built_does_not_queue_it_again(client, school_a, curator_a):
    for grade in (7, 8):
        consent_for(PersonFactory(organisation=school_a, grade=grade))
    client.force_login(curator_a)
    first = client.get(_export_url(school_a) + "?grade=7")
    second = client.get(_export_url(school_a) + "?grade=7")
    other_filter = client.get(_export_url(school_a) + "?grade=8")
    assert first["Location"] == second["Location"] != other_filter["Location"]
    assert ReportJob.objects.count() == DBTaskResult.objects.count() == 2


@pytest.mark.usefixtures("inline_tasks", "people_in_background")
def test_the_embedded_default_builds_the_file_inline(client, school_a, curator_a):
    consent_for(PersonFactory(organisation=school_a, last_name="Акимова"))
    client.force_login(curator_a)
    response = client.get(_export_url(school_a), follow=True)
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE and not DBTaskResult.objects.exists()
    assert "Скачать файл" in response.content.decode()
    assert "Акимова" in [row[0] for row in _downloaded_rows(client.get(_job_url("job_download", job)))]


def test_a_small_list_is_still_exported_at_once(client, school_a, curator_a):
    consent_for(PersonFactory(organisation=school_a))
    client.force_login(curator_a)
    response = client.get(_export_url(school_a))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ReportJob.objects.exists()


@pytest.mark.usefixtures("inline_tasks", "people_in_background")
def test_another_users_job_is_404(client, school_a, curator_a, member):
    consent_for(PersonFactory(organisation=school_a))
    client.force_login(curator_a)
    client.get(_export_url(school_a))
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE
    client.force_login(member(school_a, "curator", "curator-a2"))
    for name in ("job_detail", "job_progress", "job_download"):
        assert client.get(_job_url(name, job)).status_code == 404, name
    assert "Файлов пока нет" in client.get(reverse("reports:job_list", kwargs={"org": school_a.slug})).content.decode()
    assert not AccessLogEntry.objects.filter(what__startswith="Скачивание").exists()


class BrokenExporter(TableExporter):
    identifier = "broken"
    title = "Сломанная выгрузка"
    capability = "participants.view"
    background = True
    columns = (Column("ФИО"),)

    def rows(self, *, organisation, params):
        yield ("Первая строка",)
        raise RuntimeError("the database went away")


@pytest.mark.usefixtures("inline_tasks")
def test_a_failing_export_marks_the_job_failed_with_a_message_and_keeps_no_file(
    client, school_a, curator_a, monkeypatch, media
):
    monkeypatch.setitem(REGISTRY, "broken", BrokenExporter())
    client.force_login(curator_a)
    page = client.get(_export_url(school_a, "broken"), follow=True)
    job = ReportJob.objects.get()
    assert (job.status, job.file.name, job.finished_at is not None) == (ReportJob.Status.FAILED, "", True)
    assert job.message == tasks.FAILED_MESSAGE
    assert "Не удалось подготовить файл из-за ошибки на сервере" in page.content.decode()
    assert "hx-trigger" not in page.content.decode()
    assert _files(media) == []
    assert not AccessLogEntry.objects.exists()
    assert client.get(_job_url("job_download", job))["Location"] == _job_url("job_detail", job)


@pytest.mark.usefixtures("database_tasks", "people_in_background")
def test_a_job_fails_when_the_rights_were_taken_away_while_it_waited(client, school_a, member, media):
    consent_for(PersonFactory(organisation=school_a))
    curator = member(school_a, "curator", "leaving-curator")
    client.force_login(curator)
    client.get(_export_url(school_a))
    Membership.objects.filter(user=curator).update(role="mentor")
    run_worker()
    job = ReportJob.objects.get()
    assert (job.status, job.message) == (ReportJob.Status.FAILED, tasks.NO_ACCESS_MESSAGE)
    assert _files(media) == [] and not AccessLogEntry.objects.exists()


@pytest.mark.usefixtures("inline_tasks", "people_in_background")
def test_purge_deletes_old_files_and_keeps_recent_ones(client, school_a, curator_a, media):
    for grade in (7, 8):
        consent_for(PersonFactory(organisation=school_a, grade=grade))
    client.force_login(curator_a)
    client.get(_export_url(school_a) + "?grade=7")
    client.get(_export_url(school_a) + "?grade=8")
    old, recent = ReportJob.objects.order_by("pk")
    ReportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=ReportJob.KEEP_DAYS))
    old_file, recent_file = (media / old.file.name, media / recent.file.name)
    assert old_file.exists() and recent_file.exists()
    out = io.StringIO()
    call_command("purge_report_jobs", stdout=out)
    assert out.getvalue().strip() == "Удалена 1 выгрузка."
    assert not old_file.exists() and recent_file.exists()
    assert list(ReportJob.objects.all()) == [recent]
    assert client.get(_job_url("job_download", recent)).status_code == 200


def test_my_exports_lists_own_jobs_in_a_fixed_number_of_queries(client, school_a, school_b, curator_a, curator_b):
    def make_jobs(count):
        for index in range(ReportJob.objects.filter(user=curator_a).count(), count):
            ReportJob.objects.create(
                organisation=school_a, user=curator_a, exporter="people", title=f"Участники {index}", fmt="xlsx"
            )
            ReportJob.objects.create(
                organisation=school_b, user=curator_b, exporter="people", title="Чужая выгрузка", fmt="xlsx"
            )

    client.force_login(curator_a)
    url = reverse("reports:job_list", kwargs={"org": school_a.slug})
    counts = []
    for count in (2, 12):
        make_jobs(count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
        assert len(response.context["jobs"]) == count
    assert counts[0] == counts[1]
    page = response.content.decode()
    assert "Участники 11" in page and "Чужая выгрузка" not in page
