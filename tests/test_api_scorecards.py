"""Interviewers fill in, submit and correct scorecards through the API, with ETags
guarding against lost updates."""

import pytest

from hiring import selectors, services
from hiring.models import Scorecard, ScorecardRevision
from tests import factories


@pytest.fixture
def card(interview, alice):
    return interview.scorecards.get(interviewer=alice)


@pytest.fixture
def as_alice(api_client, alice):
    return api_client(alice)


def url(card, action=""):
    return f"/api/v1/scorecards/{card.pk}/" + (f"{action}/" if action else "")


def complete_ratings(card, score=3):
    return [
        {"skill": skill.key, "score": score, "note": "Walked through the design."}
        for skill in selectors.scorecard_focus_skills(card)
    ]


def test_it_saves_a_draft_and_shows_it_back(as_alice, card):
    skill = selectors.scorecard_focus_skills(card)[0]
    response = as_alice.patch(
        url(card),
        {"ratings": [{"skill": skill.key, "score": 2, "note": "Some gaps."}], "summary": "Solid."},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "draft"
    assert body["summary"] == "Solid."
    assert body["ratings"] == [
        {"skill": skill.key, "score": 2, "not_assessed": False, "note": "Some gaps."}
    ]
    assert body["profile"] == {"slug": "ai-engineer", "version": 1}
    assert body["interviewer"] == "alice@example.com"
    assert body["application"] == card.interview.application_id


def test_a_null_score_means_not_assessed(as_alice, card):
    skill = selectors.scorecard_focus_skills(card)[0]
    response = as_alice.patch(url(card), {"ratings": [{"skill": skill.key, "score": None}]})
    assert response.json()["ratings"][0]["not_assessed"] is True
    assert card.ratings.get().not_assessed


def test_submitting_an_incomplete_scorecard_lists_every_unmet_requirement(as_alice, card):
    skills = selectors.scorecard_focus_skills(card)
    as_alice.patch(url(card), {"ratings": [{"skill": skills[0].key, "score": 4, "note": ""}]})

    response = as_alice.post(url(card, "submit"))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    card.refresh_from_db()
    assert body["fields"] == services.scorecard_unmet_requirements(card)
    assert set(body["fields"]) == {f"ratings.{s.key}" for s in skills} | {"overall_recommendation"}
    assert "evidence" in body["fields"][f"ratings.{skills[0].key}"][0]
    assert card.status == "draft"


def test_it_submits_a_complete_scorecard(as_alice, card):
    as_alice.patch(url(card), {"ratings": complete_ratings(card), "overall_recommendation": "yes"})
    response = as_alice.post(url(card, "submit"))
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["submitted_at"]
    card.refresh_from_db()
    assert card.is_submitted


def test_a_submitted_scorecard_cannot_be_patched(as_alice, card):
    factories.submit(card)
    response = as_alice.patch(url(card), {"summary": "Changed my mind."})
    assert response.status_code == 400
    assert "status" in response.json()["fields"]


@pytest.mark.parametrize(
    ("rating", "field"),
    [
        ({"skill": "no-such-skill", "score": 3}, "ratings.no-such-skill"),
        ({"skill": "{skill}", "score": 5}, "ratings.0.score"),
        ({"skill": "{skill}", "score": "3"}, "ratings.0.score"),
        ({"skill": "{skill}", "score": 3, "colour": "red"}, "ratings.0.colour"),
        ({"skill": "{skill}", "score": 2, "not_assessed": True}, "ratings.0.not_assessed"),
    ],
)
def test_it_refuses_bad_ratings_with_the_field_path(as_alice, card, rating, field):
    skill = selectors.scorecard_focus_skills(card)[0].key
    rating = {k: v.format(skill=skill) if isinstance(v, str) else v for k, v in rating.items()}
    response = as_alice.patch(url(card), {"ratings": [rating]})
    assert response.status_code == 400
    assert field.format(skill=skill) in response.json()["fields"]
    assert not card.ratings.exists()


# ---------------------------------------------------------------------------
# ETag / If-Match
# ---------------------------------------------------------------------------


def test_responses_carry_an_etag_from_the_row_version(as_alice, card):
    response = as_alice.get(url(card))
    assert response["ETag"] == f'"{card.pk}-{card.row_version}"'
    patched = as_alice.patch(url(card), {"summary": "x"})
    card.refresh_from_db()
    assert patched["ETag"] == f'"{card.pk}-{card.row_version}"' != response["ETag"]


def test_a_patch_with_the_current_etag_succeeds(as_alice, card):
    etag = as_alice.get(url(card))["ETag"]
    response = as_alice.patch(url(card), {"summary": "Fresh."}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200


def test_a_patch_with_a_stale_etag_gets_412_and_changes_nothing(as_alice, card):
    stale = as_alice.get(url(card))["ETag"]
    as_alice.patch(url(card), {"summary": "First edit."}, HTTP_IF_MATCH=stale)
    version = Scorecard.objects.get(pk=card.pk).row_version

    response = as_alice.patch(url(card), {"summary": "Lost update."}, HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    card.refresh_from_db()
    assert (card.summary, card.row_version) == ("First edit.", version)


def test_a_submit_with_a_stale_etag_gets_412_and_stays_a_draft(as_alice, card):
    stale = as_alice.get(url(card))["ETag"]
    as_alice.patch(url(card), {"ratings": complete_ratings(card), "overall_recommendation": "yes"})
    response = as_alice.post(url(card, "submit"), HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    card.refresh_from_db()
    assert card.status == "draft"


@pytest.mark.parametrize("if_match", ["*", '"0-0", {etag}'])
def test_if_match_accepts_a_wildcard_or_a_list_of_etags(as_alice, card, if_match):
    etag = as_alice.get(url(card))["ETag"]
    response = as_alice.patch(url(card), {"summary": "x"}, HTTP_IF_MATCH=if_match.format(etag=etag))
    assert response.status_code == 200


def test_another_scorecards_etag_does_not_match(as_alice, card, interview, bob):
    bobs = interview.scorecards.get(interviewer=bob)
    response = as_alice.patch(
        url(card), {"summary": "x"}, HTTP_IF_MATCH=f'"{bobs.pk}-{card.row_version}"'
    )
    assert response.status_code == 412


# ---------------------------------------------------------------------------
# Revisions
# ---------------------------------------------------------------------------


def test_it_revises_a_submitted_scorecard_with_a_reason(as_alice, card, alice):
    factories.submit(card)
    response = as_alice.post(
        url(card, "revise"), {"reason": "Mixed up two candidates.", "summary": "Corrected."}
    )
    assert response.status_code == 200
    assert response.json()["revision"] == 1
    assert response.json()["summary"] == "Corrected."
    revision = ScorecardRevision.objects.get(scorecard=card)
    assert (revision.reason, revision.revised_by) == ("Mixed up two candidates.", alice)


def test_a_revision_needs_a_reason(as_alice, card):
    factories.submit(card)
    response = as_alice.post(url(card, "revise"), {"summary": "Corrected."})
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


def test_a_revision_that_breaks_a_submission_rule_changes_nothing(as_alice, card):
    factories.submit(card)
    skill = selectors.scorecard_focus_skills(card)[0]
    response = as_alice.post(
        url(card, "revise"),
        {"reason": "Harsher.", "ratings": [{"skill": skill.key, "score": 1, "note": ""}]},
    )
    assert response.status_code == 400
    assert f"ratings.{skill.key}" in response.json()["fields"]
    card.refresh_from_db()
    assert card.revision == 0
    assert card.ratings.get(skill=skill).score == 3


# ---------------------------------------------------------------------------
# Independent scoring, seen from the interviewer's side
# ---------------------------------------------------------------------------


def test_an_interviewer_sees_colleagues_scorecards_only_after_submitting(
    as_alice, card, interview, bob
):
    bobs = interview.scorecards.get(interviewer=bob)
    factories.submit(bobs)

    before = {row["id"] for row in as_alice.get("/api/v1/scorecards/").json()["results"]}
    assert before == {card.pk}
    assert as_alice.get(url(bobs)).status_code == 404

    as_alice.patch(url(card), {"ratings": complete_ratings(card), "overall_recommendation": "no"})
    as_alice.post(url(card, "submit"))

    after = {row["id"] for row in as_alice.get("/api/v1/scorecards/").json()["results"]}
    assert after == {card.pk, bobs.pk}
