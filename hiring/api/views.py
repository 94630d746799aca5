"""REST API v1. Thin: querysets come from ``hiring.access`` (what the caller may
see), writes go through ``hiring.services`` (the rules), permission checks are in
``hiring.api.permissions`` (who may change what)."""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from hiring import access, services, webhooks
from hiring.api import filters
from hiring.api import serializers as s
from hiring.api.errors import PreconditionFailed
from hiring.api.idempotency import idempotent
from hiring.api.permissions import EditsOwnScorecard, ManagesHiringData
from hiring.api.schema import error
from hiring.models import (
    Application,
    Candidate,
    Competency,
    Interview,
    Rating,
    Role,
    Scorecard,
    Skill,
    SkillProfile,
    WebhookEndpoint,
)

# ---------------------------------------------------------------------------
# Shared plumbing
# ---------------------------------------------------------------------------


class ApiViewSet(viewsets.GenericViewSet):
    """Base of every API viewset."""

    permission_classes = [IsAuthenticated]
    filter_backends = [DjangoFilterBackend, filters.StrictOrderingFilter]
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ("id",)

    def get_object(self):
        # Filters and ordering are for lists: a detail URL names one object, found
        # among those the caller may see.
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        obj = get_object_or_404(self.get_queryset(), **lookup)
        self.check_object_permissions(self.request, obj)
        return obj

    def filter_queryset(self, queryset):
        params = self.request.query_params
        repeated = [name for name in params if len(params.getlist(name)) > 1]
        if repeated:
            raise ValidationError({name: ["Give this parameter once."] for name in repeated})
        return super().filter_queryset(queryset)


def _apply(instance, data: Mapping):
    for name, value in data.items():
        setattr(instance, name, value)
    return instance


EXTERNAL_ID = OpenApiParameter(
    "external_id",
    {"type": "string", "minLength": 1, "maxLength": 120, "pattern": s.EXTERNAL_ID_PATTERN},
    OpenApiParameter.PATH,
    description="The ATS's id for the object.",
)


class ManagedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Everyone reads what they may see; recruiters and the integration key write.
    PUT replaces, PATCH changes the fields given, PUT by-external-id upserts."""

    permission_classes = [IsAuthenticated, ManagesHiringData]

    def save(self, serializer) -> None:
        """Create or update ``serializer.instance`` from its validated data (a service call)."""
        raise NotImplementedError

    @transaction.atomic
    def perform_create(self, serializer):
        self.save(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @transaction.atomic
    def perform_update(self, serializer):
        self.save(serializer)
        # Re-read so relations prefetched before the change are not shown stale.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def upsert(self, request, external_id=None):
        s.validate_external_id(external_id)
        instance = self.get_queryset().filter(external_id=external_id).first()
        serializer_class = s.upsert_serializer(self.get_serializer_class())
        serializer = serializer_class(
            instance, data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        serializer.validated_data["external_id"] = external_id
        if instance is None:
            self.perform_create(serializer)
            return Response(serializer.data, status=status.HTTP_201_CREATED)
        self.perform_update(serializer)
        return Response(serializer.data)


def upsert_schema(serializer, noun: str):
    serializer = s.upsert_serializer(serializer)
    return extend_schema(
        summary=f"Create or replace the {noun} with this external_id",
        description=f"Creates the {noun} (201) when no {noun} has this external_id, "
        "otherwise replaces it (200). Fields left out take their defaults; the "
        "external_id comes from the URL.",
        parameters=[EXTERNAL_ID],
        request=serializer,
        responses={200: serializer, 201: serializer},
    )


BY_EXTERNAL_ID = r"by-external-id/(?P<external_id>[^/]+)"


# ---------------------------------------------------------------------------
# Profiles
# ---------------------------------------------------------------------------


class ProfileFilter(filters.StrictFilterSet):
    class Meta:
        model = SkillProfile
        fields = ["slug"]


class ProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Skill profiles: versioned checklists of competencies and skills (read-only)."""

    serializer_class = s.ProfileSerializer
    filterset_class = ProfileFilter
    ordering_fields = ["id", "slug", "version"]

    def get_queryset(self):
        skills = Skill.objects.order_by("order", "id")
        competencies = Competency.objects.order_by("order", "id").prefetch_related(
            Prefetch("skills", queryset=skills)
        )
        return SkillProfile.objects.prefetch_related(
            Prefetch("competencies", queryset=competencies)
        )


# ---------------------------------------------------------------------------
# Roles, candidates, applications, interviews
# ---------------------------------------------------------------------------


class RoleViewSet(ManagedViewSet):
    """Roles (requisitions). Everyone reads the roles they may see; recruiters and the
    integration key create and change them."""

    serializer_class = s.RoleSerializer
    filterset_class = filters.RoleFilter
    ordering_fields = ["id", "created_at", "updated_at", "title"]

    def get_queryset(self):
        return access.roles_for(self.request.user).select_related("profile", "hiring_lead")

    @upsert_schema(s.RoleSerializer, "role")
    @action(detail=False, methods=["put"], url_path=BY_EXTERNAL_ID, url_name="by-external-id")
    def by_external_id(self, request, external_id=None):
        return self.upsert(request, external_id)

    def save(self, serializer):
        role = _apply(serializer.instance or Role(), serializer.validated_data)
        serializer.instance = services.role_save(role=role)


class CandidateViewSet(ManagedViewSet):
    """Candidates. Hiring leads and interviewers see the candidates of their roles and
    interviews; recruiters and the integration key create and change them."""

    serializer_class = s.CandidateSerializer
    filterset_class = filters.CandidateFilter
    ordering_fields = ["id", "created_at", "updated_at", "name"]

    def get_queryset(self):
        return access.candidates_for(self.request.user)

    @upsert_schema(s.CandidateSerializer, "candidate")
    @action(detail=False, methods=["put"], url_path=BY_EXTERNAL_ID, url_name="by-external-id")
    def by_external_id(self, request, external_id=None):
        return self.upsert(request, external_id)

    def save(self, serializer):
        candidate = _apply(serializer.instance or Candidate(), serializer.validated_data)
        serializer.instance = services.candidate_save(candidate=candidate)


class ApplicationViewSet(ManagedViewSet):
    """Applications: a candidate for a role, with a stage."""

    serializer_class = s.ApplicationSerializer
    filterset_class = filters.ApplicationFilter

    def get_queryset(self):
        return access.applications_for(self.request.user)

    @upsert_schema(s.ApplicationSerializer, "application")
    @action(detail=False, methods=["put"], url_path=BY_EXTERNAL_ID, url_name="by-external-id")
    def by_external_id(self, request, external_id=None):
        return self.upsert(request, external_id)

    def save(self, serializer):
        application = _apply(serializer.instance or Application(), serializer.validated_data)
        serializer.instance = services.application_save(application=application)


class InterviewViewSet(ManagedViewSet):
    """Interviews: their panel (interviewer emails) and focus competencies. Each
    interviewer on the panel gets a draft scorecard."""

    serializer_class = s.InterviewSerializer
    filterset_class = filters.InterviewFilter

    def get_queryset(self):
        panel = Scorecard.objects.select_related("interviewer").only(
            "interview_id", "interviewer__email"
        )
        return access.interviews_for(self.request.user).prefetch_related(
            Prefetch("focus_competencies", queryset=Competency.objects.only("key")),
            Prefetch("scorecards", queryset=panel),
        )

    @upsert_schema(s.InterviewSerializer, "interview")
    @action(detail=False, methods=["put"], url_path=BY_EXTERNAL_ID, url_name="by-external-id")
    def by_external_id(self, request, external_id=None):
        return self.upsert(request, external_id)

    def save(self, serializer):
        data = dict(serializer.validated_data)
        focus = data.pop("focus_competencies", None)
        emails = data.pop("interviewers", None)
        panel = None
        if emails is not None:
            unique_emails = list(dict.fromkeys(email.lower() for email in emails))
            panel = [services.user_get_or_invite(email=email) for email in unique_emails]
        serializer.instance = services.interview_save(
            interview=_apply(serializer.instance or Interview(), data),
            focus_competency_keys=focus,
            interviewers=panel,
        )


# ---------------------------------------------------------------------------
# Scorecards
# ---------------------------------------------------------------------------


def etag(card: Scorecard) -> str:
    return f'"{card.pk}-{card.row_version}"'


def expected_version(request, card: Scorecard) -> int | None:
    """The row_version the client edited (from If-Match), or None for no check."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags:
        return None
    if etag(card) in tags:
        return card.row_version
    raise PreconditionFailed()


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag you last read. When the scorecard has changed since, "
    "the request is refused with 412 and nothing changes.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=["200"],
    required=True,
    description="The scorecard's version; send it back as If-Match.",
)


def scorecard_write_schema(request_serializer, summary: str):
    return extend_schema(
        summary=summary,
        request=request_serializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: s.ScorecardSerializer, 412: error(412)},
    )


@extend_schema_view(
    retrieve=extend_schema(parameters=[ETAG]),
)
class ScorecardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Scorecards: created when an interviewer joins an interview's panel;
    filled in, submitted and corrected by that interviewer."""

    serializer_class = s.ScorecardSerializer
    permission_classes = [IsAuthenticated, EditsOwnScorecard]
    filterset_class = filters.ScorecardFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        # The competency and the application are for the Greenhouse shape.
        ratings = Rating.objects.select_related("skill__competency")
        return (
            access.scorecards_for(self.request.user)
            .select_related("interview__application", "interviewer", "profile")
            .prefetch_related(Prefetch("ratings", queryset=ratings))
        )

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def _respond(self, card: Scorecard) -> Response:
        return Response(self.get_serializer(card).data, headers={"ETag": etag(card)})

    def _content(self, request, serializer_class) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "ratings" in data:
            data["ratings"] = [services.RatingInput(**rating) for rating in data["ratings"]]
        return data

    def _write(self, service, request, serializer_class) -> Response:
        card = self.get_object()
        version = expected_version(request, card)  # a stale If-Match fails before any work
        content = self._content(request, serializer_class)
        try:
            service(scorecard=card, by=request.user, expected_version=version, **content)
        except services.StaleVersion:  # changed between our read and the service's lock
            raise PreconditionFailed() from None
        # Re-read, so the ratings shown are the saved ones, not those prefetched before.
        return self._respond(self.get_queryset().get(pk=card.pk))

    @scorecard_write_schema(s.ScorecardDraftSerializer, "Edit a draft scorecard")
    def partial_update(self, request, pk=None):
        return self._write(services.scorecard_save_draft, request, s.ScorecardDraftSerializer)

    @scorecard_write_schema(
        s.ScorecardSubmitSerializer, "Submit a scorecard (400 lists every unmet requirement)"
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, pk=None):
        return self._write(services.scorecard_submit, request, s.ScorecardSubmitSerializer)

    @scorecard_write_schema(
        s.ScorecardReviseSerializer, "Correct a submitted scorecard, with a reason"
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def revise(self, request, pk=None):
        return self._write(services.scorecard_revise, request, s.ScorecardReviseSerializer)

    @extend_schema(
        summary="A scorecard in Greenhouse Harvest's scorecard shape",
        responses={200: s.GreenhouseScorecardSerializer},
    )
    @action(detail=True, methods=["get"], url_path="greenhouse")
    def greenhouse(self, request, pk=None):
        return Response(s.GreenhouseScorecardSerializer(self.get_object()).data)

    @extend_schema(
        summary="Scorecards in Greenhouse Harvest's scorecard shape",
        description="The same filters as the scorecard list; `updated_after` pulls only "
        "what changed since the last sync.",
        responses={200: s.GreenhouseScorecardSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="greenhouse", url_name="greenhouse-list")
    def greenhouse_list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.GreenhouseScorecardSerializer(page, many=True).data)


# ---------------------------------------------------------------------------
# Webhook endpoints
# ---------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        summary="Create a webhook endpoint (the response shows its secret, once)",
        request=s.WebhookEndpointSerializer,
        responses={201: s.WebhookEndpointCreatedSerializer},
    ),
)
class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """Where the service POSTs signed events (recruiters and the integration key)."""

    serializer_class = s.WebhookEndpointSerializer
    permission_classes = [IsAuthenticated, ManagesHiringData]

    def get_queryset(self):
        return access.webhook_endpoints_for(self.request.user)

    @idempotent
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = webhooks.endpoint_save(endpoint=WebhookEndpoint(**serializer.validated_data))
        return Response(
            s.WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )

    def perform_update(self, serializer):
        endpoint = _apply(serializer.instance, serializer.validated_data)
        serializer.instance = webhooks.endpoint_save(endpoint=endpoint)

    def perform_destroy(self, instance):
        webhooks.endpoint_delete(endpoint=instance)
