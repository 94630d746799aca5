"""Roles, candidates, applications and interviews."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from hiring import access, selectors
from hiring.api.fields import (
    CandidateEmail,
    Choice,
    Email,
    ExternalIdField,
    FocusKeysField,
    Integer,
    PanelEmailsField,
    ProfileSlugField,
    RuleText,
    ScheduleTime,
    Slug,
    Text,
    UserEmailField,
    VisibleIdField,
)
from hiring.api.serializers.base import MAX_LIST, StrictMixin, unique
from hiring.api.serializers.decisions import DecisionSerializer
from hiring.api.serializers.profiles import SalaryBandSerializer
from hiring.models import (
    DEFAULT_STAGE,
    Application,
    ApplicationStatus,
    Candidate,
    FeedbackVisibility,
    Interview,
    Level,
    Role,
    RoleStatus,
    SalaryBand,
)
from hiring.validators import (
    INTERVIEW_MINUTES_MESSAGE,
    MAX_INTERVIEW_MINUTES,
    MAX_STAGE_LENGTH,
    StageNameValidator,
)


class RoleSerializer(StrictMixin, serializers.ModelSerializer):
    """An open requisition, mapped to one version of a skill profile."""

    external_id = ExternalIdField(validators=[unique(Role.objects.all(), "A role")])
    title = Text(max_length=200)
    # PUT replaces the whole role: optional fields left out go back to their defaults.
    team = Text(max_length=120, allow_blank=True, default="")
    level = Choice(choices=Level.choices, default=Level.MID)
    status = Choice(choices=RoleStatus.choices, default=RoleStatus.DRAFT)
    profile = ProfileSlugField(
        help_text="Skill profile slug. A new role (or a change of profile) pins the "
        "profile's current version, shown as profile_version."
    )
    profile_version = serializers.IntegerField(source="profile.version", read_only=True)
    hiring_lead = UserEmailField(help_text="Email of the hiring lead (an existing user).")
    salary_band = serializers.SerializerMethodField(
        help_text="Market base-salary band for the role's profile and level (read-only)."
    )
    feedback_visibility = Choice(
        choices=FeedbackVisibility.choices,
        default=FeedbackVisibility.AFTER_OWN_SUBMIT,
        help_text="When someone on a candidate's panel may read colleagues' scorecards: "
        "after_own_submit, once their own are submitted; after_panel_complete, only once "
        "every scorecard of the interview is submitted too. Either way, whoever has an "
        "unsubmitted scorecard for a candidate - hiring lead and recruiters included - sees "
        "no colleague's content for them.",
    )

    class Meta:
        model = Role
        fields = [
            "id",
            "external_id",
            "title",
            "team",
            "level",
            "status",
            "profile",
            "profile_version",
            "hiring_lead",
            "salary_band",
            "feedback_visibility",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs):
        profile = attrs.get("profile")
        if self.instance is not None and profile and profile.slug == self.instance.profile.slug:
            # Same profile: keep the version the role already uses.
            attrs["profile"] = self.instance.profile
        return attrs

    @extend_schema_field(SalaryBandSerializer(allow_null=True))
    def get_salary_band(self, role):
        # One query for the whole page: the bands are a small table. Each band is
        # serialized once per page, not once per role (a serializer per row was most
        # of a 500-role page's time).
        bands = self.context.get("_salary_bands")
        if bands is None:
            bands = {(b.profile_slug, b.level): b for b in SalaryBand.objects.all()}
            self.context["_salary_bands"] = bands
            self.context["_salary_band_data"] = {}
        key = (role.profile.slug, role.level)
        band = bands.get(key)
        if band is None:
            return None
        shown = self.context["_salary_band_data"]
        if key not in shown:
            shown[key] = SalaryBandSerializer(band).data
        return dict(shown[key])


class CandidateSerializer(StrictMixin, serializers.ModelSerializer):
    """A person applying; one candidate can apply to several roles."""

    external_id = ExternalIdField(validators=[unique(Candidate.objects.all(), "A candidate")])
    name = Text(max_length=200)
    email = CandidateEmail(max_length=254)

    erased_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the candidate was erased (their name then reads 'Erased candidate' "
        "and nothing about them can change); null otherwise.",
    )

    class Meta:
        model = Candidate
        fields = ["id", "external_id", "name", "email", "erased_at", "created_at", "updated_at"]


class ApplicationSerializer(StrictMixin, serializers.ModelSerializer):
    """A candidate for a role. Its role and candidate cannot change once created."""

    external_id = ExternalIdField(validators=[unique(Application.objects.all(), "An application")])
    role = VisibleIdField(access.roles_for, help_text="Role id.")
    candidate = VisibleIdField(access.candidates_for, help_text="Candidate id.")
    stage = RuleText(
        rule=StageNameValidator(),
        trim_whitespace=False,
        min_length=1,
        max_length=MAX_STAGE_LENGTH,
        default=DEFAULT_STAGE,
        help_text='The ATS\'s own name for the stage, e.g. "Onsite loop" (default applied).',
    )
    status = Choice(
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.ACTIVE,
        help_text="Set by the ATS, or by a decision: hire → hired, reject → rejected, "
        "advance or hold → active.",
    )
    decision = serializers.SerializerMethodField(
        help_text="The current decision (the latest); null when there is none, or while "
        "you have an unsubmitted scorecard for the candidate."
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "external_id",
            "role",
            "candidate",
            "stage",
            "status",
            "decision",
            "created_at",
            "updated_at",
        ]
        validators = [
            UniqueTogetherValidator(
                Application.objects.all(),
                fields=["candidate", "role"],
                message="This candidate already has an application for this role.",
            )
        ]

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, application):
        current = selectors.current_decision(application)
        return None if current is None else DecisionSerializer(current).data


class InterviewSerializer(StrictMixin, serializers.ModelSerializer):
    """One interview of an application: its focus competencies and its panel. Each
    interviewer on the panel gets a draft scorecard. Its application cannot change."""

    external_id = ExternalIdField(validators=[unique(Interview.objects.all(), "An interview")])
    application = VisibleIdField(access.applications_for, help_text="Application id.")
    name = Text(
        max_length=200,
        required=False,
        help_text="Required unless plan_stage gives it.",
    )
    plan_stage = Slug(
        max_length=60,
        write_only=True,
        required=False,
        help_text="The key of an interview in the role's brief plan "
        "(GET /api/v1/roles/{id}/brief/): name, duration_minutes and focus_competencies "
        "left out are taken from it.",
    )
    scheduled_at = ScheduleTime(
        allow_null=True,
        default=None,
        help_text="ISO 8601 with an offset, stored in UTC; in the years 1000 to 2999 in UTC.",
    )
    duration_minutes = Integer(
        min_value=1,
        max_value=MAX_INTERVIEW_MINUTES,
        required=False,
        error_messages=dict.fromkeys(("min_value", "max_value"), INTERVIEW_MINUTES_MESSAGE),
        help_text="How long the interview lasts, in minutes (default 60, or the plan's). "
        "Feedback is due "
        "FEEDBACK_DUE_HOURS after scheduled_at plus this.",
    )
    focus_competencies = FocusKeysField(
        child=Slug(max_length=60),
        max_length=MAX_LIST,
        required=False,
        help_text="Competency keys of the role's profile; empty (the default, unless "
        "plan_stage gives them) covers every competency.",
    )
    interviewers = PanelEmailsField(
        child=Email(max_length=254),
        max_length=MAX_LIST,
        default=list,
        help_text="The panel, by email. An unknown email creates an interviewer account "
        "with no usable password (they set one through password reset). Leaving someone "
        "out drops their draft scorecard; people who submitted stay on the panel.",
    )

    class Meta:
        model = Interview
        fields = [
            "id",
            "external_id",
            "application",
            "name",
            "plan_stage",
            "scheduled_at",
            "duration_minutes",
            "focus_competencies",
            "interviewers",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs):
        # PUT replaces: what is left out takes its default, unless the plan gives it.
        if not self.partial and "plan_stage" not in attrs:
            if "name" not in attrs:
                raise serializers.ValidationError({"name": ["This field is required."]})
            attrs.setdefault("duration_minutes", 60)
            attrs.setdefault("focus_competencies", [])
        return attrs
