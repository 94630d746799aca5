"""The role comparison over the API (JSON or CSV, with an ETag) and ``/api/v1/me/``."""

import csv
import io

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring import access
from hiring.api.schema import error
from hiring.comparison import comparison_csv_rows, comparison_stamp, role_comparison
from hiring.models import Recommendation, Role


class ComparisonCSVRenderer(BaseRenderer):
    """One row per candidate, for a spreadsheet."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(comparison_csv_rows(data))
        return buffer.getvalue().encode(self.charset)


# ---------------------------------------------------------------------------
# The documented shape (drf-spectacular); the data itself is a plain dict
# ---------------------------------------------------------------------------


class ComparisonRoleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    team = serializers.CharField()
    level = serializers.CharField()
    status = serializers.CharField()
    external_id = serializers.CharField(allow_null=True)
    weight_overrides = serializers.DictField(child=serializers.FloatField())


class ComparisonSkillSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class ComparisonProfileCompetencySerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField(
        help_text="Weight used: the role's override, else the profile's."
    )
    profile_weight = serializers.FloatField()
    skills = ComparisonSkillSerializer(many=True)


class ComparisonProfileSerializer(serializers.Serializer):
    slug = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    competencies = ComparisonProfileCompetencySerializer(many=True)


class ComparisonCandidateRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ComparisonScorecardCountsSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    pending = serializers.IntegerField()


ComparisonRecommendationsSerializer = type(
    "ComparisonRecommendationsSerializer",
    (serializers.Serializer,),
    {value: serializers.IntegerField() for value in Recommendation.values},
)


class ComparisonCompetencyScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    mean = serializers.FloatField(allow_null=True)
    calibrated_mean = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField(help_text="Number of scores.")
    spread = serializers.IntegerField(
        allow_null=True, help_text="Widest gap between two scores of one skill."
    )
    disagreement = serializers.BooleanField()
    disagreement_skills = serializers.ListField(child=serializers.CharField())


class ComparisonCandidateSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    candidate = ComparisonCandidateRefSerializer()
    stage = serializers.CharField()
    scorecards = ComparisonScorecardCountsSerializer()
    recommendations = ComparisonRecommendationsSerializer()
    competencies = ComparisonCompetencyScoreSerializer(many=True)
    score = serializers.FloatField(allow_null=True, help_text="Weighted, on the 1–4 scale.")
    calibrated_score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    calibrated_rank = serializers.IntegerField(allow_null=True)
    coverage = serializers.FloatField(
        help_text="Share of the profile's skills scored at least once."
    )
    unassessed_skills = serializers.ListField(child=serializers.CharField())


class ComparisonInterviewerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    ratings = serializers.IntegerField()
    shared_ratings = serializers.IntegerField()
    role_ratings = serializers.IntegerField()
    offset = serializers.FloatField(help_text="Positive: lenient; negative: harsh.")


class ComparisonAgreementSerializer(serializers.Serializer):
    alpha = serializers.FloatField(allow_null=True)
    interpretation = serializers.CharField()
    explanation = serializers.CharField()
    level = serializers.CharField()
    units = serializers.IntegerField()
    ratings = serializers.IntegerField()


class ComparisonCalibrationSerializer(serializers.Serializer):
    method = serializers.CharField()
    prior_ratings = serializers.FloatField()


class ComparisonSerializer(serializers.Serializer):
    role = ComparisonRoleSerializer()
    profile = ComparisonProfileSerializer()
    candidates = ComparisonCandidateSerializer(many=True)
    interviewers = ComparisonInterviewerSerializer(many=True)
    agreement = ComparisonAgreementSerializer()
    calibration = ComparisonCalibrationSerializer()


# ---------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------


def may_compare(actor, stamp) -> bool:
    """``access.may_compare``, decided without another query.

    The rule also wants the role among ``access.roles_for(actor)``; that
    follows: recruiters and the integration key see every role, and a role's
    hiring lead sees the roles they lead (tests/test_comparison_api.py checks
    this holds for every persona).
    """
    return access.may_compare(actor, Role(pk=stamp.role_id, hiring_lead_id=stamp.hiring_lead_id))


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
        etag = f'"{stamp.etag.strip(chr(34))}-{renderer.format}"'
        if _etag_matches(request.headers.get("If-None-Match"), etag):
            return self._headers(HttpResponseNotModified(), etag)

        # Keyed by the ETag, so a hit is exactly as fresh as a recomputation.
        timeout = getattr(settings, "COMPARISON_CACHE_SECONDS", 300)
        key = f"comparison:{etag}"
        body = cache.get(key) if timeout else None
        if body is None:
            role = Role.objects.select_related("profile").filter(pk=pk).first()
            if role is None:
                raise NotFound()
            data = role_comparison(role)
            body = renderer.render(data, request.accepted_media_type, self.get_renderer_context())
            if timeout:
                cache.set(key, body, timeout)
        content_type = renderer.media_type
        if renderer.charset:
            content_type += f"; charset={renderer.charset}"
        response = HttpResponse(body, content_type=content_type)
        if renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="role-{pk}-comparison.csv"'
        return self._headers(response, etag)

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


class MeSerializer(serializers.Serializer):
    integration = serializers.BooleanField(help_text="True for the ATS's integration key.")
    email = serializers.EmailField(required=False)
    name = serializers.CharField(required=False)
    groups = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema(
    summary="Who am I",
    responses={
        200: MeSerializer,
    },
)
class MeView(APIView):
    """Who the caller is: the smallest authenticated endpoint."""

    def get(self, request):
        user = request.user
        if access.is_integration(user):
            return Response({"integration": True})
        return Response(
            {
                "integration": False,
                "email": user.email,
                "name": user.get_full_name(),
                "groups": sorted(user.groups.values_list("name", flat=True)),
            }
        )
