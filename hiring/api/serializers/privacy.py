"""The subject-access export: everything held about one candidate, in one document.

``EXPORTED`` names, for every model that points at a candidate (directly or through
others), where its rows appear in the document; ``tests/test_privacy_export.py``
walks Django's model graph and fails when a model is missing here.
"""

from rest_framework import serializers

from hiring.api.serializers.audit import AuditEventSerializer
from hiring.api.serializers.scorecards import ScorecardSerializer
from hiring.models import (
    Application,
    Candidate,
    Decision,
    FeedbackReminder,
    Interview,
    Rating,
    Scorecard,
    ScorecardRevision,
)


class ExportRevisionSerializer(serializers.ModelSerializer):
    """A correction: who, when, why, and the content it replaced."""

    revised_by = serializers.EmailField(source="revised_by.email", read_only=True)
    previous = serializers.JSONField(read_only=True)

    class Meta:
        model = ScorecardRevision
        fields = ["id", "number", "reason", "revised_by", "revised_at", "previous"]


class ExportReminderSerializer(serializers.ModelSerializer):
    """A feedback reminder mailed to the interviewer about this scorecard."""

    class Meta:
        model = FeedbackReminder
        fields = ["id", "number", "sent_at"]


class ExportScorecardSerializer(ScorecardSerializer):
    revisions = ExportRevisionSerializer(many=True, read_only=True)
    reminders = ExportReminderSerializer(many=True, read_only=True)

    class Meta(ScorecardSerializer.Meta):
        fields = [*ScorecardSerializer.Meta.fields, "revisions", "reminders"]
        read_only_fields = fields


class ExportInterviewSerializer(serializers.ModelSerializer):
    focus_competencies = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    scorecards = ExportScorecardSerializer(many=True, read_only=True)

    class Meta:
        model = Interview
        fields = [
            "id",
            "external_id",
            "name",
            "scheduled_at",
            "duration_minutes",
            "focus_competencies",
            "scorecards",
            "created_at",
            "updated_at",
        ]


class ExportRoleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ExportDecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.EmailField(source="decided_by.email", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "decision",
            "rationale",
            "override_reason",
            "is_override",
            "decided_by",
            "decided_at",
            "score",
            "calibrated_score",
            "calibrated_rank",
            "recommendations",
            "scorecards_submitted",
            "scorecards_pending",
        ]
        read_only_fields = fields


class ExportApplicationSerializer(serializers.ModelSerializer):
    role = ExportRoleSerializer(read_only=True)
    interviews = ExportInterviewSerializer(many=True, read_only=True)
    decisions = ExportDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "external_id",
            "role",
            "stage",
            "status",
            "interviews",
            "decisions",
            "created_at",
            "updated_at",
        ]


class ExportCandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = ["id", "external_id", "name", "email", "erased_at", "created_at", "updated_at"]


class CandidateExportSerializer(serializers.Serializer):
    """Everything held about a candidate (GDPR art. 15): the candidate, their
    applications with interviews, every scorecard's content and corrections, and the
    audit events about any of them."""

    candidate = ExportCandidateSerializer(source="*", read_only=True)
    applications = ExportApplicationSerializer(many=True, read_only=True)
    audit_events = AuditEventSerializer(many=True, read_only=True)


# Where each model's rows about the candidate appear: a dotted path of list keys.
EXPORTED = {
    Candidate: "candidate",
    Application: "applications",
    Interview: "applications.interviews",
    Scorecard: "applications.interviews.scorecards",
    Rating: "applications.interviews.scorecards.ratings",
    ScorecardRevision: "applications.interviews.scorecards.revisions",
    FeedbackReminder: "applications.interviews.scorecards.reminders",
    Decision: "applications.decisions",
}
