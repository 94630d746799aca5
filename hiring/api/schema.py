"""OpenAPI generation: every operation documents every status it can answer.

Errors share one component, ``Error`` (see ``hiring.api.errors``). Which error
statuses an operation can produce follows from what it is (a list, a write, a
detail route...), so they are added here once instead of on every view; views
declare only the ones particular to them (412 on scorecard edits).
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import permissions

from hiring.api.errors import ERROR_SCHEMA
from hiring.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from hiring.api.idempotency import MAX_KEY_LENGTH

ERROR_REF = {"$ref": "#/components/schemas/Error"}
COMPONENTS = {"schemas": {"Error": ERROR_SCHEMA}}

DESCRIPTIONS = {
    "400": "Invalid input: `fields` names each problem.",
    "401": "No credentials, or an unknown or revoked API key.",
    "403": "Authenticated, but not allowed to do this (or a missing CSRF token with a session).",
    "404": "No such object, or one you may not see (lists: an invalid cursor).",
    "409": "Conflicts with existing data (e.g. a duplicate external_id), or a request with "
    "the same Idempotency-Key is still in progress (retry after Retry-After).",
    "406": "The Accept header asks for something other than JSON.",
    "412": "If-Match does not match the scorecard's current ETag: nothing was changed.",
    "415": "The body is not JSON (send Content-Type: application/json).",
    "422": "The Idempotency-Key was already used with a different request.",
    "429": "Too many requests: wait Retry-After seconds.",
}


def error(code: int | str, description: str | None = None) -> OpenApiResponse:
    return OpenApiResponse(response=ERROR_REF, description=description or DESCRIPTIONS[str(code)])


RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    response=["409", "429"],
    description="Seconds to wait before retrying.",
)
WWW_AUTHENTICATE = OpenApiParameter(
    "WWW-Authenticate", str, OpenApiParameter.HEADER, response=["401"]
)
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[ -~]+$"},
    OpenApiParameter.HEADER,
    description="Makes the POST safe to retry: a retry with the same key and body replays "
    "the first response and creates nothing. Use a new random key (e.g. a UUID) per "
    "request; keys are kept 24 hours per API key or user.",
)


class CandidateEmailSchema(OpenApiSerializerFieldExtension):
    """A candidate's email is required in requests, and null in responses once erased."""

    target_class = "hiring.api.fields.CandidateEmail"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "nullable": True} if direction == "response" else schema


class AutoSchema(BaseAutoSchema):
    def _is_write(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")

    def _is_idempotent_post(self) -> bool:
        if self.method != "POST":
            return False
        handler = getattr(self.view, getattr(self.view, "action", None) or "post", None)
        return bool(getattr(handler, "idempotent", False))

    def _allows_anonymous(self) -> bool:
        return any(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), RETRY_AFTER, WWW_AUTHENTICATE]
        if self._is_idempotent_post():
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def error_statuses(self) -> set[str]:
        statuses = {"401", "406", "429"}
        if self._is_write():
            statuses |= {"400", "403", "409"}
            if self.method != "DELETE":
                statuses.add("415")
        if self._is_list_view():
            statuses |= {"400", "404"}  # a bad filter, page size or ordering; a bad cursor
        if "{" in self.path:
            statuses.add("404")
        if self._is_idempotent_post():
            statuses |= {"400", "409", "422"}
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in sorted(self.error_statuses()):
            if status not in responses:
                responses[status] = self._get_response_for_code(error(status), status)
        return responses


def postprocess(result, generator, request, public):
    """Add the shared Error component, and say what the API enforces: request bodies
    take no fields beyond those listed (an unknown field is a 400)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS["schemas"])
    for name, schema in schemas.items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False
        else:
            # A pattern on an input time (e.g. its year range) bounds what is accepted;
            # what comes back has been converted to UTC and may sit a day outside it.
            for field in schema.get("properties", {}).values():
                if field.get("format") == "date-time":
                    field.pop("pattern", None)
    return result
