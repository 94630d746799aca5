"""Scorecards: one interviewer's ratings for one interview, and their corrections."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hiring.models.pipeline import Interview
from hiring.models.profiles import Skill, SkillProfile


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
        if self.not_assessed:
            return f"{self.skill.name}: not assessed"
        return f"{self.skill.name}: {self.score or 'not rated'}"

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
