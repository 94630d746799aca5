"""Roles, candidates, applications and interviews: read what you may see; recruiters
and the integration key write (each save is one service call)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from hiring import access, audit, selectors, services
from hiring.api import filters
from hiring.api.fields import Text
from hiring.api.idempotency import idempotent
from hiring.api.permissions import ExportsCandidatesData
from hiring.api.schema import error
from hiring.api.serializers.base import StrictMixin
from hiring.api.serializers.pipeline import (
    ApplicationSerializer,
    CandidateSerializer,
    InterviewSerializer,
    RoleSerializer,
)
from hiring.api.serializers.privacy import CandidateExportSerializer
from hiring.api.serializers.profiles import KitSerializer
from hiring.api.views.base import BY_EXTERNAL_ID, ManagedViewSet, apply, upsert_schema
from hiring.models import Application, AuditAction, Candidate, Interview, Role


class CandidateEraseSerializer(StrictMixin, serializers.Serializer):
    reason = Text(max_length=200, help_text="Why the candidate is erased (kept, for the record).")


class RoleViewSet(ManagedViewSet):
    """Roles (requisitions). Everyone reads the roles they may see; recruiters and the
    integration key create and change them."""

    serializer_class = RoleSerializer
    filterset_class = filters.RoleFilter
    ordering_fields = ["id", "created_at", "updated_at", "title"]

    def get_queryset(self):
        return access.roles_for(self.request.user).select_related("profile", "hiring_lead")

    @upsert_schema(RoleSerializer, "role")
    @action(detail=False, methods=["put"], url_path=BY_EXTERNAL_ID, url_name="by-external-id")
    def by_external_id(self, request, external_id=None):
        return self.upsert(request, external_id)

    def save(self, serializer):
        role = apply(serializer.instance or Role(), serializer.validated_data)
        serializer.instance = services.role_save(role=role)


class CandidateViewSet(ManagedViewSet):
    """Candidates. Hiring leads and interviewers see the candidates of their roles and
    interviews; recruiters and the integration key create and change them."""

    serializer_class = CandidateSerializer
    filterset_class = filters.CandidateFilter
    ordering_fields = ["id", "created_at", "updated_at", "name"]

    def get_queryset(self):
        return access.candidates_for(self.request.user)

    @upsert_schema(CandidateSerializer, "candidate")
    @action(detail=False, methods=["put"], url_path=BY_EXTERNAL_ID, url_name="by-external-id")
    def by_external_id(self, request, external_id=None):
        return self.upsert(request, external_id)

    def save(self, serializer):
        candidate = apply(serializer.instance or Candidate(), serializer.validated_data)
        serializer.instance = services.candidate_save(candidate=candidate)

    @extend_schema(
        summary="Erase a candidate (irreversible)",
        description="Removes the name, email, external ids and every text written about the "
        "candidate, keeps the scores, recommendations, interviewers and dates (so the "
        "comparison's numbers stay exactly as they were), and sends `candidate.erased`. "
        "Recruiters and the integration key; 409 when already erased.",
        request=CandidateEraseSerializer,
        responses={200: CandidateSerializer, 409: error(409, "The candidate is already erased.")},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def erase(self, request, pk=None):
        candidate = self.get_object()
        body = CandidateEraseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.candidate_erase(candidate=candidate, reason=body.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=candidate.pk)).data)

    @extend_schema(
        summary="Everything held about a candidate (subject access)",
        description="The candidate, their applications, interviews, every scorecard's "
        "content and corrections, and the audit events about them. Recruiters only.",
        responses={
            200: CandidateExportSerializer,
            403: error(403, "Only recruiters export what is held about a candidate."),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[*ManagedViewSet.permission_classes, ExportsCandidatesData],
    )
    def export(self, request, pk=None):
        candidate = self.get_object()
        audit.record(action=AuditAction.EXPORT, object_type="candidate", object_id=candidate.pk)
        loaded = selectors.candidates_for_export(Candidate.objects.filter(pk=candidate.pk)).get()
        loaded.audit_events = list(selectors.audit_events_about(loaded))
        return Response(CandidateExportSerializer(loaded).data)


class ApplicationViewSet(ManagedViewSet):
    """Applications: a candidate for a role, with the ATS's stage, a status and the
    current decision."""

    serializer_class = ApplicationSerializer
    filterset_class = filters.ApplicationFilter

    def get_queryset(self):
        user = self.request.user
        return selectors.applications_with_decision(
            access.applications_for(user), access.decisions_for(user)
        )

    @upsert_schema(ApplicationSerializer, "application")
    @action(detail=False, methods=["put"], url_path=BY_EXTERNAL_ID, url_name="by-external-id")
    def by_external_id(self, request, external_id=None):
        return self.upsert(request, external_id)

    def save(self, serializer):
        application = apply(serializer.instance or Application(), serializer.validated_data)
        serializer.instance = services.application_save(application=application)


class InterviewViewSet(ManagedViewSet):
    """Interviews: their panel (interviewer emails) and focus competencies. Each
    interviewer on the panel gets a draft scorecard."""

    serializer_class = InterviewSerializer
    filterset_class = filters.InterviewFilter

    def get_queryset(self):
        if self.action == "kit":
            kits = access.interview_kits_for(self.request.user)
            return kits.select_related("application__role__profile")
        return selectors.interviews_with_panel(access.interviews_for(self.request.user))

    @upsert_schema(InterviewSerializer, "interview")
    @action(detail=False, methods=["put"], url_path=BY_EXTERNAL_ID, url_name="by-external-id")
    def by_external_id(self, request, external_id=None):
        return self.upsert(request, external_id)

    def save(self, serializer):
        data = dict(serializer.validated_data)
        stage_key = data.pop("plan_stage", None)
        if stage_key is not None:
            application = data.get("application") or serializer.instance.application
            data = services.interview_plan_defaults(
                application=application, stage_key=stage_key, given=data
            )
        focus = data.pop("focus_competencies", None)
        emails = data.pop("interviewers", None)
        panel = None if emails is None else services.users_get_or_invite(emails=emails)
        serializer.instance = services.interview_save(
            interview=apply(serializer.instance or Interview(), data),
            focus_competency_keys=focus,
            interviewers=panel,
        )

    @extend_schema(
        summary="The interview's kit",
        description="The interview's focus competencies (every competency of the role's "
        "profile when it names none), their skills with rating anchors and questions to "
        "ask, and their work samples. For the interview's panel, the role's hiring lead, "
        "recruiters and the integration key.",
        responses={
            200: KitSerializer,
            404: error(404, "No such interview, or one you may not see."),
        },
    )
    @action(detail=True, methods=["get"], url_path="kit", url_name="kit")
    def kit(self, request, pk=None):
        return Response(KitSerializer(selectors.interview_kit(self.get_object())).data)
