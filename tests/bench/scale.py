"""Scale: rows bulk-inserted by SQL (not through the API), and the list pages and the
incremental sync page timed over HTTP before and after."""

from datetime import UTC, datetime

from django.db import connection

from hiring.models import FeedbackVisibility
from tests.bench.config import PAGE
from tests.bench.load import sequential, summary

PAST = datetime(2025, 1, 1, tzinfo=UTC)


def _series(n: int) -> str:
    return (
        f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {int(n)}) "
        "SELECT i FROM s) AS n"
    )


def _max_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    return cursor.fetchone()[0]


def bulk_insert(
    *, roles: int, candidates: int, scorecards: int, profile_id, lead_id, interviewer_id
):
    """``roles`` roles, ``candidates`` candidates each applying to one of them, and
    ``scorecards`` submitted scorecards (one per interview) rating every skill."""
    pg = connection.vendor == "postgresql"
    when = PAST if pg else PAST.strftime("%Y-%m-%d %H:%M:%S")
    empty_json = "CAST('{}' AS jsonb)" if pg else "'{}'"
    with connection.cursor() as cursor:
        before = {
            t: _max_id(cursor, t)
            for t in (
                "hiring_role",
                "hiring_candidate",
                "hiring_application",
                "hiring_interview",
                "hiring_scorecard",
            )
        }
        cursor.execute(
            "INSERT INTO hiring_role (title, team, level, status, profile_id, hiring_lead_id, "
            "weight_overrides, feedback_visibility, created_at, updated_at) "
            f"SELECT 'Scale role ' || i, 'Scale', 'mid', 'open', %s, %s, {empty_json}, %s, %s, %s "
            f"FROM {_series(roles)}",
            [profile_id, lead_id, FeedbackVisibility.AFTER_OWN_SUBMIT, when, when],
        )
        cursor.execute(
            "SELECT MIN(id), MAX(id) FROM hiring_role WHERE id > %s", [before["hiring_role"]]
        )
        first_role, last_role = cursor.fetchone()
        assert last_role - first_role + 1 == roles, "role ids are not contiguous"
        cursor.execute(
            "INSERT INTO hiring_candidate (name, email, erasure_reason, created_at, updated_at) "
            "SELECT 'Scale Candidate ' || i, 'scale' || i || '@candidates.example', '', %s, %s "
            f"FROM {_series(candidates)}",
            [when, when],
        )
        cursor.execute(
            "INSERT INTO hiring_application "
            "(candidate_id, role_id, stage, status, created_at, updated_at) "
            "SELECT c.id, %s + (c.id %% %s), 'interviewing', 'active', %s, %s "
            "FROM hiring_candidate c "
            "WHERE c.id > %s",
            [first_role, roles, when, when, before["hiring_candidate"]],
        )
        cursor.execute(
            "INSERT INTO hiring_interview (application_id, name, duration_minutes, created_at, "
            "updated_at) SELECT a.id, 'Scale interview', 60, %s, %s FROM hiring_application a "
            "WHERE a.id > %s ORDER BY a.id LIMIT %s",
            [when, when, before["hiring_application"], scorecards],
        )
        cursor.execute(
            "INSERT INTO hiring_scorecard (interview_id, interviewer_id, profile_id, status, "
            "overall_recommendation, summary, submitted_at, revision, row_version, created_at, "
            "updated_at) SELECT i.id, %s, %s, 'submitted', 'yes', '', %s, 0, 1, %s, %s "
            "FROM hiring_interview i WHERE i.id > %s",
            [interviewer_id, profile_id, when, when, when, before["hiring_interview"]],
        )
        cursor.execute(
            "INSERT INTO hiring_rating (scorecard_id, skill_id, score, not_assessed, note) "
            "SELECT s.id, k.id, 1 + ((s.id + k.id) %% 4), %s, '' FROM hiring_scorecard s "
            "CROSS JOIN (SELECT hs.id FROM hiring_skill hs JOIN hiring_competency hc "
            "ON hs.competency_id = hc.id WHERE hc.profile_id = %s) k WHERE s.id > %s",
            [False, profile_id, before["hiring_scorecard"]],
        )
        cursor.execute("ANALYZE")
    connection.close()


def counts() -> dict:
    with connection.cursor() as cursor:
        out = {}
        for table in ("role", "candidate", "application", "interview", "scorecard", "rating"):
            cursor.execute(f"SELECT COUNT(*) FROM hiring_{table}")
            out[table] = cursor.fetchone()[0]
    connection.close()
    return out


def pages(port: int, headers: dict, *, watermark: str) -> dict:
    """Each list's first page of ``PAGE`` rows, and an ``updated_after`` sync page,
    as the integration key reads them."""
    paths = {
        f"{name}/": f"/api/v1/{name}/?page_size={PAGE}"
        for name in ("roles", "candidates", "applications", "interviews", "scorecards")
    }
    paths["scorecards/ sync (updated_after)"] = (
        f"/api/v1/scorecards/?status=submitted&ordering=updated_at&updated_after={watermark}"
        f"&page_size={PAGE}"
    )
    count = 10  # big pages: ten of each keep the whole bench within its 15 minutes
    return {
        label: summary(sequential(port, path, headers, count=count))
        for label, path in paths.items()
    }
