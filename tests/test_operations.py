"""Operating the service: health and readiness checks, metrics, JSON logs."""

import http.client
import json

import pytest

from tests.bench.load import Server


def test_healthz_answers_without_the_database_or_a_login(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_asks_the_database_and_the_cache(db, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_health_checks_are_not_redirected_to_https(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "database",
    [
        # Nothing listens on port 1: PostgreSQL is down.
        {"DATABASE_URL": "postgres://scorecards@127.0.0.1:1/scorecards", "CONN_MAX_AGE": "0"},
        # A SQLite file in a directory that does not exist cannot be opened.
        {"DATABASE_URL": "", "SQLITE_PATH": "/nonexistent/scorecards/db.sqlite3"},
    ],
    ids=["postgresql", "sqlite"],
)
def test_with_the_database_down_readyz_says_so_and_healthz_still_answers(database):
    with Server(**database) as server:
        status, body = get(server.port, "/readyz")
        assert status == 503
        assert json.loads(body) == {
            "status": "failed",
            "checks": {"database": "failed", "cache": "ok"},
            "message": "Not ready: the database did not answer.",
        }
        status, body = get(server.port, "/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
