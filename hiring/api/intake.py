"""Role intake over the API: the questions, a recommendation, and roles created from one.

Thin views: the rule and the write live in ``hiring.intake``. Hiring leads, recruiters and
the integration key may use it; anyone else gets 403 (the questions are not secret, so
there is nothing to hide behind a 404). A stored intake the caller may not see is a 404.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring.api.idempotency import idempotent
from hiring.api.schema import error
from hiring.intake import (
    ADVICE,
    RECOMMENDATIONS,
    IntakeResult,
    intake_create_roles,
    intake_questions,
    intake_recommend,
    intakes_for,
    may_use_intake,
    minimum_counted,
)
from hiring.models import Level, Role, RoleIntake, User


class MayUseIntake(permissions.BasePermission):
    message = "Role intake is for hiring leads, recruiters and the integration key."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) and may_use_intake(request.user)


ERRORS = {
    400: error(400, "Invalid input, with per-field detail."),
    403: error(403, "Not a hiring lead, recruiter or integration key."),
}


# ---------------------------------------------------------------------------
# Serializers
# ---------------------------------------------------------------------------


class IntakeAnswerOptionSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    points_to = serializers.SerializerMethodField()
    implication = serializers.CharField()

    @extend_schema_field(
        {"type": "string", "enum": ["ai-engineer", "ml-engineer"], "nullable": True}
    )
    def get_points_to(self, answer) -> str | None:
        return answer.points_to or None


class IntakeQuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    help_text = serializers.CharField()
    answers = IntakeAnswerOptionSerializer(many=True)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "Question key → answer key. Leave a question out if it was skipped.",
        "example": {"business-goal": "new-product", "timeline": "ship-fast"},
    }
)
class AnswersField(serializers.DictField):
    """A JSON object; its keys and values are checked against the questions in the service,
    so every problem is reported as ``answers.<question key>``."""


class RoleIntakeInputSerializer(serializers.Serializer):
    answers = AnswersField()
    level = serializers.ChoiceField(choices=Level.choices, default=Level.MID)


class IntakeSalaryBandSerializer(serializers.Serializer):
    profile = serializers.CharField(source="profile_slug")
    level = serializers.CharField()
    currency = serializers.CharField()
    minimum = serializers.IntegerField()
    maximum = serializers.IntegerField()
    open_ended = serializers.BooleanField()
    display = serializers.CharField()


class TallySerializer(serializers.Serializer):
    ai_engineer = serializers.IntegerField(source="ai-engineer")
    ml_engineer = serializers.IntegerField(source="ml-engineer")
    not_sure = serializers.IntegerField()
    unanswered = serializers.IntegerField()

    def to_representation(self, tally):
        # The JSON keys are the profile slugs, as in ``recommendation``.
        data = super().to_representation(tally)
        data["ai-engineer"] = data.pop("ai_engineer")
        data["ml-engineer"] = data.pop("ml_engineer")
        return data


TALLY_SCHEMA = {
    "type": "object",
    "properties": {
        "ai-engineer": {"type": "integer"},
        "ml-engineer": {"type": "integer"},
        "not_sure": {"type": "integer"},
        "unanswered": {"type": "integer"},
    },
    "required": ["ai-engineer", "ml-engineer", "not_sure", "unanswered"],
}


class RoleIntakeRecommendationSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=RECOMMENDATIONS)
    strength = serializers.FloatField(
        min_value=0, max_value=1, help_text="|ai − ml| / answers that point to a profile."
    )
    advice = serializers.CharField()
    profiles = serializers.ListField(
        child=serializers.CharField(), help_text="The profiles to hire, in hiring order."
    )
    explanation = serializers.ListField(
        child=serializers.CharField(), help_text="What each answer implies, in question order."
    )
    tally = serializers.SerializerMethodField()
    required_answers = serializers.IntegerField(
        help_text="How many answers must point to a profile for a recommendation."
    )
    level = serializers.ChoiceField(choices=Level.choices)
    salary_bands = IntakeSalaryBandSerializer(many=True)

    def to_representation(self, result: IntakeResult):
        decision = result.decision
        return super().to_representation(
            {
                "recommendation": decision.recommendation,
                "strength": decision.strength,
                "advice": decision.advice,
                "profiles": list(decision.profiles),
                "explanation": decision.explanation,
                "tally": decision.tally,
                "required_answers": minimum_counted(result.question_count),
                "level": result.level,
                "salary_bands": result.salary_bands,
            }
        )

    @extend_schema_field(TALLY_SCHEMA)
    def get_tally(self, data):
        return TallySerializer(data["tally"]).data


class RoleIntakeRolesInputSerializer(RoleIntakeInputSerializer):
    title = serializers.CharField(
        max_length=180,
        required=False,
        allow_blank=True,
        default="",
        help_text="Defaults to the profile's name; with two roles, each gets its profile's name "
        "appended.",
    )
    team = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    hiring_lead = serializers.EmailField(
        required=False,
        help_text="The hiring lead's email; defaults to the caller. Hiring leads can only "
        "name themselves.",
    )

    def validate_hiring_lead(self, email):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise serializers.ValidationError(f"There is no user with the email {email}.")
        return user


class IntakeRoleSerializer(serializers.ModelSerializer):
    profile = serializers.SerializerMethodField()
    hiring_lead = serializers.EmailField(source="hiring_lead.email")
    salary_band = serializers.SerializerMethodField()

    class Meta:
        model = Role
        fields = ("id", "title", "team", "level", "status", "profile", "hiring_lead", "salary_band")

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "slug": {"type": "string"},
                "version": {"type": "integer"},
                "name": {"type": "string"},
            },
            "required": ["slug", "version", "name"],
        }
    )
    def get_profile(self, role):
        profile = role.profile
        return {"slug": profile.slug, "version": profile.version, "name": profile.name}

    @extend_schema_field(IntakeSalaryBandSerializer(allow_null=True))
    def get_salary_band(self, role):
        band = role.salary_band()
        return IntakeSalaryBandSerializer(band).data if band else None


class RoleIntakeSerializer(serializers.ModelSerializer):
    """A stored intake: the answers, what they produced, and the roles created from it."""

    advice = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    roles = IntakeRoleSerializer(many=True, read_only=True)
    answers = AnswersField()
    explanation = serializers.ListField(child=serializers.CharField())
    recommendation = serializers.ChoiceField(choices=RECOMMENDATIONS)

    class Meta:
        model = RoleIntake
        fields = (
            "id",
            "answers",
            "level",
            "recommendation",
            "strength",
            "advice",
            "explanation",
            "created_by",
            "created_at",
            "roles",
        )

    def get_advice(self, intake) -> str:
        return ADVICE.get(intake.recommendation, "")

    @extend_schema_field({"type": "string", "format": "email", "nullable": True})
    def get_created_by(self, intake):
        return intake.created_by.email if intake.created_by else None


# ---------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------


class RoleIntakeQuestionsView(APIView):
    permission_classes = [MayUseIntake]

    @extend_schema(
        operation_id="role_intake_questions",
        tags=["role intake"],
        summary="The intake questions and their answers",
        responses={200: IntakeQuestionSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request):
        return Response(IntakeQuestionSerializer(intake_questions(), many=True).data)


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
        intake = intakes_for(request.user).get(pk=intake.pk)
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
        intake = get_object_or_404(intakes_for(request.user), pk=pk)
        return Response(RoleIntakeSerializer(intake).data)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _caller_as_user(request) -> User | None:
    return request.user if isinstance(request.user, User) else None
