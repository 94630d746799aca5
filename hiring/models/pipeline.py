"""The hiring pipeline: roles, candidates, their applications and interviews."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
)
from django.utils import timezone

from hiring.models.audit import TracksLoadedValues
from hiring.models.profiles import Competency, Level, SalaryBand, SkillProfile
from hiring.validators import (
    MAX_INTERVIEW_MINUTES,
    MAX_STAGE_LENGTH,
    ExternalIdValidator,
    InterviewMinutesMaxValidator,
    InterviewMinutesMinValidator,
    ScheduleYearsValidator,
    StageNameValidator,
)


class RoleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    CLOSED = "closed", "Closed"


class FeedbackVisibility(models.TextChoices):
    """When a panelist may read colleagues' scorecards for an application (``hiring.access``)."""

    AFTER_OWN_SUBMIT = "after_own_submit", "After submitting one's own scorecard"
    AFTER_PANEL_COMPLETE = "after_panel_complete", "After the whole panel has submitted"


class Role(TracksLoadedValues):
    """An open requisition, mapped to one version of a skill profile."""

    external_id = models.CharField(
        max_length=120, unique=True, null=True, blank=True, validators=[ExternalIdValidator()]
    )
    title = models.CharField(max_length=200)
    team = models.CharField(max_length=120, blank=True)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.MID)
    status = models.CharField(max_length=10, choices=RoleStatus.choices, default=RoleStatus.DRAFT)
    profile = models.ForeignKey(SkillProfile, on_delete=models.PROTECT, related_name="roles")
    hiring_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_roles"
    )
    weight_overrides = models.JSONField(
        default=dict,
        blank=True,
        help_text='Competency key → weight, e.g. {"modelling": 2}. Empty uses the profile weights.',
    )
    feedback_visibility = models.CharField(
        max_length=20,
        choices=FeedbackVisibility.choices,
        default=FeedbackVisibility.AFTER_OWN_SUBMIT,
        help_text="When people on a candidate's panel may read colleagues' scorecards: once "
        "they have submitted their own, or only once every scorecard of the interview is "
        "submitted.",
    )
    intake = models.ForeignKey(
        "RoleIntake", on_delete=models.PROTECT, null=True, blank=True, related_name="roles"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # Incremental sync: updated_after, ordered by updated_at with ties by id.
        indexes = [models.Index(fields=["updated_at", "id"], name="role_updated_idx")]

    def __str__(self):
        return f"{self.title} ({self.get_level_display()})"

    def salary_band(self):
        return SalaryBand.objects.filter(profile_slug=self.profile.slug, level=self.level).first()

    def competency_weights(self, competencies=None) -> list[tuple[Competency, float]]:
        """Each competency of the profile (given, or read) with the weight the role uses:
        its override, else the profile's; heaviest first, ties in profile order."""
        if competencies is None:
            competencies = self.profile.competencies.all()
        overrides = self.weight_overrides or {}
        weighted = [(c, float(overrides.get(c.key, c.weight))) for c in competencies]
        return sorted(weighted, key=lambda pair: (-pair[1], pair[0].order, pair[0].pk or 0))


ERASED_NAME = "Erased candidate"


class Candidate(TracksLoadedValues):
    """A person applying. Erasure (``services.candidate_erase``) keeps the row, so the
    numbers about them stay, but removes who they are: the name becomes
    ``ERASED_NAME``, the email and external id go, and ``erased_at`` says when."""

    external_id = models.CharField(
        max_length=120, unique=True, null=True, blank=True, validators=[ExternalIdValidator()]
    )
    name = models.CharField(max_length=200)
    # Blank only once erased: every write but the erasure validates it as required.
    email = models.EmailField()
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    erasure_reason = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        # Incremental sync: updated_after, ordered by updated_at with ties by id.
        indexes = [models.Index(fields=["updated_at", "id"], name="candidate_updated_idx")]

    def __str__(self):
        if self.is_erased:
            return f"{ERASED_NAME} #{self.pk}"
        # With the email: two people may share a name (or be entered twice), and
        # wherever a candidate is picked the two must be told apart.
        return f"{self.name} ({self.email})"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


# Stages are the ATS's own names ("Phone screen", "Onsite loop"), free text; these are
# the names the service used before, still valid, and the stage of a new application.
DEFAULT_STAGE = "applied"


class ApplicationStatus(models.TextChoices):
    """Where the application stands, whatever the ATS calls its stage (as in Greenhouse).
    Set by the ATS, or by a decision (``hire`` → hired, ``reject`` → rejected)."""

    ACTIVE = "active", "Active"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(TracksLoadedValues):
    external_id = models.CharField(
        max_length=120, unique=True, null=True, blank=True, validators=[ExternalIdValidator()]
    )
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(
        max_length=MAX_STAGE_LENGTH,
        default=DEFAULT_STAGE,
        validators=[StageNameValidator()],
        help_text='The ATS\'s name for the stage, e.g. "Onsite loop".',
    )
    status = models.CharField(
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.ACTIVE,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # Incremental sync: updated_after, ordered by updated_at with ties by id.
        indexes = [models.Index(fields=["updated_at", "id"], name="application_updated_idx")]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "role"], name="application_unique"),
        ]

    def __str__(self):
        return f"{self.candidate} for {self.role.title}"


class Interview(TracksLoadedValues):
    """One interview of an application, with its panel and focus competencies.

    The panel is the set of scorecards: assigning an interviewer creates their
    draft scorecard (``services.interview_set_interviewers``).
    """

    external_id = models.CharField(
        max_length=120, unique=True, null=True, blank=True, validators=[ExternalIdValidator()]
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="interviews"
    )
    name = models.CharField(max_length=200)
    scheduled_at = models.DateTimeField(
        null=True, blank=True, validators=[ScheduleYearsValidator()]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        default=60,
        validators=[InterviewMinutesMinValidator(), InterviewMinutesMaxValidator()],
        help_text=f"How long the interview lasts, 1 to {MAX_INTERVIEW_MINUTES} minutes; "
        "feedback falls due a set time after it ends.",
    )
    focus_competencies = models.ManyToManyField(
        Competency,
        blank=True,
        related_name="+",
        help_text="Leave empty to cover every competency of the role's profile.",
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Scorecard",
        through_fields=("interview", "interviewer"),
        related_name="interviews",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        # Incremental sync: updated_after, ordered by updated_at with ties by id.
        indexes = [models.Index(fields=["updated_at", "id"], name="interview_updated_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_INTERVIEW_MINUTES),
                name="interview_duration_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.application}"

    @property
    def ends_at(self) -> datetime | None:
        """When the interview ends (None while it is not scheduled); ``interview_ends_at``
        is the same in SQL."""
        if self.scheduled_at is None:
            return None
        return self.scheduled_at + timedelta(minutes=self.duration_minutes)


def interview_ends_at(path: str = "") -> ExpressionWrapper:
    """``Interview.ends_at`` in SQL, for the interview reached through ``path``
    (e.g. ``"interview__"`` from a scorecard); NULL while it is not scheduled."""
    # Typed by hand so that SQLite, which has no interval type, does date arithmetic.
    minutes = ExpressionWrapper(F(f"{path}duration_minutes"), output_field=IntegerField())
    length = ExpressionWrapper(minutes * Value(timedelta(minutes=1)), output_field=DurationField())
    return ExpressionWrapper(F(f"{path}scheduled_at") + length, output_field=DateTimeField())


class ComparisonRefresh(models.Model):
    """A role whose comparison the background worker should compute again (queued by a
    submission or a revision; ``hiring.comparison.cache``). One row per role at most."""

    role = models.OneToOneField(Role, on_delete=models.CASCADE, primary_key=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Refresh the comparison of role {self.role_id}"
