"""Settings read from the environment refuse values they cannot read, naming the variable.

Each test loads scorecards.settings in a fresh interpreter with a controlled
environment, so the settings of the test process itself are untouched.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Every variable the settings read, cleared so the caller's environment cannot leak in.
READ = (
    "DEBUG",
    "REDIS_URL",
    "COMPARISON_CACHE_SECONDS",
    "COMPARISON_STALE_SECONDS",
    "COMPARISON_CACHE_DIR",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "WEBHOOK_ALLOW_PRIVATE_NETWORKS",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_SECONDS",
    "TRUSTED_PROXY_COUNT",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "CONN_MAX_AGE",
    "REDIS_URL",
    "COMPARISON_CACHE_SECONDS",
    "WEBHOOK_TIMEOUT",
    "WEBHOOK_RETRY_WINDOW",
    "WEBHOOK_POLL_INTERVAL",
    "SECURE_COOKIES",
    "EMAIL_URL",
    "EMAIL_BACKEND",
    "DEFAULT_FROM_EMAIL",
    "FEEDBACK_DUE_HOURS",
    "FEEDBACK_REMINDER_DAYS",
)
STRONG_KEY = "k7#Qw9!zR2@vL5$xN8%bT1^mJ4&hF6*cD3(pS0)gY-uE_iO+aW=e"  # 51 characters
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": STRONG_KEY}


def load_settings(expression: str, **variables: str) -> subprocess.CompletedProcess:
    """Import the settings with `variables` set and print `expression` (over `s`).
    A strong SECRET_KEY is set unless the test gives its own."""
    env = {k: v for k, v in os.environ.items() if k not in READ}
    env["SECRET_KEY"] = STRONG_KEY
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", f"import scorecards.settings as s; print(({expression}))"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def assert_refused(result: subprocess.CompletedProcess, name: str, value: str) -> None:
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} must be" in result.stderr
    assert repr(value) in result.stderr


def test_it_refuses_a_typo_in_secure_cookies():
    result = load_settings("s.SESSION_COOKIE_SECURE", **PRODUCTION, SECURE_COOKIES="ture")
    assert_refused(result, "SECURE_COOKIES", "ture")
    assert "true or false (1/0, yes/no, on/off)" in result.stderr


def test_it_refuses_a_debug_that_is_neither_true_nor_false():
    assert_refused(load_settings("s.DEBUG", DEBUG="maybe"), "DEBUG", "maybe")


def test_it_refuses_a_webhook_timeout_that_is_not_a_number():
    result = load_settings("s.WEBHOOK_TIMEOUT", WEBHOOK_TIMEOUT="ten")
    assert_refused(result, "WEBHOOK_TIMEOUT", "ten")


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_it_refuses_a_webhook_poll_interval_that_is_not_finite(value):
    result = load_settings("s.WEBHOOK_POLL_INTERVAL", WEBHOOK_POLL_INTERVAL=value)
    assert_refused(result, "WEBHOOK_POLL_INTERVAL", value)


def test_it_refuses_a_retry_window_that_is_not_a_whole_number():
    result = load_settings("s.WEBHOOK_RETRY_WINDOW", WEBHOOK_RETRY_WINDOW="1.5")
    assert_refused(result, "WEBHOOK_RETRY_WINDOW", "1.5")


def test_it_refuses_a_negative_comparison_cache_lifetime():
    result = load_settings("s.COMPARISON_CACHE_SECONDS", COMPARISON_CACHE_SECONDS="-5")
    assert_refused(result, "COMPARISON_CACHE_SECONDS", "-5")
    assert "at least 0" in result.stderr


def test_it_refuses_a_negative_webhook_timeout():
    result = load_settings("s.WEBHOOK_TIMEOUT", WEBHOOK_TIMEOUT="-1")
    assert_refused(result, "WEBHOOK_TIMEOUT", "-1")


def test_it_refuses_a_negative_conn_max_age_but_accepts_zero():
    url = {"DATABASE_URL": "postgres://user:pass@localhost:5432/scorecards"}
    refused = load_settings("s.DATABASES['default']['CONN_MAX_AGE']", **url, CONN_MAX_AGE="-1")
    assert_refused(refused, "CONN_MAX_AGE", "-1")
    zero = load_settings("s.DATABASES['default']['CONN_MAX_AGE']", **url, CONN_MAX_AGE="0")
    assert zero.returncode == 0, zero.stderr
    assert zero.stdout.strip() == "0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", "True"),
        ("true", "True"),
        ("yes", "True"),
        (" ON ", "True"),
        ("True", "True"),
        ("false", "False"),
        ("0", "False"),
        ("off", "False"),
        ("No", "False"),
        ("", "True"),  # empty: the default (with DEBUG off)
    ],
)
def test_every_accepted_spelling_of_secure_cookies_gives_the_expected_value(value, expected):
    result = load_settings(
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE", **PRODUCTION, SECURE_COOKIES=value
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"({expected}, {expected})"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", "True"), (" ON ", "True"), ("false", "False"), ("0", "False"), ("", "False")],
)
def test_every_accepted_spelling_of_debug_gives_the_expected_value(value, expected):
    result = load_settings("s.DEBUG", SECRET_KEY=PRODUCTION["SECRET_KEY"], DEBUG=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_numbers_are_read_and_unset_or_empty_ones_give_the_default():
    expression = (
        "s.WEBHOOK_TIMEOUT, s.WEBHOOK_POLL_INTERVAL, s.COMPARISON_CACHE_SECONDS, "
        "s.COMPARISON_STALE_SECONDS"
    )
    given = load_settings(
        expression,
        WEBHOOK_TIMEOUT=" 2.5 ",
        WEBHOOK_POLL_INTERVAL="0",
        COMPARISON_CACHE_SECONDS="0",
        COMPARISON_STALE_SECONDS="5",
    )
    assert given.returncode == 0, given.stderr
    assert given.stdout.strip() == "(2.5, 0.0, 0, 5)"
    defaults = load_settings(expression, WEBHOOK_TIMEOUT="", COMPARISON_STALE_SECONDS="")
    assert defaults.returncode == 0, defaults.stderr
    assert defaults.stdout.strip() == "(10.0, 1.0, 3600, 30)"


# ---------------------------------------------------------------------------
# Production-safe defaults
# ---------------------------------------------------------------------------


def test_debug_is_off_unless_turned_on():
    result = load_settings("s.DEBUG")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_with_debug_off_the_service_is_https_only_by_default():
    result = load_settings(
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "(True, True, True, 31536000, True, ('HTTP_X_FORWARDED_PROTO', 'https'))"
    )


def test_the_https_settings_come_from_the_environment():
    result = load_settings(
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="60",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Ssl: on",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False, 60, ('HTTP_X_FORWARDED_SSL', 'on'))"
    none = load_settings("s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="none")
    assert none.stdout.strip() == "None", none.stderr


def test_a_proxy_header_that_cannot_be_read_is_refused():
    result = load_settings("s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="X Forwarded")
    assert_refused(result, "SECURE_PROXY_SSL_HEADER", "X Forwarded")


def test_debug_mode_serves_plain_http_by_default():
    result = load_settings("s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE", DEBUG="true")
    assert result.stdout.strip() == "(False, False)", result.stderr


def assert_key_refused(result: subprocess.CompletedProcess, key: str) -> None:
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be at least 50 characters" in result.stderr
    assert key not in result.stderr  # the key itself is never printed


@pytest.mark.parametrize(
    "key",
    [
        STRONG_KEY[:49],  # one character short
        "ab" * 40,  # long, but two different characters
        "django-insecure-" + STRONG_KEY,  # Django's marker of a development key
    ],
    ids=["short", "low-variety", "django-insecure"],
)
def test_a_weak_secret_key_is_refused_when_debug_is_off(key):
    assert_key_refused(load_settings("s.SECRET_KEY", SECRET_KEY=key), key)


def test_a_weak_secret_key_is_allowed_when_debug_is_on():
    result = load_settings("s.SECRET_KEY", SECRET_KEY="dev", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_without_any_key_the_service_refuses_to_start(tmp_path):
    empty = tmp_path / "key"
    empty.write_text("")
    result = load_settings("s.SECRET_KEY", SECRET_KEY="", SECRET_KEY_FILE=str(empty))
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_the_key_is_read_from_the_key_file_when_secret_key_is_unset(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(STRONG_KEY + "\n")
    result = load_settings("s.SECRET_KEY", SECRET_KEY="", SECRET_KEY_FILE=str(key_file))
    assert result.stdout.strip() == STRONG_KEY, result.stderr
    key_file.write_text("short\n")
    assert_key_refused(
        load_settings("s.SECRET_KEY", SECRET_KEY="", SECRET_KEY_FILE=str(key_file)), "short"
    )
    missing = load_settings("1", SECRET_KEY="", SECRET_KEY_FILE=str(tmp_path / "nothing"))
    assert "SECRET_KEY_FILE names" in missing.stderr


def test_make_install_writes_a_random_key_once_and_git_ignores_it(tmp_path):
    for name in ("Makefile", ".gitignore"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    make = ["make", "-s", "-C", str(tmp_path), ".secret_key"]
    subprocess.run(make, check=True, capture_output=True)
    first = (tmp_path / ".secret_key").read_text().strip()
    subprocess.run(make, check=True, capture_output=True)
    assert (tmp_path / ".secret_key").read_text().strip() == first  # made once, then kept
    assert len(first) >= 50 and len(set(first)) >= 5
    assert (tmp_path / ".secret_key").stat().st_mode & 0o077 == 0  # only its owner reads it
    assert ".secret_key" in (ROOT / ".gitignore").read_text().splitlines()


def test_make_run_turns_off_only_what_plain_http_needs():
    plan = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    server = next(line for line in plan.splitlines() if "gunicorn scorecards.wsgi" in line)
    assert "SECURE_SSL_REDIRECT=false SECURE_COOKIES=false" in server
    assert "DEBUG" not in plan  # the demo runs as production does: DEBUG off


def check_deploy(**variables: str) -> subprocess.CompletedProcess:
    # The production environment: none of the test run's variables (conftest allows
    # async-unsafe ORM calls for Playwright, which check --deploy rightly refuses).
    env = {
        k: v for k, v in os.environ.items() if k not in READ and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="scorecards.settings",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="scorecards.example.com",
        **variables,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    preloaded = check_deploy(SECURE_HSTS_PRELOAD="true")
    assert "System check identified no issues" in preloaded.stdout, preloaded.stderr


@pytest.mark.parametrize(
    ("variables", "check"),
    [
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_COOKIES": "false"}, "security.W012"),
        ({"DEBUG": "true"}, "security.W018"),
    ],
)
def test_check_deploy_notices_an_unsafe_production_setting(variables, check):
    result = check_deploy(**variables)
    assert result.returncode != 0
    assert check in result.stderr + result.stdout
