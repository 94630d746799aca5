"""Hiring decisions: each value, the override rule, who decides, the history, the
application's status and current decision, idempotency, the webhook through a real
receiver, and what they cost in queries."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hiring import services
from hiring.models import Decision, DecisionValue, Scorecard, WebhookEndpoint, WebhookEvent
from hiring.webhooks import worker
from tests import factories
from tests.receiver import Receiver

RATIONALE = "Strong system design; the panel's concerns were about tooling only."


@pytest.fixture
def ats(api_client):
    return api_client("integration")


@pytest.fixture
def panel(interview, alice, bob):
    """Alice's and Bob's scorecards, by person."""
    return {card.interviewer: card for card in Scorecard.objects.filter(interview=interview)}


def both_submit(panel, alice, bob, alice_says, bob_says):
    factories.submit(panel[alice], score=3, recommendation=alice_says)
    factories.submit(panel[bob], score=2, recommendation=bob_says)


def decide(client, application, **body):
    body.setdefault("rationale", RATIONALE)
    return client.post(f"/api/v1/applications/{application.pk}/decisions/", body, format="json")


# ---------------------------------------------------------------------------
# The override rule, in one place
# ---------------------------------------------------------------------------


def tally(**counts):
    return {"definitely_not": 0, "no": 0, "yes": 0, "strong_yes": 0, "no_decision": 0, **counts}


@pytest.mark.parametrize(
    ("decision", "recommendations", "pending", "grounds"),
    [
        # hire / advance against a strict majority of no / definitely_not
        ("hire", tally(no=2, yes=1), 0, ["against_majority"]),
        ("advance", tally(definitely_not=1, no=1), 0, ["against_majority"]),
        ("hire", tally(no=1, yes=1), 0, []),  # a split panel has no majority
        ("hire", tally(no=2, yes=1, no_decision=1), 0, []),  # 2 of 4 is not more than half
        ("hire", tally(no=2, no_decision=1), 0, ["against_majority"]),  # 2 of 3 is
        ("hire", tally(yes=3), 0, []),
        # reject against a strict majority of yes / strong_yes
        ("reject", tally(yes=1, strong_yes=1, no=1), 0, ["against_majority"]),
        ("reject", tally(no=3), 0, []),
        ("reject", tally(yes=1, no=1), 0, []),
        # hold never goes against the majority
        ("hold", tally(strong_yes=3), 0, []),
        ("hold", tally(no=3), 0, []),
        # any decision while scorecards are pending
        ("hold", tally(), 1, ["pending_scorecards"]),
        ("hire", tally(yes=2), 1, ["pending_scorecards"]),
        ("reject", tally(strong_yes=2), 2, ["against_majority", "pending_scorecards"]),
        # nothing submitted, nothing pending: no panel to go against
        ("hire", tally(), 0, []),
    ],
)
def test_it_knows_when_a_decision_overrides_the_panel(decision, recommendations, pending, grounds):
    assert (
        services.decision_override_grounds(
            decision=decision, recommendations=recommendations, pending=pending
        )
        == grounds
    )


# ---------------------------------------------------------------------------
# Recording decisions through the API
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [("advance", "active"), ("hire", "hired"), ("reject", "rejected"), ("hold", "active")],
)
def test_each_decision_is_recorded_with_its_snapshot_and_sets_the_status(
    api_client, lead, application, panel, alice, bob, value, status
):
    both_submit(panel, alice, bob, "yes", "no")  # split: nothing to override
    comparison = api_client(lead).get(f"/api/v1/roles/{application.role_id}/comparison/")
    row = next(c for c in comparison.json()["candidates"] if c["application"] == application.pk)

    response = decide(api_client(lead), application, decision=value)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["decision"] == value
    assert body["rationale"] == RATIONALE
    assert body["override_reason"] == ""
    assert body["is_override"] is False
    assert body["decided_by"] == "lee@example.com"
    assert body["snapshot"] == {
        "comparison_etag": comparison["ETag"],
        "score": row["score"],
        "calibrated_score": row["calibrated_score"],
        "calibrated_rank": row["calibrated_rank"],
        "recommendations": row["recommendations"],
        "scorecards": {"submitted": 2, "pending": 0},
    }
    application.refresh_from_db()
    assert application.status == status
    shown = api_client(lead).get(f"/api/v1/applications/{application.pk}/").json()
    assert shown["status"] == status
    assert shown["decision"] == body


def test_hiring_against_the_panels_majority_needs_an_override_reason(
    api_client, lead, application, panel, alice, bob
):
    both_submit(panel, alice, bob, "no", "definitely_not")
    as_lead = api_client(lead)

    refused = decide(as_lead, application, decision="hire")
    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["override_reason"]
    assert "overrides the panel" in refused.json()["fields"]["override_reason"][0]
    assert not Decision.objects.exists()

    blank = decide(as_lead, application, decision="hire", override_reason="   ")
    assert blank.status_code == 400
    assert list(blank.json()["fields"]) == ["override_reason"]

    kept = decide(as_lead, application, decision="hire", override_reason="Tooling is teachable.")
    assert kept.status_code == 201
    assert kept.json()["is_override"] is True
    assert kept.json()["override_reason"] == "Tooling is teachable."


def test_rejecting_against_a_positive_majority_is_an_override(
    api_client, recruiter, application, panel, alice, bob
):
    both_submit(panel, alice, bob, "strong_yes", "yes")
    assert decide(api_client(recruiter), application, decision="reject").status_code == 400
    response = decide(
        api_client(recruiter), application, decision="reject", override_reason="Budget frozen."
    )
    assert response.status_code == 201
    assert response.json()["is_override"] is True
    assert response.json()["decided_by"] == "rita@example.com"


def test_a_decision_while_scorecards_are_pending_is_an_override(
    api_client, lead, application, panel, alice
):
    factories.submit(panel[alice], recommendation="yes")  # Bob's is still a draft
    refused = decide(api_client(lead), application, decision="advance")
    assert refused.status_code == 400
    assert "still pending" in refused.json()["fields"]["override_reason"][0]

    response = decide(
        api_client(lead), application, decision="advance", override_reason="Bob is on leave."
    )
    assert response.status_code == 201
    assert response.json()["is_override"] is True
    assert response.json()["snapshot"]["scorecards"] == {"submitted": 1, "pending": 1}


def test_a_decision_with_the_panel_is_not_flagged_and_may_still_carry_a_reason(
    api_client, lead, application, panel, alice, bob
):
    both_submit(panel, alice, bob, "yes", "strong_yes")
    response = decide(api_client(lead), application, decision="hire", override_reason="Noted.")
    assert response.status_code == 201
    assert response.json()["is_override"] is False
    assert response.json()["override_reason"] == "Noted."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "hire", "rationale": ""}, "rationale"),
        ({"decision": "hire", "rationale": "   "}, "rationale"),
        ({"decision": "hire"}, "rationale"),
        ({"decision": "maybe", "rationale": RATIONALE}, "decision"),
        ({"rationale": RATIONALE}, "decision"),
        ({"decision": "hire", "rationale": RATIONALE, "decided_by": "x@example.com"}, "decided_by"),
        ({"decision": "hire", "rationale": "x" * 5001}, "rationale"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    api_client, lead, application, panel, alice, bob, body, field
):
    both_submit(panel, alice, bob, "yes", "yes")
    response = api_client(lead).post(
        f"/api/v1/applications/{application.pk}/decisions/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Decision.objects.exists()


def test_the_history_is_newest_first_and_the_latest_is_current(
    api_client, lead, ats, application, panel, alice, bob
):
    both_submit(panel, alice, bob, "yes", "yes")
    as_lead = api_client(lead)
    first = decide(as_lead, application, decision="hold").json()
    second = decide(as_lead, application, decision="advance").json()
    third = decide(as_lead, application, decision="hire").json()

    history = ats.get(f"/api/v1/applications/{application.pk}/decisions/").json()
    assert [d["id"] for d in history["results"]] == [third["id"], second["id"], first["id"]]
    assert history["next"] is None
    shown = ats.get(f"/api/v1/applications/{application.pk}/").json()
    assert shown["decision"]["id"] == third["id"]
    assert shown["status"] == "hired"


def test_decisions_are_never_changed_or_deleted_through_the_api(
    api_client, lead, application, panel, alice, bob
):
    both_submit(panel, alice, bob, "yes", "yes")
    decide(api_client(lead), application, decision="hire")
    url = f"/api/v1/applications/{application.pk}/decisions/"
    for method in ("put", "patch", "delete"):
        assert getattr(api_client(lead), method)(url, {}, format="json").status_code == 405
    assert Decision.objects.count() == 1


# ---------------------------------------------------------------------------
# Who decides, and who sees decisions
# ---------------------------------------------------------------------------


def test_a_lead_with_an_unsubmitted_scorecard_submits_it_before_deciding(
    api_client, lead, application, panel, alice, bob
):
    both_submit(panel, alice, bob, "yes", "yes")
    services.interview_set_interviewers(
        interview=panel[alice].interview, interviewers=[alice, bob, lead]
    )
    response = decide(api_client(lead), application, decision="hire", override_reason="x")
    assert response.status_code == 403
    assert "own" in response.json()["message"]


def test_the_service_refuses_an_interviewer_and_the_integration_key(application, panel, alice, bob):
    both_submit(panel, alice, bob, "yes", "yes")
    with pytest.raises(PermissionDenied):
        services.decision_record(
            application=application, by=alice, decision="hire", rationale=RATIONALE
        )
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            application=application, by=application.role.hiring_lead, decision="x", rationale=""
        )
    assert set(error.value.message_dict) == {"decision", "rationale"}


def test_decisions_are_hidden_from_a_panelist_until_they_submit(
    api_client, lead, application, panel, alice, bob
):
    factories.submit(panel[bob], recommendation="yes")
    decide(api_client(lead), application, decision="hold", override_reason="Waiting for Alice.")
    as_alice = api_client(alice)
    url = f"/api/v1/applications/{application.pk}/"

    assert as_alice.get(url).json()["decision"] is None
    assert as_alice.get(url + "decisions/").json()["results"] == []
    assert as_alice.get("/api/v1/applications/?decision=hold").json()["results"] == []

    factories.submit(panel[alice], recommendation="yes")
    assert as_alice.get(url).json()["decision"]["decision"] == "hold"
    assert len(as_alice.get(url + "decisions/").json()["results"]) == 1


# ---------------------------------------------------------------------------
# Filters: decision, status, stage
# ---------------------------------------------------------------------------


def test_applications_filter_by_current_decision_status_and_stage(
    api_client, ats, lead, role, application, panel, alice, bob
):
    both_submit(panel, alice, bob, "yes", "yes")
    decide(api_client(lead), application, decision="hold")
    decide(api_client(lead), application, decision="hire")
    other = factories.ApplicationFactory(role=role, stage="Onsite loop")
    withdrawn = factories.ApplicationFactory(role=role, stage="Phone screen", status="withdrawn")

    def ids(query):
        response = ats.get(f"/api/v1/applications/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("decision=hire") == {application.pk}
    assert ids("decision=hold") == set()  # superseded: not the current decision
    assert ids("decision=none") == {other.pk, withdrawn.pk}
    assert ids("status=hired") == {application.pk}
    assert ids("status=withdrawn") == {withdrawn.pk}
    assert ids("status=active") == {other.pk}
    assert ids("stage=onsite%20loop") == {other.pk}
    assert ids("stage=Onsite%20loop&status=active") == {other.pk}


# ---------------------------------------------------------------------------
# Idempotency, webhook, queries
# ---------------------------------------------------------------------------


def test_a_retried_post_with_the_same_idempotency_key_records_one_decision(
    api_client, lead, application, panel, alice, bob
):
    both_submit(panel, alice, bob, "yes", "yes")
    as_lead = api_client(lead)
    url = f"/api/v1/applications/{application.pk}/decisions/"
    body = {"decision": "hire", "rationale": RATIONALE}
    first = as_lead.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="decide-1")
    again = as_lead.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="decide-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Decision.objects.count() == 1
    assert WebhookEvent.objects.filter(type="application.decided").count() == 1

    other = as_lead.post(
        url, {**body, "decision": "hold"}, format="json", HTTP_IDEMPOTENCY_KEY="decide-1"
    )
    assert other.status_code == 422


def test_the_decided_event_reaches_a_real_receiver_as_the_api_returns_it(
    api_client, ats, lead, application, panel, alice, bob
):
    both_submit(panel, alice, bob, "no", "no")
    with Receiver() as receiver:
        WebhookEndpoint.objects.create(
            url=receiver.url, secret="whsec-test-0123456789", events=["application.decided"]
        )
        response = decide(
            api_client(lead), application, decision="advance", override_reason="Second look."
        )
        assert worker.deliver_due() == 1
    [request] = receiver.requests
    assert request.headers["Scorecards-Event-Type"] == "application.decided"
    body = json.loads(request.body)
    assert body["type"] == "application.decided"
    assert body["data"] == response.json()
    history = ats.get(f"/api/v1/applications/{application.pk}/decisions/").json()
    assert body["data"] == history["results"][0]


def test_recording_a_decision_takes_a_fixed_number_of_queries(
    api_client, lead, role, application, panel, alice, bob, django_assert_num_queries
):
    both_submit(panel, alice, bob, "yes", "yes")
    for _ in range(5):  # more candidates and scorecards in the role change nothing
        more = factories.ApplicationFactory(role=role)
        interview = factories.make_interview(
            application=more, focus=["system-architecture"], interviewers=[alice, bob]
        )
        for card in interview.scorecards.all():
            factories.submit(card)
    as_lead = api_client(lead)
    as_lead.get("/api/v1/me/")  # the key's first use records last_used_at
    # the key, the application, whether the lead has a draft on it (the view's 403); savepoint,
    # lock it with its role and profile, the same check under the lock (the service's rule);
    # the stamp and the comparison's four reads; the insert, the status, the event and its
    # endpoints; the audit event; release
    with django_assert_num_queries(17):
        assert decide(as_lead, application, decision="hire").status_code == 201


def test_the_decision_history_costs_the_same_however_long(
    api_client, lead, application, panel, alice, bob, django_assert_num_queries
):
    both_submit(panel, alice, bob, "yes", "yes")
    as_lead = api_client(lead)
    url = f"/api/v1/applications/{application.pk}/decisions/"
    as_lead.get(url)
    for count in (1, 6):
        while Decision.objects.count() < count:
            decide(as_lead, application, decision=DecisionValue.HOLD)
        # the key, the application, the decisions with who made them
        with django_assert_num_queries(3):
            assert len(as_lead.get(url).json()["results"]) == count


# ---------------------------------------------------------------------------
# Admin: read, never written
# ---------------------------------------------------------------------------


def test_the_admin_shows_decisions_on_the_application_read_only(
    client, recruiter, lead, application, panel, alice, bob
):
    both_submit(panel, alice, bob, "no", "no")
    services.decision_record(
        application=application,
        by=lead,
        decision="hire",
        rationale=RATIONALE,
        override_reason="Tooling is teachable.",
    )
    client.force_login(recruiter)
    page = client.get(f"/admin/hiring/application/{application.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tooling is teachable." in html
    assert RATIONALE.replace("'", "&#x27;") in html
    assert 'name="decisions-0-rationale"' not in html  # shown, not editable
    assert 'name="decisions-MAX_NUM_FORMS" value="0"' in html  # nothing to add
    assert 'name="decisions-0-DELETE"' not in html
    assert client.get("/admin/hiring/decision/").status_code == 404  # no page of its own
