"""``make bench``: what users wait for, over real HTTP against the production server.

    python -m tests.bench                      # SQLite; PostgreSQL too when one is given
    python -m tests.bench --backend postgresql
    BENCH_SCALE=0.1 python -m tests.bench      # a tenth of everything, for a quick look

For each database it migrates a scratch database (a temporary SQLite file, or
``BENCH_DB_NAME``, default ``bench_db``, on the server of ``BENCH_DATABASE_URL`` or
else ``DATABASE_URL``, dropped and recreated), starts gunicorn (3 workers, as
``make run``) and the background worker, and measures: the write workload (an ATS
provisioning a role and 300 candidates while 4 interviewers score them all on 28
skills, from 4 client threads) next to the trivial ``GET /api/v1/me/`` from 4 more
threads beside it (the same load) and alone; the comparison and the compare page
right after the last submission; the computed comparison against the database
floor; and the list pages and the incremental sync page on a nearly empty database
and again after about a million ratings have been bulk-inserted. Each figure is
printed beside its target.
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
    TARGET_COMPARISON_P95_MS,
    TARGET_COMPARISON_P95_RATIO,
    TARGET_FLOOR_RATIO,
    TARGET_PAGE_P95_MS,
    TARGET_SCALE_RATIO,
    TARGET_WRITE_P95_RATIO,
    TARGET_WRITE_SHARE,
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


def met(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def report(r: dict) -> str:  # noqa: PLR0915 - one line per figure
    me, writes = r["trivial"], r["writes"]
    beside = writes["trivial"]
    lines = [
        f"== {r['backend']} (BENCH_SCALE={r['scale']:g}; {os.cpu_count()} CPUs, {WORKERS} "
        f"gunicorn workers, {CLIENTS} client threads; load average "
        f"{r['load_before'][0]:.2f} -> {r['load_after'][0]:.2f})",
        f"  {'':<46}{'p50':>8}{'p95':>8}{'req/s':>8}   target",
    ]
    for label, s in (
        ("GET /api/v1/me/ (trivial) alone, before", me),
        ("GET /api/v1/me/ (trivial) beside the workload", beside),
        ("GET /api/v1/me/ (trivial) alone, after", r["trivial_after"]),
    ):
        lines.append(f"  {label:<46}{s['median_ms']:8.1f}{s['p95_ms']:8.1f}{s['rps']:8.0f}")
    share, alone = writes["rps"] / beside["rps"], writes["rps"] / me["rps"]
    lines.append(
        f"  write workload: {writes['requests']:,} requests in {writes['seconds']:.0f} s = "
        f"{writes['rps']:.1f} req/s, {share:.0%} of the trivial endpoint's beside it "
        f"(>= {TARGET_WRITE_SHARE:.0%}: {met(share >= TARGET_WRITE_SHARE)}); "
        f"{alone:.0%} of its alone"
    )
    for kind, s in sorted(writes["kinds"].items()):
        ratio = s["p95_ms"] / beside["p95_ms"]
        verdict = (
            f"p95 {ratio:.1f}x trivial beside it (<= {TARGET_WRITE_P95_RATIO:g}x: "
            f"{met(ratio <= TARGET_WRITE_P95_RATIO)}); {s['p95_ms'] / me['p95_ms']:.1f}x alone"
            if s["n"] > 1
            else ""
        )
        lines.append(
            f"    {kind + f' ({s[chr(110)]})':<44}{s['median_ms']:8.1f}{s['p95_ms']:8.1f}"
            f"{'':8}   {verdict}"
        )
    after = r["trivial_after"]
    c = r["comparison"]
    ratio = c["p95_ms"] / after["p95_ms"]
    lines += [
        f"  comparison right after the last submission ({r['body_bytes'] / 1024:.0f} KiB, "
        f"first request {r['comparison_after_s'] * 1000:.0f} ms after it):",
        f"    {'cold (the first request)':<44}{r['comparison_cold_ms']:8.1f}",
        f"    {'warm (' + str(c['n']) + ' requests)':<44}{c['median_ms']:8.1f}{c['p95_ms']:8.1f}"
        f"{'':8}   p95 < {TARGET_COMPARISON_P95_MS} ms: "
        f"{met(c['p95_ms'] < TARGET_COMPARISON_P95_MS)}; {ratio:.1f}x trivial p95 "
        f"(<= {TARGET_COMPARISON_P95_RATIO:g}x: {met(ratio <= TARGET_COMPARISON_P95_RATIO)})",
    ]
    floor, computed = r["database_floor"], r["computed"]
    ratio = computed["median_ms"] / floor["median_ms"]
    lines += [
        f"  {'computed (cache off), role_comparison()':<46}{computed['median_ms']:8.1f}"
        f"{computed['p95_ms']:8.1f}{'':8}   {ratio:.2f}x the floor "
        f"(<= {TARGET_FLOOR_RATIO:g}x: {met(ratio <= TARGET_FLOOR_RATIO)})",
        f"  {'database floor: bare SQL, a row per score':<46}{floor['median_ms']:8.1f}"
        f"{floor['p95_ms']:8.1f}   ({r['ratings']:,} scores)",
    ]
    p = r["compare_page"]
    lines.append(
        f"  {'compare page (HTML)':<46}{p['median_ms']:8.1f}{p['p95_ms']:8.1f}{'':8}   "
        f"p95 < {TARGET_PAGE_P95_MS} ms: {met(p['p95_ms'] < TARGET_PAGE_P95_MS)}"
    )
    small, large = r["near_empty_rows"], r["large_rows"]
    lines.append(
        f"  scale: {small['role']:,} roles / {small['candidate']:,} candidates / "
        f"{small['rating']:,} ratings, then {large['role']:,} / {large['candidate']:,} / "
        f"{large['rating']:,} (bulk-inserted in {r['bulk_seconds']:.0f} s); p50 ms:"
    )
    for label, before in r["pages_small"].items():
        now = r["pages_large"][label]
        ratio = now["median_ms"] / before["median_ms"]
        lines.append(
            f"    {label:<42}{before['median_ms']:8.1f} -> {now['median_ms']:7.1f}   "
            f"{ratio:.2f}x (<= {TARGET_SCALE_RATIO:g}x: {met(ratio <= TARGET_SCALE_RATIO)})"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    database_url = os.getenv("BENCH_DATABASE_URL", "") or os.getenv("DATABASE_URL", "")
    backends = (
        [args.backend] if args.backend else ["sqlite"] + (["postgresql"] * bool(database_url))
    )
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="scorecards-bench-") as tmp:
            # The comparison cache in files, as make run keeps it, fresh for each run.
            env = {"COMPARISON_CACHE_DIR": str(Path(tmp) / "comparison-cache")}
            if backend == "sqlite":
                env |= {"DATABASE_URL": "", "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3")}
            elif database_url:
                env["DATABASE_URL"] = _postgres_scratch_url(database_url)
            else:
                raise SystemExit("Set BENCH_DATABASE_URL (or DATABASE_URL) to a PostgreSQL server.")
            print(report(_child(backend, env)), flush=True)


if __name__ == "__main__":
    main()
