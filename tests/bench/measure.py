"""One backend's measurements. Runs in a child process set up by ``manage.py shell``
(so Django is ready before this module is imported), whose settings point at a
scratch database; prints the figures as one JSON line."""

import json
import os
import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from hiring import comparison, services
from hiring.comparison import queries
from hiring.models import HIRING_LEADS, INTERVIEWERS, RECRUITERS, Role, Skill, SkillProfile, User
from tests.bench import scale
from tests.bench.config import (
    CANDIDATES,
    NEAR_EMPTY,
    PANEL,
    SCALE,
    SCALE_CANDIDATES,
    SCALE_ROLES,
    SCALE_SCORECARDS,
    SEQUENTIAL,
)
from tests.bench.load import Server, get, sequential, summary, timed
from tests.bench.workload import Workload, trivial
from tests.factories import session_key_for


def main(backend: str) -> None:
    print(json.dumps(run_backend(backend)))


def setup() -> dict:
    call_command("migrate", verbosity=0)
    call_command("load_builtin_data", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as make run
    profile = SkillProfile.objects.get(slug="ai-engineer", version=1)
    lead = User.objects.create_user("lead@bench.example", full_name="Bench Lead")
    lead.groups.add(Group.objects.get_or_create(name=HIRING_LEADS)[0])
    interviewers = []
    group = Group.objects.get_or_create(name=INTERVIEWERS)[0]
    for n in range(PANEL):
        person = User.objects.create_user(f"interviewer{n}@bench.example", full_name=f"Rater {n}")
        group.user_set.add(person)
        _, key = services.api_key_create(name=f"bench {n}", user=person)
        interviewers.append((person.email, {"Authorization": f"Api-Key {key}"}))
    recruiter = User.objects.create_user(
        "recruiter@bench.example", full_name="Bench Recruiter", is_staff=True
    )
    recruiter.groups.add(Group.objects.get_or_create(name=RECRUITERS)[0])
    _, ats_key = services.api_key_create(name="bench ats")
    skills = list(
        Skill.objects.filter(competency__profile=profile)
        .order_by("competency__order", "order")
        .values_list("key", flat=True)
    )
    return {
        "profile": profile,
        "lead": lead,
        "lead_cookie": {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key_for(lead)}"},
        "ats": {"Authorization": f"Api-Key {ats_key}"},
        "interviewers": interviewers,
        "interviewer_id": User.objects.get(email=interviewers[0][0]).pk,
        "skills": skills,
    }


def run_backend(backend: str) -> dict:
    ready = setup()
    connection.close()
    results = {"backend": backend, "scale": SCALE, "load_before": os.getloadavg()}
    with Server(worker=True, API_THROTTLE_RATE="1000000/min") as server:
        port, ats = server.port, ready["ats"]
        for _ in range(6):  # every worker imports and connects
            get(port, "/api/v1/me/", ats)
        results["trivial"] = trivial(port, ats, requests=max(100, int(800 * min(SCALE, 1))))
        watermark = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        work = Workload(port, ats=ats, interviewers=ready["interviewers"], lead=ready["lead"].email)
        results["writes"] = work.run(candidates=CANDIDATES, skills=ready["skills"])
        role_id = results["writes"]["role_id"]

        # The hiring lead, right after the last submission.
        path = f"/api/v1/roles/{role_id}/comparison/"
        status, first, body = get(port, path, ready["lead_cookie"])
        assert status == 200, status
        results["comparison_cold_ms"] = first * 1000
        results["comparison_after_s"] = time.time() - results["writes"]["finished_at"]
        results["body_bytes"] = len(body)
        results["comparison"] = summary(
            sequential(port, path, ready["lead_cookie"], count=SEQUENTIAL)
        )
        results["trivial_after"] = trivial(port, ats, requests=max(100, int(400 * min(SCALE, 1))))
        page = reverse("hiring:compare", args=[role_id])
        results["compare_page"] = summary(
            sequential(port, page, ready["lead_cookie"], count=max(20, SEQUENTIAL // 2))
        )

        # Scale: a nearly empty database (enough rows for a full page of each list),
        # then about a million ratings.
        ids = {
            "profile_id": ready["profile"].pk,
            "lead_id": ready["lead"].pk,
            "interviewer_id": ready["interviewer_id"],
        }
        scale.bulk_insert(roles=NEAR_EMPTY, candidates=NEAR_EMPTY, scorecards=NEAR_EMPTY, **ids)
        results["near_empty_rows"] = scale.counts()
        results["pages_small"] = scale.pages(port, ats, watermark=watermark)
        started = time.perf_counter()
        scale.bulk_insert(
            roles=SCALE_ROLES - NEAR_EMPTY,
            candidates=SCALE_CANDIDATES - NEAR_EMPTY,
            scorecards=SCALE_SCORECARDS - NEAR_EMPTY,
            **ids,
        )
        results["bulk_seconds"] = time.perf_counter() - started
        results["large_rows"] = scale.counts()
        results["pages_large"] = scale.pages(port, ats, watermark=watermark)
    results.update(in_process(role_id))
    results["load_after"] = os.getloadavg()
    return results


def bare(queryset):
    """The queryset's SQL run on a bare cursor: no model instances, just rows."""
    sql = queryset.query.sql_with_params()

    def run():
        with connection.cursor() as cursor:
            cursor.execute(*sql)
            return cursor.fetchall()

    return run


def in_process(role_id: int) -> dict:
    """The computed path (what a request with the cache off does) against the database
    floor: the same scores by bare SQL, a row each."""
    role = Role.objects.select_related("profile").get(pk=role_id)
    return {
        "ratings": len(bare(queries.role_ratings_queryset(role))()),
        "database_floor": summary(timed(bare(queries.role_ratings_queryset(role)), 20)),
        "computed": summary(timed(lambda: comparison.role_comparison(role), 20)),
    }
