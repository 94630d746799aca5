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

People can hold several of these hats; what they see is the union. Who may
*change* what is decided here too (``may_manage``, ``is_scorecard_author``,
``may_use_intake``, ``may_decide`` …); the API's permission classes and the pages only ask.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from hiring.models import (
    HIRING_LEADS,
    INTERVIEWERS,
    Application,
    Candidate,
    Decision,
    Interview,
    Role,
    RoleIntake,
    Scorecard,
    ScorecardStatus,
    User,
    WebhookEndpoint,
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
    if is_recruiter(actor):
        return scorecards
    submitted = Q(status=ScorecardStatus.SUBMITTED)
    if is_integration(actor):
        return scorecards.filter(submitted)
    if not _signed_in(actor):
        return scorecards.none()
    own = Scorecard.objects.filter(
        interviewer=actor, interview__application=OuterRef("interview__application")
    )
    own_done = Exists(own.filter(status=ScorecardStatus.SUBMITTED)) & ~Exists(
        own.filter(status=ScorecardStatus.DRAFT)
    )
    return scorecards.filter(
        Q(interviewer=actor)
        | (submitted & Q(interview__application__role__hiring_lead=actor))
        | (submitted & own_done)
    )


def _own_draft_on(actor, application_path: str) -> Exists:
    """The person has an unsubmitted scorecard on the application at ``application_path``."""
    return Exists(
        Scorecard.objects.filter(
            interviewer=actor,
            status=ScorecardStatus.DRAFT,
            interview__application=OuterRef(application_path),
        )
    )


def decisions_for(actor) -> QuerySet[Decision]:
    """A decision (and its snapshot: scores, recommendation counts) draws on the panel's
    scorecards, so it is seen by whoever sees the application and has no unsubmitted
    scorecard of their own on it, lead and recruiter alike; the integration key sees all."""
    decisions = Decision.objects.all()
    if is_integration(actor):
        return decisions
    if not _signed_in(actor):
        return decisions.none()
    visible = applications_for(actor).filter(pk=OuterRef("application_id"))
    return decisions.filter(Exists(visible) & ~_own_draft_on(actor, "application_id"))


def may_decide(actor, application: Application) -> bool:
    """The role's hiring lead and recruiters record decisions; interviewers never, and the
    integration key only reads. Someone with an unsubmitted scorecard on the application
    submits it first: deciding draws on the colleagues' feedback they may not see yet."""
    if not _signed_in(actor):
        return False
    if not (is_recruiter(actor) or application.role.hiring_lead_id == actor.pk):
        return False
    return not application.interviews.filter(
        scorecards__interviewer=actor, scorecards__status=ScorecardStatus.DRAFT
    ).exists()


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
