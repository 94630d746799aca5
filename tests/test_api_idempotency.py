"""Idempotency-Key: a retried POST replays the first response and creates nothing."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from hiring.models import Candidate, IdempotencyRecord, Scorecard
from hiring.services import api_key_create
from tests import factories

ADA = {"name": "Ada Lovelace", "email": "ada@example.org"}


@pytest.fixture
def ats(api_client):
    return api_client("integration")


def post(client, body, key, path="/api/v1/candidates/"):
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_replays_the_first_response_and_creates_nothing(ats):
    first = post(ats, ADA, "k-1")
    again = post(ats, ADA, "k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Candidate.objects.count() == 1


def test_the_same_json_in_another_layout_is_the_same_request(ats):
    post(ats, ADA, "k-1")
    reordered = ats.generic(
        "POST",
        "/api/v1/candidates/",
        '{ "email": "ada@example.org",\n  "name": "Ada Lovelace" }',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert reordered.status_code == 201
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({**ADA, "name": "Ada King"}, "/api/v1/candidates/"),
        (ADA, "/api/v1/roles/"),
    ],
)
def test_the_same_key_for_another_request_is_a_422(ats, body, path):
    post(ats, ADA, "k-1")
    response = post(ats, body, "k-1", path=path)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Candidate.objects.count() == 1


def test_keys_belong_to_the_caller(api_client):
    post(api_client("integration"), ADA, "k-1")
    other = post(api_client("integration"), ADA, "k-1")
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other
    assert Candidate.objects.count() == 2


def test_a_failed_request_frees_its_key(ats):
    refused = post(ats, {"name": "Ada"}, "k-1")
    assert refused.status_code == 400
    fixed = post(ats, ADA, "k-1")
    assert fixed.status_code == 201


def test_keys_expire_after_24_hours(ats):
    post(ats, ADA, "k-1")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))
    later = post(ats, ADA, "k-1")
    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later
    assert Candidate.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 1


def test_a_request_still_running_makes_a_retry_wait(ats):
    post(ats, ADA, "k-1")
    # What a request in flight leaves behind: its claim, without a response yet.
    IdempotencyRecord.objects.update(status_code=None, response_body=None)
    response = post(ats, ADA, "k-1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_progress"
    assert response["Retry-After"] == "1"
    assert Candidate.objects.count() == 1


def test_a_claim_abandoned_by_a_dead_process_is_taken_over(ats):
    """A process killed mid-request rolled its writes back but left its claim."""
    post(ats, ADA, "k-1")
    Candidate.objects.all().delete()
    IdempotencyRecord.objects.update(
        status_code=None, response_body=None, created_at=timezone.now() - timedelta(minutes=6)
    )
    response = post(ats, ADA, "k-1")
    assert response.status_code == 201
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "ключ"])
def test_a_malformed_key_is_refused(ats, key):
    response = post(ats, ADA, key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert not Candidate.objects.exists()


def test_a_retried_submit_replays_with_its_etag(api_client, interview, alice):
    card = interview.scorecards.get(interviewer=alice)
    factories.submit(card)  # fill it in...
    Scorecard.objects.filter(pk=card.pk).update(status="draft", submitted_at=None)  # ...not sent
    client = api_client(alice)
    first = post(client, {}, "submit-1", path=f"/api/v1/scorecards/{card.pk}/submit/")
    again = post(client, {}, "submit-1", path=f"/api/v1/scorecards/{card.pk}/submit/")
    assert first.status_code == again.status_code == 200
    assert again["ETag"] == first["ETag"]
    assert again.json() == first.json()
    without_key = client.post(f"/api/v1/scorecards/{card.pk}/submit/")
    assert without_key.status_code == 400  # already submitted


# ---------------------------------------------------------------------------
# Two requests at once, each on its own database connection (PostgreSQL)
# ---------------------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
)


def _post_in_thread(raw_key, results, index, start=None):
    try:
        if start is not None:
            start.wait()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
        results[index] = post(client, ADA, "same-key")
    finally:
        connection.close()


@postgres_only
@pytest.mark.postgres
def test_a_duplicate_sent_while_the_first_runs_gets_409_then_the_replay(transactional_db):
    _, raw = api_key_create(name="ats")
    results = {}
    with transaction.atomic():
        # Hold the first request inside its handler: it cannot insert the candidate
        # until this transaction ends.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE hiring_candidate IN SHARE ROW EXCLUSIVE MODE")
        first = threading.Thread(target=_post_in_thread, args=(raw, results, "first"))
        first.start()
        for _ in range(500):
            if IdempotencyRecord.objects.filter(key="same-key").exists():
                break
            threading.Event().wait(0.01)
        assert IdempotencyRecord.objects.get(key="same-key").status_code is None

        second = threading.Thread(target=_post_in_thread, args=(raw, results, "second"))
        second.start()
        second.join(timeout=30)
        assert results["second"].status_code == 409
        assert results["second"].json()["code"] == "idempotency_in_progress"
    first.join(timeout=30)

    assert results["first"].status_code == 201
    _post_in_thread(raw, results, "retry")
    assert results["retry"].status_code == 201
    assert results["retry"].json() == results["first"].json()
    assert Candidate.objects.count() == 1


@postgres_only
@pytest.mark.postgres
def test_simultaneous_duplicates_run_once(transactional_db):
    _, raw = api_key_create(name="ats")
    results, start = {}, threading.Barrier(5)
    threads = [
        threading.Thread(target=_post_in_thread, args=(raw, results, n, start)) for n in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(response.status_code for response in results.values())
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    created = {
        response.json()["id"] for response in results.values() if response.status_code == 201
    }
    assert len(created) == 1
    assert Candidate.objects.count() == 1
