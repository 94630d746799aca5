"""``make bench``: the role comparison over real HTTP against the production server.

    python -m hiring.bench                      # SQLite; PostgreSQL too when DATABASE_URL is set
    python -m hiring.bench --backend postgresql

For each database it builds a large role in a scratch database (a temporary
SQLite file, or ``BENCH_DB_NAME``, default ``bench_db``, on the server of
``DATABASE_URL``, dropped and recreated), starts gunicorn on a free loopback
port, and measures over HTTP: the comparison (cached under its ETag, and with
the cache off), its 304 answer, and ``GET /api/v1/me/`` as the floor of an
authenticated request; plus the bare SQL that fetches the same ratings (the
database floor). Requests authenticate with a recruiter's session cookie.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
CANDIDATES = int(os.getenv("BENCH_CANDIDATES", "300"))
PANEL = 4
POOL = 12
WORKERS = int(os.getenv("BENCH_WORKERS", "2"))
CLIENTS = 8
SEQUENTIAL = int(os.getenv("BENCH_REQUESTS", "200"))
PER_CLIENT = int(os.getenv("BENCH_PER_CLIENT", "60"))
MAX_SECONDS = 30.0  # per measurement: a bench never hangs
TARGET_P95_MS = 150
TARGET_FLOOR_RATIO = 2.0
TARGET_THROUGHPUT_SHARE = 0.30


# ---------------------------------------------------------------------------
# The data: a large role built with bulk_create (also used by the query-count tests)
# ---------------------------------------------------------------------------


@dataclass
class ScoredRole:
    role: object
    leniency: dict[int, float]  # interviewer id -> the leniency the scores were built with


def build_scored_role(
    *, profile, lead, candidates: int, panel: int = PANEL, pool: int = POOL, seed: int = 2026
) -> ScoredRole:
    """A role whose candidates each have one interview with ``panel`` submitted
    scorecards (drawn from ``pool`` interviewers) scoring every skill of ``profile``.

    Scores are ability + interviewer leniency + noise, rounded into 1–4.
    """
    import numpy as np
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from hiring.models import (
        INTERVIEWERS,
        Application,
        Candidate,
        Interview,
        Rating,
        Recommendation,
        Role,
        RoleStatus,
        Scorecard,
        ScorecardStatus,
        Skill,
        User,
    )

    rng = np.random.default_rng(seed)
    emails = [f"interviewer{i:02d}@bench.example" for i in range(pool)]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    User.objects.bulk_create(
        [User(email=e, full_name=f"Interviewer {e[11:13]}") for e in emails if e not in existing]
    )
    people = list(User.objects.filter(email__in=emails).order_by("email"))
    group = Group.objects.get_or_create(name=INTERVIEWERS)[0]
    group.user_set.add(*people)
    leniency = {p.pk: float(v) for p, v in zip(people, rng.normal(0, 0.35, pool), strict=True)}

    role = Role.objects.create(
        title=f"AI engineer ({candidates} candidates)",
        team="Bench",
        level="senior",
        status=RoleStatus.OPEN,
        profile=profile,
        hiring_lead=lead,
    )
    first = Candidate.objects.count()
    people_c = Candidate.objects.bulk_create(
        [
            Candidate(name=f"Candidate {first + i:04d}", email=f"c{first + i}@bench.example")
            for i in range(candidates)
        ]
    )
    apps = Application.objects.bulk_create(
        [Application(candidate=c, role=role, stage="interviewing") for c in people_c]
    )
    interviews = Interview.objects.bulk_create(
        [Interview(application=a, name="Technical interview") for a in apps]
    )
    now = timezone.now()
    panels = [rng.choice(pool, size=min(panel, pool), replace=False) for _ in interviews]
    cards = Scorecard.objects.bulk_create(
        [
            Scorecard(
                interview=interview,
                interviewer=people[j],
                profile=profile,
                status=ScorecardStatus.SUBMITTED,
                submitted_at=now,
                overall_recommendation=Recommendation.YES,
            )
            for interview, chosen in zip(interviews, panels, strict=True)
            for j in chosen
        ]
    )
    skill_ids = list(Skill.objects.filter(competency__profile=profile).values_list("id", flat=True))
    ability = rng.normal(2.6, 0.5, candidates)
    bias = np.array([leniency[c.interviewer_id] for c in cards])
    noise = rng.normal(0, 0.6, (len(cards), len(skill_ids)))
    per_candidate = np.repeat(ability, min(panel, pool))
    values = np.clip(np.rint(per_candidate[:, None] + bias[:, None] + noise), 1, 4).astype(int)
    Rating.objects.bulk_create(
        (
            Rating(scorecard=card, skill_id=skill_id, score=int(v))
            for card, row in zip(cards, values.tolist(), strict=True)
            for skill_id, v in zip(skill_ids, row, strict=True)
        ),
        batch_size=2000,
    )
    return ScoredRole(role=role, leniency=leniency)


# ---------------------------------------------------------------------------
# HTTP load
# ---------------------------------------------------------------------------


def _get(port: int, path: str, headers: dict) -> tuple[int, float, bytes]:
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
        status, seconds, _ = _get(port, path, headers)
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
            status, _, _ = _get(port, path, headers)
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on a free loopback port, with extra environment."""

    def __init__(self, **env):
        self.port = _free_port()
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


# ---------------------------------------------------------------------------
# One backend (runs in a child process whose settings point at the scratch database)
# ---------------------------------------------------------------------------


def _ms(seconds: float) -> float:
    return seconds * 1000


def _summary(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {
        "median_ms": _ms(statistics.median(ordered)),
        "p95_ms": _ms(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]),
        "n": len(ordered),
    }


def _time(fn, count) -> list[float]:
    out = []
    for _ in range(count):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def run_backend(backend: str) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scorecards.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.renderers import JSONRenderer

    from hiring import comparison
    from hiring.models import RECRUITERS, SkillProfile, User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_builtin_data", verbosity=0)
    profile = SkillProfile.objects.get(slug="ai-engineer", version=1)
    lead = User.objects.create_user("lead@bench.example", full_name="Bench Lead")
    recruiter = User.objects.create_user(
        "recruiter@bench.example", full_name="Bench Recruiter", is_staff=True
    )
    from django.contrib.auth.models import Group

    recruiter.groups.add(Group.objects.get_or_create(name=RECRUITERS)[0])
    built = build_scored_role(profile=profile, lead=lead, candidates=CANDIDATES)
    role = built.role
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum would gather after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started

    session = SessionStore()
    session[SESSION_KEY] = str(recruiter.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = recruiter.get_session_auth_hash()
    session.create()
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}

    # The database floor: the same scores fetched by bare SQL, one row each; and
    # the packed query the comparison actually runs (one string).
    def bare(queryset):
        sql = queryset.query.sql_with_params()

        def run():
            with connection.cursor() as cursor:
                cursor.execute(*sql)
                return cursor.fetchall()

        return run

    rating_count = len(bare(comparison.role_ratings_queryset(role))())
    floor = _summary(_time(bare(comparison.role_ratings_queryset(role)), 30))
    packed_floor = _summary(_time(bare(comparison.role_packed_ratings_queryset(role)), 30))

    from hiring.models import Role

    loaded = Role.objects.select_related("profile").get(pk=role.pk)
    data = comparison.role_comparison(loaded)
    in_process = _summary(_time(lambda: comparison.role_comparison(loaded), 30))
    render = _summary(_time(lambda: JSONRenderer().render(data), 30))
    stamp = _summary(_time(lambda: comparison.comparison_stamp(role.pk), 30))
    offsets = {i["id"]: i["offset"] for i in data["interviewers"]}
    truth_mean = statistics.mean(built.leniency.values())
    offset_error = max(abs(offsets[k] - (v - truth_mean)) for k, v in built.leniency.items())
    connection.close()

    path = f"/api/v1/roles/{role.pk}/comparison/"
    results = {
        "backend": backend,
        "candidates": CANDIDATES,
        "ratings": rating_count,
        "build_seconds": build_seconds,
        "database_floor": floor,
        "packed_floor": packed_floor,
        "stamp_query": stamp,
        "in_process": in_process,
        "json_render": render,
        "alpha": data["agreement"]["alpha"],
        "offset_error": offset_error,
        "load_before": os.getloadavg(),
    }
    with Server() as server:
        for _ in range(4 * WORKERS):  # every worker imports, connects and fills its cache
            _get(server.port, path, cookie)
            _get(server.port, "/api/v1/me/", cookie)
        status, _, body = _get(server.port, path, cookie)
        results["body_bytes"] = len(body)
        etag_headers = {**cookie, "If-None-Match": _etag(server.port, path, cookie)}
        results["me"] = _summary(sequential(server.port, "/api/v1/me/", cookie, count=SEQUENTIAL))
        results["cached"] = _summary(sequential(server.port, path, cookie, count=SEQUENTIAL))
        results["not_modified"] = _summary(
            sequential(server.port, path, etag_headers, count=SEQUENTIAL, expect=304)
        )
        results["me"]["rps"] = concurrent(server.port, "/api/v1/me/", cookie)
        results["cached"]["rps"] = concurrent(server.port, path, cookie)
        results["not_modified"]["rps"] = concurrent(server.port, path, etag_headers, expect=304)
    with Server(COMPARISON_CACHE_SECONDS="0") as server:
        for _ in range(2 * WORKERS):
            _get(server.port, path, cookie)
        results["uncached"] = _summary(
            sequential(server.port, path, cookie, count=max(SEQUENTIAL // 2, 20))
        )
        results["uncached"]["rps"] = concurrent(
            server.port, path, cookie, per_client=max(PER_CLIENT // 3, 5)
        )
    results["load_after"] = os.getloadavg()
    return results


def _etag(port, path, headers) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.getheader("ETag")
    finally:
        conn.close()


# ---------------------------------------------------------------------------
# Orchestration and the report
# ---------------------------------------------------------------------------


def _postgres_scratch_url(url: str) -> str:
    """Drop and recreate the scratch database next to DATABASE_URL's."""
    import psycopg

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
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
    }
    out = subprocess.run(
        [sys.executable, "-m", "hiring.bench", "--child", backend],
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
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_backend(args.child)))
        return

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
