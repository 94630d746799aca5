"""Role intake's reads and writes: a recommendation from answers, and the draft
role(s) it recommends. The rule itself is ``hiring.intake.rules``."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from hiring import access, audit, selectors, services
from hiring.intake.rules import (
    INSUFFICIENT,
    Decision,
    decide,
    minimum_counted,
    role_title,
    validate_answers,
    validate_level,
)
from hiring.models import (
    AuditAction,
    Level,
    Role,
    RoleIntake,
    RoleStatus,
    SalaryBand,
    SkillProfile,
    User,
)

# ---------------------------------------------------------------------------
# The recommendation, with its salary bands
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeResult:
    decision: Decision
    level: str
    question_count: int
    answers: dict[str, str]
    salary_bands: list[SalaryBand] = field(default_factory=list)

    @property
    def recommendation(self) -> str:
        return self.decision.recommendation


def salary_bands_for(*, profiles: Sequence[str], level: str) -> list[SalaryBand]:
    if not profiles:
        return []
    bands = {
        band.profile_slug: band
        for band in SalaryBand.objects.filter(profile_slug__in=profiles, level=level)
    }
    return [bands[slug] for slug in profiles if slug in bands]


def intake_recommend(*, answers: Mapping[str, str], level: str = Level.MID) -> IntakeResult:
    """Check the answers and recommend a profile (three queries)."""
    level = validate_level(level)
    questions = selectors.intake_questions()
    chosen = validate_answers(questions=questions, answers=answers)
    decision = decide(chosen=chosen, question_count=len(questions))
    return IntakeResult(
        decision=decision,
        level=level,
        question_count=len(questions),
        answers={answer.question.key: answer.key for answer in chosen},
        salary_bands=salary_bands_for(profiles=decision.profiles, level=level),
    )


# ---------------------------------------------------------------------------
# Creating the roles
# ---------------------------------------------------------------------------


@transaction.atomic
def intake_create_roles(
    *,
    answers: Mapping[str, str],
    level: str,
    hiring_lead: User,
    by,
    title: str = "",
    team: str = "",
) -> tuple[RoleIntake, list[Role]]:
    """Create the draft role(s) the intake recommends, each on the current version of its
    profile, with the intake kept on them so the rationale stays visible.

    ``by`` is the user (or the integration key) creating them; a hiring lead may only
    create roles they lead themselves.
    """
    result = intake_recommend(answers=answers, level=level)
    decision = result.decision
    profiles = _profiles_to_create(result=result, hiring_lead=hiring_lead, by=by)

    intake = RoleIntake.objects.create(
        answers=result.answers,
        level=result.level,
        recommendation=decision.recommendation,
        strength=decision.strength,
        explanation=decision.explanation,
        created_by=by if isinstance(by, User) else None,
    )
    audit.record(
        action=AuditAction.CREATE,
        object_type="roleintake",
        object_id=intake.pk,
        fields=["answers", "level", "recommendation"],
    )
    roles = [
        services.role_save(
            role=Role(
                title=role_title(title=title, profile=profile, role_count=len(profiles)),
                team=team.strip(),
                level=result.level,
                status=RoleStatus.DRAFT,
                profile=profile,
                hiring_lead=hiring_lead,
                intake=intake,
            )
        )
        for profile in profiles
    ]
    return intake, roles


def _profiles_to_create(*, result: IntakeResult, hiring_lead: User, by) -> list[SkillProfile]:
    """The current version of each recommended profile, once every rule is met."""
    errors: dict[str, list[str]] = {}
    if result.recommendation == INSUFFICIENT:
        errors["answers"] = [
            "Not enough information to recommend a profile, so no role was created: answer "
            f"at least {minimum_counted(result.question_count)} questions with something "
            "other than “not sure”."
        ]
    if not access.may_lead_for_others(by) and hiring_lead.pk != getattr(by, "pk", None):
        errors["hiring_lead"] = ["You can create roles only with yourself as the hiring lead."]
    elif not hiring_lead.is_active:
        errors["hiring_lead"] = [f"{hiring_lead.email} is not an active user."]
    profiles = []
    for slug in result.decision.profiles:
        profile = SkillProfile.objects.current(slug)
        if profile is None:
            errors.setdefault("recommendation", []).append(f"There is no '{slug}' profile.")
        profiles.append(profile)
    if errors:
        raise ValidationError(errors)
    return profiles
