"""Hiring decisions on an application: the record, and what a new one takes."""

from rest_framework import serializers

from hiring.api.fields import Choice, Text
from hiring.api.serializers.base import StrictMixin
from hiring.models import Decision, DecisionValue
from hiring.validators import MAX_REASON_LENGTH


class DecisionScorecardCountsSerializer(serializers.Serializer):
    submitted = serializers.IntegerField(source="scorecards_submitted")
    pending = serializers.IntegerField(source="scorecards_pending")


class DecisionRecommendationsSerializer(serializers.Serializer):
    definitely_not = serializers.IntegerField()
    no = serializers.IntegerField()
    yes = serializers.IntegerField()
    strong_yes = serializers.IntegerField()
    no_decision = serializers.IntegerField()


class DecisionSnapshotSerializer(serializers.Serializer):
    """The candidate's row of the role comparison when the decision was made."""

    comparison_etag = serializers.CharField(
        help_text="The ETag of GET /api/v1/roles/{id}/comparison/ (JSON) at that moment."
    )
    score = serializers.FloatField(allow_null=True)
    calibrated_score = serializers.FloatField(allow_null=True)
    calibrated_rank = serializers.IntegerField(allow_null=True)
    recommendations = DecisionRecommendationsSerializer(
        help_text="How many submitted scorecards gave each recommendation."
    )
    scorecards = DecisionScorecardCountsSerializer(source="*")


class DecisionSerializer(serializers.ModelSerializer):
    """A recorded decision: never changed; a newer one supersedes it."""

    decided_by = serializers.EmailField(source="decided_by.email", read_only=True)
    is_override = serializers.BooleanField(
        help_text="It went against the panel's majority recommendation, or scorecards "
        "were still pending."
    )
    snapshot = DecisionSnapshotSerializer(source="*")

    class Meta:
        model = Decision
        fields = [
            "id",
            "application",
            "decision",
            "rationale",
            "override_reason",
            "is_override",
            "decided_by",
            "decided_at",
            "snapshot",
        ]
        read_only_fields = fields


class DecisionInputSerializer(StrictMixin, serializers.Serializer):
    decision = Choice(choices=DecisionValue.choices)
    rationale = Text(max_length=MAX_REASON_LENGTH, help_text="Why: required.")
    override_reason = Text(
        max_length=MAX_REASON_LENGTH,
        allow_blank=True,
        default="",
        help_text="Required when the decision overrides the panel: against most submitted "
        "recommendations, or while scorecards are pending.",
    )
