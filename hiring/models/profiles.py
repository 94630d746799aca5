"""Skill profiles: versioned checklists of competencies and skills, their interview
kits (questions per skill, work samples per competency), and the market salary bands
per profile and level."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from hiring.validators import WrittenTextValidator


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


class InterviewQuestion(models.Model):
    """A question to ask about a skill, and what to listen for in the answer. Part of
    the profile version, copied with it (``services.profile_new_version``)."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(
        "question",
        validators=[WrittenTextValidator(message="Write the question to ask.")],
    )
    listen_for = models.TextField(
        "listen for",
        blank=True,
        help_text="What a strong answer contains, and the red flags.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["skill", "order", "id"]

    def __str__(self):
        return self.text


class WorkSampleFormat(models.TextChoices):
    TAKE_HOME = "take_home", "Take-home"
    LIVE = "live", "Live"


class WorkSample(models.Model):
    """A short exercise showing a competency, with what a 1, 2, 3 and 4 look like.
    Part of the profile version, copied with it."""

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="work_samples"
    )
    title = models.CharField(max_length=200)
    format = models.CharField(
        max_length=10, choices=WorkSampleFormat.choices, default=WorkSampleFormat.TAKE_HOME
    )
    instructions = models.TextField(
        validators=[WrittenTextValidator(message="Write the instructions for the candidate.")],
        help_text="What the candidate is asked to do, and in how much time.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    anchor_1 = models.TextField("what a 1 looks like", blank=True)
    anchor_2 = models.TextField("what a 2 looks like", blank=True)
    anchor_3 = models.TextField("what a 3 looks like", blank=True)
    anchor_4 = models.TextField("what a 4 looks like", blank=True)

    class Meta:
        ordering = ["competency", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=WorkSampleFormat.values), name="work_sample_format_known"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def anchors(self) -> dict[int, str]:
        return {1: self.anchor_1, 2: self.anchor_2, 3: self.anchor_3, 4: self.anchor_4}


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
