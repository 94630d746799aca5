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
    "SECRET_KEY",
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
)
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "a-test-key-that-is-not-the-built-in-one"}


def load_settings(expression: str, **variables: str) -> subprocess.CompletedProcess:
    """Import the settings with `variables` set and print `expression` (over `s`)."""
    env = {k: v for k, v in os.environ.items() if k not in READ}
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
        ("", "True"),  # empty: the default
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
    [("1", "True"), (" ON ", "True"), ("false", "False"), ("0", "False"), ("", "True")],
)
def test_every_accepted_spelling_of_debug_gives_the_expected_value(value, expected):
    result = load_settings("s.DEBUG", SECRET_KEY=PRODUCTION["SECRET_KEY"], DEBUG=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_numbers_are_read_and_unset_or_empty_ones_give_the_default():
    expression = "s.WEBHOOK_TIMEOUT, s.WEBHOOK_POLL_INTERVAL, s.COMPARISON_CACHE_SECONDS"
    given = load_settings(
        expression, WEBHOOK_TIMEOUT=" 2.5 ", WEBHOOK_POLL_INTERVAL="0", COMPARISON_CACHE_SECONDS="0"
    )
    assert given.returncode == 0, given.stderr
    assert given.stdout.strip() == "(2.5, 0.0, 0)"
    defaults = load_settings(expression, WEBHOOK_TIMEOUT="")
    assert defaults.returncode == 0, defaults.stderr
    assert defaults.stdout.strip() == "(10.0, 1.0, 300)"
