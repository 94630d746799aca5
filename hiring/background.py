"""The background worker (``manage.py run_worker``, which ``make run`` starts): it
delivers webhooks and, between deliveries, runs the periodic jobs listed in ``JOBS``.

A job is a plain function that is safe to run at any time, as often as asked and
from several machines at once (each worker keeps its own schedule): it decides
from the database what is due and records what it did, so a second run finds
nothing left to do. Cron or any scheduler can run the same jobs instead
(``run_worker --once`` runs each of them once and exits).
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import close_old_connections

from hiring import services
from hiring.comparison import comparison_refresh_due
from hiring.webhooks import worker as webhooks_worker

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], object]


# Each feature that needs periodic work adds its job here.
JOBS: list[Job] = [
    # Reminder emails and the scorecard.overdue event (also: manage.py send_feedback_reminders).
    Job("feedback_reminders", timedelta(minutes=5), services.feedback_reminders_send),
    # Erases candidates past CANDIDATE_RETENTION_DAYS (nothing while it is unset).
    Job("apply_retention", timedelta(days=1), services.candidates_apply_retention),
    # Compute the comparisons of roles just scored, so their hiring leads never wait.
    Job("comparison_refresh", timedelta(seconds=1), comparison_refresh_due),
]


class StopRequest:
    """Set by a signal; checked between units of work and during the idle wait."""

    def __init__(self):
        self.requested = False

    def __call__(self, signum=None, frame=None):
        self.requested = True

    def sleep(self, seconds: float) -> None:
        until = time.monotonic() + seconds
        while not self.requested and time.monotonic() < until:
            time.sleep(min(0.1, max(0.0, until - time.monotonic())))


class Schedule:
    """Which jobs are due: each runs when the worker starts, then every ``job.every``."""

    def __init__(self, jobs: list[Job], clock: Callable[[], float] = time.monotonic):
        self.jobs = list(jobs)
        self.clock = clock
        self.last_run: dict[str, float] = {}

    def due(self) -> list[Job]:
        now = self.clock()
        return [
            job
            for job in self.jobs
            if job.name not in self.last_run
            or now - self.last_run[job.name] >= job.every.total_seconds()
        ]

    def mark_run(self, job: Job) -> None:
        self.last_run[job.name] = self.clock()


def run_job(job: Job) -> bool:
    """Run one job; a failing job is logged and retried at its next turn, and never
    stops the worker (webhooks keep flowing). Returns whether it succeeded."""
    try:
        job.run()
    except Exception:
        logger.exception("Background job %s failed", job.name)
        return False
    return True


def run_due_jobs(schedule: Schedule) -> list[str]:
    """Run the jobs that are due now; returns their names."""
    ran = []
    for job in schedule.due():
        run_job(job)
        schedule.mark_run(job)
        ran.append(job.name)
    return ran


def run_forever(
    *, stop: StopRequest, schedule: Schedule, timeout: float, poll_interval: float
) -> None:
    """Deliver webhooks as they fall due and run jobs on their schedule until stopped."""
    while not stop.requested:
        # A long-lived process: drop connections the database has closed, as a
        # request cycle would.
        close_old_connections()
        run_due_jobs(schedule)
        delivered = webhooks_worker.deliver_due(timeout=timeout, should_stop=lambda: stop.requested)
        if not delivered:
            stop.sleep(poll_interval)
    close_old_connections()
