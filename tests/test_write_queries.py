"""Scorecard writes take the same number of queries whatever the number of ratings.

Each write locks the scorecard, loads it with its ratings once, writes the ratings
in one statement and builds the webhook payload from the rows already loaded
(``hiring.services.scorecards``). These pin the counts for 5 ratings and for 28.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring import selectors, services
from hiring.models import WebhookEndpoint
from hiring.webhooks.events import EVENT_TYPES
from tests import factories

SMALL_FOCUS = ["system-architecture"]  # 5 skills; no focus at all is all 28


@pytest.fixture
def subscribed(db):
    """An endpoint for every event, so each write also queues its deliveries."""
    return services.endpoint_save(
        endpoint=WebhookEndpoint(url="https://ats.example.com/hooks", events=list(EVENT_TYPES))
    )


@pytest.fixture
def cards(role, alice, subscribed):
    """Alice's scorecards on a 5-skill interview and a 28-skill one (each the only one
    of its application, so submitting completes the interview and the application)."""
    made = {}
    for size, focus in ((5, SMALL_FOCUS), (28, None)):
        interview = factories.make_interview(
            application=factories.ApplicationFactory(role=role), focus=focus, interviewers=[alice]
        )
        made[size] = interview.scorecards.get()
        assert len(selectors.scorecard_focus_skills(made[size])) == size
    return made


def ratings_body(card, score=3):
    return [
        {"skill": skill.key, "score": score, "note": "Walked through it."}
        for skill in selectors.scorecard_focus_skills(card)
    ]


def warmed_up(client):
    """The first request of a key also records its use; count the ones after it."""
    assert client.get("/api/v1/me/").status_code == 200
    return client


def queries(send, path, body) -> int:
    """How many queries one request takes (it must succeed)."""
    with CaptureQueriesContext(connection) as captured:
        response = send(path, body)
    assert response.status_code == 200, response.content
    return len(captured)


def url(card, action=""):
    return f"/api/v1/scorecards/{card.pk}/" + (f"{action}/" if action else "")


def test_a_draft_edit_takes_as_many_queries_for_28_ratings_as_for_5(api_client, alice, cards):
    as_alice = warmed_up(api_client(alice))
    counts = {
        size: queries(as_alice.patch, url(card), {"ratings": ratings_body(card)})
        for size, card in cards.items()
    }
    # the key, find the card, savepoint, lock and load it, its ratings, the profile's
    # skills, one upsert of the ratings, the ratings again, the card, release
    assert counts == {5: 10, 28: 10}


def test_submitting_takes_as_many_queries_for_28_ratings_as_for_5(api_client, alice, cards):
    as_alice = warmed_up(api_client(alice))
    for card in cards.values():
        services.scorecard_save_draft(
            scorecard=card,
            by=alice,
            ratings=factories.complete_ratings(card),
            overall_recommendation="yes",
        )
    counts = {size: queries(as_alice.post, url(card, "submit"), {}) for size, card in cards.items()}
    # the key, find, savepoint, lock + load (2), focus skills, the card; then three events
    # (scorecard submitted, interview and application complete), each an insert, the
    # endpoints and their deliveries; the panel's statuses, the interview's payload (3),
    # whether the application is complete, its current decision (for its payload); release
    assert counts == {5: 23, 28: 23}


def test_revising_takes_as_many_queries_for_28_ratings_as_for_5(api_client, alice, cards):
    as_alice = warmed_up(api_client(alice))
    for card in cards.values():
        factories.submit(card)
    counts = {
        size: queries(
            as_alice.post,
            url(card, "revise"),
            {"reason": "Misread my notes.", "ratings": ratings_body(card, score=2)},
        )
        for size, card in cards.items()
    }
    # the key, find, savepoint, lock + load (2), skills, upsert, ratings again, focus
    # skills, the revision, the card, the event with its deliveries (3), release
    assert counts == {5: 15, 28: 15}


def test_the_scorecard_form_saves_as_many_queries_for_28_ratings_as_for_5(client, alice, cards):
    client.force_login(alice)
    counts = {}
    for size, card in cards.items():
        form = {"row_version": card.row_version, "overall_recommendation": "yes"}
        for skill in selectors.scorecard_focus_skills(card):
            form[f"score-{skill.key}"] = "3"
            form[f"note-{skill.key}"] = "Seen."
        with CaptureQueriesContext(connection) as captured:
            response = client.post(reverse("hiring:scorecard", args=[card.pk]), form)
        assert response.status_code == 302
        counts[size] = len(captured)
    assert counts == {5: 13, 28: 13}


# ---------------------------------------------------------------------------
# The ATS's writes
# ---------------------------------------------------------------------------


def created(send, path, body) -> int:
    """How many queries one create takes (it must succeed)."""
    with CaptureQueriesContext(connection) as captured:
        response = send(path, body, format="json")
    assert response.status_code == 201, response.content
    return len(captured)


def test_creating_an_interview_takes_as_many_queries_for_a_panel_of_five_as_of_two(
    api_client, role, alice, bob, charlie
):
    ats = warmed_up(api_client("integration"))
    # Each panel has people to invite: they are created in the same few statements.
    small = {
        "interviewers": ["alice@example.com", "new.one@example.com"],
        "focus_competencies": ["system-architecture"],
    }
    large = {
        "interviewers": [
            "ALICE@example.com",
            "bob@example.com",
            "charlie@example.com",
            "new.two@example.com",
            "new.three@example.com",
        ],
        "focus_competencies": ["system-architecture", "integration-rag", "cost-performance"],
    }
    counts = {}
    for size, panel in ((2, small), (5, large)):
        application = factories.ApplicationFactory(role=role)
        body = {"application": application.pk, "name": "Systems", **panel}
        counts[size] = created(ats.post, "/api/v1/interviews/", body)
        assert application.interviews.get().scorecards.count() == size
    assert counts == {2: 25, 5: 25}


def test_each_resource_create_takes_a_fixed_number_of_queries(api_client, role, lead):
    ats = warmed_up(api_client("integration"))
    candidate = {"name": "Ann Example", "email": "ann@example.com"}
    counts = {
        "role": created(
            ats.post,
            "/api/v1/roles/",
            {"title": "Search", "profile": "ai-engineer", "hiring_lead": lead.email},
        ),
        "candidate": created(ats.post, "/api/v1/candidates/", candidate),
        "application": created(
            ats.post,
            "/api/v1/applications/",
            {"role": role.pk, "candidate": factories.CandidateFactory().pk},
        ),
        "webhook": created(
            ats.post,
            "/api/v1/webhooks/",
            {"url": "https://ats.example.com/in", "events": ["scorecard.submitted"]},
        ),
    }
    # Each: the key, the serializer's lookups and uniqueness checks, the model's own
    # validation (full_clean), the insert, the response's re-read; the role also checks
    # its weights against the profile and reads the salary bands once for the page; the
    # application's re-read brings its current decision.
    assert counts == {"role": 13, "candidate": 5, "application": 12, "webhook": 4}
