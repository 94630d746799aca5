"""Each event's ``data``: the resource exactly as the API returns it to the integration
key, built from rows the caller has already loaded (``hiring.selectors``), without
the API layer. ``tests/test_webhooks_api.py`` holds the two shapes equal."""

from datetime import UTC, datetime

from hiring.models import Application, Decision, Interview, Scorecard


def timestamp(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the API renders datetimes."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().removesuffix("+00:00") + "Z"


def scorecard_payload(card: Scorecard) -> dict:
    """Needs ``selectors.scorecards_with_content`` (ratings with their skills)."""
    return {
        "id": card.pk,
        "interview": card.interview_id,
        "application": card.interview.application_id,
        "interviewer": card.interviewer.email,
        "status": card.status,
        "profile": {"slug": card.profile.slug, "version": card.profile.version},
        "ratings": [
            {
                "skill": rating.skill.key,
                "score": rating.score,
                "not_assessed": rating.not_assessed,
                "note": rating.note,
            }
            for rating in card.ratings.all()
        ],
        "overall_recommendation": card.overall_recommendation,
        "summary": card.summary,
        "submitted_at": timestamp(card.submitted_at),
        "due_at": timestamp(card.due_at),
        "overdue": card.overdue,
        "revision": card.revision,
        "created_at": timestamp(card.created_at),
        "updated_at": timestamp(card.updated_at),
    }


def interview_payload(interview: Interview) -> dict:
    """Needs ``selectors.interviews_with_panel`` (focus keys and the panel's emails)."""
    return {
        "id": interview.pk,
        "external_id": interview.external_id,
        "application": interview.application_id,
        "name": interview.name,
        "scheduled_at": timestamp(interview.scheduled_at),
        "duration_minutes": interview.duration_minutes,
        "focus_competencies": [c.key for c in interview.focus_competencies.all()],
        "interviewers": sorted(card.interviewer.email for card in interview.scorecards.all()),
        "created_at": timestamp(interview.created_at),
        "updated_at": timestamp(interview.updated_at),
    }


def decision_payload(decision: Decision) -> dict:
    """Needs the decision's ``decided_by`` (``selectors.decisions_with_author``)."""
    return {
        "id": decision.pk,
        "application": decision.application_id,
        "decision": decision.decision,
        "rationale": decision.rationale,
        "override_reason": decision.override_reason,
        "is_override": decision.is_override,
        "decided_by": decision.decided_by.email,
        "decided_at": timestamp(decision.decided_at),
        "snapshot": {
            "comparison_etag": decision.comparison_etag,
            "score": decision.score,
            "calibrated_score": decision.calibrated_score,
            "calibrated_rank": decision.calibrated_rank,
            "recommendations": decision.recommendations,
            "scorecards": {
                "submitted": decision.scorecards_submitted,
                "pending": decision.scorecards_pending,
            },
        },
    }


def application_payload(application: Application) -> dict:
    """Needs ``selectors.applications_with_decision`` (its current decision)."""
    current = application.latest_decisions[0] if application.latest_decisions else None
    return {
        "id": application.pk,
        "external_id": application.external_id,
        "role": application.role_id,
        "candidate": application.candidate_id,
        "stage": application.stage,
        "status": application.status,
        "decision": None if current is None else decision_payload(current),
        "created_at": timestamp(application.created_at),
        "updated_at": timestamp(application.updated_at),
    }
