"""What goes over the wire: the signed envelope, and the one outbound HTTP call
every delivery goes through - to an address checked by ``hiring.webhooks.addresses``
after resolving the name, never following a redirect, keeping no reply body."""

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

from hiring.models import WebhookEndpoint, WebhookEvent
from hiring.webhooks import addresses
from hiring.webhooks.events import (
    ATTEMPT_HEADER,
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    USER_AGENT,
)
from hiring.webhooks.payloads import timestamp

# How much of a redirect's Location header the delivery log keeps.
LOGGED_LOCATION_CHARS = 200
# Certificates are checked against the system's CAs and the URL's host name.
_TLS = ssl.create_default_context()


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


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _describe(status: int, location: str | None) -> str:
    """What the delivery log keeps of a non-2xx answer: the status and, for a redirect,
    where it pointed. Never the receiver's body: it could be anything, including
    content of internal services that a receiver relays."""
    text = f"HTTP {status} {_reason(status)}".strip()
    if 300 <= status < 400:
        text += ": redirects are not followed"
        if location:
            printable = "".join(c for c in location if c.isprintable())[:LOGGED_LOCATION_CHARS]
            text += f"; register the final URL (Location: {printable})"
    return text


class _Connection(http.client.HTTPConnection):
    """HTTP to the address that was checked, whatever the name resolves to by now.
    The Host header (and, over TLS, SNI and the certificate check) use the name."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float, tls: bool):
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.tls = tls

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = _TLS.wrap_socket(sock, server_hostname=self.host) if self.tls else sock


def _send(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str]:
    """POST to the first checked address of the URL's host that accepts a connection;
    returns the status and the Location header."""
    parts = urlsplit(url)
    tls = parts.scheme == "https"
    host = addresses.ascii_host(parts.hostname or "")
    port = parts.port or (443 if tls else 80)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    failure: OSError = OSError(f"no address for {host}")
    for address in addresses.addresses_to_connect(host, port):
        connection = _Connection(host, port, address=address, timeout=timeout, tls=tls)
        try:
            connection.connect()
        except OSError as error:
            failure = error
            connection.close()
            continue
        try:
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Location") or ""
        finally:
            connection.close()
    raise failure


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    """POST once; a non-2xx answer (a redirect too), a refused address, a connection
    error or a timeout is a failure."""
    started = time.monotonic()

    def outcome(status: int | None, error: str) -> Outcome:
        return Outcome(status, error, round((time.monotonic() - started) * 1000))

    try:
        status, location = _send(url, body, headers, timeout)
    except addresses.Refused as refused:
        return outcome(None, f"Not sent: {refused}; webhooks go to public addresses only.")
    except TimeoutError:
        return outcome(None, f"Timed out after {timeout:g} s.")
    except socket.gaierror as error:
        return outcome(None, f"Could not resolve the host name: {error.strerror}.")
    except ssl.SSLError as error:
        detail = getattr(error, "verify_message", None) or error.reason or error
        return outcome(None, f"TLS failed: {str(detail).rstrip('.')}.")
    except (OSError, http.client.HTTPException, UnicodeError, ValueError) as error:
        # Refused or reset connections, malformed answers, unusable URLs.
        return outcome(None, f"Connection failed: {type(error).__name__}: {error}")
    if 200 <= status < 300:
        return outcome(status, "")
    return outcome(status, _describe(status, location))
