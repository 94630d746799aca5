"""Scorecards: what the API shows, and the bodies of a draft edit, a submission and a
correction (the rules are the services')."""

from rest_framework import serializers

from hiring.api.fields import Choice, Integer, Slug, Text
from hiring.api.serializers.base import MAX_LIST, StrictMixin
from hiring.models import Rating, Recommendation, Scorecard


class RatingSerializer(StrictMixin, serializers.Serializer):
    """A score for one skill, with the evidence for it."""

    skill = Slug(max_length=60, help_text="The skill's key in the scorecard's profile.")
    score = Integer(
        min_value=1,
        max_value=4,
        allow_null=True,
        help_text="1 to 4, or null: not assessed.",
    )
    not_assessed = serializers.BooleanField(
        read_only=True, help_text="True when the skill was explicitly not assessed."
    )
    note = Text(allow_blank=True, default="", max_length=10000, help_text="Evidence.")

    def to_representation(self, rating: Rating):
        return {
            "skill": rating.skill.key,
            "score": rating.score,
            "not_assessed": rating.not_assessed,
            "note": rating.note,
        }

    def validate(self, attrs):
        attrs["not_assessed"] = attrs["score"] is None
        return attrs


class ScorecardProfileSerializer(serializers.Serializer):
    slug = serializers.CharField()
    version = serializers.IntegerField()


class ScorecardSerializer(serializers.ModelSerializer):
    """One interviewer's assessment for one interview. Edit drafts with PATCH; submit
    and revise through their actions. ETag / If-Match guard against lost updates."""

    overall_recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, allow_blank=True, read_only=True
    )
    application = serializers.IntegerField(source="interview.application_id", read_only=True)
    interviewer = serializers.EmailField(source="interviewer.email", read_only=True)
    profile = ScorecardProfileSerializer(read_only=True)
    ratings = RatingSerializer(many=True, read_only=True)
    due_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When feedback is due: the interview's end (scheduled_at + duration_minutes) "
        "plus FEEDBACK_DUE_HOURS. Null while the interview is not scheduled.",
    )
    overdue = serializers.BooleanField(
        read_only=True, help_text="True while the scorecard is a draft past due_at."
    )

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "interview",
            "application",
            "interviewer",
            "status",
            "profile",
            "ratings",
            "overall_recommendation",
            "summary",
            "submitted_at",
            "due_at",
            "overdue",
            "revision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ScorecardDraftSerializer(StrictMixin, serializers.Serializer):
    """A draft edit (PATCH): only what is given changes; ratings are upserted by skill."""

    ratings = RatingSerializer(many=True, required=False, max_length=MAX_LIST)
    overall_recommendation = Choice(
        choices=Recommendation.choices, allow_blank=True, required=False
    )
    summary = Text(allow_blank=True, required=False, max_length=20000)


class ScorecardReviseSerializer(ScorecardDraftSerializer):
    """A correction to a submitted scorecard, with the reason for it."""

    reason = Text(max_length=2000, help_text="Why the scorecard is being corrected.")


class ScorecardSubmitSerializer(StrictMixin, serializers.Serializer):
    """Submitting takes no fields: send no body or {}."""
