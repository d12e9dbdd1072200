"""Faults survived, on PostgreSQL (run by .ci/run's «Faults» step: NASTAVNIK_FAULTS=1 pytest -m faults).

- PostgreSQL restarted (CI) or every connection of the app killed (locally) while gunicorn serves:
  requests fail cleanly for a moment, then work again without restarting the app (CONN_HEALTH_CHECKS);
- the worker killed in the middle of an export: the job is marked failed with a message its user sees;
- 20 concurrent approvals of different orders of one school: 20 distinct consecutive numbers;
- two concurrent approvals of the same order: one approval, one clear refusal;
- the same list imported twice at once: no duplicates.

Threads use their own database connections; the app and the worker run as subprocesses.
"""

import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mentorship.tests.factories import ProgrammeFactory
from organisations.roles import Role
from organisations.tests.factories import MembershipFactory, SchoolFactory, UserFactory
from participants.models import Person
from participants.services_import import people_import_apply, people_import_preview
from reports.exports.tasks import INTERRUPTED_MESSAGE, build_report, report_jobs_fail_stale
from reports.models import Order, OrderKind, ReportJob
from reports.orders import services as order_services
from reports.orders.services import order_approve, order_draft, order_save, order_submit

ROOT = Path(settings.BASE_DIR)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(
        os.environ.get("NASTAVNIK_FAULTS") != "1" or connection.vendor != "postgresql",
        reason="fault checks run on PostgreSQL in CI's «Faults» step (NASTAVNIK_FAULTS=1)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(**extra) -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=_database_url(), DEBUG="1", TASKS_INLINE="0", MEDIA_ROOT=str(settings.MEDIA_ROOT))
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _in_threads(function, arguments) -> list:
    """Runs function(argument) in one thread each, released together; returns results or exceptions."""
    barrier = threading.Barrier(len(arguments))
    results: list = [None] * len(arguments)

    def run(index, argument):
        try:
            barrier.wait()
            results[index] = function(argument)
        except Exception as error:  # compared by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, argument)) for index, argument in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


# --- PostgreSQL restarted while the app serves --------------------------------------------------


def _restart_postgres():
    """CI restarts the server itself; elsewhere (a shared server) the app's connections are killed,
    which is what a restart does to them."""
    if os.environ.get("NASTAVNIK_FAULTS_RESTART_PG") == "1":
        version = sorted(os.listdir("/etc/postgresql"))[0]
        restarted = subprocess.run(  # noqa: S603 - Debian's cluster tool, fixed arguments
            ["/usr/bin/pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            capture_output=True,
            text=True,
        )
        if restarted.returncode == 0:
            return
        # A server not managed by pg_ctlcluster: its connections are killed instead, as a restart does.
        print(f"pg_ctlcluster restart failed ({restarted.stderr.strip()}); killing the connections instead")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def test_the_app_survives_a_postgresql_restart_without_being_restarted(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = subprocess.Popen(  # noqa: S603 - our gunicorn and config
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "mentorship.wsgi"],
        cwd=ROOT,
        env=_env(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2", CONN_MAX_AGE="600"),
        stdout=open(tmp_path / "gunicorn.log", "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    http = requests.Session()
    http.trust_env = False
    try:
        for _ in range(60):
            try:
                if http.get(f"{base}/health/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        # Both workers hold a persistent connection.
        assert all(http.get(f"{base}/health/", timeout=5).status_code == 200 for _ in range(6))

        _restart_postgres()
        connection.close()  # ours died too

        statuses = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            started = time.monotonic()
            response = http.get(f"{base}/health/", timeout=15)
            assert time.monotonic() - started < 15, "a request hung instead of failing"
            statuses.append(response.status_code)
            if statuses[-6:] == [200] * 6:
                break
            assert response.status_code in (200, 503), response.text  # a clean answer, not a crash
            time.sleep(0.5)
        assert statuses[-6:] == [200] * 6, f"the app did not recover: {statuses}"
        assert app.poll() is None, "gunicorn was not restarted"
        assert http.get(f"{base}/accounts/login/", timeout=5).status_code == 200
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(30)
        connection.close()


# --- The worker killed in the middle of an export -------------------------------------------------

SLOW_WORKER = """
import os, sys, time
import django
django.setup()
from reports.exports.base import TableExporter

def slow_build(self, **kwargs):
    time.sleep(300)  # killed before it ends

TableExporter.build = slow_build
from django.core.management import call_command
call_command("db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay")
"""


def test_a_worker_killed_mid_export_leaves_a_failed_job_with_a_message(client, curator_a, school_a):
    job = ReportJob.objects.create(
        organisation=school_a, user=curator_a, exporter="people", title="Участники", fmt="xlsx"
    )
    result = build_report.enqueue(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    worker = subprocess.Popen(  # noqa: S603 - our interpreter and code
        [sys.executable, "-c", SLOW_WORKER],
        cwd=ROOT,
        env=_env(DJANGO_SETTINGS_MODULE="mentorship.settings"),
    )
    try:
        for _ in range(120):
            job.refresh_from_db()
            if job.status == ReportJob.Status.RUNNING:
                break
            time.sleep(0.5)
        assert job.status == ReportJob.Status.RUNNING, "the worker did not take the job"
    finally:
        worker.kill()  # SIGKILL: no clean-up of its own
        worker.wait(30)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING  # stuck, until the sweep

    later = timezone.now() + datetime.timedelta(minutes=31)
    assert report_jobs_fail_stale(now=later) == (1, 0)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    client.force_login(curator_a)
    page = client.get(reverse("reports:job_progress", kwargs={"org": school_a.slug, "pk": job.pk})).content.decode()
    assert "Подготовка файла прервалась" in page
    assert INTERRUPTED_MESSAGE.split(":")[0] in page
    assert client.get(reverse("health")).status_code == 200  # the dead task no longer waits in the queue


# --- Concurrent approvals -------------------------------------------------------------------------


@pytest.fixture
def school_with_director(monkeypatch):
    # The approved PDF is rendered the same way in every thread; the race is about numbers.
    monkeypatch.setattr(order_services, "order_pdf", lambda order: b"%PDF-1.4 test")
    school = SchoolFactory(order_number_suffix="-ОД", director_name="Кляпка Ольга Викторовна")
    director = UserFactory(last_name="Кляпка", first_name="Ольга", patronymic="Викторовна")
    MembershipFactory(user=director, organisation=school, role=Role.DIRECTOR)
    curator = UserFactory()
    MembershipFactory(user=curator, organisation=school, role=Role.CURATOR)
    return school, director, curator


def _submitted_orders(school, curator, count):
    programme = ProgrammeFactory(organisation=school)
    orders = []
    for _ in range(count):
        order = order_draft(organisation=school, kind=OrderKind.FINAL_EVENT, programme=programme, user=curator)
        order_save(order=order, fields={}, points=[{"action": "Провести итоговое мероприятие."}])
        orders.append(order_submit(order=order, user=curator))
    return orders


def test_twenty_concurrent_approvals_get_twenty_consecutive_numbers(school_with_director):
    school, director, curator = school_with_director
    orders = _submitted_orders(school, curator, 20)
    results = _in_threads(lambda order: order_approve(order=order, user=director), orders)
    assert [r for r in results if isinstance(r, Exception)] == []
    numbers = sorted(Order.objects.filter(organisation=school).values_list("number", flat=True))
    assert numbers == list(range(1, 21))
    assert Order.objects.filter(organisation=school, status=Order.Status.APPROVED).count() == 20


def test_two_concurrent_approvals_of_one_order_approve_it_once(school_with_director):
    school, director, curator = school_with_director
    (order,) = _submitted_orders(school, curator, 1)
    results = _in_threads(lambda _: order_approve(order=order, user=director), [1, 2])
    approved = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(approved) == 1 and len(refused) == 1, results
    assert refused[0].messages == [
        "Утвердить можно только приказ, переданный на утверждение, а этот приказ «утверждён»."
    ]
    order.refresh_from_db()
    assert (order.status, order.number) == (Order.Status.APPROVED, 1)


# --- The same list imported twice at once ----------------------------------------------------------


def test_the_same_list_imported_twice_at_once_adds_each_person_once(curator_a, school_a):
    surnames = "Аксёнов Белов Волков Глебов Дронов Ершов Жуков Зуев Ильин Котов Лосев Миронов Носов Орлов Попов"
    lines = ["ФИО;Класс;Дата рождения;Пол"] + [
        f"{surname} Иван Петрович;7Б;{index + 1:02d}.05.2012;М" for index, surname in enumerate(surnames.split())
    ]
    data = "\n".join(lines).encode()
    batches = [
        people_import_preview(organisation=school_a, uploaded_file=SimpleUploadedFile("7b.csv", data), user=curator_a)
        for _ in range(2)
    ]
    results = _in_threads(lambda batch: people_import_apply(batch=batch, user=curator_a), batches)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(r.created for r in results) == [0, 15]
    people = Person.objects.filter(organisation=school_a, first_name="Иван", patronymic="Петрович")
    assert people.count() == 15
    assert len(set(people.values_list("last_name", flat=True))) == 15
