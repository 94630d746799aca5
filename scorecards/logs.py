"""Request logging: one line per request with its id, route, status, duration and
who made it (a person's email or an API key's name). With LOG_FORMAT=json every log
line is one JSON object (python-json-logger) and carries the request's id.

Nothing here logs a body, a header or a query string, so an API key, a password
or a scorecard's note never reaches the log.
"""

import contextvars
import logging
import re
import time
import uuid

logger = logging.getLogger("scorecards.requests")

REQUEST_ID = contextvars.ContextVar("request_id", default="")
# A request id from the proxy in front is kept when it looks like one.
GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")


def route_of(request) -> str:
    """The URL pattern's name (``api:role-detail``), never the raw path: a bounded set."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else "unmatched"


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record logged while it runs."""

    def filter(self, record):
        record.request_id = REQUEST_ID.get()
        return True


def caller(request) -> dict:
    # DRF puts the API key a request authenticated with on ``request.auth``. (This
    # module imports no models: logging is configured before the apps load.)
    key_name = getattr(getattr(request, "auth", None), "name", None)
    if key_name:
        return {"api_key": key_name}
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        # A person's email; the integration's stand-in user has none.
        return {"user": getattr(user, "email", "") or str(user)}
    return {}


class RequestLogMiddleware:
    """Gives each request an id (``X-Request-ID``: the proxy's, or a new one, sent
    back on the response) and logs it once it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if GIVEN_ID.fullmatch(given) else uuid.uuid4().hex
        # Not reset when the response leaves: Django logs a 4xx or 5xx ("Not Found: …")
        # after the middleware has returned, and that line must carry the id too.
        # The next request in this thread sets its own.
        REQUEST_ID.set(request_id)
        start = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - start) * 1000, 1)
        response["X-Request-ID"] = request_id
        fields = {
            "route": route_of(request),
            "method": request.method,
            "status": response.status_code,
            "duration_ms": duration_ms,
            **caller(request),
        }
        logger.info(
            "%s %s %s %sms",
            request.method,
            fields["route"],
            response.status_code,
            duration_ms,
            extra=fields,
        )
        return response
