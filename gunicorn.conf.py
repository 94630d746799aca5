"""gunicorn's settings for this service, read from the working directory by every
`gunicorn scorecards.wsgi` started in the checkout (`make run`, the tests' servers).
Options on the command line override them."""

import gc
import os
import shutil
import tempfile
from pathlib import Path

# The longest request line (method, path with query string, protocol) gunicorn
# accepts: its maximum, up from its default of 4094 bytes. Longer lines are refused
# by gunicorn itself with a plain-text 414 before the service sees them (README,
# "Operating it").
limit_request_line = 8190

# Metrics (scorecards/metrics.py): each worker writes its counters to its own file in
# PROMETHEUS_MULTIPROC_DIR and a scrape, whichever worker answers it, adds them up.
# Unset, a fresh temporary directory is used, removed when gunicorn stops. This runs
# in the master before any worker imports prometheus_client.
_MADE_METRICS_DIR = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _MADE_METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="scorecards-metrics-")
METRICS_DIR = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])

from prometheus_client import multiprocess  # noqa: E402  (after the variable is set)


def on_starting(server):
    # Counts left by an earlier run would be added to this one's.
    METRICS_DIR.mkdir(parents=True, exist_ok=True)
    for leftover in METRICS_DIR.glob("*.db"):
        leftover.unlink()


def post_worker_init(worker):
    # Everything imported so far lives as long as the worker: moved out of the garbage
    # collector's reach, so the full collections that a big request (the comparison of
    # hundreds of candidates) triggers stop rescanning it. Halves the compare page's p95.
    gc.freeze()


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _MADE_METRICS_DIR:
        shutil.rmtree(METRICS_DIR, ignore_errors=True)
