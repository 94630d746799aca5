"""Skill profiles (read-only) with their interview kits, one interview's kit, and the
market salary bands."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hiring.models import (
    Competency,
    InterviewQuestion,
    SalaryBand,
    Skill,
    SkillProfile,
    WorkSample,
)


class AnchorSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=4)
    text = serializers.CharField(help_text="What a rating of this score looks like.")


def anchor_list(item) -> list[dict]:
    return [{"score": score, "text": text} for score, text in item.anchors.items()]


class QuestionSerializer(serializers.ModelSerializer):
    """A question to ask about the skill."""

    class Meta:
        model = InterviewQuestion
        fields = ["text", "listen_for"]
        extra_kwargs = {
            "text": {"help_text": "The question to ask."},
            "listen_for": {"help_text": "What a strong answer contains, and the red flags."},
        }


class SkillSerializer(serializers.ModelSerializer):
    anchors = serializers.SerializerMethodField()
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Skill
        fields = ["key", "name", "description", "anchors", "questions"]

    @extend_schema_field(AnchorSerializer(many=True))
    def get_anchors(self, skill):
        return anchor_list(skill)


class WorkSampleSerializer(serializers.ModelSerializer):
    """A short exercise showing the competency, with what each rating looks like."""

    anchors = serializers.SerializerMethodField()

    class Meta:
        model = WorkSample
        fields = ["title", "format", "instructions", "anchors"]

    @extend_schema_field(AnchorSerializer(many=True))
    def get_anchors(self, sample):
        return anchor_list(sample)


class CompetencySerializer(serializers.ModelSerializer):
    skills = SkillSerializer(many=True, read_only=True)
    work_samples = WorkSampleSerializer(many=True, read_only=True)

    class Meta:
        model = Competency
        fields = ["key", "name", "description", "weight", "skills", "work_samples"]


class ProfileSerializer(serializers.ModelSerializer):
    """One version of a skill profile: competencies, their skills and rating anchors."""

    competencies = CompetencySerializer(many=True, read_only=True)

    class Meta:
        model = SkillProfile
        fields = ["id", "slug", "name", "version", "description", "competencies"]


class KitProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = SkillProfile
        fields = ["slug", "name", "version"]


class KitSerializer(serializers.Serializer):
    """One interview's kit: its focus competencies (every competency of the role's
    profile when it names none), their skills with anchors and questions, and their
    work samples."""

    interview = serializers.IntegerField(source="interview.pk", help_text="Interview id.")
    name = serializers.CharField(source="interview.name", help_text="The interview's name.")
    application = serializers.IntegerField(
        source="interview.application_id", help_text="Application id."
    )
    scheduled_at = serializers.DateTimeField(source="interview.scheduled_at", allow_null=True)
    duration_minutes = serializers.IntegerField(source="interview.duration_minutes")
    profile = KitProfileSerializer(help_text="The profile version the competencies belong to.")
    competencies = CompetencySerializer(many=True)


class SalaryBandSerializer(serializers.ModelSerializer):
    """A market base-salary range for a profile at a level."""

    profile = serializers.CharField(source="profile_slug")
    display = serializers.CharField(read_only=True, help_text="The range as text, e.g. for a page.")

    class Meta:
        model = SalaryBand
        fields = ["profile", "level", "currency", "minimum", "maximum", "open_ended", "display"]
