"""The scorecard service's data model.

Rules that the database can hold are constraints here; the rest live in
``hiring.services``, which every writer (API, pages, admin, commands) calls.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        # None gives an unusable password: such users set one via password reset.
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their email address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_staff = models.BooleanField(default=False, help_text="Can log in to the admin (recruiters).")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.get_full_name()


# The group names are a public contract (issue #2): keep them exactly.
INTERVIEWERS = "Interviewers"
HIRING_LEADS = "Hiring leads"
RECRUITERS = "Recruiters"


# ---------------------------------------------------------------------------
# Skill profiles (versioned checklists)
# ---------------------------------------------------------------------------


class SkillProfileManager(models.Manager):
    def get_by_natural_key(self, slug, version):
        return self.get(slug=slug, version=version)

    def current(self, slug):
        """The newest version of the profile with this slug."""
        return self.filter(slug=slug).order_by("-version").first()


class SkillProfile(models.Model):
    """One version of a checklist of competencies and skills.

    A version that any scorecard uses is frozen: changes create a new version
    (``services.profile_new_version``) so old scorecards keep their meaning.
    """

    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    is_builtin = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SkillProfileManager()

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="profile_slug_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="profile_version_positive"),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    def natural_key(self):
        return (self.slug, self.version)

    @property
    def is_frozen(self) -> bool:
        return self.scorecards.exists()


class CompetencyManager(models.Manager):
    def get_by_natural_key(self, slug, version, key):
        return self.get(profile__slug=slug, profile__version=version, key=key)


class Competency(models.Model):
    profile = models.ForeignKey(SkillProfile, on_delete=models.CASCADE, related_name="competencies")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text="Relative weight in the overall score.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = CompetencyManager()

    class Meta:
        ordering = ["profile", "order", "id"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["profile", "key"], name="competency_key_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="competency_weight_non_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.profile.natural_key(), self.key)

    natural_key.dependencies = ["hiring.skillprofile"]


class SkillManager(models.Manager):
    def get_by_natural_key(self, slug, version, competency_key, key):
        return self.get(
            competency__profile__slug=slug,
            competency__profile__version=version,
            competency__key=competency_key,
            key=key,
        )


class Skill(models.Model):
    """One checklist item, with behaviourally anchored guidance per rating."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="skills")
    key = models.SlugField(
        max_length=60, help_text="Unique within the profile; the API rates skills by this key."
    )
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    anchor_1 = models.TextField("what a 1 looks like", blank=True)
    anchor_2 = models.TextField("what a 2 looks like", blank=True)
    anchor_3 = models.TextField("what a 3 looks like", blank=True)
    anchor_4 = models.TextField("what a 4 looks like", blank=True)

    objects = SkillManager()

    class Meta:
        ordering = ["competency__order", "competency_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "key"], name="skill_key_unique"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.competency.natural_key(), self.key)

    natural_key.dependencies = ["hiring.competency"]

    def clean(self):
        # Ratings name skills by key alone, so a key is unique across the profile.
        if self.competency_id:
            clash = Skill.objects.filter(
                competency__profile_id=self.competency.profile_id, key=self.key
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"key": "Another skill of this profile uses this key."})

    @property
    def anchors(self) -> dict[int, str]:
        return {1: self.anchor_1, 2: self.anchor_2, 3: self.anchor_3, 4: self.anchor_4}


# ---------------------------------------------------------------------------
# Roles, candidates, applications
# ---------------------------------------------------------------------------


class Level(models.TextChoices):
    JUNIOR = "junior", "Junior (0–2 years)"
    MID = "mid", "Mid (3–5 years)"
    SENIOR = "senior", "Senior (5+ years)"


class SalaryBandManager(models.Manager):
    def get_by_natural_key(self, profile_slug, level):
        return self.get(profile_slug=profile_slug, level=level)


class SalaryBand(models.Model):
    """Market base-salary range for a profile at a level (data, not code)."""

    profile_slug = models.SlugField(max_length=60)
    level = models.CharField(max_length=10, choices=Level.choices)
    currency = models.CharField(max_length=3, default="USD")
    minimum = models.PositiveIntegerField()
    maximum = models.PositiveIntegerField()
    open_ended = models.BooleanField(
        default=False, help_text="The top of the band is a floor ('$230,000+')."
    )
    source = models.CharField(max_length=200, blank=True)

    objects = SalaryBandManager()

    class Meta:
        ordering = ["profile_slug", "minimum"]
        constraints = [
            models.UniqueConstraint(fields=["profile_slug", "level"], name="salary_band_unique"),
            models.CheckConstraint(
                condition=Q(maximum__gte=models.F("minimum")), name="salary_band_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.profile_slug} {self.level}: {self.display}"

    def natural_key(self):
        return (self.profile_slug, self.level)

    @property
    def display(self) -> str:
        plus = "+" if self.open_ended else ""
        return f"{self.currency} {self.minimum:,} – {self.maximum:,}{plus}"

    def as_dict(self) -> dict:
        return {
            "profile": self.profile_slug,
            "level": self.level,
            "currency": self.currency,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "open_ended": self.open_ended,
        }


class RoleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    CLOSED = "closed", "Closed"


class Role(models.Model):
    """An open requisition, mapped to one version of a skill profile."""

    external_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
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
    intake = models.ForeignKey(
        "RoleIntake", on_delete=models.PROTECT, null=True, blank=True, related_name="roles"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.title} ({self.get_level_display()})"

    def salary_band(self):
        return SalaryBand.objects.filter(profile_slug=self.profile.slug, level=self.level).first()


class Candidate(models.Model):
    external_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    APPLIED = "applied", "Applied"
    SCREENING = "screening", "Screening"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(models.Model):
    external_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "role"], name="application_unique"),
        ]

    def __str__(self):
        return f"{self.candidate} for {self.role.title}"


class Interview(models.Model):
    """One interview of an application, with its panel and focus competencies.

    The panel is the set of scorecards: assigning an interviewer creates their
    draft scorecard (``services.interview_set_interviewers``).
    """

    external_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="interviews"
    )
    name = models.CharField(max_length=200)
    scheduled_at = models.DateTimeField(null=True, blank=True)
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
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["scheduled_at", "id"]

    def __str__(self):
        return f"{self.name} — {self.application}"


# ---------------------------------------------------------------------------
# Scorecards
# ---------------------------------------------------------------------------


class Recommendation(models.TextChoices):
    DEFINITELY_NOT = "definitely_not", "Definitely not"
    NO = "no", "No"
    YES = "yes", "Yes"
    STRONG_YES = "strong_yes", "Strong yes"
    NO_DECISION = "no_decision", "No decision"


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Scorecard(models.Model):
    """One interviewer's assessment for one interview.

    Pinned to the profile version of the role when it was created. Once
    submitted it never changes in place: corrections go through
    ``services.scorecard_revise``, which records a ``ScorecardRevision``.
    """

    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards"
    )
    profile = models.ForeignKey(SkillProfile, on_delete=models.PROTECT, related_name="scorecards")
    status = models.CharField(
        max_length=10, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT
    )
    overall_recommendation = models.CharField(
        max_length=20, choices=Recommendation.choices, blank=True
    )
    summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(
        default=0, help_text="How many corrections were made after submission."
    )
    # Bumped on every write; the API's ETag is derived from it.
    row_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="scorecard_one_per_interviewer"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(submitted_at__isnull=False) & ~Q(overall_recommendation="")),
                name="scorecard_submitted_complete",
            ),
        ]

    def __str__(self):
        return f"{self.interviewer} on {self.interview}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ScorecardStatus.SUBMITTED


class Rating(models.Model):
    """A score for one skill: 1–4, or explicitly not assessed, plus evidence."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    not_assessed = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["skill__competency__order", "skill__order", "skill_id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "skill"], name="rating_one_per_skill"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=4),
                name="rating_score_range",
            ),
            models.CheckConstraint(
                condition=~Q(not_assessed=True, score__isnull=False),
                name="rating_not_assessed_has_no_score",
            ),
        ]

    def __str__(self):
        return f"{self.skill.key}: {self.score if self.score else 'n/a'}"

    @property
    def is_answered(self) -> bool:
        return self.score is not None or self.not_assessed


class ScorecardRevision(models.Model):
    """A correction made after submission: who, when, why, and what it replaced."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    reason = models.TextField()
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revised_at = models.DateTimeField(default=timezone.now)
    previous = models.JSONField(help_text="The scorecard's content before this revision.")

    class Meta:
        ordering = ["scorecard", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "number"], name="revision_number_unique"),
        ]

    def __str__(self):
        return f"Revision {self.number} of {self.scorecard}"


# ---------------------------------------------------------------------------
# API access
# ---------------------------------------------------------------------------


class ApiKey(models.Model):
    """A key for ``Authorization: Api-Key <key>``; only its hash is stored.

    Without a user it is the ATS's integration key; with one it acts as that user.
    """

    name = models.CharField(max_length=100, unique=True)
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    hashed_key = models.CharField(max_length=128, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "API key"

    def __str__(self):
        return self.name

    @property
    def is_integration(self) -> bool:
        return self.user_id is None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first response to a POST with an ``Idempotency-Key``, replayed on retry."""

    owner = models.CharField(max_length=120, help_text="api-key:<id> or user:<id>")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="Hash of method, path and body.")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self):
        return f"{self.owner} {self.key}"


# ---------------------------------------------------------------------------
# Role intake: which profile does a role need?
# ---------------------------------------------------------------------------


class IntakeQuestionManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class IntakeQuestion(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    text = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = IntakeQuestionManager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (self.key,)


class IntakeAnswerManager(models.Manager):
    def get_by_natural_key(self, question_key, key):
        return self.get(question__key=question_key, key=key)


class IntakeAnswer(models.Model):
    question = models.ForeignKey(IntakeQuestion, on_delete=models.CASCADE, related_name="answers")
    key = models.SlugField(max_length=60)
    text = models.CharField(max_length=300)
    points_to = models.SlugField(
        max_length=60, blank=True, help_text="Profile slug this answer points to; empty = not sure."
    )
    implication = models.TextField(blank=True, help_text="One line on what this answer implies.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = IntakeAnswerManager()

    class Meta:
        ordering = ["question", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="intake_answer_key_unique"),
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (*self.question.natural_key(), self.key)

    natural_key.dependencies = ["hiring.intakequestion"]


class RoleIntake(models.Model):
    """A completed intake and the recommendation it produced, kept for the record."""

    answers = models.JSONField(help_text="Question key → answer key.")
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.MID)
    recommendation = models.CharField(max_length=20)
    strength = models.FloatField()
    explanation = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Intake {self.pk}: {self.recommendation}"


# ---------------------------------------------------------------------------
# Webhooks (transactional outbox)
# ---------------------------------------------------------------------------


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200, help_text="Shared secret for the HMAC signature.")
    events = models.JSONField(default=list, help_text="Event types this endpoint receives.")
    is_active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["url", "id"]

    def __str__(self):
        return self.url


class WebhookEvent(models.Model):
    """An event in the outbox, written in the transaction of the change that caused it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=60, db_index=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField(help_text="The resource as the API shows it to the integration key.")

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self):
        return f"{self.type} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="delivery_unique"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-attempted_at"]

    def __str__(self):
        return f"{self.delivery} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"
