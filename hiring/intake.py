"""Role intake: which profile does a role need, the AI engineer, the ML engineer, or both?

The questions and their answers are data (``IntakeQuestion`` / ``IntakeAnswer``, editable in
the admin); each answer points to a profile slug or to nothing ("not sure"). The decision
rule below only counts where the chosen answers point, so it never branches on a question:

- An answer "counts" when it points to a profile. If fewer than half of the questions
  (rounded up) have an answer that counts, the result is ``insufficient``: no guess.
- Otherwise ``strength = |ai − ml| / counted``, from 0 (an even split) to 1 (all one way).
  A strength of at least ``ONE_SIDED`` (0.5: at least three counted answers in four point
  the same way) recommends that profile; anything less is a genuine split and recommends
  ``both``, hired in stages: the ML engineer first, then the AI engineer.
- Every chosen answer, "not sure" included, adds its implication to the explanation.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet

from hiring import access, services
from hiring.models import (
    HIRING_LEADS,
    IntakeAnswer,
    IntakeQuestion,
    Level,
    Role,
    RoleIntake,
    RoleStatus,
    SalaryBand,
    SkillProfile,
    User,
)

# The recommendations; the first two are also the profile slugs the answers point to.
AI = "ai-engineer"
ML = "ml-engineer"
BOTH = "both"
INSUFFICIENT = "insufficient"
RECOMMENDATIONS = (AI, ML, BOTH, INSUFFICIENT)
LABELS = {
    AI: "AI engineer",
    ML: "ML engineer",
    BOTH: "Both: an ML engineer, then an AI engineer",
    INSUFFICIENT: "Not enough information",
}
# What an answer may point to (editable in the admin): a profile, or nothing for "not sure".
PROFILE_CHOICES = [("", "Not sure (no profile)"), (AI, LABELS[AI]), (ML, LABELS[ML])]
# When both are needed, the model foundation comes first, then the product around it.
STAGED_PROFILES = (ML, AI)

# The smallest strength that names a single profile: 3 counted answers in 4 point one way.
ONE_SIDED = 0.5

ADVICE = {
    AI: (
        "Hire an AI engineer: the answers point to building a reliable product around "
        "existing models rather than to work on a model itself."
    ),
    ML: (
        "Hire an ML engineer: the answers point to building and improving the model itself "
        "rather than to the product around it."
    ),
    BOTH: (
        "The answers genuinely split, so the work needs both profiles at different stages: "
        "hire the ML engineer first to build the model foundation, then the AI engineer to "
        "turn it into a production system."
    ),
    INSUFFICIENT: (
        "Not enough information to recommend a profile: at least half of the questions need "
        "an answer other than “not sure”. Follow up on the points below, then run the intake "
        "again."
    ),
}


def minimum_counted(question_count: int) -> int:
    """How many answers must point to a profile before we recommend one."""
    return max(1, math.ceil(question_count / 2))


@dataclass(frozen=True)
class Decision:
    recommendation: str
    strength: float
    profiles: tuple[str, ...]
    explanation: list[str]
    tally: dict[str, int]

    @property
    def advice(self) -> str:
        return ADVICE[self.recommendation]


def explanation_line(answer: IntakeAnswer) -> str:
    line = f"{answer.question.text} “{answer.text}”"
    return f"{line} — {answer.implication}" if answer.implication else line


def decide(*, chosen: Sequence[IntakeAnswer], question_count: int) -> Decision:
    """The decision rule (no database access): ``chosen`` is one answer per answered
    question, in question order, each with its ``question`` loaded."""
    ai = sum(1 for answer in chosen if answer.points_to == AI)
    ml = sum(1 for answer in chosen if answer.points_to == ML)
    counted = ai + ml
    tally = {
        AI: ai,
        ML: ml,
        "not_sure": len(chosen) - counted,
        "unanswered": question_count - len(chosen),
    }
    explanation = [explanation_line(answer) for answer in chosen]
    if counted < minimum_counted(question_count):
        return Decision(INSUFFICIENT, 0.0, (), explanation, tally)
    strength = abs(ai - ml) / counted
    if strength >= ONE_SIDED:
        winner = AI if ai > ml else ML
        return Decision(winner, round(strength, 2), (winner,), explanation, tally)
    return Decision(BOTH, round(strength, 2), STAGED_PROFILES, explanation, tally)


# ---------------------------------------------------------------------------
# Reading the questions and checking answers against them
# ---------------------------------------------------------------------------


def intake_questions() -> list[IntakeQuestion]:
    """Every question with its answers, in order (two queries)."""
    return list(IntakeQuestion.objects.prefetch_related("answers"))


def validate_level(level: str) -> str:
    if level not in Level.values:
        raise ValidationError({"level": [f"Choose one of {', '.join(Level.values)}."]})
    return level


def validate_answers(
    *, questions: Sequence[IntakeQuestion], answers: Mapping[str, str]
) -> list[IntakeAnswer]:
    """The chosen answers in question order; unknown keys raise ``answers.<question key>``."""
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": ["Give an object of question key → answer key."]})
    by_key = {question.key: question for question in questions}
    errors: dict[str, list[str]] = {}
    for question_key, answer_key in answers.items():
        question = by_key.get(question_key)
        if question is None:
            errors[f"answers.{question_key}"] = [f"'{question_key}' is not an intake question."]
            continue
        keys = [answer.key for answer in question.answers.all()]
        if not isinstance(answer_key, str):
            errors[f"answers.{question_key}"] = ["Give the answer's key as a string."]
        elif answer_key not in keys:
            errors[f"answers.{question_key}"] = [
                f"'{answer_key}' is not an answer to this question; choose one of "
                f"{', '.join(keys)}."
            ]
    if errors:
        raise ValidationError(errors)
    chosen = []
    for question in questions:
        if question.key in answers:
            answer = next(a for a in question.answers.all() if a.key == answers[question.key])
            answer.question = question  # already loaded: no query per line
            chosen.append(answer)
    return chosen


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
    questions = intake_questions()
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
# Who may use it, and creating the roles
# ---------------------------------------------------------------------------


def is_hiring_lead(actor) -> bool:
    if not isinstance(actor, User) or not actor.is_active:
        return False
    return actor.groups.filter(name=HIRING_LEADS).exists() or actor.led_roles.exists()


def may_use_intake(actor) -> bool:
    """Recruiters, hiring leads and the integration key; interviewers alone may not."""
    return access.sees_everything(actor) or is_hiring_lead(actor)


def may_lead_for_others(actor) -> bool:
    """Recruiters and the integration key pick any hiring lead; a lead creates their own roles."""
    return access.sees_everything(actor)


def intakes_for(actor) -> QuerySet[RoleIntake]:
    """Recruiters and the integration key see every stored intake; a hiring lead sees the
    ones they made and those of the roles they lead. Each comes with its roles."""
    roles = Role.objects.select_related("profile", "hiring_lead").order_by("id")
    intakes = RoleIntake.objects.select_related("created_by").prefetch_related(
        Prefetch("roles", queryset=roles)
    )
    if access.sees_everything(actor):
        return intakes
    if not isinstance(actor, User):
        return intakes.none()
    return intakes.filter(Q(created_by=actor) | Q(roles__hiring_lead=actor)).distinct()


def role_title(*, title: str, profile: SkillProfile, role_count: int) -> str:
    title = title.strip()
    if not title:
        return profile.name
    return f"{title} ({profile.name})" if role_count > 1 else title


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
    errors: dict[str, list[str]] = {}
    if decision.recommendation == INSUFFICIENT:
        errors["answers"] = [
            "Not enough information to recommend a profile, so no role was created: answer "
            f"at least {minimum_counted(result.question_count)} questions with something "
            "other than “not sure”."
        ]
    if not may_lead_for_others(by) and hiring_lead.pk != getattr(by, "pk", None):
        errors["hiring_lead"] = ["You can create roles only with yourself as the hiring lead."]
    elif not hiring_lead.is_active:
        errors["hiring_lead"] = [f"{hiring_lead.email} is not an active user."]
    profiles = {}
    for slug in decision.profiles:
        profiles[slug] = SkillProfile.objects.current(slug)
        if profiles[slug] is None:
            errors.setdefault("recommendation", []).append(f"There is no '{slug}' profile.")
    if errors:
        raise ValidationError(errors)

    intake = RoleIntake.objects.create(
        answers=result.answers,
        level=result.level,
        recommendation=decision.recommendation,
        strength=decision.strength,
        explanation=decision.explanation,
        created_by=by if isinstance(by, User) else None,
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
        for profile in profiles.values()
    ]
    return intake, roles
