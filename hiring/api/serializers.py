"""What the API reads and writes. Serializers validate the shape of the input;
the rules live in ``hiring.services``, which the views call to write."""

import re
from collections.abc import Mapping

from django.core.validators import RegexValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator, UniqueValidator

from hiring import access, webhooks
from hiring.models import (
    Application,
    Candidate,
    Competency,
    Interview,
    Level,
    Rating,
    Recommendation,
    Role,
    RoleStatus,
    SalaryBand,
    Scorecard,
    Skill,
    SkillProfile,
    Stage,
    User,
    WebhookEndpoint,
)

MAX_LIST = 100  # focus competencies, interviewers, ratings: far more than any real interview


class StrictMixin:
    """Refuse fields the endpoint does not take: a typo or a read-only field sent
    back is a 400 naming it, not something silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for name in data:
                field = self.fields.get(name)
                if field is None:
                    errors[name] = ["Unknown field."]
                elif field.read_only:
                    errors[name] = ["This field is read-only."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class JsonTypeMixin:
    """Take only the JSON type the schema promises: DRF would turn 5 into "5" or
    "true" into True, which hides client bugs and breaks the contract."""

    json_types: tuple[type, ...] = (str,)
    type_message = "Not a string."

    def to_internal_value(self, data):
        if isinstance(data, bool) and bool not in self.json_types:
            raise serializers.ValidationError(self.type_message, code="invalid")
        if not isinstance(data, self.json_types):
            raise serializers.ValidationError(self.type_message, code="invalid")
        return super().to_internal_value(data)


# Regex classes are spelled out: "\s" means different things to Python (which trims
# text with str.strip) and to the JavaScript-style regexes of OpenAPI clients.
WHITESPACE = "".join(f"\\u{code:04x}" for code in range(0x3001) if chr(code).isspace())
# Text is stored trimmed; NUL cannot be stored at all. Saying so in the schema (as a
# pattern) keeps clients from sending what would be refused.
VISIBLE_TEXT = RegexValidator(
    rf"^[^\x00]*[^\x00{WHITESPACE}][^\x00]*$", "Give some visible text (and no NUL characters)."
)
# "+" not "*": blank values never reach validators, and the schema lists "" separately.
NO_NUL = RegexValidator(r"^[^\x00]+$", "NUL characters are not allowed.")


class Text(JsonTypeMixin, serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.read_only and self.trim_whitespace:
            self.validators.append(NO_NUL if self.allow_blank else VISIBLE_TEXT)


class Email(JsonTypeMixin, serializers.EmailField):
    pass


class Slug(JsonTypeMixin, serializers.SlugField):
    pass


class Choice(JsonTypeMixin, serializers.ChoiceField):
    type_message = "Not a string: choose one of the listed values."


class DateTime(JsonTypeMixin, serializers.DateTimeField):
    type_message = "Not a string: give an ISO 8601 date and time."


class Integer(JsonTypeMixin, serializers.IntegerField):
    json_types = (int, float)
    type_message = "Not a whole number."


class Boolean(JsonTypeMixin, serializers.BooleanField):
    json_types = (bool,)
    type_message = "Not true or false."


# External ids travel in URLs (PUT .../by-external-id/{external_id}/), so: no slash,
# no control characters, no surrounding spaces, at most 120 characters.
_EDGE = r"[^\x00-\x20\x7f-\xa0/" + WHITESPACE + "]"
_MIDDLE = r"[^\x00-\x1f\x7f-\x9f/]"
EXTERNAL_ID_PATTERN = rf"^{_EDGE}({_MIDDLE}{{0,118}}{_EDGE})?$"
EXTERNAL_ID_MESSAGE = (
    "Use 1 to 120 characters: no '/', no control characters, no leading or trailing spaces."
)


def validate_external_id(value: str) -> None:
    if not re.fullmatch(EXTERNAL_ID_PATTERN, value or ""):
        raise serializers.ValidationError({"external_id": [EXTERNAL_ID_MESSAGE]})


class ExternalIdField(Text):
    """The ATS's own id for the object: unique, or null for none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("help_text", "The ATS's id for this object (unique); null for none.")
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(EXTERNAL_ID_PATTERN, EXTERNAL_ID_MESSAGE))


@extend_schema_field({"type": "string", "format": "email"})
class UserEmailField(Email):
    """A person, named by email address (case-insensitive); must already exist."""

    def to_representation(self, user):
        return user.email

    def run_validation(self, data=serializers.empty):
        email = super().run_validation(data)
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(f"No active user has the email {email}.")
        return user


@extend_schema_field(OpenApiTypes.STR)
class ProfileSlugField(serializers.Field):
    """A skill profile by slug; a new role pins the profile's current version."""

    default_error_messages = {
        "invalid": "Give the profile's slug, e.g. 'ai-engineer'.",
        "unknown": "No skill profile has the slug '{slug}'.",
    }

    def to_representation(self, profile):
        return profile.slug

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip() or len(data) > 60:
            self.fail("invalid")
        profile = SkillProfile.objects.current(data.strip())
        if profile is None:
            self.fail("unknown", slug=data.strip())
        return profile


# ---------------------------------------------------------------------------
# Profiles (read-only)
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Roles, candidates, applications, interviews
# ---------------------------------------------------------------------------


class SalaryBandSerializer(serializers.ModelSerializer):
    profile = serializers.CharField(source="profile_slug")

    class Meta:
        model = SalaryBand
        fields = ["profile", "level", "currency", "minimum", "maximum", "open_ended"]


def unique(queryset, what: str):
    return UniqueValidator(queryset, message=f"{what} with this external_id exists.")


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
        # One query for the whole page: the bands are a small table.
        bands = self.context.get("_salary_bands")
        if bands is None:
            bands = {(b.profile_slug, b.level): b for b in SalaryBand.objects.all()}
            self.context["_salary_bands"] = bands
        band = bands.get((role.profile.slug, role.level))
        return SalaryBandSerializer(band).data if band else None


class CandidateSerializer(StrictMixin, serializers.ModelSerializer):
    """A person applying; one candidate can apply to several roles."""

    external_id = ExternalIdField(validators=[unique(Candidate.objects.all(), "A candidate")])
    name = Text(max_length=200)
    email = Email(max_length=254)

    class Meta:
        model = Candidate
        fields = ["id", "external_id", "name", "email", "created_at", "updated_at"]


class VisibleIdField(serializers.PrimaryKeyRelatedField):
    """The id of an object the caller may see (``hiring.access``)."""

    def __init__(self, visible, **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.visible(self.context["request"].user)

    def to_internal_value(self, data):
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data < 2**63:  # not an id the database could hold
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class WriteOnceMixin:
    """Fields naming what an object belongs to cannot change afterwards: moving an
    application to another role would re-home its interviews and scorecards."""

    write_once: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            errors = {
                name: ["This cannot change once created; create a new one instead."]
                for name in self.write_once
                if name in attrs and attrs[name] != getattr(self.instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class ApplicationSerializer(WriteOnceMixin, StrictMixin, serializers.ModelSerializer):
    """A candidate for a role. Its role and candidate cannot change once created."""

    write_once = ("role", "candidate")
    external_id = ExternalIdField(validators=[unique(Application.objects.all(), "An application")])
    role = VisibleIdField(access.roles_for, help_text="Role id.")
    candidate = VisibleIdField(access.candidates_for, help_text="Candidate id.")
    stage = Choice(choices=Stage.choices, default=Stage.APPLIED)

    class Meta:
        model = Application
        fields = ["id", "external_id", "role", "candidate", "stage", "created_at", "updated_at"]
        validators = [
            UniqueTogetherValidator(
                Application.objects.all(),
                fields=["candidate", "role"],
                message="This candidate already has an application for this role.",
            )
        ]


SCHEDULE_YEARS = r"^[12][0-9]{3}-"


@extend_schema_field({"type": "string", "format": "date-time", "pattern": SCHEDULE_YEARS})
class ScheduleTime(DateTime):
    """A date and time in the years 1000 to 2999, in which any offset converts to
    UTC without falling off the calendar."""

    def to_internal_value(self, value):
        if isinstance(value, str) and not re.match(SCHEDULE_YEARS, value):
            raise serializers.ValidationError("Use a year from 1000 to 2999.", code="invalid")
        return super().to_internal_value(value)


class FocusKeysField(serializers.ListField):
    def get_attribute(self, interview):
        return [c.key for c in interview.focus_competencies.all()]  # prefetched by the view

    def to_representation(self, keys):
        return keys


class PanelEmailsField(serializers.ListField):
    def get_attribute(self, interview):
        # The panel is the interview's scorecards, prefetched by the view.
        return sorted(card.interviewer.email for card in interview.scorecards.all())

    def to_representation(self, emails):
        return emails


class InterviewSerializer(WriteOnceMixin, StrictMixin, serializers.ModelSerializer):
    """One interview of an application: its focus competencies and its panel. Each
    interviewer on the panel gets a draft scorecard. Its application cannot change."""

    write_once = ("application",)
    external_id = ExternalIdField(validators=[unique(Interview.objects.all(), "An interview")])
    application = VisibleIdField(access.applications_for, help_text="Application id.")
    name = Text(max_length=200)
    scheduled_at = ScheduleTime(
        allow_null=True,
        default=None,
        help_text="ISO 8601 with an offset, in the years 1000 to 2999; stored in UTC.",
    )
    focus_competencies = FocusKeysField(
        child=Slug(max_length=60),
        max_length=MAX_LIST,
        default=list,
        help_text="Competency keys of the role's profile; empty covers every competency.",
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
            "scheduled_at",
            "focus_competencies",
            "interviewers",
            "created_at",
            "updated_at",
        ]


# ---------------------------------------------------------------------------
# Scorecards
# ---------------------------------------------------------------------------


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


def upsert_serializer(serializer_class):
    """The serializer for PUT .../by-external-id/{external_id}/: the URL gives the
    external_id, so the body may not."""

    class Meta(serializer_class.Meta):
        read_only_fields = ["external_id"]

    return type(
        serializer_class.__name__.replace("Serializer", "UpsertSerializer"),
        (serializer_class,),
        {
            "Meta": Meta,
            "external_id": serializers.CharField(read_only=True, allow_null=True),
            "__doc__": serializer_class.__doc__,
            "__module__": __name__,
        },
    )


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


# ---------------------------------------------------------------------------
# Webhook endpoints
# ---------------------------------------------------------------------------


class WebhookEndpointSerializer(StrictMixin, serializers.ModelSerializer):
    """Where events are POSTed, which events, and the secret that signs them. The
    secret is write-only: shown once, in the response that creates the endpoint."""

    url = Text(
        max_length=500,
        trim_whitespace=False,
        validators=[RegexValidator(webhooks.URL_PATTERN, "Give an http:// or https:// URL.")],
        help_text="Receives a signed POST per event (http or https; a domain name, an "
        "IPv4 address or localhost).",
    )
    description = Text(max_length=200, allow_blank=True, default="")
    events = serializers.ListField(
        child=Choice(choices=list(webhooks.EVENT_TYPES)),
        min_length=1,
        max_length=len(webhooks.EVENT_TYPES),
        help_text="The event types this endpoint receives.",
    )
    is_active = Boolean(default=True, help_text="Inactive endpoints are sent nothing.")
    secret = Text(
        write_only=True,
        required=False,
        trim_whitespace=False,
        min_length=16,
        max_length=200,
        validators=[RegexValidator(webhooks.SECRET_PATTERN, "Use printable ASCII, no spaces.")],
        help_text="Signs every delivery (Scorecards-Signature). Leave it out on create to "
        "get a random one, shown once in the response; leave it out on update to keep it.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "secret",
            "created_at",
            "updated_at",
        ]


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    """The new endpoint, with its secret: the only time the API shows it."""

    secret = serializers.CharField(read_only=True, help_text="Keep it: it is not shown again.")


# ---------------------------------------------------------------------------
# Scorecards in the shape of Greenhouse Harvest's scorecard object
# ---------------------------------------------------------------------------

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
