"""What the bench measures and the targets it checks (environment-tunable)."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# BENCH_SCALE=0.1 runs a tenth of everything (quick look while developing).
SCALE = float(os.getenv("BENCH_SCALE", "1"))
CANDIDATES = max(8, int(300 * SCALE))  # the write workload's role
PANEL = 4  # interviewers scoring every candidate, all 28 skills
WORKERS = int(os.getenv("BENCH_WORKERS", "3"))  # as make run
CLIENTS = 4
SEQUENTIAL = max(20, int(int(os.getenv("BENCH_REQUESTS", "200")) * min(SCALE, 1)))
PAGE = 500
MAX_SECONDS = 30.0  # per read measurement: a bench never hangs
# Scale: rows bulk-inserted (not through the API) before the lists are timed again.
# The nearly empty database has just enough rows for a full page of each list.
NEAR_EMPTY = PAGE + 10
SCALE_ROLES = max(2 * NEAR_EMPTY, int(1000 * SCALE))
SCALE_CANDIDATES = max(2 * NEAR_EMPTY, int(100_000 * SCALE))
SCALE_SCORECARDS = max(2 * NEAR_EMPTY, int(36_000 * SCALE))  # x 28 skills: ~1 million ratings

TARGET_WRITE_SHARE = 0.50  # workload req/s vs the trivial endpoint's
TARGET_WRITE_P95_RATIO = 3.0  # each write kind's p95 vs the trivial endpoint's
TARGET_COMPARISON_P95_MS = 50
TARGET_COMPARISON_P95_RATIO = 3.0
TARGET_FLOOR_RATIO = 2.0
TARGET_PAGE_P95_MS = 150
TARGET_SCALE_RATIO = 1.5
