"""What goes over the wire: the signed envelope, and the one outbound HTTP call
every delivery goes through."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from hiring.models import WebhookEndpoint, WebhookEvent
from hiring.webhooks.events import (
    ATTEMPT_HEADER,
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    USER_AGENT,
)
from hiring.webhooks.payloads import timestamp

# How much of a receiver's answer the delivery log keeps.
LOGGED_BODY_CHARS = 500


def envelope(event: WebhookEvent) -> dict:
    return {
        "id": str(event.pk),
        "type": event.type,
        "occurred_at": timestamp(event.occurred_at),
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


def signed_headers(
    *, event: WebhookEvent, endpoint: WebhookEndpoint, body: bytes, attempt: int
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_ID_HEADER: str(event.pk),
        EVENT_TYPE_HEADER: event.type,
        ATTEMPT_HEADER: str(attempt),
        SIGNATURE_HEADER: sign(secret=endpoint.secret, body=body, timestamp=int(time.time())),
    }


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
