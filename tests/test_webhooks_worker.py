"""The webhook worker as it runs in production: a long-lived process that stops
cleanly on a signal, and several workers sharing PostgreSQL without sending an
event twice."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from hiring import selectors
from hiring.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from hiring.webhooks import outbox, payloads, worker
from tests import factories
from tests.receiver import Receiver

ROOT = Path(__file__).resolve().parent.parent
SECRET = "whsec-worker-test"

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locking with SKIP LOCKED needs PostgreSQL"
)


# ---------------------------------------------------------------------------
# The command in its own process, against its own SQLite file
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def worker_env(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(tmp_path_factory.mktemp("worker") / "worker.sqlite3")
    manage(env, "migrate", "--noinput", "-v0")
    return env


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def shell(env, code: str) -> str:
    return manage(env, "shell", "-v0", "-c", code).stdout.strip()


QUEUE_TWO = """
from hiring.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
WebhookDelivery.objects.all().delete()
endpoint = WebhookEndpoint.objects.create(url={url!r}, secret="s", events=["scorecard.submitted"])
for n in range(2):
    event = WebhookEvent.objects.create(type="scorecard.submitted", payload={{"id": n}})
    WebhookDelivery.objects.create(event=event, endpoint=endpoint)
"""

REPORT = """
from hiring.models import WebhookDelivery
for d in WebhookDelivery.objects.order_by("event__payload__id"):
    print(d.status, d.attempts, d.log.count())
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_worker_finishes_the_delivery_in_flight_then_stops_on_a_signal(worker_env, signum):
    with Receiver() as receiver:
        receiver.delay = 1.5  # still answering when the signal arrives
        shell(worker_env, QUEUE_TWO.format(url=receiver.url))
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "deliver_webhooks", "--poll-interval", "0.1"],
            cwd=ROOT,
            env=worker_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not receiver.requests and time.monotonic() < deadline:
                time.sleep(0.05)
            assert receiver.requests, "the worker never sent the first delivery"
            worker.send_signal(signum)
            out, err = worker.communicate(timeout=60)
        finally:
            if worker.poll() is None:
                worker.kill()
        assert worker.returncode == 0, err
        assert "Webhook worker stopped." in out
        assert len(receiver.requests) == 1
    # The delivery in flight finished and was logged; the next one waits for a worker.
    assert shell(worker_env, REPORT).splitlines() == ["succeeded 1 1", "pending 0 0"]


# ---------------------------------------------------------------------------
# Several workers on PostgreSQL
# ---------------------------------------------------------------------------


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def endpoint(transactional_db, receiver):
    return WebhookEndpoint.objects.create(
        url=receiver.url, secret=SECRET, events=["scorecard.submitted"]
    )


@pytest.fixture
def many_deliveries(endpoint, interview, alice):
    """One submitted scorecard announced 40 times, each with a delivery to the endpoint."""
    card = factories.submit(interview.scorecards.get(interviewer=alice))
    data = payloads.scorecard_payload(selectors.scorecards_with_content().get(pk=card.pk))
    with transaction.atomic():
        for _ in range(39):
            outbox.emit("scorecard.submitted", data)
    return card


@pytest.mark.postgres
@needs_postgres
def test_two_workers_send_each_event_exactly_once(endpoint, receiver, many_deliveries):
    receiver.delay = 0.02
    assert WebhookDelivery.objects.count() == 40

    start = threading.Barrier(2)
    tried = {}

    def run_worker(name):
        try:
            start.wait(timeout=10)
            tried[name] = worker.deliver_due(timeout=5)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run_worker, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    ids = receiver.event_ids()
    assert len(ids) == 40
    assert len(set(ids)) == 40
    assert tried["one"] + tried["two"] == 40
    assert tried["one"] > 0 and tried["two"] > 0, tried
    assert WebhookAttempt.objects.count() == 40
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {
        (DeliveryStatus.SUCCEEDED, 1)
    }


@pytest.mark.postgres
@needs_postgres
def test_a_claim_skips_a_delivery_another_worker_holds_instead_of_waiting(
    endpoint, many_deliveries
):
    first, second = WebhookDelivery.objects.order_by("next_attempt_at", "pk")[:2]
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                WebhookDelivery.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(timeout=20)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        claimed = worker.claim_next(timeout=5)
    finally:
        release.set()
        thread.join(timeout=30)
    assert claimed.pk == second.pk
    # The held delivery was left to its holder: still due, untouched.
    held = WebhookDelivery.objects.get(pk=first.pk)
    assert held.next_attempt_at == first.next_attempt_at
