"""Operating the service: health and readiness checks, metrics, JSON logs."""

import http.client
import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from hiring.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.bench.load import Server
from tests.test_login_lockout import ROOT, server_database  # noqa: F401  (a fixture)


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


# ---------------------------------------------------------------------------
# /metrics
# ---------------------------------------------------------------------------

TOKEN = "metrics-token-for-the-tests"


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        metric, _, value = line.rpartition(" ")
        key, _, rest = metric.partition("{")
        found = ",".join(sorted(rest.rstrip("}").split(","))) if rest else ""
        if key == name and found == wanted:
            return float(value)
    return 0.0


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def get():
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain; version=")
        return response.content.decode()

    return get


def test_metrics_are_a_404_without_a_token_configured(db, client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


def test_metrics_need_the_token(db, client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_requests_are_counted_by_route_name_and_status(db, client, scrape):
    count = "scorecards_http_request_duration_seconds_count"
    before = scrape()
    client.get("/healthz")
    client.get("/healthz")
    client.get("/scorecards/12345/")  # a redirect to the login page
    after = scrape()
    healthz = {"route": "healthz", "method": "GET", "status": "200"}
    assert sample(after, count, **healthz) == sample(before, count, **healthz) + 2
    page = {"route": "hiring:scorecard", "method": "GET", "status": "302"}
    assert sample(after, count, **page) == sample(before, count, **page) + 1
    assert "/scorecards/12345/" not in after
    bucket = "scorecards_http_request_duration_seconds_bucket"
    assert sample(after, bucket, le="+Inf", **healthz) == sample(after, count, **healthz)


def test_the_queue_and_overdue_gauges_come_from_the_database(
    builtin_data, scrape, interview, django_assert_num_queries
):
    endpoint = WebhookEndpoint.objects.create(
        url="https://ats.example.com/hooks", secret="s" * 20, events=["scorecard.submitted"]
    )
    for n, status in enumerate(["pending", "pending", "failed", "succeeded"]):
        event = WebhookEvent.objects.create(type="scorecard.submitted", payload={"n": n})
        WebhookDelivery.objects.create(event=event, endpoint=endpoint, status=status)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).update(created_at=an_hour_ago)
    interview.scheduled_at = timezone.now() - timedelta(days=3)
    interview.save()

    with django_assert_num_queries(2):
        text = scrape()
    assert sample(text, "scorecards_webhook_deliveries", status="pending") == 2
    assert sample(text, "scorecards_webhook_deliveries", status="failed") == 1
    assert 3600 <= sample(text, "scorecards_webhook_oldest_pending_age_seconds") < 3700
    assert sample(text, "scorecards_scorecards_overdue") == 2  # alice's and bob's drafts


def test_comparison_cache_hits_and_misses_are_counted(builtin_data, scrape, api_client, role):
    hits = "scorecards_comparison_cache_reads_total"
    before = scrape()
    ats = api_client("integration")
    url = f"/api/v1/roles/{role.pk}/comparison/"
    assert ats.get(url).status_code == 200
    assert ats.get(url).status_code == 200
    after = scrape()
    assert sample(after, hits, result="miss") == sample(before, hits, result="miss") + 1
    assert sample(after, hits, result="hit") == sample(before, hits, result="hit") + 1


@pytest.mark.django_db(transaction=True)
def test_gunicorn_workers_counts_add_up_in_one_scrape(server_database):  # noqa: F811
    """Each of two gunicorn workers counts in its own process; a scrape, whichever
    worker answers it, reports the sum (PROMETHEUS_MULTIPROC_DIR, gunicorn.conf.py)."""
    with Server(METRICS_TOKEN=TOKEN, **server_database) as server:
        for _ in range(30):
            assert get(server.port, "/healthz")[0] == 200
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        text = conn.getresponse().read().decode()
        conn.close()
    count = "scorecards_http_request_duration_seconds_count"
    assert sample(text, count, route="healthz", method="GET", status="200") == 30


# ---------------------------------------------------------------------------
# LOG_FORMAT=json
# ---------------------------------------------------------------------------

REQUESTS = """
from django.test import Client
from hiring.models import User
from hiring.services import api_key_create
User.objects.create_user("alice@example.com", "Sw0rdfish-secret-pass")
_, raw = api_key_create(name="the ats")
print(raw)
Client().get("/healthz", HTTP_X_REQUEST_ID="lb-check-42")
login = {"username": "alice@example.com", "password": "Sw0rdfish-secret-pass"}
Client().post("/accounts/login/", login)
Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Api-Key {raw}")
Client().patch(
    "/api/v1/scorecards/999/",
    '{"ratings": [{"skill": "x", "score": 4, "note": "Confidential-note-text"}]}',
    content_type="application/json",
    HTTP_AUTHORIZATION=f"Api-Key {raw}",
)
"""


@pytest.mark.django_db(transaction=True)
def test_json_logs_are_one_object_a_line_with_who_and_never_secrets(server_database):  # noqa: F811
    run = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", REQUESTS],
        cwd=ROOT,
        env={**os.environ, **server_database, "LOG_FORMAT": "json", "LOG_LEVEL": "INFO"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    raw_key = run.stdout.split()[-1]
    lines = [json.loads(line) for line in run.stderr.splitlines()]  # each one JSON object
    requests = [line for line in lines if line["logger"] == "scorecards.requests"]
    assert [(r["route"], r["status"]) for r in requests] == [
        ("healthz", 200),
        ("login", 302),
        ("api:me", 200),
        ("api:scorecard-detail", 404),
    ]
    assert requests[0]["request_id"] == "lb-check-42"
    assert all(r["request_id"] and r["duration_ms"] >= 0 for r in requests)
    assert requests[2]["api_key"] == "the ats" and "user" not in requests[2]
    # Other lines logged during a request carry its id too (Django's "Not Found").
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == requests[3]["request_id"]
    for secret in (raw_key, "Sw0rdfish-secret-pass", "Confidential-note-text"):
        assert secret not in run.stderr
