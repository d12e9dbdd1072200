"""Settings read from the environment, checked in a fresh interpreter each."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kq2!v9w$e4r6t8y0u1i3o5p7a9s2d4f6g8h0j1k3l5z7x9c",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/nastavnik",
    "ALLOWED_HOSTS": "nastavnik.example.org",
}


def _run(code_or_args, env_overrides):
    inherited = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="mentorship.settings")
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_secret_key_is_required_when_debug_is_off():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _run("import django; django.setup()", env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_embedded_default_uses_sqlite_under_var_russian_and_moscow_time():
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.LANGUAGE_CODE, s.TIME_ZONE)"
    )
    result = _run(code, {"DEBUG": "1"})
    engine, name, language, zone = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == BASE_DIR / "var" / "db.sqlite3"
    assert (language, zone) == ("ru", "Europe/Moscow")


def test_production_settings_pass_the_deployment_check():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    assert _run(code, PRODUCTION_ENV).stdout.split() == ["True", "True"]


def test_a_typo_in_a_yes_no_setting_stops_start_up_naming_the_variable():
    for name, value, env in [
        ("DEBUG", "ture", {"DEBUG": "ture"}),
        ("SECURE_SSL_REDIRECT", "yes please", {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "yes please"}),
    ]:
        result = _run("import django; django.setup()", env)
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert f"{name}={value!r} is not a yes/no value; use 1/0, true/false, yes/no or on/off" in result.stderr


def test_yes_no_settings_take_every_spelling_in_any_case():
    values = {"SECURE_SSL_REDIRECT": "Off", "SESSION_COOKIE_SECURE": "YES", "CSRF_COOKIE_SECURE": " no "}
    values |= {"SECURE_HSTS_PRELOAD": "False", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "TRUST_X_FORWARDED_PROTO": "on"}
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_PROXY_SSL_HEADER is not None)"
    )
    result = _run(code, {**PRODUCTION_ENV, **values})
    assert result.stdout.split() == ["False", "True", "False", "False", "True", "True"], result.stderr
    assert _run("from django.conf import settings as s; print(s.DEBUG)", {"DEBUG": "TRUE"}).stdout.split() == ["True"]


def test_a_number_setting_that_is_not_a_number_stops_start_up():
    result = _run("import django; django.setup()", {**PRODUCTION_ENV, "SESSION_IDLE_MINUTES": "30 min"})
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES='30 min' is not a whole number." in result.stderr
