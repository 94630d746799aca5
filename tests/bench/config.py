"""What the bench measures and the targets it checks (environment-tunable)."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CANDIDATES = int(os.getenv("BENCH_CANDIDATES", "300"))
WORKERS = int(os.getenv("BENCH_WORKERS", "2"))
CLIENTS = 8
SEQUENTIAL = int(os.getenv("BENCH_REQUESTS", "200"))
PER_CLIENT = int(os.getenv("BENCH_PER_CLIENT", "60"))
MAX_SECONDS = 30.0  # per measurement: a bench never hangs
TARGET_P95_MS = 150
TARGET_FLOOR_RATIO = 2.0
TARGET_THROUGHPUT_SHARE = 0.30
