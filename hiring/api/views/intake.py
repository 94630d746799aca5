"""Role intake over the API: the questions, a recommendation, and roles created from one.

Thin views: the rule is ``hiring.intake.rules``, the write ``hiring.intake.services``.
Hiring leads, recruiters and the integration key may use it; anyone else gets 403 (the
questions are not secret, so there is nothing to hide behind a 404). A stored intake the
caller may not see is a 404.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring import access, selectors
from hiring.api.idempotency import idempotent
from hiring.api.permissions import MayUseIntake
from hiring.api.schema import error
from hiring.api.serializers.intake import (
    IntakeQuestionSerializer,
    RoleIntakeInputSerializer,
    RoleIntakeRecommendationSerializer,
    RoleIntakeRolesInputSerializer,
    RoleIntakeSerializer,
)
from hiring.intake.services import intake_create_roles, intake_recommend
from hiring.models import User

ERRORS = {
    400: error(400, "Invalid input, with per-field detail."),
    403: error(403, "Not a hiring lead, recruiter or integration key."),
}


class RoleIntakeQuestionsView(APIView):
    permission_classes = [MayUseIntake]

    @extend_schema(
        operation_id="role_intake_questions",
        tags=["role intake"],
        summary="The intake questions and their answers",
        responses={200: IntakeQuestionSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request):
        return Response(IntakeQuestionSerializer(selectors.intake_questions(), many=True).data)


class RoleIntakeRecommendView(APIView):
    permission_classes = [MayUseIntake]

    @extend_schema(
        operation_id="role_intake_recommend",
        tags=["role intake"],
        summary="Recommend a profile from intake answers",
        description="Recommends `ai-engineer`, `ml-engineer`, `both` (hire the ML engineer "
        "first, then the AI engineer) or `insufficient` when fewer than half of the questions "
        "have an answer that points to a profile. Nothing is stored.",
        request=RoleIntakeInputSerializer,
        responses={200: RoleIntakeRecommendationSerializer, **ERRORS},
    )
    @idempotent
    def post(self, request):
        data = _valid(RoleIntakeInputSerializer, request)
        result = intake_recommend(answers=data["answers"], level=data["level"])
        return Response(RoleIntakeRecommendationSerializer(result).data)


class RoleIntakeRolesView(APIView):
    permission_classes = [MayUseIntake]

    @extend_schema(
        operation_id="role_intake_create_roles",
        tags=["role intake"],
        summary="Create the recommended draft role(s) from intake answers",
        description="Creates one draft role per recommended profile (two for `both`), each on "
        "the current version of its profile, and keeps the intake on them. An `insufficient` "
        "recommendation creates nothing and answers 400.",
        request=RoleIntakeRolesInputSerializer,
        responses={201: RoleIntakeSerializer, **ERRORS},
    )
    @idempotent
    def post(self, request):
        data = _valid(RoleIntakeRolesInputSerializer, request)
        hiring_lead = data.get("hiring_lead") or _caller_as_user(request)
        if hiring_lead is None:
            raise ValidationError({"hiring_lead": ["Name the hiring lead by their email."]})
        intake, _roles = intake_create_roles(
            answers=data["answers"],
            level=data["level"],
            hiring_lead=hiring_lead,
            by=request.user,
            title=data["title"],
            team=data["team"],
        )
        intake = selectors.intakes_with_roles(access.intakes_for(request.user)).get(pk=intake.pk)
        return Response(RoleIntakeSerializer(intake).data, status.HTTP_201_CREATED)


class RoleIntakeDetailView(APIView):
    permission_classes = [MayUseIntake]

    @extend_schema(
        operation_id="role_intake_retrieve",
        tags=["role intake"],
        summary="A stored intake and the roles created from it",
        responses={
            200: RoleIntakeSerializer,
            403: ERRORS[403],
            404: error(404, "No such intake, or not one you may see."),
        },
    )
    def get(self, request, pk: int):
        intake = get_object_or_404(
            selectors.intakes_with_roles(access.intakes_for(request.user)), pk=pk
        )
        return Response(RoleIntakeSerializer(intake).data)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _caller_as_user(request) -> User | None:
    return request.user if isinstance(request.user, User) else None
