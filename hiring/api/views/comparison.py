"""The role comparison over the API: JSON or CSV, with an ETag, from the shared read model."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from prometheus_client import Counter
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring import access, audit
from hiring.api.schema import error
from hiring.api.serializers.comparison import ComparisonSerializer
from hiring.comparison import (
    Rendered,
    comparison_csv,
    comparison_for_role,
    comparison_redacted,
    comparison_rendered,
    comparison_stamp,
)
from hiring.models import AuditAction, Role

# Served at /metrics (scorecards/metrics.py): how often the shared comparison cache
# (hiring.comparison.cache) answered a request here.
CACHE_READS = Counter(
    "scorecards_comparison_cache_reads",
    "Comparison cache reads, by result: hit or miss.",
    ["result"],
)


class ComparisonCSVRenderer(BaseRenderer):
    """One row per candidate, for a spreadsheet."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return comparison_csv(data)


def may_compare(actor, stamp) -> bool:
    """``access.may_compare``, decided without another query.

    The rule also wants the role among ``access.roles_for(actor)``; that
    follows: recruiters and the integration key see every role, and a role's
    hiring lead sees the roles they lead (tests/test_comparison_api.py checks
    this holds for every persona).
    """
    return access.may_compare(actor, Role(pk=stamp.role_id, hiring_lead_id=stamp.hiring_lead_id))


def _format_etag(stamp_etag: str, variant: str) -> str:
    return f'"{stamp_etag.strip(chr(34))}-{variant}"'


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


@extend_schema(
    summary="Compare a role's candidates",
    description=(
        "Per candidate: scorecard counts, recommendations, per-competency means, "
        "disagreements, weighted and calibrated scores with ranks, coverage. Per role: "
        "interviewer offsets and Krippendorff's alpha. Only submitted scorecards count. "
        "For the role's hiring lead, recruiters and the integration key."
    ),
    parameters=[
        OpenApiParameter(
            "format", str, enum=["json", "csv"], description="csv: one row per candidate."
        ),
        OpenApiParameter(
            "If-None-Match",
            str,
            location=OpenApiParameter.HEADER,
            description="An ETag from an earlier response: 304 when nothing changed.",
        ),
    ],
    responses={
        (200, "application/json"): ComparisonSerializer,
        (200, "text/csv"): OpenApiTypes.STR,
        304: OpenApiResponse(description="Not modified since the ETag given."),
        404: error(404, "No such role, or not one you may compare."),
    },
)
class RoleComparisonView(APIView):
    renderer_classes = [JSONRenderer, ComparisonCSVRenderer]

    def get(self, request, pk: int):
        stamp = comparison_stamp(pk)
        if stamp is None or not may_compare(request.user, stamp):
            raise NotFound()
        renderer = request.accepted_renderer
        # Independent scoring: what this viewer may not see comes out after the cache,
        # decided on the current state, so an older copy served below is redacted just
        # as the fresh one would be. A redacted body has its own ETag.
        redaction = access.comparison_redaction(request.user, pk)
        variant = f"{redaction.tag}-{renderer.format}" if redaction else renderer.format
        etag = _format_etag(stamp.etag, variant)
        if _etag_matches(request.headers.get("If-None-Match"), etag):
            return self._headers(HttpResponseNotModified(), etag)
        # The shared read model: computed once for all server processes (or, just
        # after a submission, the previous copy under its own ETag while the
        # background worker computes the new one).
        result = self._content(request, pk, stamp, redaction)
        if settings.COMPARISON_CACHE_SECONDS:
            CACHE_READS.labels(result="hit" if result.cached else "miss").inc()
        if not result.fresh:
            etag = _format_etag(result.etag, variant)
            if _etag_matches(request.headers.get("If-None-Match"), etag):
                return self._headers(HttpResponseNotModified(), etag)
        content_type = renderer.media_type
        if renderer.charset:
            content_type += f"; charset={renderer.charset}"
        response = HttpResponse(result.body, content_type=content_type)
        if renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="role-{pk}-comparison.csv"'
        # One INSERT per request, however many candidates the comparison holds.
        audit.record(
            action=AuditAction.EXPORT if renderer.format == "csv" else AuditAction.VIEW,
            object_type="role",
            object_id=pk,
            fields=["comparison", renderer.format],
        )
        return self._headers(response, etag)

    def _content(self, request, pk, stamp, redaction) -> Rendered:
        """The body: the kept bytes for a viewer who sees everything, else the dict
        redacted for this viewer and rendered now (also for an ``indent`` asked for)."""
        renderer = request.accepted_renderer
        media_type = request.accepted_media_type
        indent = isinstance(renderer, JSONRenderer) and renderer.get_indent(media_type, {})
        if not (redaction or indent):
            return comparison_rendered(pk, renderer.format, stamp=stamp)
        result = comparison_for_role(pk, stamp=stamp)
        data = comparison_redacted(result.data, redaction)
        body = renderer.render(data, media_type, self.get_renderer_context())
        return Rendered(result.etag, body, fresh=result.fresh, cached=result.cached)

    @staticmethod
    def _headers(response, etag):
        response["ETag"] = etag
        # Clients may keep it but must ask again (cheaply, with If-None-Match).
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Accept"])
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors keep the API's JSON shape even when CSV was asked for.
        if response.status_code >= 400 and isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
