"""Who may see what: one queryset per resource, for every caller.

The API, the pages and the comparison all filter through these functions, so
visibility is enforced in querysets (an object you may not see is simply not
found) and the rules live in one place:

- recruiters (staff) see everything;
- the ATS's integration key sees roles, candidates, applications and
  interviews, and submitted scorecards only;
- a hiring lead sees everything about the roles they lead, with submitted
  scorecards (never colleagues' drafts);
- an interviewer sees the applications and interviews they are on and their
  own scorecards; colleagues' submitted scorecards for an application appear
  once every scorecard of their own for it is submitted (independent scoring).

Independent scoring has no exceptions: whoever has an unsubmitted scorecard on
an application - hiring lead, recruiter, staff - reads no other scorecard of
it, nor anything computed from them (``colleague_content_hidden``,
``applications_hidden_from``). With a role's ``feedback_visibility`` set to
``after_panel_complete`` a panelist waits, besides, for the whole panel of the
interview (for a scorecard) or of the application (for what blends them). The
integration key is on no panel: nothing is hidden from it.

People can hold several of these hats; what they see is the union. Who may
*change* what is decided here too (``may_manage``, ``is_scorecard_author``,
``may_use_intake``, ``may_decide`` …); the API's permission classes and the pages only ask.
"""

import hashlib
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from hiring.models import (
    HIRING_LEADS,
    INTERVIEWERS,
    Application,
    AuditEvent,
    Candidate,
    Decision,
    FeedbackVisibility,
    Interview,
    Role,
    RoleIntake,
    Scorecard,
    ScorecardRevision,
    ScorecardStatus,
    User,
    WebhookEndpoint,
    WebhookEvent,
)


class Integration:
    """The ATS, acting through an API key that belongs to no user."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None
    email = ""

    def __str__(self):
        return "integration"

    def has_perm(self, perm, obj=None):
        return False


def is_integration(actor) -> bool:
    return isinstance(actor, Integration)


def is_recruiter(actor) -> bool:
    return bool(getattr(actor, "is_staff", False) and actor.is_active)


def sees_everything(actor) -> bool:
    """Recruiters and the integration key see every role, candidate and interview."""
    return is_recruiter(actor) or is_integration(actor)


def _signed_in(actor) -> bool:
    return isinstance(actor, User) and actor.is_active


def _hats(user: User) -> dict[str, bool]:
    """Which groups the person is in, whether they lead a role and whether they sit on a
    panel: one query, read once per user object (one request's user), however many
    rules ask (the navigation asks on every page)."""
    if not hasattr(user, "_hiring_hats"):
        in_group = User.groups.through.objects.filter(user=OuterRef("pk"))
        user._hiring_hats = (
            User.objects.filter(pk=user.pk)
            .values(
                lead_group=Exists(in_group.filter(group__name=HIRING_LEADS)),
                interviewer_group=Exists(in_group.filter(group__name=INTERVIEWERS)),
                leads_a_role=Exists(Role.objects.filter(hiring_lead=OuterRef("pk"))),
                on_a_panel=Exists(Scorecard.objects.filter(interviewer=OuterRef("pk"))),
            )
            .get()
        )
    return user._hiring_hats


def is_hiring_lead(actor) -> bool:
    """In the Hiring leads group, or leading a role."""
    if not _signed_in(actor):
        return False
    hats = _hats(actor)
    return hats["lead_group"] or hats["leads_a_role"]


def is_interviewer(actor) -> bool:
    """In the Interviewers group, or on a panel."""
    if not _signed_in(actor):
        return False
    hats = _hats(actor)
    return hats["interviewer_group"] or hats["on_a_panel"]


def may_manage(actor) -> bool:
    """Recruiters and the ATS's integration key create and change roles,
    candidates, applications, interviews and webhooks; hiring leads and interviewers read."""
    return sees_everything(actor)


def is_scorecard_author(actor, scorecard: Scorecard) -> bool:
    """Only a scorecard's interviewer writes it (not even recruiters: it is one
    person's judgement)."""
    return _signed_in(actor) and scorecard.interviewer_id == actor.pk


def may_list_roles(actor) -> bool:
    """The roles page: every role for recruiters, the roles they lead for hiring leads;
    nothing to show anyone else."""
    return is_recruiter(actor) or is_hiring_lead(actor)


def may_use_intake(actor) -> bool:
    """Recruiters, hiring leads and the integration key; interviewers alone may not."""
    return sees_everything(actor) or is_hiring_lead(actor)


def may_lead_for_others(actor) -> bool:
    """Recruiters and the integration key pick any hiring lead; a lead creates their own roles."""
    return sees_everything(actor)


def roles_for(actor) -> QuerySet[Role]:
    roles = Role.objects.all()
    if sees_everything(actor):
        return roles
    if not _signed_in(actor):
        return roles.none()
    on_panel = Scorecard.objects.filter(
        interviewer=actor, interview__application__role=OuterRef("pk")
    )
    return roles.filter(Q(hiring_lead=actor) | Exists(on_panel))


def applications_for(actor) -> QuerySet[Application]:
    applications = Application.objects.all()
    if sees_everything(actor):
        return applications
    if not _signed_in(actor):
        return applications.none()
    on_panel = Scorecard.objects.filter(interviewer=actor, interview__application=OuterRef("pk"))
    return applications.filter(Q(role__hiring_lead=actor) | Exists(on_panel))


def candidates_for(actor) -> QuerySet[Candidate]:
    candidates = Candidate.objects.all()
    if sees_everything(actor):
        return candidates
    if not _signed_in(actor):
        return candidates.none()
    return candidates.filter(Exists(applications_for(actor).filter(candidate=OuterRef("pk"))))


def interviews_for(actor) -> QuerySet[Interview]:
    interviews = Interview.objects.all()
    if sees_everything(actor):
        return interviews
    if not _signed_in(actor):
        return interviews.none()
    on_panel = Scorecard.objects.filter(interviewer=actor, interview=OuterRef("pk"))
    return interviews.filter(Q(application__role__hiring_lead=actor) | Exists(on_panel))


def interview_kits_for(actor) -> QuerySet[Interview]:
    """The interviews whose kit (questions, work samples, anchors) the person may read:
    its panel, the role's hiring lead, recruiters and the integration key - exactly who
    sees the interview. Anyone else is told it does not exist."""
    return interviews_for(actor)


def scorecards_for(actor) -> QuerySet[Scorecard]:
    scorecards = Scorecard.objects.all()
    submitted = Q(status=ScorecardStatus.SUBMITTED)
    if is_integration(actor):
        return scorecards.filter(submitted)
    if not _signed_in(actor):
        return scorecards.none()
    if is_recruiter(actor):
        return scorecards.exclude(colleague_content_hidden(actor))
    own = Scorecard.objects.filter(
        interviewer=actor, interview__application=OuterRef("interview__application")
    )
    return scorecards.filter(
        Q(interviewer=actor)
        | (submitted & Q(interview__application__role__hiring_lead=actor))
        | (submitted & Exists(own))
    ).exclude(colleague_content_hidden(actor))


def scorecard_to_change(actor, pk: int) -> Scorecard | None:
    """Scorecard ``pk`` as found by someone about to change it: their own in one plain
    read (an interviewer always sees their own, whatever ``scorecards_for`` hides), anyone
    else's only when ``scorecards_for`` shows it to them (so they are refused the change
    rather than told it does not exist); None when there is none they may see."""
    card = Scorecard.objects.filter(pk=pk).first()
    if card is None or is_scorecard_author(actor, card):
        return card
    return card if scorecards_for(actor).filter(pk=pk).exists() else None


def colleague_content_hidden(actor) -> Q:
    """The scorecards whose content ``actor`` may not read whatever else they are (a
    condition on Scorecard): someone else's, on an application where ``actor`` still has
    an unsubmitted scorecard; and, on a role with ``after_panel_complete``, on an
    application whose panel ``actor`` is on, while the scorecard's own interview still
    has one. Only for people: the integration key sits on no panel."""
    mine = Scorecard.objects.filter(
        interviewer=actor, interview__application=OuterRef("interview__application")
    )
    interview_open = Scorecard.objects.filter(
        interview=OuterRef("interview"), status=ScorecardStatus.DRAFT
    )
    after_panel = Q(
        interview__application__role__feedback_visibility=FeedbackVisibility.AFTER_PANEL_COMPLETE
    )
    return ~Q(interviewer=actor) & (
        Exists(mine.filter(status=ScorecardStatus.DRAFT))
        | (after_panel & Exists(mine) & Exists(interview_open))
    )


def applications_hidden_from(actor) -> QuerySet[Application]:
    """Applications whose colleagues' content ``actor`` may not read in anything that
    blends their scorecards (a comparison row, its CSV row, recommendation counts):
    those where ``actor`` has an unsubmitted scorecard; and, on a role with
    ``after_panel_complete``, those whose panel ``actor`` is on while any scorecard of
    the application is unsubmitted. Usable as a subquery; empty for the integration
    key and for anyone not signed in (who see no content anyway)."""
    applications = Application.objects.all()
    if not _signed_in(actor):
        return applications.none()
    mine = Scorecard.objects.filter(interviewer=actor, interview__application=OuterRef("pk"))
    pending = Scorecard.objects.filter(
        interview__application=OuterRef("pk"), status=ScorecardStatus.DRAFT
    )
    after_panel = Q(role__feedback_visibility=FeedbackVisibility.AFTER_PANEL_COMPLETE)
    return applications.filter(
        Exists(mine.filter(status=ScorecardStatus.DRAFT))
        | (after_panel & Exists(mine) & Exists(pending))
    )


@dataclass(frozen=True)
class ComparisonRedaction:
    """What a role's comparison must not show one viewer: the rows of ``applications``
    (their content; the candidate, stage and scorecard counts stay) and, with
    ``statistics``, the figures that blend every application - agreement, interviewer
    offsets and the calibrated scores built on them."""

    applications: frozenset[int] = frozenset()
    statistics: bool = False

    def __bool__(self) -> bool:
        return bool(self.applications or self.statistics)

    @property
    def tag(self) -> str:
        """A short fingerprint for the ETag: a redacted body differs from the full one."""
        text = ",".join(map(str, sorted(self.applications))) + f"|{self.statistics:d}"
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def comparison_redaction(actor, role_id: int) -> ComparisonRedaction:
    """What ``actor`` may not see in role ``role_id``'s comparison (one query; none for
    the integration key). Calibration draws on every application the panel scored, in
    any role, so one hidden application anywhere withholds the role-level statistics."""
    if not _signed_in(actor):
        return ComparisonRedaction()
    hidden = list(applications_hidden_from(actor).values_list("pk", "role_id"))
    return ComparisonRedaction(
        applications=frozenset(pk for pk, role in hidden if role == role_id),
        statistics=bool(hidden),
    )


def decisions_for(actor) -> QuerySet[Decision]:
    """A decision (and its snapshot: scores, recommendation counts) draws on the panel's
    scorecards, so it is seen by whoever sees the application unless independent scoring
    hides the application's blended content from them (``applications_hidden_from``),
    lead and recruiter alike; the integration key sees all."""
    decisions = Decision.objects.all()
    if is_integration(actor):
        return decisions
    if not _signed_in(actor):
        return decisions.none()
    visible = applications_for(actor).filter(pk=OuterRef("application_id"))
    hidden = applications_hidden_from(actor).filter(pk=OuterRef("application_id"))
    return decisions.filter(Exists(visible) & ~Exists(hidden))


def may_decide(actor, application: Application) -> bool:
    """The role's hiring lead and recruiters record decisions; interviewers never, and the
    integration key only reads. Deciding draws on the colleagues' feedback, so whoever
    independent scoring still hides it from (``applications_hidden_from``: an unsubmitted
    scorecard of their own on it, or a panel still at work with ``after_panel_complete``)
    waits until they may read it."""
    if not _signed_in(actor):
        return False
    if not (is_recruiter(actor) or application.role.hiring_lead_id == actor.pk):
        return False
    return not applications_hidden_from(actor).filter(pk=application.pk).exists()


def pending_scorecards_for(actor) -> QuerySet[Scorecard]:
    """Drafts whose existence a person may know - who still owes feedback on which
    interview, and by when - never their content: recruiters every draft, a hiring lead
    those of the roles they lead, an interviewer their own."""
    drafts = Scorecard.objects.filter(status=ScorecardStatus.DRAFT)
    if is_recruiter(actor):
        return drafts
    if not _signed_in(actor):
        return drafts.none()
    return drafts.filter(Q(interviewer=actor) | Q(interview__application__role__hiring_lead=actor))


def webhook_endpoints_for(actor) -> QuerySet[WebhookEndpoint]:
    """Webhooks are the ATS's plumbing: recruiters and the integration key only."""
    endpoints = WebhookEndpoint.objects.all()
    return endpoints if sees_everything(actor) else endpoints.none()


def webhook_events_for(actor) -> QuerySet[WebhookEvent]:
    """The outbox (the admin's Webhook events): recruiters, without the scorecard events
    whose content independent scoring hides from them (a scorecard payload carries the
    ratings). One query to find those applications, only for a recruiter who has any."""
    events = WebhookEvent.objects.all()
    if not is_recruiter(actor):
        return events.none()
    hidden = list(applications_hidden_from(actor).values_list("pk", flat=True))
    if not hidden:
        return events
    return events.exclude(
        Q(type__startswith="scorecard.")
        & Q(payload__application__in=hidden)
        & ~Q(payload__interviewer=actor.email)
    )


def scorecard_revisions_for(actor) -> QuerySet[ScorecardRevision]:
    """Corrections keep the content they replaced: visible where the scorecard is."""
    return ScorecardRevision.objects.filter(scorecard__in=scorecards_for(actor))


def may_compare(actor, role: Role) -> bool:
    """The comparison is for the role's hiring lead, recruiters and the integration key."""
    return sees_everything(actor) or (_signed_in(actor) and role.hiring_lead_id == actor.pk)


def intakes_for(actor) -> QuerySet[RoleIntake]:
    """Recruiters and the integration key see every stored intake; a hiring lead sees the
    ones they made and those of the roles they lead."""
    intakes = RoleIntake.objects.all()
    if sees_everything(actor):
        return intakes
    if not _signed_in(actor):
        return intakes.none()
    return intakes.filter(Q(created_by=actor) | Q(roles__hiring_lead=actor)).distinct()


def may_read_audit_log(actor) -> bool:
    """The audit log is for recruiters (not the integration key, not hiring leads)."""
    return is_recruiter(actor)


def audit_events_for(actor) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    return events if may_read_audit_log(actor) else events.none()


def may_export_candidate(actor) -> bool:
    """A subject-access export holds everything about a person: recruiters only."""
    return is_recruiter(actor)


def may_read_brief(actor, role: Role) -> bool:
    """A role's brief is for its hiring lead, recruiters and the integration key."""
    return sees_everything(actor) or (_signed_in(actor) and role.hiring_lead_id == actor.pk)


def may_edit_brief(actor, role: Role) -> bool:
    """Recruiters and the role's hiring lead write the brief; the integration key reads it."""
    return is_recruiter(actor) or (_signed_in(actor) and role.hiring_lead_id == actor.pk)
