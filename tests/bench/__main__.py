"""``make bench``: the role comparison over real HTTP against the production server.

    python -m tests.bench                      # SQLite; PostgreSQL too when DATABASE_URL is set
    python -m tests.bench --backend postgresql

For each database it builds a large role in a scratch database (a temporary
SQLite file, or ``BENCH_DB_NAME``, default ``bench_db``, on the server of
``DATABASE_URL``, dropped and recreated), starts gunicorn on a free loopback
port, and measures over HTTP: the comparison (cached under its ETag, and with
the cache off), its 304 answer, and ``GET /api/v1/me/`` as the floor of an
authenticated request; plus the bare SQL that fetches the same ratings (the
database floor). Requests authenticate with a recruiter's session cookie.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from tests.bench.config import (
    BASE_DIR,
    CLIENTS,
    TARGET_FLOOR_RATIO,
    TARGET_P95_MS,
    TARGET_THROUGHPUT_SHARE,
    WORKERS,
)


def _postgres_scratch_url(url: str) -> str:
    """Drop and recreate the scratch database next to DATABASE_URL's."""
    name = os.getenv("BENCH_DB_NAME", "bench_db")
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _child(backend: str, env: dict) -> dict:
    env = {
        **os.environ,
        **env,
        "DJANGO_SETTINGS_MODULE": "scorecards.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain http on the loopback, as make run serves.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
    }
    out = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from tests.bench.measure import main; main({backend!r})",
        ],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def report(r: dict) -> str:
    me, cached, uncached, nm = r["me"], r["cached"], r["uncached"], r["not_modified"]
    floor = r["database_floor"]["median_ms"]

    def line(label, s, rps=True):
        rate = f"{s['rps']:8.0f}" if rps and "rps" in s else " " * 8
        return f"  {label:<44}{s['median_ms']:9.1f}{s['p95_ms']:9.1f}{rate}"

    def check(ok):
        return "ok" if ok else "MISSED"

    share_cached = cached["rps"] / me["rps"]
    share_uncached = uncached["rps"] / me["rps"]
    lines = [
        f"== {r['backend']}: {r['candidates']} candidates, {r['ratings']:,} submitted scores "
        f"(built in {r['build_seconds']:.1f} s); response {r['body_bytes'] / 1024:.0f} KiB",
        f"  load average before/after: {r['load_before'][0]:.2f} / {r['load_after'][0]:.2f}"
        f" ({os.cpu_count()} CPUs, {WORKERS} gunicorn workers, {CLIENTS} clients)",
        f"  {'':<44}{'median':>9}{'p95':>9}{'req/s':>8}   (ms; req/s at {CLIENTS} clients)",
        line("GET /api/v1/me/ (trivial, the floor)", me),
        line("comparison, cached under its ETag", cached),
        line("comparison, cache off (computed each time)", uncached),
        line("comparison, If-None-Match -> 304", nm),
        line("in process: role_comparison()", r["in_process"], rps=False),
        line("in process: JSON rendering", r["json_render"], rps=False),
        line("in process: ETag query", r["stamp_query"], rps=False),
        line("database floor: bare SQL, a row per score", r["database_floor"], rps=False),
        line("bare SQL, the scores as one string (as used)", r["packed_floor"], rps=False),
        f"  throughput vs /me/: cached {share_cached:.0%}, uncached {share_uncached:.0%}",
        f"  alpha {r['alpha']}; largest offset error vs the built-in leniency "
        f"{r['offset_error']:.2f} points",
        "  targets:",
        f"    p95 < {TARGET_P95_MS} ms: cached {cached['p95_ms']:.1f} "
        f"{check(cached['p95_ms'] < TARGET_P95_MS)}, uncached {uncached['p95_ms']:.1f} "
        f"{check(uncached['p95_ms'] < TARGET_P95_MS)}",
        f"    < {TARGET_FLOOR_RATIO:g}x database floor ({floor:.1f} ms): cached p95 "
        f"{cached['p95_ms'] / floor:.2f}x {check(cached['p95_ms'] < TARGET_FLOOR_RATIO * floor)}, "
        f"in-process median {r['in_process']['median_ms'] / floor:.2f}x "
        f"{check(r['in_process']['median_ms'] < TARGET_FLOOR_RATIO * floor)}, uncached HTTP "
        f"median {uncached['median_ms'] / floor:.2f}x",
        f"    >= {TARGET_THROUGHPUT_SHARE:.0%} of /me/ throughput: cached {share_cached:.0%} "
        f"{check(share_cached >= TARGET_THROUGHPUT_SHARE)}",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    database_url = os.getenv("DATABASE_URL", "")
    backends = (
        [args.backend] if args.backend else ["sqlite"] + (["postgresql"] * bool(database_url))
    )
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    for backend in backends:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory(prefix="scorecards-bench-") as tmp:
                env = {"DATABASE_URL": "", "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3")}
                print(report(_child(backend, env)), flush=True)
        else:
            if not database_url:
                raise SystemExit("Set DATABASE_URL to the PostgreSQL server to bench on.")
            env = {"DATABASE_URL": _postgres_scratch_url(database_url)}
            print(report(_child(backend, env)), flush=True)


if __name__ == "__main__":
    main()
