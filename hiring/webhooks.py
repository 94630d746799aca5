"""Signed webhooks through a transactional outbox.

``emit`` writes an event and one delivery per subscribed endpoint in the
transaction of the change that caused it (``hiring.services`` calls it), so an
event is never lost and never sent for a change that rolled back. The worker
(``manage.py deliver_webhooks``) claims due deliveries one at a time, POSTs the
signed envelope and records every attempt; failures are retried with
exponential backoff and full jitter until the retry window closes.
"""

import hashlib
import hmac
import json
import random
import re
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from hiring import access
from hiring.access import Integration
from hiring.models import (
    Application,
    DeliveryStatus,
    Interview,
    Scorecard,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

# The event types are a public contract: receivers switch on them.
EVENT_TYPES = {
    "scorecard.submitted": "An interviewer submitted a scorecard.",
    "scorecard.revised": "A submitted scorecard was corrected.",
    "interview.feedback_complete": "Every interviewer of an interview has submitted.",
    "application.feedback_complete": "Every interview of an application is complete.",
}

EVENT_ID_HEADER = "Scorecards-Event-Id"
EVENT_TYPE_HEADER = "Scorecards-Event-Type"
ATTEMPT_HEADER = "Scorecards-Delivery-Attempt"
SIGNATURE_HEADER = "Scorecards-Signature"
USER_AGENT = "Scorecards-Webhooks/1"

# Retry schedule: the n-th retry waits a random time in [0, min(CAP, BASE * 2**(n-1))]
# ("full jitter", so a receiver coming back up is not hit by every worker at once),
# and a delivery still failing RETRY_WINDOW after it was queued is marked failed.
RETRY_BASE = timedelta(seconds=60)
RETRY_CAP = timedelta(hours=3)
MIN_RETRY_DELAY = timedelta(seconds=1)

# How much of a receiver's answer the delivery log keeps.
LOGGED_BODY_CHARS = 500


# Receivers are addressed by an http(s) URL whose host is a domain name, an IPv4
# address or localhost: a strict subset of what Django's URLValidator accepts, so
# the admin and the API agree. The API's schema publishes this pattern.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
URL_PATTERN = (
    rf"^https?://(?:localhost|{_OCTET}(?:\.{_OCTET}){{3}}|(?:{_LABEL}\.){{1,3}}[A-Za-z]{{2,24}})"
    r"(?::[0-9]{1,5})?(?:/[!-~]*)?$"
)
# Secrets are printable ASCII without spaces, long enough not to be guessed.
SECRET_PATTERN = r"^[!-~]{16,200}$"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def endpoint_validate(*, endpoint: WebhookEndpoint) -> None:
    """Check an endpoint's URL, events and secret; a blank secret gets a random one."""
    errors: dict[str, list[str]] = {}
    if not re.fullmatch(URL_PATTERN, endpoint.url or "") or len(endpoint.url) > 500:
        errors["url"] = [
            "Give an http:// or https:// URL with a domain name, an IPv4 address or "
            "localhost (at most 500 characters)."
        ]
    events = endpoint.events if isinstance(endpoint.events, list) else None
    unknown = [e for e in events or [] if e not in EVENT_TYPES]
    if not events:
        errors["events"] = ["Subscribe to at least one event."]
    elif unknown:
        errors["events"] = [
            f"Choose from {', '.join(EVENT_TYPES)}; not {', '.join(map(str, unknown))}."
        ]
    if not endpoint.secret:
        endpoint.secret = new_secret()
    elif not re.fullmatch(SECRET_PATTERN, endpoint.secret):
        errors["secret"] = ["Use 16 to 200 printable ASCII characters, without spaces."]
    if errors:
        raise ValidationError(errors)
    endpoint.events = list(dict.fromkeys(events))  # in the order given, once each


@transaction.atomic
def endpoint_save(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    endpoint_validate(endpoint=endpoint)
    endpoint.save()
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint with its queued deliveries and their log."""
    endpoint.delete()


# ---------------------------------------------------------------------------
# Payloads: the resource as the API returns it to the integration key
# ---------------------------------------------------------------------------


def _timestamp(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the API renders datetimes."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def resource_payload(obj) -> dict:
    """The event's ``data``: the object exactly as the API returns it to the
    integration key (its serializer, over what the integration key may see)."""
    from hiring.api import serializers as api  # which imports this module's constants

    integration = Integration()
    if isinstance(obj, Scorecard):
        card = (
            access.scorecards_for(integration)
            .select_related("interview", "interviewer", "profile")
            .get(pk=obj.pk)
        )
        return api.ScorecardSerializer(card).data
    if isinstance(obj, Interview):
        interview = access.interviews_for(integration).get(pk=obj.pk)
        return api.InterviewSerializer(interview).data
    if isinstance(obj, Application):
        application = access.applications_for(integration).get(pk=obj.pk)
        return api.ApplicationSerializer(application).data
    raise TypeError(f"No webhook payload for {type(obj).__name__}.")


# ---------------------------------------------------------------------------
# The outbox
# ---------------------------------------------------------------------------


@transaction.atomic
def emit(event_type: str, obj) -> WebhookEvent:
    """Record an event and queue a delivery to every active endpoint subscribed to it.

    Call it inside the transaction of the change: if that rolls back, so does this.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown webhook event type {event_type!r}.")
    event = WebhookEvent.objects.create(type=event_type, payload=resource_payload(obj))
    # Subscriptions are a JSON list, which SQLite cannot search: filter here.
    endpoints = WebhookEndpoint.objects.filter(is_active=True).only("pk", "events")
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=event.occurred_at)
        for endpoint in endpoints
        if event_type in (endpoint.events or [])
    )
    return event


def envelope(event: WebhookEvent) -> dict:
    return {
        "id": str(event.pk),
        "type": event.type,
        "occurred_at": _timestamp(event.occurred_at),
        "data": event.payload,
    }


def envelope_body(event: WebhookEvent) -> bytes:
    """The exact bytes POSTed (and signed); the same for every attempt."""
    return json.dumps(envelope(event), separators=(",", ":"), ensure_ascii=False).encode()


def sign(*, secret: str, body: bytes, timestamp: int) -> str:
    """``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@transaction.atomic
def deliveries_redeliver(deliveries: QuerySet[WebhookDelivery]) -> int:
    """Queue deliveries again, due now (the admin's redeliver action)."""
    return deliveries.update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), delivered_at=None
    )


# ---------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is not a 2xx: retrying it keeps the body and the signature intact,
    # where urllib would turn the POST into a GET.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    """POST once; a non-2xx answer, a connection error or a timeout is a failure."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    started = time.monotonic()

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(LOGGED_BODY_CHARS)
            return Outcome(response.status, "", elapsed())
    except urllib.error.HTTPError as error:
        text = error.read(LOGGED_BODY_CHARS).decode("utf-8", "replace")
        return Outcome(error.code, f"HTTP {error.code}: {text}".strip(), elapsed())
    except TimeoutError:
        return Outcome(None, f"Timed out after {timeout:g} s.", elapsed())
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return Outcome(None, f"Timed out after {timeout:g} s.", elapsed())
        return Outcome(None, f"Connection failed: {reason}", elapsed())
    except (OSError, ValueError) as error:  # reset connections, malformed answers or URLs
        return Outcome(None, f"{type(error).__name__}: {error}", elapsed())


# ---------------------------------------------------------------------------
# The worker
# ---------------------------------------------------------------------------


def default_timeout() -> float:
    return float(settings.WEBHOOK_TIMEOUT)


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
    return WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
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
    if outcome.succeeded:
        changes = {"status": DeliveryStatus.SUCCEEDED, "delivered_at": now}
    elif now >= delivery.created_at + retry_window():
        changes = {"status": DeliveryStatus.FAILED}
    else:
        deadline = delivery.created_at + retry_window()
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
    event, endpoint = delivery.event, delivery.endpoint
    body = envelope_body(event)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_ID_HEADER: str(event.pk),
        EVENT_TYPE_HEADER: event.type,
        ATTEMPT_HEADER: str(delivery.attempts + 1),
        SIGNATURE_HEADER: sign(secret=endpoint.secret, body=body, timestamp=int(time.time())),
    }
    outcome = post(endpoint.url, body, headers, timeout=timeout)
    _record(delivery, outcome)
    return outcome


def deliver_due(
    *, timeout: float | None = None, should_stop: Callable[[], bool] = lambda: False
) -> int:
    """Deliver everything due now, one delivery at a time; returns how many were tried."""
    timeout = default_timeout() if timeout is None else timeout
    tried = 0
    while not should_stop():
        delivery = claim_next(timeout=timeout)
        if delivery is None:
            break
        deliver(delivery, timeout=timeout)
        tried += 1
    return tried
