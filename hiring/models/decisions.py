"""The hiring decision on an application: append-only, the latest one is current.

Each decision keeps what it was made on — the comparison's ETag and the candidate's
figures in it at that moment — and whether it overrode the panel (the rule is
``services.decision_override_grounds``), so a debrief can later see when and why
people went against the formula.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hiring.models.pipeline import Application, ApplicationStatus
from hiring.validators import MAX_REASON_LENGTH, NotBlankValidator


class DecisionValue(models.TextChoices):
    ADVANCE = "advance", "Advance"
    HIRE = "hire", "Hire"
    REJECT = "reject", "Reject"
    HOLD = "hold", "Hold"


# What a decision makes of the application's status: a hire or a rejection closes it;
# advancing or holding keeps it (or puts it back) in play.
STATUS_AFTER = {
    DecisionValue.ADVANCE: ApplicationStatus.ACTIVE,
    DecisionValue.HIRE: ApplicationStatus.HIRED,
    DecisionValue.REJECT: ApplicationStatus.REJECTED,
    DecisionValue.HOLD: ApplicationStatus.ACTIVE,
}


class Decision(models.Model):
    """One decision on an application, with the snapshot it was made on. Never changed
    or deleted: a new decision supersedes it."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=10, choices=DecisionValue.choices)
    rationale = models.TextField(
        validators=[NotBlankValidator(), MaxLengthValidator(MAX_REASON_LENGTH)]
    )
    override_reason = models.TextField(
        blank=True, validators=[MaxLengthValidator(MAX_REASON_LENGTH)]
    )
    is_override = models.BooleanField(
        default=False,
        help_text="Went against the panel's majority, or was made while scorecards were pending.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    # The snapshot: the comparison as it stood when the decision was made.
    comparison_etag = models.CharField(max_length=64)
    score = models.FloatField(null=True, blank=True)
    calibrated_score = models.FloatField(null=True, blank=True)
    calibrated_rank = models.PositiveIntegerField(null=True, blank=True)
    recommendations = models.JSONField(default=dict, help_text="Recommendation → count.")
    scorecards_submitted = models.PositiveIntegerField(default=0)
    scorecards_pending = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]  # newest first, as LATEST_FIRST
        indexes = [
            models.Index(fields=["application", "-id"], name="decision_latest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_override=False) | ~Q(override_reason=""),
                name="decision_override_has_reason",
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="decision_has_rationale"),
        ]

    def __str__(self):
        return f"{self.get_decision_display()}: {self.application}"


# Newest first: the first is the current decision. Decisions on one application are
# recorded one at a time (under a lock on it), so the id orders them.
LATEST_FIRST = ("-id",)


def current_decision_value(
    decisions: models.QuerySet | None = None, application_path: str = "pk"
) -> models.Subquery:
    """The current decision's value among ``decisions`` (every one by default; NULL for
    none) of the application at ``application_path`` (an ``OuterRef`` path), in SQL."""
    decisions = Decision.objects.all() if decisions is None else decisions
    latest = decisions.filter(application=models.OuterRef(application_path))
    return models.Subquery(latest.order_by(*LATEST_FIRST).values("decision")[:1])
