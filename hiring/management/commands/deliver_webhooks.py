"""The webhook worker alone: delivers queued events until stopped (``run_worker``,
which ``make run`` starts, does this too, beside the periodic jobs).

Run as many as you like: each claims deliveries on its own and none sends a
delivery another is sending. SIGTERM or SIGINT lets
the delivery in flight finish and record its attempt, then exits.
"""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from hiring.background import StopRequest
from hiring.webhooks import worker


class Command(BaseCommand):
    help = "Deliver queued webhook events (runs until stopped; --once drains and exits)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Deliver what is due now, then exit."
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
            help="Seconds a receiver has to answer (default: WEBHOOK_TIMEOUT).",
        )

    def handle(self, *args, once=False, poll_interval=None, timeout=None, **options):
        timeout = settings.WEBHOOK_TIMEOUT if timeout is None else timeout
        if once:
            tried = worker.deliver_due(timeout=timeout)
            self.stdout.write(f"Tried {tried} webhook deliveries.")
            return
        poll_interval = settings.WEBHOOK_POLL_INTERVAL if poll_interval is None else poll_interval
        stop = StopRequest()
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Delivering webhooks (timeout {timeout:g} s); stop with Ctrl-C.")
        self.stdout.flush()
        while not stop.requested:
            # A long-lived process: drop connections the database has closed, as a
            # request cycle would.
            close_old_connections()
            if not worker.deliver_due(timeout=timeout, should_stop=lambda: stop.requested):
                stop.sleep(poll_interval)
        close_old_connections()
        self.stdout.write("Webhook worker stopped.")
