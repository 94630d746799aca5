"""Retention: candidates whose every application closed more than
CANDIDATE_RETENTION_DAYS ago are erased (reason "retention"), by the command and by the
worker's daily job; --dry-run only lists them. Time is frozen with time-machine."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from hiring import background
from hiring.models import ERASED_NAME, Candidate, RoleStatus
from tests import factories

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(role, ai_profile, lead):
    """On 5 January: Hana hired, Rob rejected, Wes withdrew, Olive still interviewing,
    Cleo's role closed, Mia rejected for one role but still open for another."""
    with time_machine.travel(START, tick=False):
        closed_role = factories.RoleFactory(profile=ai_profile, hiring_lead=lead)
        made = {
            "hana": factories.ApplicationFactory(role=role, status="hired").candidate,
            "rob": factories.ApplicationFactory(role=role, status="rejected").candidate,
            "wes": factories.ApplicationFactory(role=role, status="withdrawn").candidate,
            "olive": factories.ApplicationFactory(role=role, stage="interviewing").candidate,
            "cleo": factories.ApplicationFactory(role=closed_role, stage="offer").candidate,
        }
        mia = factories.ApplicationFactory(role=role, status="rejected").candidate
        factories.ApplicationFactory(role=closed_role, candidate=mia, stage="interviewing")
        made["mia"] = mia
        closed_role.status = RoleStatus.CLOSED
        closed_role.save()
    # Mia's other application is still open somewhere else: an open role.
    other = factories.RoleFactory(profile=ai_profile, hiring_lead=lead, status=RoleStatus.OPEN)
    with time_machine.travel(START, tick=False):
        factories.ApplicationFactory(role=other, candidate=mia, stage="screening")
    return made


def names(candidates):
    return sorted(c.name for c in candidates)


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def erased_ids():
    return set(Candidate.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))


def test_unset_keeps_everyone_for_ever(people, settings):
    settings.CANDIDATE_RETENTION_DAYS = None
    with time_machine.travel(START + dt.timedelta(days=3650), tick=False):
        assert "kept for ever" in run()
        assert background.run_job(background.JOBS[0])
    assert erased_ids() == set()


def test_dry_run_lists_who_would_go_and_changes_nothing(people, settings):
    settings.CANDIDATE_RETENTION_DAYS = 30
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        out = run("--dry-run")
    for who in ("hana", "rob", "wes", "cleo"):
        assert f"Would erase candidate {people[who].pk} (" in out
    for who in ("olive", "mia"):
        assert f"candidate {people[who].pk} " not in out
    assert "4 candidate(s) would be erased (older than 30 days)." in out
    assert erased_ids() == set()


def test_it_erases_only_after_the_period_with_the_reason_retention(people, settings):
    settings.CANDIDATE_RETENTION_DAYS = 30
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        assert "0 candidate(s) erased" in run()  # not yet: exactly 30 days is not longer
    with time_machine.travel(START + dt.timedelta(days=30, seconds=1), tick=False):
        out = run()
    closed = {people[who].pk for who in ("hana", "rob", "wes", "cleo")}
    assert erased_ids() == closed
    assert "4 candidate(s) erased" in out
    for candidate in Candidate.objects.filter(pk__in=closed):
        assert (candidate.name, candidate.erasure_reason) == (ERASED_NAME, "retention")
        assert candidate.erased_at == START + dt.timedelta(days=30, seconds=1)
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        assert "0 candidate(s) erased" in run()  # a second run finds nothing left


def test_a_recent_change_restarts_the_clock(people, settings):
    settings.CANDIDATE_RETENTION_DAYS = 30
    with time_machine.travel(START + dt.timedelta(days=20), tick=False):
        application = people["rob"].applications.get()
        application.status = "rejected"
        application.save()  # touched again, e.g. a note from the ATS
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        run()
    assert people["rob"].pk not in erased_ids()
    assert people["hana"].pk in erased_ids()


def test_the_worker_runs_it_daily(people, settings):
    settings.CANDIDATE_RETENTION_DAYS = 30
    job = next(job for job in background.JOBS if job.name == "apply_retention")
    assert job.every == dt.timedelta(days=1)
    with time_machine.travel(START + dt.timedelta(days=40), tick=False):
        assert background.run_job(job)
    assert len(erased_ids()) == 4
