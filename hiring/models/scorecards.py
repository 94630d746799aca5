"""Scorecards: one interviewer's ratings for one interview, and their corrections.

Also the feedback due-date rule, in one place: a scorecard is **due** when its
interview ends plus ``FEEDBACK_DUE_HOURS``, and **overdue** while it is a draft past
that moment. ``Scorecard.due_at`` / ``.overdue`` answer it for one scorecard;
``Scorecard.objects.with_due_dates()`` (and ``.overdue()``) compute the same in SQL
for filtering, ordering and counting.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, Case, DateTimeField, ExpressionWrapper, Q, Value, When
from django.utils import timezone

from hiring.models.pipeline import Interview, interview_ends_at
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


def feedback_due_after() -> timedelta:
    """How long after its interview ends a scorecard falls due (``FEEDBACK_DUE_HOURS``)."""
    return timedelta(hours=settings.FEEDBACK_DUE_HOURS)


def feedback_due_at(interview: Interview) -> datetime | None:
    """When feedback on this interview is due; None while it is not scheduled."""
    ends_at = interview.ends_at
    return None if ends_at is None else ends_at + feedback_due_after()


class ScorecardQuerySet(models.QuerySet):
    def with_due_dates(self, now: datetime | None = None) -> "ScorecardQuerySet":
        """Annotate ``interview_ends_at``, ``due_at`` (NULL while the interview is not
        scheduled) and ``is_overdue`` (a draft past ``due_at`` at ``now``): the due-date
        rule in SQL, exactly as ``Scorecard.due_at`` and ``Scorecard.overdue`` say it."""
        now = now or timezone.now()
        return self.annotate(
            interview_ends_at=interview_ends_at("interview__"),
            due_at=ExpressionWrapper(
                interview_ends_at("interview__") + Value(feedback_due_after()),
                output_field=DateTimeField(),
            ),
            is_overdue=Case(
                When(Q(status=ScorecardStatus.DRAFT, due_at__lt=now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def overdue(self, now: datetime | None = None) -> "ScorecardQuerySet":
        """Drafts past their due date."""
        return self.with_due_dates(now).filter(is_overdue=True)


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
    overdue_notified_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the scorecard.overdue webhook event was emitted (once at most).",
    )
    revision = models.PositiveIntegerField(
        default=0, help_text="How many corrections were made after submission."
    )
    # Bumped on every write; the API's ETag is derived from it.
    row_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # Incremental sync (updated_after, ordering=updated_at, ties by id), for
            # everyone and for the integration key, which sees submitted ones only.
            models.Index(fields=["updated_at", "id"], name="scorecard_updated_idx"),
            models.Index(
                fields=["status", "updated_at", "id"], name="scorecard_status_updated_idx"
            ),
        ]
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

    @property
    def due_at(self) -> datetime | None:
        """When this scorecard is due (the ``with_due_dates`` value when the row was
        loaded with it, else computed from the interview)."""
        if "_due_at" in self.__dict__:
            return self._due_at
        return feedback_due_at(self.interview)

    @due_at.setter
    def due_at(self, value: datetime | None) -> None:
        # Where QuerySet.with_due_dates() puts its annotation.
        self._due_at = value

    @property
    def overdue(self) -> bool:
        """A draft past its due date, now (always from the current status)."""
        due_at = self.due_at
        return not self.is_submitted and due_at is not None and due_at < timezone.now()


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


class FeedbackReminder(models.Model):
    """One reminder email to a scorecard's interviewer. Reminder ``number`` 0 falls an
    hour after the interview ends, number n a day after number n - 1
    (``services.reminders``). The row is inserted *before* the mail is sent, and the
    unique (scorecard, number) pair lets only one run insert it: that run sends."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="reminders")
    number = models.PositiveSmallIntegerField(
        help_text="0 for the reminder an hour after the interview, then one more per day."
    )
    sent_at = models.DateTimeField(default=timezone.now)
    run = models.UUIDField(db_index=True, help_text="The run of the job that sent it.")

    class Meta:
        ordering = ["scorecard", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "number"], name="reminder_once_per_slot"),
        ]

    def __str__(self):
        return f"Reminder {self.number + 1} for {self.scorecard}"


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
