"""Named reads that the API, the pages, the services and the webhook payloads share.

Each returns a queryset with the ``select_related`` / ``prefetch_related`` its
readers need, so no reader loads a row per item. Visibility is not decided here:
callers pass in what ``hiring.access`` lets the person see.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, F, Prefetch, Q, QuerySet, prefetch_related_objects

from hiring.models import (
    LATEST_FIRST,
    Application,
    AuditEvent,
    Candidate,
    Competency,
    Decision,
    FeedbackReminder,
    IntakeQuestion,
    Interview,
    InterviewQuestion,
    Rating,
    Role,
    RoleIntake,
    Scorecard,
    ScorecardRevision,
    ScorecardStatus,
    Skill,
    SkillProfile,
    User,
    WorkSample,
)


def active_users() -> QuerySet[User]:
    """The people who can be named: as a hiring lead, on a panel, as an API key's user.
    A deactivated person cannot, wherever they are named (API, admin, pages, commands)."""
    return User.objects.filter(is_active=True)


def active_user_by_email(email: str) -> User | None:
    """The active user with this email address (case-insensitive), or None."""
    return (User.objects.with_email(email) & active_users()).first()


def candidates_sharing_email(candidate: Candidate) -> QuerySet[Candidate]:
    """The other candidates recorded with this one's email (case aside): perhaps the
    same person entered twice."""
    return (
        Candidate.objects.filter(email__iexact=candidate.email.strip(), erased_at__isnull=True)
        .exclude(pk=candidate.pk)
        .exclude(email="")
        .order_by("pk")
    )


def competencies_with_kit(competencies: QuerySet[Competency]) -> QuerySet[Competency]:
    """Competencies in checklist order with their skills, the skills' questions and the
    work samples (four queries)."""
    questions = InterviewQuestion.objects.order_by("order", "id")
    skills = Skill.objects.order_by("order", "id").prefetch_related(
        Prefetch("questions", queryset=questions)
    )
    samples = WorkSample.objects.order_by("order", "id")
    return competencies.order_by("order", "id").prefetch_related(
        Prefetch("skills", queryset=skills), Prefetch("work_samples", queryset=samples)
    )


def profiles_with_checklist(profiles: QuerySet[SkillProfile] | None = None) -> QuerySet:
    """Profiles with their competencies and skills, in checklist order, and their
    interview kits: questions per skill, work samples per competency (five queries)."""
    competencies = competencies_with_kit(Competency.objects.all())
    profiles = SkillProfile.objects.all() if profiles is None else profiles
    return profiles.prefetch_related(Prefetch("competencies", queryset=competencies))


@dataclass(frozen=True)
class InterviewKit:
    """What an interviewer needs to run one interview."""

    interview: Interview
    profile: SkillProfile
    competencies: list[Competency]


def interview_kit(interview: Interview) -> InterviewKit:
    """The interview's focus competencies - every competency of its role's profile when
    it names none - with their skills, questions and work samples (four queries; the
    interview comes with ``application__role__profile`` selected)."""
    focus = Interview.focus_competencies.through.objects.filter(interview_id=interview.pk)
    role_profile = interview.application.role.profile
    chosen = Competency.objects.filter(
        Q(pk__in=focus.values("competency_id")) | (~Exists(focus) & Q(profile=role_profile))
    )
    competencies = list(competencies_with_kit(chosen.select_related("profile")))
    profile = competencies[0].profile if competencies else role_profile
    return InterviewKit(interview=interview, profile=profile, competencies=competencies)


def scorecards_with_content(scorecards: QuerySet[Scorecard] | None = None) -> QuerySet:
    """Scorecards with what showing one needs: interview, application, candidate, role,
    interviewer, profile, and the ratings with their skills (two queries)."""
    scorecards = Scorecard.objects.all() if scorecards is None else scorecards
    ratings = Rating.objects.select_related("skill__competency")
    return scorecards.select_related(
        "interview__application__candidate",
        "interview__application__role",
        "interviewer",
        "profile",
    ).prefetch_related(Prefetch("ratings", queryset=ratings))


def pending_feedback(scorecards: QuerySet[Scorecard]) -> list[Scorecard]:
    """The drafts among ``scorecards`` with their due dates, interviewer and interview,
    soonest due first (one query): who still owes feedback, and who is late."""
    drafts = (
        scorecards.filter(status=ScorecardStatus.DRAFT)
        .with_due_dates()
        .select_related("interviewer", "interview")
        .order_by(F("due_at").asc(nulls_last=True), "interviewer__full_name", "pk")
    )
    return list(drafts)


def pending_feedback_by_application(scorecards: QuerySet[Scorecard]) -> dict[int, list[Scorecard]]:
    """``pending_feedback`` grouped by the interview's application (one query)."""
    grouped = defaultdict(list)
    for card in pending_feedback(scorecards):
        grouped[card.interview.application_id].append(card)
    return dict(grouped)


def interviews_with_panel(interviews: QuerySet[Interview] | None = None) -> QuerySet:
    """Interviews with their focus competency keys and their panel's emails (three queries)."""
    interviews = Interview.objects.all() if interviews is None else interviews
    panel = Scorecard.objects.select_related("interviewer").only(
        "interview_id", "status", "interviewer__email"
    )
    return interviews.select_related("application").prefetch_related(
        Prefetch("focus_competencies", queryset=Competency.objects.only("key")),
        Prefetch("scorecards", queryset=panel),
    )


def application_panel(application) -> QuerySet[Scorecard]:
    """Who is on an application's panel and whether they have submitted: no content
    (one query). Anyone who may see the application may see this."""
    return (
        Scorecard.objects.filter(interview__application=application)
        .select_related("interviewer", "interview")
        .only(
            "status",
            "submitted_at",
            "interviewer__email",
            "interviewer__full_name",
            "interview__name",
            "interview__scheduled_at",
        )
        .order_by(F("interview__scheduled_at").asc(nulls_last=True), "interview_id", "pk")
    )


def scorecard_focus_skills(scorecard: Scorecard, *, with_questions: bool = False) -> list[Skill]:
    """The skills the interviewer must rate: those of the interview's focus competencies
    (every competency of the pinned profile when the interview names none). One query,
    and one more for each skill's interview questions when asked for."""
    focus = Interview.focus_competencies.through.objects.filter(interview_id=scorecard.interview_id)
    skills = Skill.objects.filter(competency__profile_id=scorecard.profile_id).filter(
        ~Exists(focus) | Q(competency_id__in=focus.values("competency_id"))
    )
    if with_questions:
        questions = InterviewQuestion.objects.order_by("order", "id")
        skills = skills.prefetch_related(Prefetch("questions", queryset=questions))
    return list(skills.select_related("competency"))


def intakes_with_roles(intakes: QuerySet[RoleIntake]) -> QuerySet:
    """Stored intakes with who made them and the roles created from each (two queries)."""
    roles = Role.objects.select_related("profile", "hiring_lead").order_by("id")
    return intakes.select_related("created_by").prefetch_related(Prefetch("roles", queryset=roles))


def intake_questions() -> list[IntakeQuestion]:
    """Every intake question with its answers, in order (two queries)."""
    return list(IntakeQuestion.objects.prefetch_related("answers"))


def decisions_with_author(decisions: QuerySet[Decision] | None = None) -> QuerySet:
    """Decisions newest first, with who made them (one query)."""
    decisions = Decision.objects.all() if decisions is None else decisions
    return decisions.select_related("decided_by").order_by(*LATEST_FIRST)


def applications_with_decision(
    applications: QuerySet[Application] | None = None,
    decisions: QuerySet[Decision] | None = None,
) -> QuerySet:
    """Applications with their current decision among ``decisions`` (what the reader may
    see; every one by default) as ``current_decision`` (None for none): one more query."""
    applications = Application.objects.all() if applications is None else applications
    return applications.prefetch_related(_latest_decision(decisions))


def load_current_decision(applications: list[Application]) -> None:
    """Load ``applications_with_decision``'s current decision (every one) onto loaded
    applications: one query."""
    prefetch_related_objects(applications, _latest_decision(None))


def _latest_decision(decisions: QuerySet[Decision] | None) -> Prefetch:
    latest = decisions_with_author(decisions)[:1]
    return Prefetch("decisions", queryset=latest, to_attr="latest_decisions")


def current_decision(application: Application) -> Decision | None:
    """The current decision loaded by ``applications_with_decision``."""
    latest = application.latest_decisions
    return latest[0] if latest else None


def candidates_for_export(candidates: QuerySet[Candidate]) -> QuerySet:
    """Candidates with everything held about them: applications (with their roles),
    interviews (focus keys), scorecards (ratings, revisions, who wrote them). A fixed
    number of queries."""
    ratings = Rating.objects.select_related("skill__competency")
    revisions = ScorecardRevision.objects.select_related("revised_by").order_by("number")
    scorecards = Scorecard.objects.select_related("interviewer", "profile").prefetch_related(
        Prefetch("ratings", queryset=ratings),
        Prefetch("revisions", queryset=revisions),
        Prefetch("reminders", queryset=FeedbackReminder.objects.order_by("number")),
    )
    interviews = Interview.objects.prefetch_related(
        Prefetch("focus_competencies", queryset=Competency.objects.only("key")),
        Prefetch("scorecards", queryset=scorecards.order_by("id")),
    )
    applications = Application.objects.select_related("role").prefetch_related(
        Prefetch("interviews", queryset=interviews.order_by("id")),
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")),
    )
    return candidates.prefetch_related(
        Prefetch("applications", queryset=applications.order_by("id"))
    )


def audit_events_about(candidate: Candidate) -> QuerySet[AuditEvent]:
    """The audit events about a candidate, their applications, interviews and scorecards
    (for a candidate loaded with ``candidates_for_export``: no query to find the ids)."""
    applications = list(candidate.applications.all())
    interviews = [i for a in applications for i in a.interviews.all()]
    scorecards = [c for i in interviews for c in i.scorecards.all()]
    about = (
        Q(object_type="candidate", object_id=candidate.pk)
        | Q(object_type="application", object_id__in=[a.pk for a in applications])
        | Q(object_type="interview", object_id__in=[i.pk for i in interviews])
        | Q(object_type="scorecard", object_id__in=[c.pk for c in scorecards])
    )
    return AuditEvent.objects.filter(about).select_related("actor").order_by("id")


def uncovered_competencies(
    role: Role, counted: Sequence[tuple[str, str]]
) -> list[tuple[str, list[str]]]:
    """Per candidate of the role (by name), the names of the ``counted`` competencies
    ((key, name) pairs: those whose weight is above 0) that none of their interviews has as
    a focus yet; an interview without focus competencies covers them all. Candidates with
    nothing uncovered are left out (two queries)."""
    names = dict(role.applications.values_list("pk", "candidate__name"))
    covered: dict[int, set[str | None]] = {pk: set() for pk in names}
    focus = Interview.objects.filter(application__role=role).values_list(
        "application_id", "focus_competencies__key"
    )
    for application, key in focus:
        covered[application].add(key)  # None: an interview with no focus covers everything
    result = [
        (names[pk], [name for key, name in counted if key not in keys])
        for pk, keys in covered.items()
        if None not in keys
    ]
    return sorted(
        ((name, missing) for name, missing in result if missing), key=lambda p: p[0].casefold()
    )
