"""Scorecard writes take the same number of queries whatever the number of ratings.

Each write locks the scorecard, loads it with its ratings once, writes the ratings
in one statement and builds the webhook payload from the rows already loaded
(``hiring.services.scorecards``). These pin the counts for 3 ratings and for 28.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring import selectors, services
from hiring.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from hiring.webhooks.events import EVENT_TYPES
from tests import factories

SMALL_FOCUS = ["software-engineering"]  # 3 skills; no focus at all is all 28
SIZES = [3, 28]


@pytest.fixture
def subscribed(db):
    """An endpoint for every event, so each write also queues its deliveries."""
    return services.endpoint_save(
        endpoint=WebhookEndpoint(url="https://ats.example.com/hooks", events=list(EVENT_TYPES))
    )


@pytest.fixture(params=SIZES, ids=lambda size: f"{size}-ratings")
def card(request, role, alice, subscribed):
    """Alice's scorecard on a 3-skill or a 28-skill interview (the only one of its
    application, so submitting completes the interview and the application)."""
    focus = SMALL_FOCUS if request.param == 3 else None
    interview = factories.make_interview(
        application=factories.ApplicationFactory(role=role), focus=focus, interviewers=[alice]
    )
    made = interview.scorecards.get()
    assert len(selectors.scorecard_focus_skills(made)) == request.param
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


def url(card, action=""):
    return f"/api/v1/scorecards/{card.pk}/" + (f"{action}/" if action else "")


# Counted inside the test's transaction, so each service's atomic block is a
# savepoint here (two queries) where production opens a transaction (BEGIN and
# COMMIT, which Django's query log does not list).


def test_a_draft_edit_takes_the_same_queries_for_3_or_28_ratings(
    api_client, alice, card, django_assert_num_queries
):
    as_alice = warmed_up(api_client(alice))
    body = {"ratings": ratings_body(card)}
    # the key, find the card, savepoint, lock and load it, its ratings, the profile's
    # skills, one upsert of the ratings, the card, its audit event, release
    with django_assert_num_queries(10):
        response = as_alice.patch(url(card), body)
    assert response.status_code == 200, response.content
    assert [r["score"] for r in response.json()["ratings"]] == [3] * len(body["ratings"])
    assert card.ratings.filter(score=3).count() == len(body["ratings"])


def test_submitting_takes_the_same_queries_for_3_or_28_ratings(
    api_client, alice, card, django_assert_num_queries
):
    as_alice = warmed_up(api_client(alice))
    services.scorecard_save_draft(
        scorecard=card,
        by=alice,
        ratings=factories.complete_ratings(card),
        overall_recommendation="yes",
    )
    # the key, find, savepoint, lock + load (2), focus skills, the card; whether the
    # panel is complete, the interview's payload (3), whether the application is and its
    # current decision (for its payload); the three events (submitted, interview and
    # application complete) in one insert, the endpoints, their deliveries in one
    # insert; the role's comparison queued for the background worker; the audit event;
    # release
    with django_assert_num_queries(19):
        response = as_alice.post(url(card, "submit"), {})
    assert response.status_code == 200, response.content
    assert card.interview.application.interviews.get().pk == card.interview_id
    types = sorted(delivery.event.type for delivery in subscribed_deliveries())
    assert types == sorted(
        ["scorecard.submitted", "interview.feedback_complete", "application.feedback_complete"]
    )


def test_revising_takes_the_same_queries_for_3_or_28_ratings(
    api_client, alice, card, django_assert_num_queries
):
    as_alice = warmed_up(api_client(alice))
    factories.submit(card)
    body = {"reason": "Misread my notes.", "ratings": ratings_body(card, score=2)}
    # the key, find, savepoint, lock + load (2), skills, upsert, focus skills, the
    # revision, the card, the event with its endpoints and deliveries (3), the
    # comparison queued, the audit event, release
    with django_assert_num_queries(16):
        response = as_alice.post(url(card, "revise"), body)
    assert response.status_code == 200, response.content
    payload = WebhookEvent.objects.get(type="scorecard.revised").payload
    assert payload == response.json()
    assert [r["score"] for r in payload["ratings"]] == [2] * len(body["ratings"])


def test_the_scorecard_form_saves_with_the_same_queries_for_3_or_28_ratings(
    client, alice, card, django_assert_num_queries
):
    client.force_login(alice)
    form = {"row_version": card.row_version, "overall_recommendation": "yes"}
    for skill in selectors.scorecard_focus_skills(card):
        form[f"score-{skill.key}"] = "3"
        form[f"note-{skill.key}"] = "Seen."
    with django_assert_num_queries(14):  # with the audit event
        response = client.post(reverse("hiring:scorecard", args=[card.pk]), form)
    assert response.status_code == 302


def subscribed_deliveries():
    return WebhookDelivery.objects.select_related("event")


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
    # With the audit event and the candidate (is it erased?).
    assert counts == {2: 27, 5: 27}


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
    # its weights against the profile and reads the salary bands once for the page. The
    # pipeline's writes and the webhook endpoint's record an audit event (the pipeline's in a
    # savepoint of their own); the application's re-read brings its current decision.
    assert counts == {"role": 14, "candidate": 8, "application": 15, "webhook": 5}
