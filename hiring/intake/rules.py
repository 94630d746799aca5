"""The intake's decision rule, pure (no database): which profile does a role need,
the AI engineer, the ML engineer, or both?

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
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from hiring.models import IntakeAnswer, IntakeQuestion, Level, SkillProfile

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
# When nothing was answered there are no points below to follow up on.
ADVICE_NOTHING_ANSWERED = (
    "Not enough information to recommend a profile: at least half of the questions need "
    "an answer other than “not sure”. Answer the questions you can, then run the intake again."
)


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
        if self.recommendation == INSUFFICIENT and not self.explanation:
            return ADVICE_NOTHING_ANSWERED
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


def role_title(*, title: str, profile: SkillProfile, role_count: int) -> str:
    title = title.strip()
    if not title:
        return profile.name
    return f"{title} ({profile.name})" if role_count > 1 else title
