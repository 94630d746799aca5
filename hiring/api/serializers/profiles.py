"""Skill profiles (read-only) and the market salary bands."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hiring.models import Competency, SalaryBand, Skill, SkillProfile


class AnchorSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=4)
    text = serializers.CharField(help_text="What a rating of this score looks like.")


class SkillSerializer(serializers.ModelSerializer):
    anchors = serializers.SerializerMethodField()

    class Meta:
        model = Skill
        fields = ["key", "name", "description", "anchors"]

    @extend_schema_field(AnchorSerializer(many=True))
    def get_anchors(self, skill):
        return [{"score": score, "text": text} for score, text in skill.anchors.items()]


class CompetencySerializer(serializers.ModelSerializer):
    skills = SkillSerializer(many=True, read_only=True)

    class Meta:
        model = Competency
        fields = ["key", "name", "description", "weight", "skills"]


class ProfileSerializer(serializers.ModelSerializer):
    """One version of a skill profile: competencies, their skills and rating anchors."""

    competencies = CompetencySerializer(many=True, read_only=True)

    class Meta:
        model = SkillProfile
        fields = ["id", "slug", "name", "version", "description", "competencies"]


class SalaryBandSerializer(serializers.ModelSerializer):
    """A market base-salary range for a profile at a level."""

    profile = serializers.CharField(source="profile_slug")
    display = serializers.CharField(read_only=True, help_text="The range as text, e.g. for a page.")

    class Meta:
        model = SalaryBand
        fields = ["profile", "level", "currency", "minimum", "maximum", "open_ended", "display"]
