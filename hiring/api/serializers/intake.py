"""Role intake: the questions, a recommendation, and stored intakes with their roles."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hiring.api.fields import Choice, Text, UserEmailField
from hiring.api.serializers.base import StrictMixin
from hiring.api.serializers.profiles import SalaryBandSerializer
from hiring.intake.rules import ADVICE, RECOMMENDATIONS, minimum_counted
from hiring.intake.services import IntakeResult
from hiring.models import Level, Role, RoleIntake


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
        "example": {
            "business-goal": "new-product",
            "technical-risk": "integration-reliability",
            "ninety-day-deliverable": "working-prototype",
            "timeline": "ship-fast",
        },
    }
)
class AnswersField(serializers.DictField):
    """A JSON object; its keys and values are checked against the questions in the service,
    so every problem is reported as ``answers.<question key>``."""


class RoleIntakeInputSerializer(StrictMixin, serializers.Serializer):
    answers = AnswersField()
    level = Choice(choices=Level.choices, default=Level.MID)


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
    salary_bands = SalaryBandSerializer(many=True)

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
    title = Text(
        max_length=180,
        required=False,
        allow_blank=True,
        default="",
        help_text="Defaults to the profile's name; with two roles, each gets its profile's name "
        "appended.",
    )
    team = Text(max_length=120, required=False, allow_blank=True, default="")
    hiring_lead = UserEmailField(
        required=False,
        help_text="The hiring lead's email (an active user); defaults to the caller. Hiring "
        "leads can only name themselves.",
    )


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

    @extend_schema_field(SalaryBandSerializer(allow_null=True))
    def get_salary_band(self, role):
        band = role.salary_band()
        return SalaryBandSerializer(band).data if band else None


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
