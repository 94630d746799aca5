"""HTTP load against the production server (gunicorn), and latency summaries."""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.bench.config import BASE_DIR, CLIENTS, MAX_SECONDS, PER_CLIENT, WORKERS


def get(port: int, path: str, headers: dict) -> tuple[int, float, bytes]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, time.perf_counter() - start, body


def sequential(port, path, headers, *, count, expect=200) -> list[float]:
    latencies, deadline = [], time.monotonic() + MAX_SECONDS
    while len(latencies) < count and time.monotonic() < deadline:
        status, seconds, _ = get(port, path, headers)
        if status != expect:
            raise SystemExit(f"GET {path} answered {status}, expected {expect}")
        latencies.append(seconds)
    return latencies


def concurrent(port, path, headers, *, clients=CLIENTS, per_client=PER_CLIENT, expect=200):
    """Requests per second with ``clients`` threads each sending up to ``per_client``."""
    done, errors, deadline = [0] * clients, [], time.monotonic() + MAX_SECONDS

    def client(n):
        for _ in range(per_client):
            if time.monotonic() > deadline:
                return
            status, _, _ = get(port, path, headers)
            if status != expect:
                errors.append(status)
                return
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(f"GET {path} answered {errors[0]} under load")
    return sum(done) / elapsed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on a free loopback port, with extra environment."""

    def __init__(self, **env):
        self.port = free_port()
        self.env = {**os.environ, **env}

    def __enter__(self):
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [
                str(gunicorn),
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
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def etag(port, path, headers) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.getheader("ETag")
    finally:
        conn.close()


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
