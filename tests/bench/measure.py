"""One backend's measurements. Runs in a child process set up by ``manage.py shell``
(so Django is ready before this module is imported), whose settings point at a
scratch database; prints the figures as one JSON line."""

import json
import os
import statistics
import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from rest_framework.renderers import JSONRenderer

from hiring import comparison
from hiring.comparison import queries
from hiring.models import RECRUITERS, Role, SkillProfile, User
from tests.bench.config import CANDIDATES, PER_CLIENT, SEQUENTIAL, WORKERS
from tests.bench.load import Server, concurrent, etag, get, sequential, summary, timed
from tests.factories import build_scored_role, session_key_for


def main(backend: str) -> None:
    print(json.dumps(run_backend(backend)))


def run_backend(backend: str) -> dict:
    started = time.perf_counter()
    built, recruiter = build_data()
    build_seconds = time.perf_counter() - started
    cookie = session_cookie(recruiter)
    results = {
        "backend": backend,
        "candidates": CANDIDATES,
        "build_seconds": build_seconds,
        **in_process(built),
        "load_before": os.getloadavg(),
    }
    connection.close()
    results.update(over_http(f"/api/v1/roles/{built.role.pk}/comparison/", cookie))
    results["load_after"] = os.getloadavg()
    return results


def build_data():
    """The built-in data, a hiring lead, a recruiter and the large scored role."""
    call_command("migrate", verbosity=0)
    call_command("load_builtin_data", verbosity=0)
    profile = SkillProfile.objects.get(slug="ai-engineer", version=1)
    lead = User.objects.create_user("lead@bench.example", full_name="Bench Lead")
    recruiter = User.objects.create_user(
        "recruiter@bench.example", full_name="Bench Recruiter", is_staff=True
    )
    recruiter.groups.add(Group.objects.get_or_create(name=RECRUITERS)[0])
    built = build_scored_role(profile=profile, lead=lead, candidates=CANDIDATES)
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum would gather after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return built, recruiter


def session_cookie(user) -> dict:
    """A logged-in session for ``user``, as the Cookie header of a request."""
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key_for(user)}"}


def bare(queryset):
    """The queryset's SQL run on a bare cursor: no model instances, just rows."""
    sql = queryset.query.sql_with_params()

    def run():
        with connection.cursor() as cursor:
            cursor.execute(*sql)
            return cursor.fetchall()

    return run


def in_process(built) -> dict:
    """The database floor (the same scores by bare SQL, a row each, and packed as the
    comparison reads them) and the comparison's parts, timed inside this process."""
    role = Role.objects.select_related("profile").get(pk=built.role.pk)
    data = comparison.role_comparison(role)
    offsets = {i["id"]: i["offset"] for i in data["interviewers"]}
    truth_mean = statistics.mean(built.leniency.values())
    return {
        "ratings": len(bare(queries.role_ratings_queryset(role))()),
        "database_floor": summary(timed(bare(queries.role_ratings_queryset(role)), 30)),
        "packed_floor": summary(timed(bare(queries.role_packed_ratings_queryset(role)), 30)),
        "stamp_query": summary(timed(lambda: comparison.comparison_stamp(role.pk), 30)),
        "in_process": summary(timed(lambda: comparison.role_comparison(role), 30)),
        "json_render": summary(timed(lambda: JSONRenderer().render(data), 30)),
        "alpha": data["agreement"]["alpha"],
        "offset_error": max(abs(offsets[k] - (v - truth_mean)) for k, v in built.leniency.items()),
    }


def over_http(path: str, cookie: dict) -> dict:
    """The comparison through gunicorn: cached, answered 304, and with the cache off;
    ``/api/v1/me/`` as the floor of an authenticated request."""
    results = {}
    with Server() as server:
        for _ in range(4 * WORKERS):  # every worker imports, connects and fills its cache
            get(server.port, path, cookie)
            get(server.port, "/api/v1/me/", cookie)
        _, _, body = get(server.port, path, cookie)
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
    return results
