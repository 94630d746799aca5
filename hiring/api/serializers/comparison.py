"""The documented shape of the role comparison (drf-spectacular); the data itself
is the plain dict ``hiring.comparison`` computes."""

from rest_framework import serializers

from hiring.models import Recommendation


class ComparisonRoleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    team = serializers.CharField()
    level = serializers.CharField()
    status = serializers.CharField()
    external_id = serializers.CharField(allow_null=True)
    weight_overrides = serializers.DictField(child=serializers.FloatField())


class ComparisonSkillSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class ComparisonProfileCompetencySerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField(
        help_text="Weight used: the role's override, else the profile's."
    )
    profile_weight = serializers.FloatField()
    skills = ComparisonSkillSerializer(many=True)


class ComparisonProfileSerializer(serializers.Serializer):
    slug = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    competencies = ComparisonProfileCompetencySerializer(many=True)


class ComparisonCandidateRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="'Erased candidate' once erased.")
    erased_at = serializers.DateTimeField(
        allow_null=True, help_text="When the candidate was erased; null otherwise."
    )


class ComparisonScorecardCountsSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    pending = serializers.IntegerField()


ComparisonRecommendationsSerializer = type(
    "ComparisonRecommendationsSerializer",
    (serializers.Serializer,),
    {value: serializers.IntegerField() for value in Recommendation.values},
)


class ComparisonCompetencyScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    mean = serializers.FloatField(allow_null=True)
    calibrated_mean = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField(help_text="Number of scores.")
    spread = serializers.IntegerField(
        allow_null=True, help_text="Widest gap between two scores of one skill."
    )
    disagreement = serializers.BooleanField()
    disagreement_skills = serializers.ListField(child=serializers.CharField())


class ComparisonCandidateSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    candidate = ComparisonCandidateRefSerializer()
    stage = serializers.CharField()
    scorecards = ComparisonScorecardCountsSerializer()
    recommendations = ComparisonRecommendationsSerializer(
        allow_null=True, help_text="Null when hidden from you."
    )
    competencies = ComparisonCompetencyScoreSerializer(many=True)
    score = serializers.FloatField(allow_null=True, help_text="Weighted, on the 1–4 scale.")
    calibrated_score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    calibrated_rank = serializers.IntegerField(allow_null=True)
    coverage = serializers.FloatField(
        allow_null=True,
        help_text="Share of the profile's skills scored at least once (null when hidden).",
    )
    unassessed_skills = serializers.ListField(child=serializers.CharField())
    complete = serializers.BooleanField(
        allow_null=True,
        help_text="False while a scorecard is pending or a competency the role weighs has no "
        "score yet: an incomplete candidate is never ranked above a complete one (null when "
        "hidden from you and nothing is pending).",
    )
    incomplete_reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=["pending_scorecards", "focus_not_covered"]),
        help_text="Why the candidate is incomplete: pending_scorecards, focus_not_covered.",
    )
    uncovered_competencies = serializers.ListField(
        child=serializers.CharField(),
        help_text="Keys of the competencies the role weighs that nobody has scored yet.",
    )
    hidden = serializers.BooleanField(
        help_text="True while you have an unsubmitted scorecard for this candidate (or, with "
        "after_panel_complete, while their panel is incomplete): the row then shows the "
        "candidate and scorecard counts only."
    )


class ComparisonInterviewerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    ratings = serializers.IntegerField(allow_null=True)
    shared_ratings = serializers.IntegerField(allow_null=True)
    role_ratings = serializers.IntegerField(allow_null=True)
    offset = serializers.FloatField(
        allow_null=True, help_text="Positive: lenient; negative: harsh. Null when hidden."
    )


class ComparisonAgreementSerializer(serializers.Serializer):
    alpha = serializers.FloatField(allow_null=True)
    interpretation = serializers.CharField()
    explanation = serializers.CharField()
    level = serializers.CharField()
    units = serializers.IntegerField(allow_null=True)
    ratings = serializers.IntegerField(allow_null=True)


class ComparisonCalibrationSerializer(serializers.Serializer):
    method = serializers.CharField()
    prior_ratings = serializers.FloatField()


class ComparisonSerializer(serializers.Serializer):
    role = ComparisonRoleSerializer()
    profile = ComparisonProfileSerializer()
    candidates = ComparisonCandidateSerializer(many=True)
    interviewers = ComparisonInterviewerSerializer(many=True)
    agreement = ComparisonAgreementSerializer()
    calibration = ComparisonCalibrationSerializer()
    statistics_hidden = serializers.BooleanField(
        help_text="True when agreement, offsets and calibrated figures are withheld from you "
        "because you have an unsubmitted scorecard somewhere (they blend every application)."
    )
