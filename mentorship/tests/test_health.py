"""/health/ for the proxy and monitoring, and the scrubbing of error reports sent to Sentry."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentorship import health
from mentorship.sentry import FILTERED, scrub_event


@pytest.mark.django_db
def test_health_answers_ok_without_login_and_reveals_nothing_else(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "worker": "ok", "media_disk": "ok"}}
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    for secret in ("/", "django", "python", "postgres", "sqlite", "version"):
        assert secret not in text.lower()


@pytest.mark.django_db
def test_health_fails_with_503_when_a_check_fails_and_hides_the_error(client, monkeypatch):
    def broken():
        raise RuntimeError("connection to server at /var/run/postgresql failed")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "fail"
    assert "postgresql" not in response.content.decode()


@pytest.mark.django_db
def test_health_reports_the_worker_down_when_a_task_waits_too_long(client, settings):
    settings.TASKS_INLINE = False
    settings.HEALTH_QUEUE_MAX_WAIT_SECONDS = 60
    result = DBTaskResult.objects.create(
        task_path="reports.exports.tasks.build_report",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )
    assert client.get(reverse("health")).json()["checks"]["worker"] == "ok"  # just queued
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=timezone.now() - datetime.timedelta(minutes=5))
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "fail"


@pytest.mark.django_db
def test_health_reports_a_full_media_disk(client, settings):
    settings.HEALTH_MEDIA_MIN_FREE_MB = 10**12  # an exabyte free is never there
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["media_disk"] == "fail"


@pytest.mark.django_db
def test_health_is_reachable_over_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_error_reports_lose_names_bodies_cookies_and_personal_links():
    event = {
        "message": "Иванова Мария Петровна не найдена",
        "request": {
            "url": "https://nastavnik.example.org/q/SeCrEtToKeN/?email=a@b.ru",
            "method": "POST",
            "data": {"last_name": "Иванова"},
            "cookies": {"sessionid": "abc"},
            "query_string": "email=a@b.ru",
            "headers": {"Cookie": "sessionid=abc", "Content-Type": "text/html", "X-Real-Ip": "10.0.0.7"},
            "env": {"REMOTE_ADDR": "10.0.0.7"},
        },
        "user": {"id": 7, "username": "ivanova", "email": "ivanova@school.ru", "ip_address": "10.0.0.7"},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "Сидоров-Петров Иван: телефон +7 (912) 345-67-89, почта sid@mail.ru",
                    "stacktrace": {"frames": [{"function": "f", "vars": {"person": "Сидоров"}}]},
                }
            ]
        },
        "logentry": {"message": "Saved %s", "params": ["Смирнова"], "formatted": "Saved Смирнова"},
        "breadcrumbs": {
            "values": [
                {"category": "query", "message": "SELECT … WHERE last_name = 'Смирнова'", "data": {"p": 1}},
                {"category": "log", "message": "Пётр пришёл"},
            ]
        },
        "extra": {"sys.argv": ["manage.py"]},
    }
    scrubbed = scrub_event(event, {})
    text = json.dumps(scrubbed, ensure_ascii=False)
    for secret in (
        "Иванова",
        "Мария",
        "Сидоров",
        "Смирнова",
        "Пётр",
        "SeCrEtToKeN",
        "a@b.ru",
        "sid@mail.ru",
        "345-67-89",
        "sessionid",
        "10.0.0.7",
        "ivanova",
    ):
        assert secret not in text, secret
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["request"]["url"] == f"https://nastavnik.example.org/q/{FILTERED}/"
    assert scrubbed["request"]["headers"] == {"Content-Type": "text/html"}
    assert scrubbed["exception"]["values"][0]["type"] == "ValueError"
    assert "не найдена" in scrubbed["message"]


def test_sentry_is_off_without_a_dsn_and_private_when_on(monkeypatch):
    import sentry_sdk

    from mentorship.sentry import sentry_init

    captured = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: captured.update(options))
    sentry_init(dsn="https://key@sentry.example.org/1", environment="test")
    assert captured["send_default_pii"] is False
    assert captured["include_local_variables"] is False
    assert captured["before_send"] is scrub_event
    from django.conf import settings

    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.is_initialized()
