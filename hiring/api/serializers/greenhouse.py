"""Scorecards in the shape of Greenhouse Harvest's scorecard object."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hiring.models import Rating, Recommendation, Scorecard, User

GREENHOUSE_RATINGS = ["definitely_not", "no", "mixed", "yes", "strong_yes"]
# Greenhouse's ratings are our recommendation values (and its "mixed", unused here).
GREENHOUSE_SCORE = {
    1: Recommendation.DEFINITELY_NOT,
    2: Recommendation.NO,
    3: Recommendation.YES,
    4: Recommendation.STRONG_YES,
}
NO_DECISION = Recommendation.NO_DECISION


class GreenhouseUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    name = serializers.CharField()
    email = serializers.EmailField()
    employee_id = serializers.CharField(allow_null=True)

    def to_representation(self, user: User):
        name = user.full_name or user.email
        first, _, last = name.partition(" ")
        return {
            "id": user.pk,
            "first_name": first,
            "last_name": last,
            "name": name,
            "email": user.email,
            "employee_id": None,
        }


class GreenhouseInterviewStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GreenhouseAttributeSerializer(serializers.Serializer):
    """One rated skill: ``type`` is its competency."""

    name = serializers.CharField(help_text="The skill.")
    type = serializers.CharField(help_text="The competency the skill belongs to.")
    note = serializers.CharField(allow_null=True, help_text="The evidence; null when none.")
    rating = serializers.ChoiceField(
        choices=Recommendation.choices,
        help_text="1 → definitely_not, 2 → no, 3 → yes, 4 → strong_yes; "
        "not assessed → no_decision.",
    )

    def to_representation(self, rating: Rating):
        return {
            "name": rating.skill.name,
            "type": rating.skill.competency.name,
            "note": rating.note or None,
            "rating": str(GREENHOUSE_SCORE.get(rating.score, NO_DECISION)),
        }


@extend_schema_field(
    {
        "type": "object",
        "description": "Skill names grouped by rating, as Greenhouse lists them.",
        "required": GREENHOUSE_RATINGS,
        "properties": {
            name: {"type": "array", "items": {"type": "string"}} for name in GREENHOUSE_RATINGS
        },
    }
)
class GreenhouseRatingsField(serializers.Field):
    def get_attribute(self, card):
        return card.ratings.all()  # prefetched by the view

    def to_representation(self, ratings):
        grouped = {name: [] for name in GREENHOUSE_RATINGS}
        for rating in ratings:
            if rating.score in GREENHOUSE_SCORE:
                grouped[str(GREENHOUSE_SCORE[rating.score])].append(rating.skill.name)
        return grouped


class GreenhouseScorecardSerializer(serializers.ModelSerializer):
    """A scorecard as Greenhouse Harvest's API shows one, so tools that read
    Greenhouse scorecards can read ours."""

    interview = serializers.CharField(source="interview.name", help_text="The interview's name.")
    interview_step = serializers.SerializerMethodField()
    candidate_id = serializers.IntegerField(source="interview.application.candidate_id")
    candidate_erased_at = serializers.DateTimeField(
        source="interview.application.candidate.erased_at",
        allow_null=True,
        help_text="Ours, not Greenhouse's: when the candidate was erased; null otherwise.",
    )
    application_id = serializers.IntegerField(source="interview.application_id")
    interviewed_at = serializers.DateTimeField(source="interview.scheduled_at", allow_null=True)
    submitted_by = GreenhouseUserSerializer(source="interviewer")
    interviewer = GreenhouseUserSerializer()
    overall_recommendation = serializers.SerializerMethodField()
    attributes = GreenhouseAttributeSerializer(source="ratings", many=True)
    ratings = GreenhouseRatingsField()

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "created_at",
            "updated_at",
            "interview",
            "interview_step",
            "candidate_id",
            "candidate_erased_at",
            "application_id",
            "interviewed_at",
            "submitted_by",
            "interviewer",
            "submitted_at",
            "overall_recommendation",
            "attributes",
            "ratings",
        ]
        read_only_fields = fields

    @extend_schema_field(GreenhouseInterviewStepSerializer)
    def get_interview_step(self, card):
        return {"id": card.interview_id, "name": card.interview.name}

    @extend_schema_field(serializers.ChoiceField(choices=[*GREENHOUSE_SCORE.values(), NO_DECISION]))
    def get_overall_recommendation(self, card):
        return card.overall_recommendation or NO_DECISION
