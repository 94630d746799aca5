"""The background worker ``make run`` starts: webhook delivery plus the periodic jobs
(``hiring.background.JOBS``). Run one per machine, or several: every job is safe to run
concurrently, and webhook deliveries are claimed one worker at a time.
"""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from hiring import background
from hiring.webhooks import worker as webhooks_worker


class Command(BaseCommand):
    help = (
        "Deliver webhooks and run the periodic jobs until stopped "
        "(--once: deliver what is due, run every job once, exit)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Deliver what is due now and run every job once, then exit (for cron).",
        )
        parser.add_argument(
            "--poll-interval",
            type=float,
            default=None,
            help="Seconds to wait when nothing is due (default: WEBHOOK_POLL_INTERVAL).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=None,
            help="Seconds a webhook receiver has to answer (default: WEBHOOK_TIMEOUT).",
        )

    def handle(self, *args, once=False, poll_interval=None, timeout=None, **options):
        timeout = settings.WEBHOOK_TIMEOUT if timeout is None else timeout
        schedule = background.Schedule(background.JOBS)
        if once:
            ran = background.run_due_jobs(schedule)
            tried = webhooks_worker.deliver_due(timeout=timeout)
            self.stdout.write(f"Ran {len(ran)} jobs; tried {tried} webhook deliveries.")
            return
        poll_interval = settings.WEBHOOK_POLL_INTERVAL if poll_interval is None else poll_interval
        stop = background.StopRequest()
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        jobs = ", ".join(f"{job.name} every {job.every}" for job in schedule.jobs) or "none"
        self.stdout.write(f"Background worker: webhooks (timeout {timeout:g} s); jobs: {jobs}.")
        self.stdout.flush()
        background.run_forever(
            stop=stop, schedule=schedule, timeout=timeout, poll_interval=poll_interval
        )
        self.stdout.write("Background worker stopped.")
