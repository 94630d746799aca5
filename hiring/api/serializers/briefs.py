"""Role briefs: the brief as read and as written, and a regeneration's changes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hiring.api.fields import Boolean, Integer, Slug, Text
from hiring.api.serializers.base import StrictMixin
from hiring.api.serializers.profiles import SalaryBandSerializer
from hiring.models import BRIEF_FIELDS
from hiring.validators import INTERVIEW_MINUTES_MESSAGE, MAX_INTERVIEW_MINUTES, MAX_PLAN_STAGES


def lines(help_text: str) -> serializers.ListField:
    return serializers.ListField(child=Text(max_length=500), max_length=30, help_text=help_text)


class PlanStageSerializer(StrictMixin, serializers.Serializer):
    key = Slug(max_length=60, help_text="Names the interview; `plan_stage` on an interview.")
    name = Text(max_length=200)
    duration_minutes = Integer(
        min_value=1,
        max_value=MAX_INTERVIEW_MINUTES,
        error_messages=dict.fromkeys(("min_value", "max_value"), INTERVIEW_MINUTES_MESSAGE),
    )
    focus_competencies = serializers.ListField(
        child=Slug(max_length=60), min_length=1, max_length=30, help_text="Competency keys."
    )


class CostSerializer(serializers.Serializer):
    currency = serializers.CharField()
    recruitment_cost = serializers.IntegerField()
    recruitment_cost_source = serializers.ChoiceField(choices=["setting", "role"])
    first_year_minimum = serializers.IntegerField()
    first_year_maximum = serializers.IntegerField()
    open_ended = serializers.BooleanField()


class RoleBriefSerializer(StrictMixin, serializers.Serializer):
    """A role's brief. Every competency counts in the interview plan: each is the focus of
    at least one interview, the heaviest-weighted of at least two."""

    role = serializers.IntegerField(source="role_id", read_only=True)
    summary = Text(max_length=3000)
    responsibilities = lines("What the hire will do, heaviest-weighted competency first.")
    requirements = lines("What the hire needs, heaviest-weighted competency first.")
    deliverable_90_days = Text(max_length=3000, allow_blank=True)
    interview_plan = PlanStageSerializer(many=True, min_length=1, max_length=MAX_PLAN_STAGES)
    recruitment_cost = Integer(
        min_value=0,
        max_value=10_000_000,
        allow_null=True,
        default=None,
        help_text="This role's cost of hiring besides the salary; null uses the "
        "RECRUITMENT_COST_PER_HIRE setting.",
    )
    salary_band = serializers.SerializerMethodField()
    cost = serializers.SerializerMethodField(
        help_text="First-year cost range: the salary band plus the recruitment cost."
    )
    edited_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=BRIEF_FIELDS),
        read_only=True,
        help_text="Fields a person changed from the generated text; regenerating keeps them "
        "unless accepted.",
    )
    stale = serializers.SerializerMethodField(
        help_text="The role's profile, level, weights or intake changed since generation."
    )
    generated_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(SalaryBandSerializer(allow_null=True))
    def get_salary_band(self, brief):
        band = self.context["band"]
        return SalaryBandSerializer(band).data if band else None

    @extend_schema_field(CostSerializer(allow_null=True))
    def get_cost(self, brief):
        return self.context["cost"]

    def get_stale(self, brief) -> bool:
        return self.context["stale"]


class RegenerateInputSerializer(StrictMixin, serializers.Serializer):
    accept = serializers.ListField(
        child=serializers.ChoiceField(choices=BRIEF_FIELDS),
        max_length=len(BRIEF_FIELDS),
        default=list,
        help_text="Edited fields to replace with the new text (offered by an earlier call).",
    )
    preview = Boolean(default=False, help_text="Only say what would change.")


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=BRIEF_FIELDS)
    status = serializers.ChoiceField(
        choices=["unchanged", "updated", "accepted", "offered"],
        help_text="updated: nobody had edited it, so it takes the new text; offered: a "
        "person's edit, kept, with the new text offered; accepted: replaced at their say.",
    )
    current = serializers.JSONField(help_text="What the brief said before.")
    generated = serializers.JSONField(help_text="What the generator writes now.")


class RegenerateResultSerializer(serializers.Serializer):
    brief = RoleBriefSerializer()
    changes = FieldChangeSerializer(many=True)
