"""Hiring decisions: recorded (never changed) by the role's hiring lead or a recruiter,
each with a snapshot of the comparison it was made on.

**The override rule**, here and nowhere else (``decision_override_grounds``). A decision
overrides the panel when

- it goes against the panel's majority: ``hire`` or ``advance`` while a strict majority
  of the submitted scorecards recommend ``no`` or ``definitely_not``, or ``reject`` while
  a strict majority recommend ``yes`` or ``strong_yes``. "A strict majority" means more
  than half of all submitted scorecards, ``no_decision`` ones included (3 of 5, 2 of 3,
  2 of 2; not 1 of 2 nor 2 of 4). ``hold`` never goes against the majority;
- or any scorecard of the application is still pending (a draft), whatever the decision.

An override needs an ``override_reason`` and is flagged (``is_override``).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hiring import access, audit
from hiring.comparison import comparison_stamp, role_comparison
from hiring.models import (
    STATUS_AFTER,
    Application,
    AuditAction,
    Decision,
    DecisionValue,
    Recommendation,
    User,
)
from hiring.webhooks import outbox, payloads

AGAINST_MAJORITY = "against_majority"
PENDING_SCORECARDS = "pending_scorecards"

# The recommendations a decision goes against when most of the panel gave them.
OPPOSED_BY = {
    DecisionValue.HIRE: (Recommendation.NO, Recommendation.DEFINITELY_NOT),
    DecisionValue.ADVANCE: (Recommendation.NO, Recommendation.DEFINITELY_NOT),
    DecisionValue.REJECT: (Recommendation.YES, Recommendation.STRONG_YES),
}

OVERRIDE_REASON_NEEDED = (
    "This decision overrides the panel ({grounds}): say why in override_reason."
)
GROUND_TEXT = {
    AGAINST_MAJORITY: "most submitted scorecards recommend otherwise",
    PENDING_SCORECARDS: "scorecards are still pending",
}
MAY_NOT_DECIDE = (
    "Only the role's hiring lead and recruiters record decisions, once they may read the "
    "panel's feedback on this candidate (any scorecard of their own for it submitted first)."
)


@dataclass(frozen=True)
class DecisionSnapshot:
    """What a decision is made on: the candidate's row of the role comparison, now."""

    comparison_etag: str
    score: float | None
    calibrated_score: float | None
    calibrated_rank: int | None
    recommendations: dict[str, int]
    scorecards_submitted: int
    scorecards_pending: int


def decision_snapshot(*, application: Application) -> DecisionSnapshot:
    """The candidate's figures from the full comparison read model (``hiring.comparison``,
    never a viewer's redacted copy: only those who may read it all decide), with the ETag
    of the comparison's JSON. Five queries (six when the role's profile is not
    loaded)."""
    role = application.role
    stamp = comparison_stamp(role.pk)
    row = next(c for c in role_comparison(role)["candidates"] if c["application"] == application.pk)
    return DecisionSnapshot(
        comparison_etag=stamp.etag_for("json"),
        score=row["score"],
        calibrated_score=row["calibrated_score"],
        calibrated_rank=row["calibrated_rank"],
        recommendations=dict(row["recommendations"]),
        scorecards_submitted=row["scorecards"]["submitted"],
        scorecards_pending=row["scorecards"]["pending"],
    )


def decision_override_grounds(
    *, decision: str, recommendations: dict[str, int], pending: int
) -> list[str]:
    """Why this decision would override the panel (empty: it does not). See the module."""
    grounds = []
    submitted = sum(recommendations.values())
    opposed = sum(recommendations.get(value, 0) for value in OPPOSED_BY.get(decision, ()))
    if 2 * opposed > submitted:
        grounds.append(AGAINST_MAJORITY)
    if pending > 0:
        grounds.append(PENDING_SCORECARDS)
    return grounds


def decision_validate(
    *, decision: str, rationale: str, override_reason: str, snapshot: DecisionSnapshot
) -> bool:
    """Every rule a decision must meet; returns whether it overrides the panel."""
    errors = {}
    if decision not in DecisionValue.values:
        errors["decision"] = [f"Choose one of: {', '.join(DecisionValue.values)}."]
    if not (rationale or "").strip():
        errors["rationale"] = ["Say why: a decision needs its rationale."]
    grounds = decision_override_grounds(
        decision=decision,
        recommendations=snapshot.recommendations,
        pending=snapshot.scorecards_pending,
    )
    if grounds and not (override_reason or "").strip():
        text = " and ".join(GROUND_TEXT[ground] for ground in grounds)
        errors["override_reason"] = [OVERRIDE_REASON_NEEDED.format(grounds=text)]
    if errors:
        raise ValidationError(errors)
    return bool(grounds)


@transaction.atomic
def decision_record(
    *,
    application: Application,
    by: User,
    decision: str,
    rationale: str,
    override_reason: str = "",
) -> Decision:
    """Record a decision on the application, with its snapshot; a ``hire`` makes the
    application hired, a ``reject`` rejected, ``advance`` and ``hold`` active. Emits
    ``application.decided``. Decisions on one application are recorded one at a time."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("role__profile")
        .get(pk=application.pk)
    )
    if not access.may_decide(by, locked):
        raise PermissionDenied(MAY_NOT_DECIDE)
    snapshot = decision_snapshot(application=locked)
    is_override = decision_validate(
        decision=decision, rationale=rationale, override_reason=override_reason, snapshot=snapshot
    )
    record = Decision(
        application=locked,
        decision=decision,
        rationale=rationale.strip(),
        override_reason=(override_reason or "").strip(),
        is_override=is_override,
        decided_by=by,
        **vars(snapshot),
    )
    record.full_clean(exclude=["application", "decided_by"], validate_constraints=False)
    record.save()
    locked.status = STATUS_AFTER[decision]
    locked.save(update_fields=["status", "updated_at"])
    audit.record(
        action=AuditAction.DECIDE,
        object_type="application",
        object_id=locked.pk,
        fields=["decision", "rationale", *(["override_reason"] if record.override_reason else [])],
    )
    outbox.emit("application.decided", payloads.decision_payload(record))
    return record
