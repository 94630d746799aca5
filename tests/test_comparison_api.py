"""GET /api/v1/roles/{id}/comparison/ (JSON and CSV, ETag) and GET /api/v1/me/."""

import csv
import io

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from hiring import access, services
from tests import factories
from tests.factories import build_scored_role, scores


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


def as_(client, actor):
    client.force_authenticate(actor)
    return client


def url(role):
    return f"/api/v1/roles/{role.pk}/comparison/"


@pytest.fixture
def compared(role, alice, bob):
    """Ann scored by Alice and Bob on software engineering; Ben not yet."""
    ann = factories.ApplicationFactory(role=role, candidate__name="Ann")
    interview = factories.make_interview(
        application=ann, focus=["software-engineering"], interviewers=[alice, bob]
    )
    for person, values in ((alice, (3, 2, 4)), (bob, (3, 4, 4))):
        factories.submit(
            interview.scorecards.get(interviewer=person),
            recommendation="yes",
            ratings=scores(
                python_expertise=values[0],
                concurrent_services=values[1],
                testing_code_quality=values[2],
            ),
        )
    factories.ApplicationFactory(role=role, candidate__name="Ben")
    return role


# ---------------------------------------------------------------------------
# Who may read it
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "recruiter", "integration"])
def test_the_hiring_lead_recruiters_and_the_integration_key_may_compare(
    client, compared, who, request
):
    actor = access.Integration() if who == "integration" else request.getfixturevalue(who)
    response = as_(client, actor).get(url(compared))
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"role", "profile", "candidates", "interviewers", "agreement"}
    assert [c["candidate"]["name"] for c in body["candidates"]] == ["Ann", "Ben"]


@pytest.mark.parametrize("who", ["other_lead", "alice", "charlie"])
def test_everyone_else_gets_not_found(client, compared, who, request):
    # Alice is on the panel and sees the role, but comparing is the lead's job.
    response = as_(client, request.getfixturevalue(who)).get(url(compared))
    assert response.status_code == 404


def test_whoever_may_compare_a_role_also_sees_it(
    compared, ai_profile, recruiter, lead, other_lead, alice, bob, charlie
):
    """The view checks ``may_compare`` alone because it implies ``roles_for``."""
    other_role = factories.RoleFactory(profile=ai_profile, hiring_lead=other_lead)
    factories.make_interview(
        application=factories.ApplicationFactory(role=other_role), interviewers=[lead, alice]
    )
    actors = [recruiter, lead, other_lead, alice, bob, charlie, access.Integration()]
    for actor in actors:
        visible = set(access.roles_for(actor).values_list("pk", flat=True))
        for role in (compared, other_role):
            if access.may_compare(actor, role):
                assert role.pk in visible, (actor, role)


def test_a_role_that_does_not_exist_is_not_found(client, recruiter):
    assert as_(client, recruiter).get("/api/v1/roles/999999/comparison/").status_code == 404


def test_anonymous_callers_are_refused(client, compared):
    assert client.get(url(compared)).status_code == 401
    assert client.get("/api/v1/me/").status_code == 401


# ---------------------------------------------------------------------------
# JSON and CSV
# ---------------------------------------------------------------------------


def test_it_returns_the_documented_json_shape(client, compared, lead, alice, bob):
    body = as_(client, lead).get(url(compared)).json()
    assert body["role"]["id"] == compared.pk
    assert body["profile"]["slug"] == "ai-engineer"
    assert body["profile"]["version"] == 1
    assert {"key", "name", "weight"} <= set(body["profile"]["competencies"][0])
    ann = body["candidates"][0]
    assert {
        "application",
        "candidate",
        "stage",
        "scorecards",
        "recommendations",
        "competencies",
        "score",
        "calibrated_score",
        "rank",
        "calibrated_rank",
        "coverage",
        "unassessed_skills",
    } <= set(ann)
    se = next(c for c in ann["competencies"] if c["key"] == "software-engineering")
    assert (se["mean"], se["n"], se["spread"], se["disagreement"]) == (round(20 / 6, 3), 6, 2, True)
    assert ann["scorecards"] == {"submitted": 2, "pending": 0}
    assert ann["recommendations"]["yes"] == 2
    assert ann["score"] == round(20 / 6, 3)
    assert [i["email"] for i in body["interviewers"]] == [alice.email, bob.email]
    assert {"email", "ratings", "offset"} <= set(body["interviewers"][0])
    assert {"alpha", "interpretation"} <= set(body["agreement"])


def test_the_csv_has_one_row_per_candidate(client, compared, lead):
    response = as_(client, lead).get(url(compared), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="role-{compared.pk}-comparison.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["candidate"] for row in rows] == ["Ann", "Ben"]
    ann, ben = rows
    assert ann["rank"] == "1"
    assert ann["score"] == str(round(20 / 6, 3))
    assert ann["software-engineering_mean"] == str(round(20 / 6, 3))
    assert ann["system-architecture_mean"] == ""
    assert ann["scorecards_submitted"] == "2"
    assert ann["recommendation_yes"] == "2"
    assert ann["disagreement_skills"] == "concurrent-services"
    assert ann["coverage"] == str(round(3 / 28, 3))
    assert len(ann["unassessed_skills"].split()) == 25
    assert (ben["rank"], ben["score"], ben["scorecards_submitted"]) == ("", "", "0")


def test_csv_cells_never_start_a_formula(client, role, lead):
    factories.ApplicationFactory(role=role, candidate__name="=HYPERLINK(1)")
    response = as_(client, lead).get(url(role), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["candidate"] == "'=HYPERLINK(1)"


def test_errors_stay_json_when_csv_was_asked_for(client, compared, other_lead):
    response = as_(client, other_lead).get(url(compared), {"format": "csv"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


# ---------------------------------------------------------------------------
# ETag, 304 and the cache
# ---------------------------------------------------------------------------


def test_if_none_match_answers_304_from_the_etag_query_alone(
    client, compared, lead, django_assert_num_queries
):
    client = as_(client, lead)
    etag = client.get(url(compared))["ETag"]
    cache.clear()  # a 304 must not need the computed comparison at all
    # The ETag query, and what independent scoring hides from this person (none for
    # the integration key: tests/test_independence.py).
    with django_assert_num_queries(2):
        response = client.get(url(compared), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


@pytest.mark.parametrize("header", ['W/"{}"', '"other", "{}"', "*"])
def test_if_none_match_accepts_weak_lists_and_star(client, compared, lead, header):
    client = as_(client, lead)
    etag = client.get(url(compared))["ETag"].strip('"')
    response = client.get(url(compared), HTTP_IF_NONE_MATCH=header.format(etag))
    assert response.status_code == 304


def test_json_and_csv_have_different_etags(client, compared, lead):
    client = as_(client, lead)
    assert client.get(url(compared))["ETag"] != client.get(url(compared), {"format": "csv"})["ETag"]


def test_a_repeated_request_is_served_from_the_cache(
    client, compared, lead, django_assert_num_queries
):
    client = as_(client, lead)
    first = client.get(url(compared))
    with django_assert_num_queries(3):  # the ETag; what independent scoring hides; the audit event
        second = client.get(url(compared))
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def _submit_for_ben(role, p):
    ben = role.applications.get(candidate__name="Ben")
    interview = factories.make_interview(
        application=ben, focus=["software-engineering"], interviewers=[p["charlie"]]
    )
    factories.submit(interview.scorecards.get(), score=2)


def _revise_alices_scorecard(role, p):
    services.scorecard_revise(
        scorecard=p["alice"].scorecards.get(),
        by=p["alice"],
        reason="Misread my notes.",
        ratings=scores(concurrent_services=3),
    )


def _rename_ann(role, p):
    candidate = role.applications.get(candidate__name="Ann").candidate
    candidate.name = "Ann Archer"
    services.candidate_save(candidate=candidate)


def _override_a_weight(role, p):
    role.weight_overrides = {"software-engineering": 2, "system-architecture": 0}
    services.role_save(role=role)


def _reject_ben(role, p):
    application = role.applications.get(candidate__name="Ben")
    application.stage = "rejected"
    services.application_save(application=application)


def _change_alices_email(role, p):
    p["alice"].email = "alice.adams@example.com"
    p["alice"].save()


def _add_a_draft(role, p):
    ben = role.applications.get(candidate__name="Ben")
    factories.make_interview(application=ben, interviewers=[p["bob"]])


def _score_in_another_role(role, p):
    # Alice's and Bob's scores elsewhere move their offsets, so this comparison changes.
    other = factories.RoleFactory(profile=role.profile, hiring_lead=p["lead"])
    interview = factories.make_interview(
        application=factories.ApplicationFactory(role=other),
        focus=["software-engineering"],
        interviewers=[p["alice"], p["bob"]],
    )
    factories.submit(interview.scorecards.get(interviewer=p["alice"]), score=4)
    factories.submit(interview.scorecards.get(interviewer=p["bob"]), score=2)


@pytest.mark.parametrize(
    "change",
    [
        _submit_for_ben,
        _revise_alices_scorecard,
        _rename_ann,
        _override_a_weight,
        _reject_ben,
        _change_alices_email,
        _add_a_draft,
        _score_in_another_role,
    ],
)
def test_any_change_the_comparison_depends_on_changes_the_etag(
    client, compared, lead, alice, bob, charlie, change, settings
):
    # Never the previous copy while a refresh is queued (tests/test_comparison_cache.py).
    settings.COMPARISON_STALE_SECONDS = 0
    client = as_(client, lead)
    before = client.get(url(compared))
    change(compared, {"lead": lead, "alice": alice, "bob": bob, "charlie": charlie})
    after = client.get(url(compared), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    # Freshly computed, never the cached copy of the old state.
    assert after.content != before.content


@pytest.mark.parametrize("size", [1, 10, 100])
def test_the_endpoint_runs_the_same_queries_for_1_10_and_100_candidates(
    client, ai_profile, lead, size, django_assert_num_queries
):
    role = build_scored_role(profile=ai_profile, lead=lead, candidates=size, pool=6).role
    # ETag, what independent scoring hides from the lead, role, then the comparison's four,
    # and the read's audit event.
    with django_assert_num_queries(8):
        response = as_(client, lead).get(url(role))
    assert len(response.json()["candidates"]) == size


# ---------------------------------------------------------------------------
# /api/v1/me/
# ---------------------------------------------------------------------------


def test_me_says_who_the_caller_is(client, recruiter):
    body = as_(client, recruiter).get("/api/v1/me/").json()
    assert body == {
        "integration": False,
        "email": "rita@example.com",
        "name": "Rita Recruiter",
        "groups": ["Recruiters"],
    }


def test_me_recognises_the_integration_key(client):
    assert as_(client, access.Integration()).get("/api/v1/me/").json() == {"integration": True}
