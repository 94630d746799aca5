"""A role's brief over the API: JSON or Markdown (``?format=md``), with an ETag; edited
with PUT and regenerated with POST .../regenerate/ (both honour If-Match)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring import access, services
from hiring.api.errors import PreconditionFailed, if_match_version
from hiring.api.idempotency import idempotent
from hiring.api.schema import error
from hiring.api.serializers.briefs import (
    FieldChangeSerializer,
    RegenerateInputSerializer,
    RegenerateResultSerializer,
    RoleBriefSerializer,
)
from hiring.briefs.generate import brief_cost
from hiring.briefs.markdown import brief_markdown
from hiring.models import Role, RoleBrief


class MarkdownRenderer(BaseRenderer):
    media_type = "text/markdown"
    format = "md"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode(self.charset) if isinstance(data, str) else b""


STALE = (
    "The brief changed since you read it (If-Match does not match its ETag); fetch it "
    "again and reapply your change."
)


def etag(brief: RoleBrief) -> str:
    return f'"brief-{brief.role_id}-{brief.row_version}"'


def expected_version(request, brief: RoleBrief) -> int | None:
    return if_match_version(request, etag(brief), brief.row_version, STALE)


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag you last read. When the brief has changed since, the request is "
    "refused with 412 and nothing changes.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=["200"],
    required=True,
    description="The brief's version; send it back as If-Match.",
)
NOT_FOUND = error(404, "No such role, or not one whose brief you may read.")
FORBIDDEN = error(403, "You may read this brief but not change it (the integration key).")


class BriefMixin:
    def role(self, request, pk: int) -> Role:
        role = (
            access.roles_for(request.user)
            .select_related("profile", "intake", "hiring_lead")
            .filter(pk=pk)
            .first()
        )
        if role is None or not access.may_read_brief(request.user, role):
            raise NotFound()
        return role

    def writable(self, request, pk: int) -> RoleBrief:
        role = self.role(request, pk)
        if not access.may_edit_brief(request.user, role):
            raise PermissionDenied("Only recruiters and the role's hiring lead edit its brief.")
        return services.brief_get_or_generate(role=role)

    def context(self, brief: RoleBrief) -> dict:
        band = brief.role.salary_band()
        return {
            "band": band,
            "cost": brief_cost(band=band, recruitment_cost=brief.recruitment_cost),
            "stale": services.brief_is_stale(brief),
        }


class RoleBriefView(BriefMixin, APIView):
    renderer_classes = [JSONRenderer, MarkdownRenderer]

    def get_renderers(self):
        # Markdown is a way to read the brief; writes answer in JSON.
        if self.request.method != "GET":
            return [JSONRenderer()]
        return super().get_renderers()

    @extend_schema(
        operation_id="roles_brief_retrieve",
        tags=["roles"],
        summary="A role's brief",
        description="The job description, first-year cost and interview plan, generated from "
        "the role the first time it is read. `?format=md` gives Markdown for a job board. For "
        "the role's hiring lead, recruiters and the integration key.",
        parameters=[
            OpenApiParameter("format", str, enum=["json", "md"], description="md: Markdown."),
            ETAG,
        ],
        responses={
            (200, "application/json"): RoleBriefSerializer,
            (200, "text/markdown"): OpenApiTypes.STR,
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk: int):
        role = self.role(request, pk)
        brief = services.brief_get_or_generate(role=role)
        if request.accepted_renderer.format == "md":
            names = {c.key: c.name for c in role.profile.competencies.all()}
            body = brief_markdown(
                role=role, brief=brief, band=role.salary_band(), competency_names=names
            )
            return Response(body, headers={"ETag": etag(brief)})
        return self.respond(brief)

    @extend_schema(
        operation_id="roles_brief_update",
        tags=["roles"],
        summary="Edit a role's brief",
        description="Replaces the brief's text and plan. A field that differs from what was "
        "generated counts as edited: regenerating keeps it unless you accept the new text. "
        "The plan must cover every competency that counts, the heaviest-weighted twice.",
        request=RoleBriefSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: RoleBriefSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 412: error(412)},
    )
    def put(self, request, pk: int):
        brief = self.writable(request, pk)
        version = expected_version(request, brief)
        serializer = RoleBriefSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            saved = services.brief_save(
                brief=brief,
                data=serializer.validated_data,
                by=request.user,
                expected_version=version,
            )
        except services.StaleVersion:
            raise PreconditionFailed(STALE) from None
        return self.respond(saved)

    def respond(self, brief: RoleBrief) -> Response:
        data = RoleBriefSerializer(brief, context=self.context(brief)).data
        return Response(data, headers={"ETag": etag(brief)})

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors keep the API's JSON shape even when Markdown was asked for.
        if response.status_code >= 400 and isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class RoleBriefRegenerateView(BriefMixin, APIView):
    @extend_schema(
        operation_id="roles_brief_regenerate",
        tags=["roles"],
        summary="Regenerate a role's brief",
        description="Generates the brief again from the role as it is now and says, field by "
        "field, what changed: fields nobody edited take the new text (`updated`); an edited "
        "field keeps the person's text and the new one is `offered` — send its name in "
        "`accept` to take it. With `preview` nothing is saved.",
        request=RegenerateInputSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={
            200: RegenerateResultSerializer,
            403: FORBIDDEN,
            404: NOT_FOUND,
            412: error(412),
        },
    )
    @idempotent
    def post(self, request, pk: int):
        brief = self.writable(request, pk)
        version = expected_version(request, brief)
        serializer = RegenerateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            brief, changes = services.brief_regenerate(
                brief=brief, by=request.user, expected_version=version, **serializer.validated_data
            )
        except services.StaleVersion:
            raise PreconditionFailed(STALE) from None
        data = {
            "brief": RoleBriefSerializer(brief, context=self.context(brief)).data,
            "changes": FieldChangeSerializer(changes, many=True).data,
        }
        return Response(data, headers={"ETag": etag(brief)})
