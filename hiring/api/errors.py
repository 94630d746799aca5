"""One JSON shape for every API error.

    {"code": "validation_error", "message": "title: This field is required.",
     "fields": {"title": ["This field is required."]}}

``code`` is stable and machine-readable, ``message`` is for people, ``fields`` maps
field paths (``"ratings.<skill key>"``, ``"ratings.0.score"``) to messages and is
empty when the error is not about particular fields.
"""

import logging
import math

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.serializers import get_error_detail
from rest_framework.views import exception_handler as drf_exception_handler

from hiring.services import CandidateErased

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"
# Validation codes that mean "clashes with what exists": a 409 conflict, not a 400.
CONFLICT_CODES = {"unique", "conflict"}

ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every 4xx response.",
    "required": ["code", "message", "fields"],
    "properties": {
        "code": {
            "type": "string",
            "description": "Machine-readable error code, e.g. validation_error, not_found, "
            "conflict, precondition_failed, throttled.",
        },
        "message": {"type": "string", "description": "What went wrong, for people."},
        "fields": {
            "type": "object",
            "description": "Field path → messages; empty when the error is not about fields.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with the current state of the resource."


class IdempotencyInProgress(Conflict):
    default_code = "idempotency_in_progress"
    default_detail = (
        "A request with this Idempotency-Key is still being processed; retry shortly "
        "to get its response."
    )
    wait = 1  # seconds, sent as Retry-After


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was already used for a different request; "
        "use a new key for a new request."
    )


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = (
        "The scorecard changed since you read it (If-Match does not match its ETag); "
        "fetch it again and reapply your change."
    )


def if_match_version(request, tag: str, version: int, stale: str | None = None) -> int | None:
    """The row_version the client edited, from If-Match: None when it sends none or "*"
    (no check), ``version`` when it sends the resource's ETag ``tag``, else 412."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [part.strip() for part in header.split(",")]
    if "*" in tags:
        return None
    if tag in tags:
        return version
    raise PreconditionFailed(stale)


class Throttled(exceptions.Throttled):
    """DRF's Throttled, with Retry-After rounded up (never "0")."""

    def __init__(self, wait=None, detail=None, code=None):
        super().__init__(wait=None if wait is None else max(1, math.ceil(wait)), detail=detail)


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"a.b.0.c": [messages]}."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            path = NON_FIELD if key in (NON_FIELD, "__all__") and not prefix else str(key)
            fields.update(flatten(value, f"{prefix}.{path}" if prefix else path))
        return fields
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or NON_FIELD: [str(item) for item in detail]} if detail else {}
        fields = {}
        for index, item in enumerate(detail):
            fields.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return fields
    return {prefix or NON_FIELD: [str(detail)]}


def _codes(codes) -> set[str]:
    if isinstance(codes, dict):
        return set().union(*(_codes(value) for value in codes.values())) if codes else set()
    if isinstance(codes, list):
        return set().union(*(_codes(value) for value in codes)) if codes else set()
    return {str(codes)}


def _validation_message(fields: dict[str, list[str]]) -> str:
    path, messages = next(iter(fields.items()))
    first = messages[0] if path == NON_FIELD else f"{path}: {messages[0]}"
    more = sum(len(m) for m in fields.values()) - 1
    return first + (f" (and {more} more)" if more else "")


def as_api_exception(exc):
    """Django's and the database's exceptions, as the API exceptions they mean."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        return exceptions.ParseError(
            f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
        )
    if isinstance(exc, CandidateErased):
        return Conflict(exc.messages[0], code="conflict")
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError with field paths; show them as fields.
        # get_error_detail keeps each message's code ("conflict", "unique" …).
        detail = get_error_detail(exc)
        return exceptions.ValidationError(
            detail if isinstance(detail, dict) else {NON_FIELD: detail}
        )
    if isinstance(exc, IntegrityError):
        # A constraint the validation could not see coming, e.g. two requests creating
        # the same external_id at once: the loser is told to retry, not given a 500.
        logger.warning("API request hit a database constraint: %s", exc)
        return Conflict(
            "Another change to the same data happened at the same time; retry the request."
        )
    if isinstance(exc, exceptions.Throttled) and not isinstance(exc, Throttled):
        return Throttled(wait=exc.wait)
    return exc


def exception_handler(exc, context):
    exc = as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a real bug, which Django logs and reports as a 500

    if isinstance(exc, exceptions.ValidationError):
        fields = flatten(exc.detail) or {NON_FIELD: ["Invalid input."]}
        codes = _codes(exc.get_codes())
        if codes and codes <= CONFLICT_CODES:
            # Only uniqueness or a fixed field failed: the data clashes with what exists,
            # so it is a conflict.
            response.status_code = status.HTTP_409_CONFLICT
            code = "conflict"
        else:
            code = "validation_error"
        response.data = {"code": code, "message": _validation_message(fields), "fields": fields}
        return response

    detail, code = exc.detail, exc.get_codes()
    if isinstance(detail, dict | list):
        fields = flatten(detail)
        message = _validation_message(fields) if fields else str(exc)
    else:
        fields, message = {}, str(detail)
    response.data = {
        "code": code if isinstance(code, str) else "error",
        "message": message,
        "fields": fields,
    }
    return response


def error_payload(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}
