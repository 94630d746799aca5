"""HTTP against the production server (gunicorn plus the background worker), and
latency summaries."""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.config import BASE_DIR, MAX_SECONDS, WORKERS


def call(port: int, method: str, path: str, headers: dict, body=None) -> tuple[int, float, bytes]:
    """One request on a new connection: status, seconds, body."""
    data = None if body is None else json.dumps(body).encode()
    if data is not None:
        headers = {**headers, "Content-Type": "application/json"}
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        content = response.read()
    finally:
        conn.close()
    return response.status, time.perf_counter() - start, content


def get(port: int, path: str, headers: dict) -> tuple[int, float, bytes]:
    return call(port, "GET", path, headers)


def sequential(port, path, headers, *, count, expect=200) -> list[float]:
    latencies, deadline = [], time.monotonic() + MAX_SECONDS
    while len(latencies) < count and time.monotonic() < deadline:
        status, seconds, _ = get(port, path, headers)
        if status != expect:
            raise SystemExit(f"GET {path} answered {status}, expected {expect}")
        latencies.append(seconds)
    return latencies


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn (``WORKERS`` workers) on a free loopback port, with extra environment;
    with ``worker=True`` the background worker (``run_worker``) beside it, as
    ``make run`` serves."""

    def __init__(self, *, worker: bool = False, **env):
        self.port = free_port()
        self.env = {**os.environ, **env}
        self.with_worker = worker

    def __enter__(self):
        bin_dir = Path(sys.executable).parent
        self.worker = (
            subprocess.Popen(
                [sys.executable, "manage.py", "run_worker"], cwd=BASE_DIR, env=self.env
            )
            if self.with_worker
            else None
        )
        self.process = subprocess.Popen(
            [
                str(bin_dir / "gunicorn"),
                "scorecards.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)

    def __exit__(self, *exc):
        processes = [p for p in (self.process, self.worker) if p is not None]
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def ms(seconds: float) -> float:
    return seconds * 1000


def summary(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {
        "median_ms": ms(statistics.median(ordered)),
        "p95_ms": ms(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]),
        "n": len(ordered),
    }


def timed(fn, count) -> list[float]:
    out = []
    for _ in range(count):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out
