"""Lists: cursor pagination, filters, ordering, incremental sync and query counts."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from hiring.models import Candidate, Scorecard
from tests import factories


@pytest.fixture
def ats(api_client):
    return api_client("integration")


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_cursor_pages_cover_every_row_once_in_both_directions(ats, db):
    made = [factories.CandidateFactory().pk for _ in range(7)]
    seen, url, pages = [], "/api/v1/candidates/?page_size=3", []
    while url:
        response = ats.get(url)
        assert response.status_code == 200
        pages.append(response.json())
        seen += ids(response)
        url = response.json()["next"]
    assert seen == sorted(made)
    assert [len(page["results"]) for page in pages] == [3, 3, 1]
    back = ats.get(pages[-1]["previous"])
    assert ids(back) == sorted(made)[3:6]


def test_pages_stay_stable_when_rows_are_added_meanwhile(ats, db):
    first = [factories.CandidateFactory().pk for _ in range(4)]
    page = ats.get("/api/v1/candidates/?page_size=2").json()
    newer = factories.CandidateFactory().pk
    rest = ats.get(page["next"]).json()
    assert [row["id"] for row in page["results"] + rest["results"]] == first[:2] + first[2:]
    assert ats.get(rest["next"]).json()["results"][0]["id"] == newer


@pytest.mark.parametrize("size", ["0", "501", "-1", "abc", "5.0", "1_0", ""])
def test_page_size_must_be_1_to_500(ats, db, size):
    response = ats.get(f"/api/v1/candidates/?page_size={size}")
    assert response.status_code == 400
    assert "page_size" in response.json()["fields"]


def test_page_size_500_is_allowed(ats, db):
    assert ats.get("/api/v1/candidates/?page_size=500").status_code == 200


def cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("ordering", "raw_cursor"),
    [
        ("id", "%%%not-base64"),
        ("id", cursor("p=not-a-number")),
        ("updated_at", cursor("p=yesterday")),
        ("updated_at", cursor("p=9999-12-31 23:59:59-05:00")),
        ("id", cursor("o=-5&r=maybe")),
        ("updated_at", cursor("p=2026-01-01 10:00:00+17:26")),
    ],
)
def test_a_bad_cursor_is_a_404_not_a_crash(ats, db, ordering, raw_cursor):
    factories.CandidateFactory()
    response = ats.get(f"/api/v1/candidates/?ordering={ordering}&cursor={raw_cursor}")
    assert response.status_code == 404
    assert response.json()["code"] == "invalid_cursor"


def test_ordering_by_a_listed_field(ats, db):
    made = [factories.CandidateFactory(name=name).pk for name in ["Cy", "Al", "Bo"]]
    assert ids(ats.get("/api/v1/candidates/?ordering=name")) == [made[1], made[2], made[0]]
    assert ids(ats.get("/api/v1/candidates/?ordering=-id")) == sorted(made, reverse=True)


@pytest.mark.parametrize("ordering", ["email", "name,id", "", "-"])
def test_ordering_by_anything_else_is_refused(ats, db, ordering):
    response = ats.get(f"/api/v1/candidates/?ordering={ordering}")
    assert response.status_code == 400
    assert "ordering" in response.json()["fields"]


@pytest.mark.parametrize(
    "query",
    [
        "role=abc",
        "role=0",
        "role=99999999999999999999999",
        "role=",
        "status=hired-ish",
        "decision=maybe",
        "stage=" + "x" * 121,
        "updated_after=yesterday",
        "updated_after=",
        "candidate=1&candidate=2",
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(ats, application, query):
    response = ats.get(f"/api/v1/applications/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["fields"]


def test_scorecards_filter_by_interviewer_status_role_and_application(ats, interview, alice, bob):
    alices = interview.scorecards.get(interviewer=alice)
    bobs = interview.scorecards.get(interviewer=bob)
    factories.submit(alices)
    factories.submit(bobs)
    application = interview.application
    assert ids(ats.get("/api/v1/scorecards/?interviewer=alice@example.com")) == [alices.pk]
    assert set(ids(ats.get("/api/v1/scorecards/?status=submitted"))) == {alices.pk, bobs.pk}
    assert set(ids(ats.get(f"/api/v1/scorecards/?role={application.role_id}"))) == {
        alices.pk,
        bobs.pk,
    }
    assert ids(ats.get(f"/api/v1/scorecards/?application={application.pk + 1}")) == []


def test_the_ats_pulls_submitted_scorecards_incrementally(ats, interview, alice, bob):
    """The sync loop: remember the newest updated_at seen, ask for what changed after it."""
    alices = interview.scorecards.get(interviewer=alice)
    factories.submit(alices)
    first = ats.get("/api/v1/scorecards/?status=submitted&ordering=updated_at").json()["results"]
    assert [row["id"] for row in first] == [alices.pk]
    watermark = first[-1]["updated_at"]

    assert ids(ats.get(f"/api/v1/scorecards/?updated_after={watermark}")) == []

    bobs = interview.scorecards.get(interviewer=bob)
    factories.submit(bobs)
    changed = ats.get(
        "/api/v1/scorecards/",
        {"status": "submitted", "ordering": "updated_at", "updated_after": watermark},
    )
    assert ids(changed) == [bobs.pk]


def test_updated_after_finds_only_rows_changed_since(ats, db):
    old = factories.CandidateFactory()
    Candidate.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    fresh = factories.CandidateFactory()
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(ats.get("/api/v1/candidates/", {"updated_after": since})) == [fresh.pk]


@pytest.mark.parametrize(
    "since",
    ["0837-07-24T08:32:06.1+17:26", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"],
)
def test_updated_after_takes_any_offset_and_any_year(ats, db, since):
    """PostgreSQL refuses offsets beyond 15:59; years 1 and 9999 overflow once in UTC."""
    made = factories.CandidateFactory()
    response = ats.get("/api/v1/candidates/", {"updated_after": since})
    assert response.status_code == 200
    assert ids(response) == ([made.pk] if since.startswith("0") else [])


# ---------------------------------------------------------------------------
# Query counts: the same at page size 1 and 100, so lists never go N+1
# ---------------------------------------------------------------------------


@pytest.fixture
def busy(interview, application, alice, bob, charlie, ml_profile, lead):
    """Several rows with every relation a list shows, so N+1 queries would show."""
    for _ in range(3):
        role = factories.RoleFactory(profile=ml_profile, hiring_lead=lead, level="junior")
        other = factories.ApplicationFactory(role=role)
        made = factories.make_interview(
            application=other, focus=["modelling", "mlops"], interviewers=[alice, bob, charlie]
        )
        for card in made.scorecards.all()[:2]:
            factories.submit(card)
    assert Scorecard.objects.count() == 11


# key lookup + the page (+ one query per prefetched relation, or the salary bands)
QUERIES = {
    "profiles": 6,  # key, profiles, competencies, skills, questions, work samples
    "roles": 3,  # key, roles joined with profile and lead, salary bands
    "candidates": 2,
    "applications": 3,  # key, applications, their current decisions (with who decided)
    "interviews": 4,  # key, interviews, focus competencies, panel
    # key, scorecards joined with interview/interviewer/profile, ratings, the read's audit
    "scorecards": 4,
}


@pytest.mark.parametrize("resource", QUERIES)
def test_list_query_count_does_not_grow_with_the_page(
    api_client, recruiter, busy, resource, django_assert_num_queries
):
    client = api_client(recruiter)
    client.get(f"/api/v1/{resource}/")  # the first use records the key's last_used_at
    shown = {}
    for size in (1, 100):
        with django_assert_num_queries(QUERIES[resource]):
            response = client.get(f"/api/v1/{resource}/?page_size={size}")
        shown[size] = len(response.json()["results"])
    assert shown[1] == 1
    assert shown[100] > 1


@pytest.mark.parametrize("resource", ["interviews", "scorecards"])
def test_an_interviewers_lists_cost_the_same_queries(
    api_client, alice, busy, resource, django_assert_num_queries
):
    client = api_client(alice)
    client.get(f"/api/v1/{resource}/")
    for size in (1, 100):
        with django_assert_num_queries(QUERIES[resource]):
            client.get(f"/api/v1/{resource}/?page_size={size}")
