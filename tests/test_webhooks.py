"""Signed webhooks: the outbox, the worker and the delivery log, against a real HTTP
receiver on 127.0.0.1."""

import io
import json
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from hiring import selectors, services
from hiring.models import (
    DeliveryStatus,
    Interview,
    ScorecardStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from hiring.validators import WEBHOOK_URL_PATTERN
from hiring.webhooks import worker
from hiring.webhooks.delivery import sign
from hiring.webhooks.events import EVENT_TYPES
from tests import factories
from tests.receiver import Receiver

README = Path(__file__).resolve().parent.parent / "README.md"
SECRET = "whsec-test-0123456789"


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def endpoint(receiver, db):
    return WebhookEndpoint.objects.create(url=receiver.url, secret=SECRET, events=list(EVENT_TYPES))


@pytest.fixture(scope="module")
def verify_signature():
    """The README's receiver example, run as written."""
    text = README.read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    block = next((b for b in blocks if "def verify_signature" in b), None)
    assert block, "README.md lost its signature verification example"
    namespace = {}
    exec(block, namespace)
    return namespace["verify_signature"]


def alice_card(interview, alice):
    return interview.scorecards.get(interviewer=alice)


def types_emitted():
    return list(WebhookEvent.objects.order_by("occurred_at").values_list("type", flat=True))


# ---------------------------------------------------------------------------
# Delivery and signature
# ---------------------------------------------------------------------------


def test_it_delivers_a_submitted_scorecard_as_signed_json(
    endpoint, receiver, interview, alice, verify_signature
):
    card = factories.submit(alice_card(interview, alice), score=3, recommendation="yes")
    event = WebhookEvent.objects.get()

    assert worker.deliver_due() == 1

    [request] = receiver.requests
    assert request.path == "/hooks"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Scorecards-Event-Id"] == str(event.pk)
    assert request.headers["Scorecards-Event-Type"] == "scorecard.submitted"
    assert request.headers["Scorecards-Delivery-Attempt"] == "1"
    body = json.loads(request.body)
    assert list(body) == ["id", "type", "occurred_at", "data"]
    assert body["id"] == str(event.pk)
    assert body["type"] == "scorecard.submitted"
    assert body["occurred_at"].endswith("Z")
    data = body["data"]
    assert data["id"] == card.pk
    assert data["interview"] == interview.pk
    assert data["application"] == interview.application_id
    assert data["interviewer"] == "alice@example.com"
    assert data["status"] == "submitted"
    assert data["profile"] == {"slug": "ai-engineer", "version": 1}
    assert data["overall_recommendation"] == "yes"
    assert data["revision"] == 0
    assert data["submitted_at"] == card.submitted_at.isoformat().replace("+00:00", "Z")
    assert {r["skill"] for r in data["ratings"]} == {
        s.key for s in selectors.scorecard_focus_skills(card)
    }
    assert all(r["score"] == 3 and r["note"] for r in data["ratings"])

    signature = request.headers["Scorecards-Signature"]
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", signature)
    assert abs(int(signature[2:].split(",")[0]) - time.time()) < 60
    assert verify_signature(SECRET, request.body, signature)
    assert not verify_signature("another-secret", request.body, signature)
    assert not verify_signature(SECRET, request.body.replace(b'"yes"', b'"no"'), signature)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 1
    assert delivery.last_status_code == 200
    assert delivery.delivered_at is not None
    assert list(delivery.log.values_list("status_code", flat=True)) == [200]


def test_the_readme_example_rejects_a_replayed_old_signature(verify_signature):
    body = b'{"id":"x"}'
    fresh = sign(secret=SECRET, body=body, timestamp=int(time.time()))
    stale = sign(secret=SECRET, body=body, timestamp=int(time.time()) - 600)
    assert verify_signature(SECRET, body, fresh)
    assert not verify_signature(SECRET, body, stale)
    assert not verify_signature(SECRET, body, "garbage")
    assert not verify_signature(SECRET, body, fresh.split(",")[0])


def test_the_worker_command_drains_due_deliveries_and_exits(
    endpoint, receiver, interview, alice, bob
):
    factories.submit(alice_card(interview, alice))
    factories.submit(interview.scorecards.get(interviewer=bob))
    out = io.StringIO()
    call_command("deliver_webhooks", "--once", stdout=out)
    assert "Tried 4 webhook deliveries." in out.getvalue()
    assert sorted(r.headers["Scorecards-Event-Type"] for r in receiver.requests) == [
        "application.feedback_complete",
        "interview.feedback_complete",
        "scorecard.submitted",
        "scorecard.submitted",
    ]
    assert not WebhookDelivery.objects.exclude(status=DeliveryStatus.SUCCEEDED).exists()


# ---------------------------------------------------------------------------
# Retries
# ---------------------------------------------------------------------------


def _make_due(delivery):
    """Time passes: the scheduled retry is due now."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_it_retries_after_a_500_with_the_same_event_and_body(
    endpoint, receiver, interview, alice, verify_signature
):
    factories.submit(alice_card(interview, alice))
    receiver.status = 500

    before = timezone.now()
    assert worker.deliver_due() == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert delivery.last_status_code == 500
    assert "HTTP 500" in delivery.last_error
    assert before < delivery.next_attempt_at <= timezone.now() + worker.RETRY_BASE
    assert worker.deliver_due() == 0  # not due yet

    receiver.status = 200
    _make_due(delivery)
    assert worker.deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 2
    assert list(delivery.log.order_by("attempted_at").values_list("status_code", flat=True)) == [
        500,
        200,
    ]
    first, second = receiver.requests
    assert first.headers["Scorecards-Event-Id"] == second.headers["Scorecards-Event-Id"]
    assert first.body == second.body
    assert second.headers["Scorecards-Delivery-Attempt"] == "2"
    assert verify_signature(SECRET, second.body, second.headers["Scorecards-Signature"])


def test_it_retries_after_a_timeout(endpoint, receiver, interview, alice):
    factories.submit(alice_card(interview, alice))
    receiver.delay = 5

    assert worker.deliver_due(timeout=0.2) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_status_code is None
    assert "Timed out after 0.2 s" in delivery.last_error
    attempt = delivery.log.get()
    assert attempt.status_code is None and attempt.error == delivery.last_error

    receiver.delay = 0
    _make_due(delivery)
    assert worker.deliver_due(timeout=0.2) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 2


def test_it_retries_when_the_receiver_is_unreachable(db, interview, alice):
    with Receiver() as gone:
        url = gone.url
    WebhookEndpoint.objects.create(url=url, secret=SECRET, events=["scorecard.submitted"])
    factories.submit(alice_card(interview, alice))

    assert worker.deliver_due(timeout=1) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error.startswith("Connection failed")


def test_it_does_not_follow_redirects(db, interview, alice, receiver):
    receiver.status = 307
    WebhookEndpoint.objects.create(url=receiver.url, secret=SECRET, events=["scorecard.submitted"])
    factories.submit(alice_card(interview, alice))
    worker.deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, 307)
    assert len(receiver.requests) == 1


def test_backoff_doubles_up_to_a_cap_with_full_jitter():
    for attempts, ceiling in [
        (1, 60),
        (2, 120),
        (3, 240),
        (8, 7680),
        (9, 3 * 3600),
        (40, 3 * 3600),
    ]:
        delays = [worker.retry_delay(attempts).total_seconds() for _ in range(300)]
        assert all(1 <= delay <= ceiling for delay in delays)
        # Full jitter spreads retries over the whole range, not around one point.
        assert min(delays) < ceiling / 4 and max(delays) > ceiling * 3 / 4


def test_it_marks_a_delivery_failed_after_the_retry_window(endpoint, receiver, interview, alice):
    factories.submit(alice_card(interview, alice))
    receiver.status = 503
    delivery = WebhookDelivery.objects.get()

    # Near the end of the day, the next try is clamped to the end of the window.
    almost_a_day = timedelta(seconds=worker.retry_window().total_seconds() - 30)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - almost_a_day)
    worker.deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at <= delivery.created_at + worker.retry_window()

    # The day is over: the last attempt fails for good.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - worker.retry_window() - timedelta(seconds=1),
        next_attempt_at=timezone.now(),
    )
    assert worker.deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 2
    assert delivery.last_status_code == 503
    assert delivery.log.count() == 2
    assert worker.deliver_due() == 0
    assert len(receiver.requests) == 2


def test_the_retry_window_is_a_day_by_default():
    assert worker.retry_window() == timedelta(days=1)


# ---------------------------------------------------------------------------
# The outbox: same transaction, fan-out at emit time
# ---------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_a_rolled_back_submission_emits_and_delivers_nothing(endpoint, receiver, interview, alice):
    card = alice_card(interview, alice)
    with pytest.raises(Boom), transaction.atomic():
        factories.submit(card)
        assert WebhookEvent.objects.count() == 1  # written, inside the transaction
        raise Boom

    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert worker.deliver_due() == 0
    assert receiver.requests == []


def test_a_rejected_submission_emits_nothing(endpoint, interview, alice):

    with pytest.raises(ValidationError):
        services.scorecard_submit(scorecard=alice_card(interview, alice), by=alice)
    assert not WebhookEvent.objects.exists()


def test_deliveries_go_to_active_endpoints_subscribed_when_the_event_happened(
    db, receiver, interview, alice
):
    submitted_only = WebhookEndpoint.objects.create(
        url=receiver.url + "/a", secret="a", events=["scorecard.submitted"]
    )
    WebhookEndpoint.objects.create(
        url=receiver.url + "/b", secret="b", events=["interview.feedback_complete"]
    )
    WebhookEndpoint.objects.create(
        url=receiver.url + "/c", secret="c", events=["scorecard.submitted"], is_active=False
    )
    factories.submit(alice_card(interview, alice))
    WebhookEndpoint.objects.create(
        url=receiver.url + "/late", secret="d", events=["scorecard.submitted"]
    )

    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [submitted_only.pk]
    worker.deliver_due()
    assert [r.path for r in receiver.requests] == ["/hooks/a"]


def test_each_endpoint_is_signed_with_its_own_secret(db, receiver, interview, alice):
    for name in ("one", "two"):
        WebhookEndpoint.objects.create(
            url=f"{receiver.url}/{name}", secret=f"secret-{name}", events=["scorecard.submitted"]
        )
    factories.submit(alice_card(interview, alice))
    worker.deliver_due()
    for request in receiver.requests:
        name = request.path.rsplit("/", 1)[1]
        expected = sign(
            secret=f"secret-{name}",
            body=request.body,
            timestamp=int(request.headers["Scorecards-Signature"][2:].split(",")[0]),
        )
        assert request.headers["Scorecards-Signature"] == expected
    assert len(receiver.requests) == 2


# ---------------------------------------------------------------------------
# Which events fire when
# ---------------------------------------------------------------------------


def test_interview_feedback_is_complete_when_the_last_interviewer_submits(
    db, interview, alice, bob
):
    factories.submit(alice_card(interview, alice))
    assert types_emitted() == ["scorecard.submitted"]

    factories.submit(interview.scorecards.get(interviewer=bob))
    assert types_emitted() == [
        "scorecard.submitted",
        "scorecard.submitted",
        "interview.feedback_complete",
        "application.feedback_complete",
    ]
    complete = WebhookEvent.objects.get(type="interview.feedback_complete")
    assert complete.payload["id"] == interview.pk
    assert complete.payload["interviewers"] == ["alice@example.com", "bob@example.com"]
    application = WebhookEvent.objects.get(type="application.feedback_complete")
    assert application.payload["id"] == interview.application_id
    assert application.payload["stage"] == interview.application.stage


def test_application_feedback_waits_for_every_interview(db, application, alice, bob, charlie):
    first = factories.make_interview(
        application=application, focus=["system-architecture"], interviewers=[alice, bob]
    )
    second = factories.make_interview(
        application=application, focus=["integration-rag"], interviewers=[charlie], name="Second"
    )
    factories.make_interview(application=application, interviewers=[], name="Unstaffed")

    for card in first.scorecards.all():
        factories.submit(card)
    factories.submit(second.scorecards.get())
    # The unstaffed interview has no feedback, so the application is not complete.
    assert types_emitted().count("interview.feedback_complete") == 2
    assert "application.feedback_complete" not in types_emitted()

    Interview.objects.filter(name="Unstaffed").delete()
    third = factories.make_interview(
        application=application, focus=["cloud-deployment"], interviewers=[alice], name="Third"
    )
    factories.submit(third.scorecards.get())
    assert types_emitted()[-2:] == ["interview.feedback_complete", "application.feedback_complete"]
    assert types_emitted().count("application.feedback_complete") == 1


def test_a_revision_emits_revised_and_nothing_else(db, interview, alice, bob):
    for card in interview.scorecards.all():
        factories.submit(card)
    before = types_emitted()
    card = alice_card(interview, alice)
    services.scorecard_revise(scorecard=card, by=alice, reason="Typo", summary="Better summary")

    assert types_emitted() == [*before, "scorecard.revised"]
    revised = WebhookEvent.objects.get(type="scorecard.revised")
    assert revised.payload["revision"] == 1
    assert revised.payload["summary"] == "Better summary"


def test_dropping_the_last_draft_from_the_panel_completes_the_interview(db, interview, alice, bob):
    factories.submit(alice_card(interview, alice))
    services.interview_set_interviewers(interview=interview, interviewers=[alice])
    assert types_emitted() == [
        "scorecard.submitted",
        "interview.feedback_complete",
        "application.feedback_complete",
    ]
    # Re-saving a complete panel announces nothing new.
    services.interview_set_interviewers(interview=interview, interviewers=[alice])
    assert len(types_emitted()) == 3


def test_drafts_are_never_announced(db, interview, alice):
    services.scorecard_save_draft(
        scorecard=alice_card(interview, alice), by=alice, summary="Thinking"
    )
    assert types_emitted() == []


# ---------------------------------------------------------------------------
# The admin: delivery log and redeliver
# ---------------------------------------------------------------------------


def test_a_recruiter_sees_the_delivery_log_and_can_redeliver(
    client, recruiter, endpoint, receiver, interview, alice
):
    factories.submit(alice_card(interview, alice))
    receiver.status = 500
    worker.deliver_due()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)

    client.force_login(recruiter)
    page = client.get(reverse("admin:hiring_webhookdelivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "HTTP 500" in content and "Failed" in content

    response = client.post(
        reverse("admin:hiring_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at <= timezone.now()

    receiver.status = 200
    assert worker.deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 2
    assert len(receiver.requests) == 2


def test_the_admin_generates_a_secret_and_offers_only_known_events(client, recruiter):
    client.force_login(recruiter)
    url = reverse("admin:hiring_webhookendpoint_add")
    response = client.post(
        url,
        {
            "url": "https://ats.example.com/hooks",
            "description": "",
            "events": ["scorecard.submitted", "application.feedback_complete"],
            "secret": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["scorecard.submitted", "application.feedback_complete"]
    assert len(endpoint.secret) >= 32

    response = client.post(
        url, {"url": "https://ats.example.com/x", "events": ["scorecard.deleted"], "secret": "s"}
    )
    assert response.status_code == 200
    assert "events" in response.context["adminform"].form.errors


def test_a_delivery_whose_worker_died_is_sent_once_its_lease_runs_out(
    endpoint, receiver, interview, alice
):
    factories.submit(alice_card(interview, alice))
    claimed = worker.claim_next(timeout=1)  # ...and the worker dies before sending
    assert claimed is not None
    assert worker.deliver_due() == 0  # leased: no other worker takes it

    _make_due(claimed)  # the lease runs out
    assert worker.deliver_due() == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 1


def test_every_url_the_endpoint_pattern_admits_is_one_django_accepts():
    # The API publishes URL_PATTERN: whatever it admits, tools built on Django's
    # URLValidator must accept too. One exception: Django caps an IPv6 address's text
    # at 39 characters, though RFC 4291 spells some with an IPv4 tail in up to 45
    # ("[fcd8:b145:5d77:a10f:cb9e::144.79.240.254]"), which the pattern admits.

    validate = URLValidator(schemes=["http", "https"])
    long_ipv6 = re.compile(r"^https?://\[[^\]]{40,}\]")

    @settings(max_examples=300, deadline=None)
    @given(st.from_regex(WEBHOOK_URL_PATTERN, fullmatch=True))
    def check(url):
        if len(url) <= 500 and not long_ipv6.match(url):
            validate(url)

    check()


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://ats.example.com/hooks?team=ml", True),
        ("http://127.0.0.1:8080/hooks", True),
        ("http://localhost/hooks", True),
        ("ftp://ats.example.com/hooks", False),
        ("https://ats.example.com/with space", False),
        ("http://256.1.1.1/", False),
        ("javascript:alert(1)", False),
    ],
)
def test_endpoint_urls_are_http_or_https(db, url, ok):

    endpoint = WebhookEndpoint(url=url, events=["scorecard.submitted"])
    if ok:
        services.endpoint_save(endpoint=endpoint)
        assert len(endpoint.secret) >= 32  # generated
    else:
        with pytest.raises(ValidationError) as error:
            services.endpoint_save(endpoint=endpoint)
        assert "url" in error.value.message_dict
