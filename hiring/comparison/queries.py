"""What the comparison reads: four queries whatever the size of the role, and the SQL
expressions they (and the ETag's query) are built from."""

from dataclasses import dataclass

import numpy as np
from django.db.models import F, Func, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast

from hiring.models import Application, Competency, Rating, Role, Scorecard, ScorecardStatus


class Aggregated(Func):
    """An aggregate over a whole subquery (no GROUP BY), used as a scalar."""

    def __init__(self, expression, function):
        super().__init__(expression, function=function)


class Joined(Func):
    """Every row's text in one comma-separated string (an aggregate over the
    whole query: no GROUP BY). ``ordered`` makes it stable on PostgreSQL."""

    output_field = TextField()

    def __init__(self, expression, *, ordered: bool = False):
        super().__init__(expression)
        self.ordered = ordered

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor != "postgresql":
            return f"GROUP_CONCAT({sql}, ',')", params
        if self.ordered:
            return f"STRING_AGG(({sql})::text, ',' ORDER BY {sql})", (*params, *params)
        return f"STRING_AGG(({sql})::text, ',')", params


def scalar(queryset: QuerySet, expression) -> Subquery:
    return Subquery(queryset.order_by().annotate(_v=expression).values("_v")[:1])


class Text(Func):
    """Columns joined by "|" into one text (every column used is NOT NULL)."""

    template = "(%(expressions)s)"
    arg_joiner = " || '|' || "
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        # PostgreSQL's || takes one text side; cast them all to be plain.
        casts = [Cast(expression, TextField()) for expression in self.get_source_expressions()]
        return Func(*casts, template=self.template, arg_joiner=self.arg_joiner).as_sql(
            compiler, connection, **extra
        )


def calibration_scope(role: Role) -> QuerySet:
    """Ids of the submitted scorecards the offsets are estimated from: all of
    those in the applications the role's panel scored, in any role."""
    submitted = Q(status=ScorecardStatus.SUBMITTED)
    panel_ids = Scorecard.objects.filter(submitted, interview__application__role=role).values(
        "interviewer_id"
    )
    applications = Scorecard.objects.filter(submitted, interviewer_id__in=panel_ids).values(
        "interview__application_id"
    )
    return Scorecard.objects.filter(submitted, interview__application_id__in=applications).values(
        "id"
    )


def role_ratings_queryset(role: Role) -> QuerySet:
    """Every submitted score the comparison reads, one row each: (scorecard, skill, score).

    The bench times this bare query as the database floor.
    """
    return (
        Rating.objects.filter(score__isnull=False, scorecard_id__in=calibration_scope(role))
        .order_by()
        .values_list("scorecard_id", "skill_id", "score")
    )


# One score packed into one integer: scorecard id · 2²⁴ + skill id · 8 + score
# (skill ids below 2²¹, scorecard ids below 2³⁹).
SKILL_BITS, SCORE_BITS = 21, 3
CARD_BITS = 63 - SKILL_BITS - SCORE_BITS


def role_packed_ratings_queryset(role: Role) -> QuerySet:
    """The same scores as one row holding one string: "packed score,packed score,…".

    A Python tuple per score costs more than the database's own work; a single
    string is parsed by NumPy in one call.
    """
    packed = (
        F("scorecard_id") * 2 ** (SKILL_BITS + SCORE_BITS)
        + F("skill_id") * 2**SCORE_BITS
        + F("score")
    )
    return (
        Rating.objects.filter(score__isnull=False, scorecard_id__in=calibration_scope(role))
        .order_by()
        .annotate(
            packed=Joined(packed),
            largest_card=Aggregated(F("scorecard_id"), "MAX"),
            largest_skill=Aggregated(F("skill_id"), "MAX"),
        )
        .values_list("packed", "largest_card", "largest_skill")
    )


@dataclass(frozen=True)
class Inputs:
    """The rows the comparison is computed from."""

    # (profile id, competency id, key, name, weight, skill id, skill key, skill name) of the
    # role's profile and of older versions its scorecards may be pinned to.
    structure: list[tuple]
    applications: list[tuple]  # (id, stage, candidate id, candidate name, erased at)
    # (id, application id, status, recommendation, interviewer id, email, full name) of the
    # role's scorecards (drafts too: they are pending) and every other one the offsets use.
    cards: list[tuple]
    scores: tuple[np.ndarray, np.ndarray, np.ndarray]  # scorecard, skill, score per score


def load_inputs(role: Role) -> Inputs:
    """Four queries whatever the number of candidates, scorecards and skills."""
    pinned = Scorecard.objects.filter(interview__application__role=role).values("profile_id")
    structure = list(
        Competency.objects.filter(Q(profile_id=role.profile_id) | Q(profile_id__in=pinned))
        .order_by("order", "id", "skills__order", "skills__id")
        .values_list(
            "profile_id", "id", "key", "name", "weight", "skills__id", "skills__key", "skills__name"
        )
    )
    applications = list(
        Application.objects.filter(role=role)
        .order_by("id")
        .values_list("id", "stage", "candidate_id", "candidate__name", "candidate__erased_at")
    )
    cards = list(
        Scorecard.objects.filter(
            Q(interview__application__role=role) | Q(id__in=calibration_scope(role))
        )
        .order_by("id")
        .values_list(
            "id",
            "interview__application_id",
            "status",
            "overall_recommendation",
            "interviewer_id",
            "interviewer__email",
            "interviewer__full_name",
        )
    )
    return Inputs(structure, applications, cards, _scores(role))


def _scores(role: Role) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    packed, largest_card, largest_skill = next(
        iter(role_packed_ratings_queryset(role)), (None, None, None)
    )
    if (largest_card or 0) >= 1 << CARD_BITS or (largest_skill or 0) >= 1 << SKILL_BITS:
        # Ids beyond the packing's room (a very old, very large database): a row per score.
        rows = np.array(list(role_ratings_queryset(role)), dtype=np.int64).reshape(-1, 3)
        return rows[:, 0], rows[:, 1], rows[:, 2]
    return unpack(packed)


def unpack(packed: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scorecard, skill, score) arrays, one element per score."""
    values = np.fromstring(packed, dtype=np.int64, sep=",") if packed else np.zeros(0, np.int64)
    skill_mask = (1 << SKILL_BITS) - 1
    return (
        values >> (SKILL_BITS + SCORE_BITS),
        (values >> SCORE_BITS) & skill_mask,
        values & ((1 << SCORE_BITS) - 1),
    )
