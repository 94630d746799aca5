"""The incremental sync of ``scorecards/`` reads an index that matches its filter and
its cursor order, not the whole table (PostgreSQL's planner, asked with EXPLAIN, on
enough rows that reading them all would cost it more)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from hiring.models import Scorecard
from tests.factories import build_scored_role

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL's planner"),
]

START = datetime(2026, 1, 1, tzinfo=UTC)


def plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def test_the_scorecards_sync_page_reads_the_status_and_updated_at_index(
    api_client, ai_profile, lead
):
    # 2,400 scorecards, updated a minute apart over ~40 hours; the sync asks for the
    # last few hours, as a client polling every few minutes would.
    build_scored_role(profile=ai_profile, lead=lead, candidates=600, panel=4, pool=8)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE hiring_scorecard SET updated_at = %s + (id * interval '1 minute')", [START]
        )
        cursor.execute("ANALYZE")  # as autovacuum would
    assert Scorecard.objects.count() >= 2400
    last = Scorecard.objects.aggregate(last=Max("id"))["last"]  # ids need not start at 1
    watermark = (START + timedelta(minutes=last - 120)).isoformat().replace("+00:00", "Z")

    ats = api_client("integration")
    with CaptureQueriesContext(connection) as captured:
        response = ats.get(
            "/api/v1/scorecards/",
            {
                "status": "submitted",
                "ordering": "updated_at",
                "updated_after": watermark,
                "page_size": 500,
            },
        )
    assert response.status_code == 200
    assert 100 <= len(response.json()["results"]) <= 125
    [page_sql] = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT")
        and 'FROM "hiring_scorecard"' in q["sql"]
        and "LIMIT" in q["sql"]
    ]

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + page_sql)
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    nodes = list(plan_nodes(plan))
    scans = [n["Node Type"] for n in nodes if n.get("Relation Name") == "hiring_scorecard"]
    assert scans and "Seq Scan" not in scans, nodes
    # The rows come out of an index on (…, updated_at, id): the filter's and the
    # cursor's columns.
    indexes = {n.get("Index Name") for n in nodes}
    assert indexes & {"scorecard_status_updated_idx", "scorecard_updated_idx"}, nodes
