"""Candidates' data: erasure that keeps the numbers, and the rule that an erased
candidate is never written again.

Erasure removes who the candidate is and everything written about them — name,
email, external ids, rating notes, scorecard summaries, revision reasons and the
content revisions kept, their data in stored webhook payloads — and keeps what the
statistics need: scores, recommendations, interviewers and dates, so the role's
comparison, every interviewer's offset and Krippendorff's alpha stay exactly what
they were. Audit events hold no personal text, so they stay as they are.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, Max, OuterRef, Q, QuerySet, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from hiring import audit
from hiring.comparison import comparison_forget
from hiring.models import (
    ERASED_NAME,
    Application,
    ApplicationStatus,
    AuditAction,
    Candidate,
    Decision,
    Rating,
    RoleStatus,
    Scorecard,
    ScorecardRevision,
    WebhookEvent,
)
from hiring.webhooks import outbox
from hiring.webhooks.payloads import timestamp

ERASED_TEXT = "(erased)"
ERASED_MESSAGE = "This candidate was erased: nothing about them can be changed."


class CandidateErased(ValidationError):
    """A write to an erased candidate (the API answers 409 conflict)."""

    def __init__(self):
        super().__init__({"candidate": [ERASED_MESSAGE]}, code="erased")


def refuse_erased(candidate: Candidate | None) -> None:
    """The one check every write about a candidate makes (services only)."""
    if candidate is not None and candidate.erased_at is not None:
        raise CandidateErased()


def _scrub_snapshot(snapshot: dict) -> dict:
    """A revision's kept content without its words: scores and recommendation stay."""
    return {
        **snapshot,
        "summary": "",
        "ratings": [{**rating, "note": ""} for rating in snapshot.get("ratings", [])],
    }


def _scrub_payload(event: WebhookEvent) -> dict:
    payload = dict(event.payload)
    if "ratings" in payload:
        payload["ratings"] = [{**rating, "note": ""} for rating in payload["ratings"]]
    if "summary" in payload:
        payload["summary"] = ""
    if event.type.startswith("application."):
        payload["external_id"] = None
    return payload


def _scrub_webhook_payloads(application_ids: list[int]) -> None:
    """Stored events about the candidate, queued or already sent, lose their words."""
    about = Q(type__startswith="application.", payload__id__in=application_ids) | Q(
        ~Q(type__startswith="application."), payload__application__in=application_ids
    )
    events = list(WebhookEvent.objects.filter(about)) if application_ids else []
    for event in events:
        event.payload = _scrub_payload(event)
    WebhookEvent.objects.bulk_update(events, ["payload"])


def _scrub_scorecards(scorecards, now) -> None:
    Rating.objects.filter(scorecard__in=scorecards).exclude(note="").update(note="")
    revisions = list(ScorecardRevision.objects.filter(scorecard__in=scorecards))
    for revision in revisions:
        revision.reason = ""
        revision.previous = _scrub_snapshot(revision.previous)
    ScorecardRevision.objects.bulk_update(revisions, ["reason", "previous"])
    # A new version and updated_at, so clients syncing scorecards pick up the change.
    scorecards.update(summary="", row_version=F("row_version") + 1, updated_at=now)


@transaction.atomic
def candidate_erase(*, candidate: Candidate, reason: str) -> Candidate:
    """Erase a candidate for good, in one transaction (see the module's docstring)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the candidate is erased."]})
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    refuse_erased(candidate)
    now = timezone.now()
    applications = list(
        Application.objects.filter(candidate=candidate).values_list("pk", "role_id")
    )
    application_ids = [pk for pk, _ in applications]
    Application.objects.filter(pk__in=application_ids).update(external_id=None, updated_at=now)
    _scrub_scorecards(Scorecard.objects.filter(interview__application__in=application_ids), now)
    _scrub_webhook_payloads(application_ids)
    # A decision keeps its value and snapshot; its words go (both must stay non-blank).
    decisions = Decision.objects.filter(application__in=application_ids)
    decisions.update(rationale=ERASED_TEXT)
    decisions.exclude(override_reason="").update(override_reason=ERASED_TEXT)

    candidate.name, candidate.email, candidate.external_id = ERASED_NAME, "", None
    candidate.erased_at, candidate.erasure_reason = now, reason[:200]
    candidate.save()
    audit.record(
        action=AuditAction.ERASE,
        object_type="candidate",
        object_id=candidate.pk,
        fields=["name", "email", "external_id", "notes"],
    )
    outbox.emit("candidate.erased", {"id": candidate.pk, "erased_at": timestamp(now)})
    # A kept comparison still names them: once this commits, none is served again.
    role_ids = {role_id for _, role_id in applications}
    transaction.on_commit(lambda: comparison_forget(role_ids=role_ids))
    return candidate


RETENTION_REASON = "retention"
CLOSED_STATUSES = (ApplicationStatus.HIRED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)


def application_ended(path: str = "") -> Q:
    """The application itself is over: hired, rejected or withdrawn (``path`` reaches
    the application, e.g. ``"applications__"``)."""
    return Q(**{f"{path}status__in": CLOSED_STATUSES})


def application_closed(path: str = "") -> Q:
    """Over, or its role closed: nothing more will happen to it."""
    return application_ended(path) | Q(**{f"{path}role__status": RoleStatus.CLOSED})


def candidates_due_for_retention(*, now: datetime | None = None) -> QuerySet[Candidate]:
    """Candidates not yet erased whose every application is closed, and closed since
    longer than ``CANDIDATE_RETENTION_DAYS`` (none while the setting is unset).

    An application closed when it last changed — or, when only its role closed, when
    the role last changed; the candidate's own last change counts too.
    """
    days = settings.CANDIDATE_RETENTION_DAYS
    if days is None:
        return Candidate.objects.none()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    still_open = Application.objects.filter(candidate=OuterRef("pk")).exclude(application_closed())
    closed_at = Case(
        When(application_ended("applications__"), then=F("applications__updated_at")),
        default=Greatest("applications__updated_at", "applications__role__updated_at"),
    )
    return (
        Candidate.objects.filter(erased_at__isnull=True)
        .exclude(Exists(still_open))
        .annotate(closed_since=Greatest("updated_at", Coalesce(Max(closed_at), "updated_at")))
        .filter(closed_since__lt=cutoff)
        .order_by("closed_since", "pk")
    )


def candidates_apply_retention(*, now: datetime | None = None) -> list[int]:
    """Erase every candidate past retention, each in its own transaction, with the
    reason "retention"; returns their ids."""
    erased = []
    for candidate in list(candidates_due_for_retention(now=now)):
        candidate_erase(candidate=candidate, reason=RETENTION_REASON)
        erased.append(candidate.pk)
    return erased
