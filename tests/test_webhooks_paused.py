"""A deactivated endpoint's queued deliveries are paused, not sent and not dropped:
the worker passes over them, and once the endpoint is active again they are due at
once and delivered (through a real receiver)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from hiring.webhooks import worker
from tests.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def endpoint(db, receiver):
    return WebhookEndpoint.objects.create(
        url=receiver.url, secret="whsec-paused-test", events=["scorecard.submitted"]
    )


def queue(endpoint, n, **delivery):
    event = WebhookEvent.objects.create(type="scorecard.submitted", payload={"id": n})
    return WebhookDelivery.objects.create(event=event, endpoint=endpoint, **delivery)


def test_deliveries_pause_while_the_endpoint_is_inactive_and_resume_after(
    api_client, endpoint, receiver
):
    ats = api_client("integration")
    first = queue(endpoint, 1)
    # One that already failed once and waits for its retry in an hour.
    retry = queue(endpoint, 2, attempts=1, next_attempt_at=timezone.now() + timedelta(hours=1))

    url = f"/api/v1/webhooks/{endpoint.pk}/"
    assert ats.patch(url, {"is_active": False}).status_code == 200
    assert worker.deliver_due(timeout=5) == 0
    assert receiver.requests == []
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"pending"}

    assert ats.patch(url, {"is_active": True}).status_code == 200
    assert worker.deliver_due(timeout=5) == 2  # both due at once, the retry too
    assert sorted(r.headers["Scorecards-Event-Id"] for r in receiver.requests) == sorted(
        [str(first.event_id), str(retry.event_id)]
    )
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_saving_an_active_endpoint_leaves_its_retry_schedule_alone(api_client, endpoint):
    later = timezone.now() + timedelta(hours=1)
    delivery = queue(endpoint, 1, attempts=1, next_attempt_at=later)
    response = api_client("integration").patch(
        f"/api/v1/webhooks/{endpoint.pk}/", {"description": "the ATS"}
    )
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == later


def test_reactivating_in_the_admin_resumes_them_too(client, recruiter, endpoint, receiver):
    endpoint.is_active = False
    endpoint.save()
    queue(endpoint, 1)
    assert worker.deliver_due(timeout=5) == 0
    client.force_login(recruiter)
    response = client.post(
        reverse("admin:hiring_webhookendpoint_change", args=[endpoint.pk]),
        {
            "url": endpoint.url,
            "description": "",
            "events": ["scorecard.submitted"],
            "secret": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert worker.deliver_due(timeout=5) == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
