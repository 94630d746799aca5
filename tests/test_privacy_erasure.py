"""Erasing a candidate: who they are and every word written about them go, the numbers
stay — the comparison, the offsets and the agreement are exactly what they were."""

import io
import json

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from hiring import services
from hiring.models import (
    ERASED_NAME,
    Application,
    AuditEvent,
    Candidate,
    ComparisonRefresh,
    Decision,
    Rating,
    Scorecard,
    ScorecardRevision,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from hiring.webhooks.events import EVENT_TYPES
from tests import factories
from tests.factories import build_scored_role

NOTE = "Ann Example walked through her retrieval design"


@pytest.fixture
def ann(role, alice, bob):
    """Ann, with an external id, two submitted scorecards with notes and summaries, and
    a correction of Alice's."""
    application = factories.ApplicationFactory(
        role=role,
        external_id="app-ann",
        candidate__name="Ann Example",
        candidate__email="ann@example.com",
        candidate__external_id="cand-ann",
    )
    interview = factories.make_interview(
        application=application, focus=["software-engineering"], interviewers=[alice, bob]
    )
    for person in (alice, bob):
        card = interview.scorecards.get(interviewer=person)
        services.scorecard_save_draft(
            scorecard=card,
            by=person,
            ratings=factories.complete_ratings(card, 4, note=NOTE),
            overall_recommendation="strong_yes",
            summary=f"Summary about {NOTE}",
        )
        services.scorecard_submit(scorecard=card, by=person)
    card = interview.scorecards.get(interviewer=alice)
    skill = card.ratings.first().skill.key
    services.scorecard_revise(
        scorecard=card,
        by=alice,
        reason="Ann Example corrected me",
        ratings=[services.RatingInput(skill=skill, score=3, note=NOTE)],
    )
    services.decision_record(
        application=application,
        by=role.hiring_lead,
        decision="hire",
        rationale=f"Hire: {NOTE}",
    )
    return application.candidate


def assert_nothing_about_ann_remains(candidate):
    candidate.refresh_from_db()
    assert (candidate.name, candidate.email, candidate.external_id) == (ERASED_NAME, "", None)
    assert candidate.erased_at is not None
    assert not Application.objects.filter(candidate=candidate).exclude(external_id=None).exists()
    cards = Scorecard.objects.filter(interview__application__candidate=candidate)
    assert set(cards.values_list("summary", flat=True)) == {""}
    assert set(Rating.objects.filter(scorecard__in=cards).values_list("note", flat=True)) == {""}
    revision = ScorecardRevision.objects.get(scorecard__in=cards)
    assert revision.reason == ""
    assert "Ann" not in json.dumps(revision.previous)
    # The numbers stay.
    assert revision.previous["ratings"][0]["score"] == 4
    assert set(Rating.objects.filter(scorecard__in=cards).values_list("score", flat=True)) == {
        3,
        4,
    }
    assert set(cards.values_list("overall_recommendation", flat=True)) == {"strong_yes"}
    decision = Decision.objects.get(application__candidate=candidate)
    assert (decision.decision, decision.rationale) == ("hire", "(erased)")


# ---------------------------------------------------------------------------
# Each entry point
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["recruiter", "integration"])
def test_recruiters_and_the_integration_key_erase_through_the_api(api_client, ann, who, request):
    caller = who if who == "integration" else request.getfixturevalue(who)
    response = api_client(caller).post(
        f"/api/v1/candidates/{ann.pk}/erase/", {"reason": "Asked by email"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["email"], body["external_id"]) == (ERASED_NAME, None, None)
    assert body["erased_at"]
    assert_nothing_about_ann_remains(ann)
    assert Candidate.objects.get(pk=ann.pk).erasure_reason == "Asked by email"


@pytest.mark.parametrize("who", ["lead", "alice"])
def test_nobody_else_erases(api_client, ann, who, request):
    response = api_client(request.getfixturevalue(who)).post(
        f"/api/v1/candidates/{ann.pk}/erase/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
    assert Candidate.objects.get(pk=ann.pk).erased_at is None


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_a_reason_is_required(api_client, ann, recruiter, body):
    response = api_client(recruiter).post(
        f"/api/v1/candidates/{ann.pk}/erase/", body, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["reason"]
    assert Candidate.objects.get(pk=ann.pk).erased_at is None


def test_the_command_erases(ann):
    out = io.StringIO()
    call_command("erase_candidate", str(ann.pk), "--reason", "Request 42", stdout=out)
    assert f"Erased candidate {ann.pk}" in out.getvalue()
    assert_nothing_about_ann_remains(ann)
    with pytest.raises(CommandError, match="erased"):
        call_command("erase_candidate", str(ann.pk), "--reason", "again")
    with pytest.raises(CommandError, match="No candidate"):
        call_command("erase_candidate", "999999", "--reason", "x")


def test_the_admin_action_asks_for_a_reason_then_erases(client, recruiter, ann):
    client.force_login(recruiter)
    url = "/admin/hiring/candidate/"
    chosen = {"action": "erase_candidates", "_selected_action": [ann.pk]}
    confirm = client.post(url, chosen)
    assert confirm.status_code == 200
    assert b"cannot be undone" in confirm.content
    assert Candidate.objects.get(pk=ann.pk).erased_at is None
    done = client.post(url, {**chosen, "apply": "1", "reason": "Asked in person"})
    assert done.status_code == 302
    assert_nothing_about_ann_remains(ann)
    page = client.get(f"/admin/hiring/candidate/{ann.pk}/change/")
    assert ERASED_NAME.encode() in page.content
    assert b'name="_save"' not in page.content  # shown, never changed


# ---------------------------------------------------------------------------
# The numbers stay exactly
# ---------------------------------------------------------------------------


def without_names(comparison: dict) -> dict:
    """The comparison's numbers by application, names and erasure times left out."""
    candidates = {
        c["application"]: {k: v for k, v in c.items() if k != "candidate"}
        for c in comparison["candidates"]
    }
    interviewers = {i["id"]: i for i in comparison["interviewers"]}
    return {
        "candidates": candidates,
        "interviewers": interviewers,
        "agreement": comparison["agreement"],
        "profile": comparison["profile"],
    }


def test_the_comparison_offsets_and_alpha_are_exactly_the_same(
    api_client, ai_profile, lead, recruiter, settings
):
    settings.COMPARISON_CACHE_SECONDS = 0
    role = build_scored_role(profile=ai_profile, lead=lead, candidates=40, pool=6).role
    Rating.objects.filter(scorecard__interview__application__role=role).update(note=NOTE)
    url = f"/api/v1/roles/{role.pk}/comparison/"
    as_lead = api_client(lead)
    before = as_lead.get(url).json()
    erased = Candidate.objects.filter(applications__role=role).order_by("id")[::3]
    for candidate in erased:
        services.candidate_erase(candidate=candidate, reason="test")
    after = as_lead.get(url).json()
    assert without_names(after) == without_names(before)  # every number, to the last digit
    assert before["agreement"]["alpha"] is not None
    assert any(i["offset"] != 0 for i in after["interviewers"])
    names = {c["candidate"]["id"]: c["candidate"] for c in after["candidates"]}
    for candidate in erased:
        assert names[candidate.pk]["name"] == ERASED_NAME
        assert names[candidate.pk]["erased_at"]
    csv = as_lead.get(url + "?format=csv").content.decode()
    assert csv.count(ERASED_NAME) == len(erased)


def test_no_comparison_kept_from_before_the_erasure_is_served(
    api_client, ann, role, recruiter, alice, django_capture_on_commit_callbacks
):
    """The shared comparison may serve an older copy while a submission's refresh is
    queued; after an erasure no older copy may be served, since it still names them."""
    url = f"/api/v1/roles/{role.pk}/comparison/"
    as_recruiter = api_client(recruiter)
    assert "Ann Example" in as_recruiter.get(url).content.decode()  # computed and kept
    # Another candidate's scorecard submitted: the refresh is queued, older copies allowed.
    other = factories.ApplicationFactory(role=role, candidate__name="Bo Other")
    card = factories.make_interview(
        application=other, focus=["software-engineering"], interviewers=[alice]
    ).scorecards.get()
    factories.submit(card)
    assert ComparisonRefresh.objects.filter(role=role).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.candidate_erase(candidate=ann, reason="asked")
    assert not ComparisonRefresh.objects.filter(role=role).exists()
    body = as_recruiter.get(url).content.decode()
    assert "Ann Example" not in body
    assert ERASED_NAME in body and "Bo Other" in body


def test_the_erasure_drops_every_kept_form_of_the_comparison(
    api_client, client, ann, role, recruiter, django_capture_on_commit_callbacks
):
    """The comparison is kept as a dict, as the JSON and CSV the API sends and as the
    compare page's tables: none of them may outlive the erasure, served or not."""
    url = f"/api/v1/roles/{role.pk}/comparison/"
    as_recruiter = api_client(recruiter)
    keys = [f"comparison:role:{role.pk}{form}" for form in ("", ":json", ":csv", ":page")]
    assert "Ann Example" in as_recruiter.get(url).content.decode()
    assert "Ann Example" in as_recruiter.get(url + "?format=csv").content.decode()
    client.force_login(recruiter)
    assert "Ann Example" in client.get(reverse("hiring:compare", args=[role.pk])).content.decode()
    assert all(caches["comparison"].get(key) is not None for key in keys)
    with django_capture_on_commit_callbacks(execute=True):
        services.candidate_erase(candidate=ann, reason="asked")
    assert all(caches["comparison"].get(key) is None for key in keys)
    assert "Ann Example" not in as_recruiter.get(url + "?format=csv").content.decode()


# ---------------------------------------------------------------------------
# Webhooks
# ---------------------------------------------------------------------------


@pytest.fixture
def endpoint(db):
    return WebhookEndpoint.objects.create(
        url="https://ats.example.com/hooks",
        secret="whsec-test-0123456789",
        events=list(EVENT_TYPES),
    )


def test_queued_payloads_lose_their_words_and_the_ats_hears_of_it(endpoint, role, alice, bob):
    candidate = factories.CandidateFactory(name="Ann Example")
    application = factories.ApplicationFactory(role=role, candidate=candidate, external_id="a-1")
    interview = factories.make_interview(
        application=application, focus=["software-engineering"], interviewers=[alice, bob]
    )
    for person in (alice, bob):
        card = interview.scorecards.get(interviewer=person)
        services.scorecard_save_draft(
            scorecard=card,
            by=person,
            ratings=factories.complete_ratings(card, 3, note=NOTE),
            overall_recommendation="yes",
            summary=NOTE,
        )
        services.scorecard_submit(scorecard=card, by=person)
    other = factories.make_interview(
        application=factories.ApplicationFactory(role=role), interviewers=[alice]
    )
    factories.submit(other.scorecards.get())
    untouched = WebhookEvent.objects.get(
        type="scorecard.submitted", payload__application=other.application_id
    ).payload
    queued = WebhookEvent.objects.filter(deliveries__status="pending").count()
    assert NOTE in json.dumps(list(WebhookEvent.objects.values_list("payload", flat=True)))

    services.candidate_erase(candidate=candidate, reason="asked")

    payloads = json.dumps(list(WebhookEvent.objects.values_list("payload", flat=True)))
    assert NOTE not in payloads and '"a-1"' not in payloads
    scored = WebhookEvent.objects.filter(
        type="scorecard.submitted", payload__application=application.pk
    )
    assert [r["score"] for e in scored for r in e.payload["ratings"]] == [3] * 6
    assert (
        WebhookEvent.objects.get(
            type="scorecard.submitted", payload__application=other.application_id
        ).payload
        == untouched
    )
    erased = WebhookEvent.objects.get(type="candidate.erased")
    assert erased.payload == {
        "id": candidate.pk,
        "erased_at": erased.payload["erased_at"],
    }
    assert erased.payload["erased_at"].endswith("Z")
    assert WebhookDelivery.objects.filter(event=erased, status="pending").count() == 1
    assert WebhookEvent.objects.filter(deliveries__status="pending").count() == queued + 1


# ---------------------------------------------------------------------------
# Afterwards
# ---------------------------------------------------------------------------


def test_writes_to_an_erased_candidate_are_refused_with_409(api_client, ann, recruiter, alice):
    services.candidate_erase(candidate=ann, reason="asked")
    ats = api_client("integration")
    application = ann.applications.get()
    refused = [
        ats.put(
            f"/api/v1/candidates/{ann.pk}/",
            {"name": "Back", "email": "back@example.com"},
            format="json",
        ),
        ats.patch(f"/api/v1/applications/{application.pk}/", {"stage": "offer"}, format="json"),
        ats.post(
            "/api/v1/applications/",
            {
                "candidate": ann.pk,
                "role": factories.RoleFactory(profile=application.role.profile).pk,
            },
            format="json",
        ),
        ats.post(
            "/api/v1/interviews/",
            {"application": application.pk, "name": "Again"},
            format="json",
        ),
        ats.post(f"/api/v1/candidates/{ann.pk}/erase/", {"reason": "again"}, format="json"),
        api_client(alice).post(
            f"/api/v1/scorecards/{application.interviews.get().scorecards.get(interviewer=alice).pk}/revise/",
            {"reason": "more", "summary": "Ann again"},
            format="json",
        ),
    ]
    assert [r.status_code for r in refused] == [409] * len(refused)
    assert {r.json()["code"] for r in refused} == {"conflict"}
    assert_nothing_about_ann_remains(ann)


def test_many_candidates_can_be_erased_and_show_as_erased_everywhere(
    api_client, client, role, lead, recruiter
):
    people = [
        factories.ApplicationFactory(role=role, candidate__external_id=f"c-{i}").candidate
        for i in range(3)
    ]
    for person in people:
        services.candidate_erase(candidate=person, reason="retention")
    listed = api_client(recruiter).get("/api/v1/candidates/").json()["results"]
    assert {c["name"] for c in listed} == {ERASED_NAME}
    assert all(c["erased_at"] for c in listed)
    client.force_login(lead)
    page = client.get(f"/roles/{role.pk}/compare/").content.decode()
    assert page.count(ERASED_NAME) >= 3


def test_the_erasure_is_audited_without_personal_text(ann, recruiter):
    services.candidate_erase(candidate=ann, reason="Ann Example asked")
    event = AuditEvent.objects.get(action="erase")
    assert (event.object_type, event.object_id) == ("candidate", ann.pk)
    everything = json.dumps(list(AuditEvent.objects.values("fields", "object_type")))
    assert "Ann" not in everything and "example" not in everything


def test_the_greenhouse_export_shows_the_erasure_and_no_notes(api_client, ann, recruiter):
    services.candidate_erase(candidate=ann, reason="asked")
    rows = api_client(recruiter).get("/api/v1/scorecards/greenhouse/").json()["results"]
    mine = [row for row in rows if row["candidate_id"] == ann.pk]
    assert len(mine) == 2
    assert all(row["candidate_erased_at"] for row in mine)
    assert {a["note"] for row in mine for a in row["attributes"]} == {None}
