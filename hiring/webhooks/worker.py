"""The worker's loop (``manage.py deliver_webhooks``): claim a due delivery, send it,
record the attempt. Failures are retried with exponential backoff and full jitter
until the retry window closes."""

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from hiring.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from hiring.webhooks.delivery import Outcome, envelope_body, post, signed_headers

# Retry schedule: the n-th retry waits a random time in [0, min(CAP, BASE * 2**(n-1))]
# ("full jitter", so a receiver coming back up is not hit by every worker at once),
# and a delivery still failing RETRY_WINDOW after it was queued is marked failed.
RETRY_BASE = timedelta(seconds=60)
RETRY_CAP = timedelta(hours=3)
MIN_RETRY_DELAY = timedelta(seconds=1)


def retry_window() -> timedelta:
    return timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt (full jitter)."""
    ceiling = min(RETRY_CAP, RETRY_BASE * 2 ** min(attempts - 1, 30))
    return max(MIN_RETRY_DELAY, ceiling * random.random())


def _lease(timeout: float) -> timedelta:
    # Long enough for any one send, so no other worker takes the delivery meanwhile;
    # short enough that a crashed worker's delivery is retried soon.
    return timedelta(seconds=max(300, 6 * timeout))


def _due(now: datetime) -> QuerySet[WebhookDelivery]:
    # A deactivated endpoint's deliveries are paused: they stay pending, unsent, until
    # it is active again (services.endpoint_save then makes them due at once).
    return WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
    ).order_by("next_attempt_at", "pk")


def claim_next(*, timeout: float) -> WebhookDelivery | None:
    """Take the next due delivery for this worker, or None.

    The claim pushes ``next_attempt_at`` out by a lease and commits at once, so
    the send happens outside any transaction. On PostgreSQL ``SKIP LOCKED``
    lets concurrent claimers pass over each other's rows instead of queueing;
    on SQLite the IMMEDIATE transaction serialises them.
    """
    now = timezone.now()
    if not _due(now).exists():  # a plain read: no write lock while idle (SQLite)
        return None
    with transaction.atomic():
        delivery = (
            _due(now)
            .select_related("event", "endpoint")
            .select_for_update(skip_locked=True, of=("self",))
            .first()
        )
        if delivery is None:
            return None
        delivery.next_attempt_at = now + _lease(timeout)
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def _record(delivery: WebhookDelivery, outcome: Outcome) -> None:
    claimed_until = delivery.next_attempt_at
    now = timezone.now()
    attempts = delivery.attempts + 1
    deadline = delivery.created_at + retry_window()
    if outcome.succeeded:
        changes = {"status": DeliveryStatus.SUCCEEDED, "delivered_at": now}
    elif now >= deadline:
        changes = {"status": DeliveryStatus.FAILED}
    else:
        changes = {"next_attempt_at": min(now + retry_delay(attempts), deadline)}
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        # Only while our claim stands: a redeliver meanwhile has queued it afresh.
        WebhookDelivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.PENDING, next_attempt_at=claimed_until
        ).update(
            attempts=F("attempts") + 1,
            last_status_code=outcome.status_code,
            last_error=outcome.error,
            **changes,
        )


def deliver(delivery: WebhookDelivery, *, timeout: float) -> Outcome:
    """Send one claimed delivery, signed with its endpoint's secret, and log the attempt."""
    body = envelope_body(delivery.event)
    headers = signed_headers(
        event=delivery.event, endpoint=delivery.endpoint, body=body, attempt=delivery.attempts + 1
    )
    outcome = post(delivery.endpoint.url, body, headers, timeout=timeout)
    _record(delivery, outcome)
    return outcome


def deliver_due(
    *, timeout: float | None = None, should_stop: Callable[[], bool] = lambda: False
) -> int:
    """Deliver everything due now, one delivery at a time; returns how many were tried."""
    timeout = settings.WEBHOOK_TIMEOUT if timeout is None else timeout
    tried = 0
    while not should_stop():
        delivery = claim_next(timeout=timeout)
        if delivery is None:
            break
        deliver(delivery, timeout=timeout)
        tried += 1
    return tried
