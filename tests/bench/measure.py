"""One backend's measurements. Runs in a child process set up by ``manage.py shell``
(so Django is ready before this module is imported), whose settings point at a
scratch database; prints the figures as one JSON line."""

import json
import os
import statistics
import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from rest_framework.renderers import JSONRenderer

from hiring import comparison
from hiring.comparison import queries
from hiring.models import RECRUITERS, Role, SkillProfile, User
from tests.bench.config import CANDIDATES, PER_CLIENT, SEQUENTIAL, WORKERS
from tests.bench.load import Server, concurrent, etag, get, sequential, summary, timed
from tests.factories import build_scored_role


def main(backend: str) -> None:
    print(json.dumps(run_backend(backend)))


def run_backend(backend: str) -> dict:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_builtin_data", verbosity=0)
    profile = SkillProfile.objects.get(slug="ai-engineer", version=1)
    lead = User.objects.create_user("lead@bench.example", full_name="Bench Lead")
    recruiter = User.objects.create_user(
        "recruiter@bench.example", full_name="Bench Recruiter", is_staff=True
    )
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

    rating_count = len(bare(queries.role_ratings_queryset(role))())
    floor = summary(timed(bare(queries.role_ratings_queryset(role)), 30))
    packed_floor = summary(timed(bare(queries.role_packed_ratings_queryset(role)), 30))

    loaded = Role.objects.select_related("profile").get(pk=role.pk)
    data = comparison.role_comparison(loaded)
    in_process = summary(timed(lambda: comparison.role_comparison(loaded), 30))
    render = summary(timed(lambda: JSONRenderer().render(data), 30))
    stamp = summary(timed(lambda: comparison.comparison_stamp(role.pk), 30))
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
            get(server.port, path, cookie)
            get(server.port, "/api/v1/me/", cookie)
        status, _, body = get(server.port, path, cookie)
        results["body_bytes"] = len(body)
        etag_headers = {**cookie, "If-None-Match": etag(server.port, path, cookie)}
        results["me"] = summary(sequential(server.port, "/api/v1/me/", cookie, count=SEQUENTIAL))
        results["cached"] = summary(sequential(server.port, path, cookie, count=SEQUENTIAL))
        results["not_modified"] = summary(
            sequential(server.port, path, etag_headers, count=SEQUENTIAL, expect=304)
        )
        results["me"]["rps"] = concurrent(server.port, "/api/v1/me/", cookie)
        results["cached"]["rps"] = concurrent(server.port, path, cookie)
        results["not_modified"]["rps"] = concurrent(server.port, path, etag_headers, expect=304)
    with Server(COMPARISON_CACHE_SECONDS="0") as server:
        for _ in range(2 * WORKERS):
            get(server.port, path, cookie)
        results["uncached"] = summary(
            sequential(server.port, path, cookie, count=max(SEQUENTIAL // 2, 20))
        )
        results["uncached"]["rps"] = concurrent(
            server.port, path, cookie, per_client=max(PER_CLIENT // 3, 5)
        )
    results["load_after"] = os.getloadavg()
    return results
