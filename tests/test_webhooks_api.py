"""Webhooks through the REST API: event payloads as the API shows them to the
integration key, /api/v1/webhooks/ for recruiters and the ATS, and the
Greenhouse-shaped scorecard export."""

import json

import pytest
from django.utils import timezone

from hiring import selectors, services
from hiring.models import Rating, WebhookEndpoint, WebhookEvent
from hiring.webhooks import worker
from hiring.webhooks.delivery import sign
from tests import factories
from tests.receiver import Receiver

WEBHOOKS = "/api/v1/webhooks/"


def greenhouse_url(card=None) -> str:
    return f"/api/v1/scorecards/{card.pk}/greenhouse/" if card else "/api/v1/scorecards/greenhouse/"


@pytest.fixture
def ats(api_client):
    return api_client("integration")


@pytest.fixture
def submitted(interview, alice):
    return factories.submit(interview.scorecards.get(interviewer=alice))


# ---------------------------------------------------------------------------
# Event payloads are what the API returns to the integration key
# ---------------------------------------------------------------------------


def test_event_data_is_the_scorecard_as_the_integration_key_reads_it(ats, submitted):
    event = WebhookEvent.objects.get(type="scorecard.submitted")
    response = ats.get(f"/api/v1/scorecards/{submitted.pk}/")
    assert response.status_code == 200
    assert event.payload == response.json()


def test_feedback_complete_data_is_the_interview_and_the_application(
    ats, interview, bob, submitted
):
    factories.submit(interview.scorecards.get(interviewer=bob))
    interview_event = WebhookEvent.objects.get(type="interview.feedback_complete")
    application_event = WebhookEvent.objects.get(type="application.feedback_complete")
    assert interview_event.payload == ats.get(f"/api/v1/interviews/{interview.pk}/").json()
    assert (
        application_event.payload
        == ats.get(f"/api/v1/applications/{interview.application_id}/").json()
    )


# ---------------------------------------------------------------------------
# /api/v1/webhooks/
# ---------------------------------------------------------------------------


def test_a_recruiter_creates_an_endpoint_and_sees_its_secret_once(api_client, recruiter):
    client = api_client(recruiter)
    response = client.post(
        WEBHOOKS,
        {"url": "https://ats.example.com/hooks", "events": ["scorecard.submitted"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    secret = body["secret"]
    assert len(secret) >= 32
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert endpoint.secret == secret
    assert body["events"] == ["scorecard.submitted"]
    assert body["is_active"] is True

    shown = client.get(f"{WEBHOOKS}{endpoint.pk}/").json()
    assert "secret" not in shown
    assert all("secret" not in row for row in client.get(WEBHOOKS).json()["results"])


def test_the_integration_key_manages_endpoints(ats):
    created = ats.post(
        WEBHOOKS,
        {
            "url": "http://127.0.0.1:9000/scorecards",
            "events": ["scorecard.submitted", "scorecard.revised"],
            "secret": "a-shared-secret-of-the-ats",
            "description": "Staging ATS",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["secret"] == "a-shared-secret-of-the-ats"
    url = f"{WEBHOOKS}{created.json()['id']}/"

    patched = ats.patch(url, {"is_active": False, "events": ["scorecard.revised"]}, format="json")
    assert patched.status_code == 200
    assert patched.json()["is_active"] is False
    assert patched.json()["events"] == ["scorecard.revised"]

    # PUT replaces the endpoint; leaving the secret out keeps it.
    put = ats.put(
        url,
        {"url": "https://ats.example.com/v2", "events": ["interview.feedback_complete"]},
        format="json",
    )
    assert put.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.url == "https://ats.example.com/v2"
    assert endpoint.is_active is True and endpoint.description == ""
    assert endpoint.secret == "a-shared-secret-of-the-ats"

    rotated = ats.patch(url, {"secret": "another-secret-0123456789"}, format="json")
    assert rotated.status_code == 200 and "secret" not in rotated.json()
    endpoint.refresh_from_db()
    assert endpoint.secret == "another-secret-0123456789"

    assert ats.delete(url).status_code == 204
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "ftp://ats.example.com/x", "events": ["scorecard.submitted"]}, "url"),
        ({"url": "not a url", "events": ["scorecard.submitted"]}, "url"),
        ({"url": "https://ats.example.com/x", "events": []}, "events"),
        ({"url": "https://ats.example.com/x", "events": ["scorecard.deleted"]}, "events.0"),
        ({"url": "https://ats.example.com/x", "events": "scorecard.submitted"}, "events"),
        (
            {"url": "https://ats.example.com/x", "events": ["scorecard.submitted"], "secret": "x"},
            "secret",
        ),
        (
            {"url": "https://ats.example.com/x", "events": ["scorecard.submitted"], "id": 5},
            "id",
        ),
        ({"events": ["scorecard.submitted"]}, "url"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(ats, body, field):
    response = ats.post(WEBHOOKS, body, format="json")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert not WebhookEndpoint.objects.exists()


@pytest.fixture
def existing_endpoint(db):
    return WebhookEndpoint.objects.create(
        url="https://ats.example.com/hooks", secret="s" * 20, events=["scorecard.submitted"]
    )


@pytest.mark.parametrize("persona", ["lead", "alice"])
def test_hiring_leads_and_interviewers_neither_see_nor_change_endpoints(
    api_client, request, persona, existing_endpoint
):
    client = api_client(request.getfixturevalue(persona))
    url = f"{WEBHOOKS}{existing_endpoint.pk}/"
    listing = client.get(WEBHOOKS)
    assert listing.status_code == 200 and listing.json()["results"] == []
    assert client.get(url).status_code == 404
    assert client.patch(url, {"is_active": False}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    created = client.post(
        WEBHOOKS,
        {"url": "https://evil.example.com/", "events": ["scorecard.submitted"]},
        format="json",
    )
    assert created.status_code == 403
    assert created.json()["code"] == "permission_denied"
    existing_endpoint.refresh_from_db()
    assert existing_endpoint.is_active
    assert WebhookEndpoint.objects.count() == 1


def test_nobody_without_credentials_reaches_webhooks(api_client, existing_endpoint):
    assert api_client().get(WEBHOOKS).status_code == 401


def test_an_endpoint_made_through_the_api_gets_signed_deliveries(ats, interview, alice):
    with Receiver() as receiver:
        created = ats.post(
            WEBHOOKS, {"url": receiver.url, "events": ["scorecard.submitted"]}, format="json"
        ).json()
        factories.submit(interview.scorecards.get(interviewer=alice))
        assert worker.deliver_due() == 1
    [request] = receiver.requests
    timestamp = int(request.headers["Scorecards-Signature"].split(",")[0][2:])
    assert request.headers["Scorecards-Signature"] == sign(
        secret=created["secret"], body=request.body, timestamp=timestamp
    )
    assert json.loads(request.body)["data"]["interviewer"] == "alice@example.com"


def test_the_webhook_list_costs_the_same_at_any_page_size(
    api_client, recruiter, django_assert_num_queries
):
    client = api_client(recruiter)
    for n in range(5):
        WebhookEndpoint.objects.create(
            url=f"https://ats.example.com/{n}", secret="s" * 20, events=["scorecard.submitted"]
        )
    client.get(WEBHOOKS)  # the first use records the key's last_used_at
    for size in (1, 100):
        with django_assert_num_queries(2):  # key, endpoints
            response = client.get(f"{WEBHOOKS}?page_size={size}")
        assert len(response.json()["results"]) == min(size, 5)


# ---------------------------------------------------------------------------
# Greenhouse-shaped export
# ---------------------------------------------------------------------------


def _rate(card, scores):
    """Rate the card's focus skills with these scores in turn (None: not assessed)."""
    skills = selectors.scorecard_focus_skills(card)
    ratings = [
        services.RatingInput(
            skill=skill.key,
            score=score,
            not_assessed=score is None,
            note="" if score in (2, 3, None) else "Saw it.",
        )
        for skill, score in zip(skills, scores * len(skills), strict=False)
    ]
    return factories.submit(card, ratings=ratings, recommendation="strong_yes")


def test_a_scorecard_in_greenhouse_shape(ats, interview, alice):
    card = _rate(interview.scorecards.get(interviewer=alice), [1, 2, 3, 4, None])
    response = ats.get(greenhouse_url(card))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == card.pk
    assert body["interview"] == interview.name
    assert body["interview_step"] == {"id": interview.pk, "name": interview.name}
    assert body["candidate_id"] == interview.application.candidate_id
    assert body["application_id"] == interview.application_id
    assert body["interviewer"]["name"] == "Alice Adams"
    assert body["interviewer"]["first_name"] == "Alice"
    assert body["interviewer"]["last_name"] == "Adams"
    assert body["interviewer"]["email"] == "alice@example.com"
    assert body["submitted_by"] == body["interviewer"]
    assert body["submitted_at"] == card.submitted_at.isoformat().replace("+00:00", "Z")
    assert body["overall_recommendation"] == "strong_yes"

    ratings = Rating.objects.filter(scorecard=card).select_related("skill__competency")
    expected = {1: "definitely_not", 2: "no", 3: "yes", 4: "strong_yes", None: "no_decision"}
    assert body["attributes"] == [
        {
            "name": rating.skill.name,
            "type": rating.skill.competency.name,
            "note": rating.note or None,
            "rating": expected[rating.score],
        }
        for rating in ratings
    ]
    assert {a["rating"] for a in body["attributes"]} == set(expected.values())
    assert body["ratings"]["strong_yes"] == [r.skill.name for r in ratings if r.score == 4]
    assert body["ratings"]["mixed"] == []


def test_the_integration_key_sees_submitted_scorecards_only(ats, interview, alice, bob):
    card = factories.submit(interview.scorecards.get(interviewer=alice))
    draft = interview.scorecards.get(interviewer=bob)
    assert ats.get(greenhouse_url(draft)).status_code == 404
    assert ats.get(greenhouse_url(card)).status_code == 200
    listed = ats.get(greenhouse_url()).json()
    assert [row["id"] for row in listed["results"]] == [card.pk]
    assert set(listed) == {"next", "previous", "results"}


def test_greenhouse_visibility_follows_the_scorecard_rules(
    api_client, interview, alice, bob, other_lead, lead
):
    card = factories.submit(interview.scorecards.get(interviewer=alice))
    assert api_client(other_lead).get(greenhouse_url(card)).status_code == 404
    assert api_client(other_lead).get(greenhouse_url()).json()["results"] == []
    assert api_client(lead).get(greenhouse_url(card)).status_code == 200
    # Bob has not submitted his own yet: independent scoring hides Alice's.
    assert api_client(bob).get(greenhouse_url(card)).status_code == 404
    assert api_client().get(greenhouse_url(card)).status_code == 401


def test_the_greenhouse_list_syncs_incrementally_with_updated_after(
    ats, interview, alice, bob, charlie
):
    first = factories.submit(interview.scorecards.get(interviewer=alice))
    checkpoint = timezone.now()
    second = factories.submit(interview.scorecards.get(interviewer=bob))

    response = ats.get(greenhouse_url(), {"updated_after": checkpoint.isoformat()})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [second.pk]

    services.scorecard_revise(scorecard=first, by=alice, reason="Typo", summary="Fixed")
    response = ats.get(greenhouse_url(), {"updated_after": checkpoint.isoformat()})
    assert sorted(row["id"] for row in response.json()["results"]) == sorted([first.pk, second.pk])

    bad = ats.get(greenhouse_url(), {"updated_after": "yesterday"})
    assert bad.status_code == 400
    assert "updated_after" in bad.json()["fields"]


def test_the_greenhouse_list_costs_the_same_at_any_page_size(
    ats, role, alice, bob, django_assert_num_queries
):
    for _ in range(4):
        application = factories.ApplicationFactory(role=role)
        interview = factories.make_interview(
            application=application,
            focus=["system-architecture", "integration-rag"],
            interviewers=[alice, bob],
        )
        for card in interview.scorecards.all():
            factories.submit(card)
    ats.get(greenhouse_url())  # the first use records the key's last_used_at
    for size in (1, 100):
        # key, scorecards joined with interview, application and interviewer, ratings,
        # and one audit insert for the page
        with django_assert_num_queries(4):
            response = ats.get(f"{greenhouse_url()}?page_size={size}")
        assert len(response.json()["results"]) == min(size, 8)
