"""The background worker: periodic jobs on their schedule beside webhook delivery, and a
failing job never stops the worker."""

import io
import signal
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction

from hiring import background
from hiring.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from hiring.webhooks import outbox
from hiring.webhooks.events import EVENT_TYPES
from tests.receiver import Receiver


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_it_runs_every_job_at_start_then_each_on_its_own_interval():
    clock = Clock()
    often = background.Job("often", timedelta(seconds=10), lambda: None)
    rarely = background.Job("rarely", timedelta(hours=1), lambda: None)
    schedule = background.Schedule([often, rarely], clock=clock)

    assert background.run_due_jobs(schedule) == ["often", "rarely"]
    clock.now += 9.9
    assert background.run_due_jobs(schedule) == []
    clock.now += 0.1
    assert background.run_due_jobs(schedule) == ["often"]
    clock.now += 3600
    assert background.run_due_jobs(schedule) == ["often", "rarely"]


def test_a_failing_job_is_logged_and_does_not_stop_the_others(caplog):
    ran = []

    def broken():
        raise RuntimeError("the SMTP server is down")

    schedule = background.Schedule(
        [
            background.Job("broken", timedelta(minutes=5), broken),
            background.Job("healthy", timedelta(minutes=5), lambda: ran.append(1)),
        ]
    )
    assert background.run_due_jobs(schedule) == ["broken", "healthy"]
    assert ran == [1]
    assert "Background job broken failed" in caplog.text
    assert "the SMTP server is down" in caplog.text


@pytest.fixture
def counting_job(monkeypatch):
    runs = []
    job = background.Job("count", timedelta(minutes=5), lambda: runs.append(1))
    monkeypatch.setattr(background, "JOBS", [job])
    return runs


@pytest.mark.django_db
def test_run_worker_once_runs_every_job_and_delivers_what_is_due(counting_job):
    with Receiver() as receiver:
        WebhookEndpoint.objects.create(
            url=receiver.url, secret="whsec-test-0123456789", events=list(EVENT_TYPES)
        )
        with transaction.atomic():
            outbox.emit("scorecard.submitted", {"id": 1})
        out = io.StringIO()
        call_command("run_worker", "--once", stdout=out)
    assert counting_job == [1]
    assert "Ran 1 jobs; tried 1 webhook deliveries." in out.getvalue()
    sent = [r.headers["Scorecards-Event-Type"] for r in receiver.requests]
    assert sent == ["scorecard.submitted"]
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)  # the worker closes connections between rounds
def test_run_worker_stops_on_sigterm_after_running_its_jobs(counting_job, monkeypatch):
    handlers = {}
    monkeypatch.setattr(signal, "signal", lambda sig, handler: handlers.setdefault(sig, handler))
    out = io.StringIO()
    # The worker idles once its jobs have run; SIGTERM's handler then ends the loop.
    stopper = threading.Timer(0.5, lambda: handlers[signal.SIGTERM](signal.SIGTERM, None))
    stopper.start()
    call_command("run_worker", "--poll-interval", "0.05", stdout=out)
    stopper.join()
    assert counting_job == [1]
    assert "jobs: count every 0:05:00." in out.getvalue()
    assert out.getvalue().rstrip().endswith("Background worker stopped.")
