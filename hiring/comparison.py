"""The role comparison: how a role's candidates compare, calibrated, in one read.

One read model shared by the API (``hiring.api.comparison``) and the pages:

- ``role_comparison(role)`` returns the comparison as a plain dict;
- ``comparison_stamp(role_id)`` says, with one cheap query, whether it can
  have changed (the ETag) and who leads the role;
- ``comparison_csv_rows(data)`` flattens it for a spreadsheet.

It runs four queries whatever the size of the role and does the arithmetic
with NumPy. Only submitted scorecards count; "not assessed" (no score) and the
``no_decision`` recommendation never count as scores. The method is described
in the README ("Comparison").
"""

import hashlib
import json
from dataclasses import dataclass

import numpy as np
from django.db import connections
from django.db.models import F, Func, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast

from hiring.models import (
    Application,
    Competency,
    Rating,
    Recommendation,
    Role,
    Scorecard,
    ScorecardStatus,
    Skill,
    SkillProfile,
    User,
)

# Bump when the computation or the dict's shape changes, so no cache or client
# keeps a result computed by older code.
COMPARISON_VERSION = 1

SCORES = (1, 2, 3, 4)
RECOMMENDATIONS = tuple(Recommendation.values)
DISAGREEMENT_POINTS = 2
# Ridge penalty of the calibration, in ratings: every interviewer starts as if
# they had this many ratings exactly in line with their colleagues.
CALIBRATION_PRIOR = 10.0
# Cells × interviewers per block when building the calibration system (~8 MB).
PAIR_BLOCK_ELEMENTS = 2**20
ALPHA_GOOD = 0.8
ALPHA_TENTATIVE = 0.667
DECIMALS = 3


# ---------------------------------------------------------------------------
# The ETag: what the comparison depends on, in one query
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    role_id: int
    hiring_lead_id: int
    etag: str  # quoted, as sent in the ETag header


class _Aggregated(Func):
    """An aggregate over a whole subquery (no GROUP BY), used as a scalar."""

    def __init__(self, expression, function):
        super().__init__(expression, function=function)


class _Joined(Func):
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


def _scalar(queryset: QuerySet, expression) -> Subquery:
    return Subquery(queryset.order_by().annotate(_v=expression).values("_v")[:1])


class _Text(Func):
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


# The stamp query is compiled once per database: building and compiling this
# many subqueries costs more than running them. The role id is a parameter.
_ROLE_ID_PLACEHOLDER = -7_340_017
_stamp_sql: dict[str, tuple[str, tuple]] = {}


def _stamp_queryset() -> QuerySet:
    submitted = Q(status=ScorecardStatus.SUBMITTED)
    applications = Application.objects.filter(role=OuterRef("pk"))
    role_cards = Scorecard.objects.filter(interview__application__role=OuterRef("pk"))
    all_submitted = Scorecard.objects.filter(submitted)
    panel_ids = Scorecard.objects.filter(
        submitted, interview__application__role=OuterRef(OuterRef("pk"))
    ).values("interviewer_id")
    return (
        Role.objects.filter(pk=_ROLE_ID_PLACEHOLDER)
        .order_by()
        .annotate(
            profile_text=_scalar(
                SkillProfile.objects.filter(pk=OuterRef("profile_id")),
                _Text("slug", "version", "name"),
            ),
            competencies=_scalar(
                Competency.objects.filter(profile=OuterRef("profile_id")),
                _Joined(_Text("id", "key", "name", "weight", "order"), ordered=True),
            ),
            skills=_scalar(
                Skill.objects.filter(competency__profile=OuterRef("profile_id")),
                _Joined(_Text("id", "key", "name", "competency_id", "order"), ordered=True),
            ),
            applications_n=_scalar(applications, _Aggregated("id", "COUNT")),
            applications_at=_scalar(applications, _Aggregated("updated_at", "MAX")),
            candidates_at=_scalar(applications, _Aggregated("candidate__updated_at", "MAX")),
            # The role's submitted scorecards are among all submitted ones below.
            drafts_n=_scalar(role_cards.exclude(submitted), _Aggregated("id", "COUNT")),
            # Offsets draw on the panel's scorecards in every role.
            submitted_n=_scalar(all_submitted, _Aggregated("id", "COUNT")),
            submitted_at=_scalar(all_submitted, _Aggregated("updated_at", "MAX")),
            panel=_scalar(
                User.objects.filter(pk__in=panel_ids),
                _Joined(_Text("id", "email", "full_name"), ordered=True),
            ),
        )
        .values_list(
            "hiring_lead_id",
            "profile_id",
            "updated_at",
            "weight_overrides",
            "profile_text",
            "competencies",
            "skills",
            "applications_n",
            "applications_at",
            "candidates_at",
            "drafts_n",
            "submitted_n",
            "submitted_at",
            "panel",
        )
    )


def comparison_stamp(role_id: int, *, using: str = "default") -> Stamp | None:
    """The role's hiring lead and the comparison's ETag; None when there is no such role.

    One query. The ETag hashes everything the comparison reads: the role row
    (``updated_at`` moves on every save), its profile, competencies and skills,
    its applications and candidates, its scorecards, the panel's names, and
    every submitted scorecard anywhere (interviewer offsets are estimated
    across roles). Scorecards and their ratings change only through the
    services, which bump ``Scorecard.updated_at``.
    """
    if using not in _stamp_sql:
        _stamp_sql[using] = _stamp_queryset().query.get_compiler(using).as_sql()
    sql, params = _stamp_sql[using]
    params = tuple(role_id if p == _ROLE_ID_PLACEHOLDER else p for p in params)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    fingerprint = json.dumps([COMPARISON_VERSION, role_id, *row], default=str).encode()
    return Stamp(
        role_id=role_id,
        hiring_lead_id=row[0],
        etag=f'"{hashlib.sha256(fingerprint).hexdigest()[:40]}"',
    )


# ---------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------


def _calibration_scope(role: Role) -> QuerySet:
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
        Rating.objects.filter(score__isnull=False, scorecard_id__in=_calibration_scope(role))
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
        Rating.objects.filter(score__isnull=False, scorecard_id__in=_calibration_scope(role))
        .order_by()
        .annotate(
            packed=_Joined(packed),
            largest_card=_Aggregated(F("scorecard_id"), "MAX"),
            largest_skill=_Aggregated(F("skill_id"), "MAX"),
        )
        .values_list("packed", "largest_card", "largest_skill")
    )


def role_comparison(role: Role) -> dict:
    """Everything a hiring lead compares the role's candidates on (see the README).

    Four queries whatever the number of candidates, scorecards and skills
    (five when ``role.profile`` is not loaded yet).
    """
    profile = role.profile
    # The role's profile, plus older versions its scorecards may be pinned to
    # (their skills are matched to the current ones by key).
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
        .values_list("id", "stage", "candidate_id", "candidate__name")
    )
    # The role's scorecards (drafts too: they are pending) and every other
    # scorecard whose scores the offsets draw on.
    cards = list(
        Scorecard.objects.filter(
            Q(interview__application__role=role) | Q(id__in=_calibration_scope(role))
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
    packed, largest_card, largest_skill = next(
        iter(role_packed_ratings_queryset(role)), (None, None, None)
    )
    if (largest_card or 0) >= 1 << CARD_BITS or (largest_skill or 0) >= 1 << SKILL_BITS:
        # Ids beyond the packing's room (a very old, very large database): a row per score.
        rows = np.array(list(role_ratings_queryset(role)), dtype=np.int64).reshape(-1, 3)
        scores = rows[:, 0], rows[:, 1], rows[:, 2]
    else:
        scores = _unpack(packed)
    return _compute(
        role=role,
        profile=profile,
        structure=structure,
        applications=applications,
        cards=cards,
        scores=scores,
    )


def _unpack(packed: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scorecard, skill, score) arrays, one element per score."""
    values = np.fromstring(packed, dtype=np.int64, sep=",") if packed else np.zeros(0, np.int64)
    skill_mask = (1 << SKILL_BITS) - 1
    return (
        values >> (SKILL_BITS + SCORE_BITS),
        (values >> SCORE_BITS) & skill_mask,
        values & ((1 << SCORE_BITS) - 1),
    )


def _compute(*, role, profile, structure, applications, cards, scores) -> dict:
    # The profile: competencies (weights overridable per role) and their skills.
    competencies, current, skill_id_key = {}, [], {}
    for profile_id, comp_id, key, name, weight, skill_id, skill_key, skill_name in structure:
        if skill_id is not None:
            skill_id_key[skill_id] = skill_key
        if profile_id == role.profile_id:
            competencies.setdefault(comp_id, (key, name, weight))
            if skill_id is not None:
                current.append((skill_key, skill_name, comp_id))
    comp_index = {comp_id: k for k, comp_id in enumerate(competencies)}
    comp_keys = [key for key, _, _ in competencies.values()]
    overrides = role.weight_overrides or {}
    weights = np.array(
        [float(overrides.get(key, weight)) for key, _, weight in competencies.values()], dtype=float
    )
    skill_keys = [key for key, _, _ in current]
    key_index = {key: j for j, key in enumerate(skill_keys)}
    skill_comp = np.array([comp_index[comp_id] for _, _, comp_id in current], dtype=np.int64)
    comp_skills = [np.flatnonzero(skill_comp == k).tolist() for k in range(len(competencies))]
    n_skills, n_comps, n_apps = len(current), len(competencies), len(applications)
    app_ids = np.fromiter((row[0] for row in applications), np.int64, n_apps)

    # Every submitted score in the calibration scope; a cell is one candidate's skill.
    card_ids = np.fromiter((row[0] for row in cards), np.int64, len(cards))
    card_app = np.fromiter((row[1] for row in cards), np.int64, len(cards))
    card_rater = np.fromiter((row[4] for row in cards), np.int64, len(cards))
    r_card, r_skill, r_score = scores
    at, known = _positions(card_ids, r_card)
    # A scorecard submitted between the two queries waits for the next request.
    at, r_skill, r_score = at[known], r_skill[known], r_score[known]
    r_rater, r_app = card_rater[at], card_app[at]
    skill_pos = _dense(r_skill)
    app_pos = np.searchsorted(np.unique(card_app), r_app)
    cells = app_pos * (int(skill_pos.max(initial=0)) + 1) + skill_pos
    offsets, rated, shared = interviewer_offsets(raters=r_rater, cells=cells, scores=r_score)

    # The role's own scores, on the current profile's skills (older versions by key).
    skill_map = np.full(int(r_skill.max(initial=0)) + 1, -1, dtype=np.int64)
    for skill_id, key in skill_id_key.items():
        if key in key_index and skill_id < len(skill_map):
            skill_map[skill_id] = key_index[key]
    a, in_role = _positions(app_ids, r_app)
    s = skill_map[r_skill]
    keep = in_role & (s >= 0)
    a, s, rater, x = a[keep], s[keep], r_rater[keep], r_score[keep]
    xc = x - _lookup(offsets, rater)

    # Candidate × skill: how many of each score, hence count and range.
    counts = np.bincount(
        (a * n_skills + s) * len(SCORES) + (x - SCORES[0]),
        minlength=n_apps * n_skills * len(SCORES),
    ).reshape(n_apps, n_skills, len(SCORES))
    cell_n = counts.sum(axis=2)
    present = counts > 0
    lowest = present.argmax(axis=2)
    highest = len(SCORES) - 1 - present[..., ::-1].argmax(axis=2)
    cell_range = np.where(cell_n > 0, highest - lowest, 0)

    # Candidate × competency: count, mean, calibrated mean, widest skill range.
    comp_cell = a * n_comps + skill_comp[s]
    size = n_apps * n_comps
    comp_n = np.bincount(comp_cell, minlength=size).reshape(n_apps, n_comps)
    comp_sum = np.bincount(comp_cell, weights=x, minlength=size).reshape(n_apps, n_comps)
    comp_csum = np.bincount(comp_cell, weights=xc, minlength=size).reshape(n_apps, n_comps)
    with np.errstate(invalid="ignore", divide="ignore"):
        comp_mean = comp_sum / comp_n
        comp_cmean = np.clip(comp_csum / comp_n, SCORES[0], SCORES[-1])
    comp_spread = np.zeros((n_apps, n_comps), dtype=np.int64)
    for k, members in enumerate(comp_skills):
        if members:
            comp_spread[:, k] = cell_range[:, members].max(axis=1)

    # The weighted score uses the competencies that have scores (and weight).
    used = (comp_n > 0) & (weights > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(used, comp_mean, 0).dot(weights) / used.dot(weights)
        cscore = np.where(used, comp_cmean, 0).dot(weights) / used.dot(weights)
    assessed = cell_n > 0
    coverage = assessed.sum(axis=1) / n_skills if n_skills else np.zeros(n_apps)

    # Scorecards and recommendations per candidate; the panel.
    app_index = {app_id: i for i, app_id in enumerate(app_ids.tolist())}
    submitted_n, pending_n = [0] * n_apps, [0] * n_apps
    tallies = [dict.fromkeys(RECOMMENDATIONS, 0) for _ in range(n_apps)]
    panel = {}
    for _, app_id, status, recommendation, user_id, email, full_name in cards:
        i = app_index.get(app_id)
        if i is None:
            continue  # another role's scorecard, there for the offsets
        if status == ScorecardStatus.SUBMITTED:
            submitted_n[i] += 1
            tallies[i][recommendation] = tallies[i].get(recommendation, 0) + 1
            panel[user_id] = (email, full_name)
        else:
            pending_n[i] += 1

    scores, cscores = _rounded(score), _rounded(cscore)
    ranks, cranks = _ranks(scores), _ranks(cscores)
    comp_n_l, comp_spread_l = comp_n.tolist(), comp_spread.tolist()
    comp_mean_l, comp_cmean_l = _rounded(comp_mean), _rounded(comp_cmean)
    split_l = (cell_range >= DISAGREEMENT_POINTS).tolist()
    coverage_l = np.round(coverage, DECIMALS).tolist()
    assessed_l = assessed.tolist()

    candidates = []
    for i, (app_id, stage, candidate_id, name) in enumerate(applications):
        per_comp = []
        split = split_l[i]
        for key, members, n, spread, mean, cmean in zip(
            comp_keys,
            comp_skills,
            comp_n_l[i],
            comp_spread_l[i],
            comp_mean_l[i],
            comp_cmean_l[i],
            strict=True,
        ):
            disagreement = n > 0 and spread >= DISAGREEMENT_POINTS
            per_comp.append(
                {
                    "key": key,
                    "mean": mean,
                    "calibrated_mean": cmean,
                    "n": n,
                    "spread": spread if n else None,
                    "disagreement": disagreement,
                    "disagreement_skills": [skill_keys[j] for j in members if split[j]]
                    if disagreement
                    else [],
                }
            )
        candidates.append(
            {
                "application": app_id,
                "candidate": {"id": candidate_id, "name": name},
                "stage": stage,
                "scorecards": {"submitted": submitted_n[i], "pending": pending_n[i]},
                "recommendations": tallies[i],
                "competencies": per_comp,
                "score": scores[i],
                "calibrated_score": cscores[i],
                "rank": ranks[i],
                "calibrated_rank": cranks[i],
                "coverage": coverage_l[i],
                "unassessed_skills": [
                    key for key, done in zip(skill_keys, assessed_l[i], strict=True) if not done
                ],
            }
        )
    candidates.sort(
        key=lambda c: (
            c["rank"] is None,
            c["rank"] or 0,
            c["candidate"]["name"].casefold(),
            c["application"],
        )
    )

    role_rated = _count_by(rater)
    interviewers = [
        {
            "id": user_id,
            "email": email,
            "name": full_name or email,
            "ratings": rated.get(user_id, 0),
            "shared_ratings": shared.get(user_id, 0),
            "role_ratings": role_rated.get(user_id, 0),
            "offset": round(offsets.get(user_id, 0.0), DECIMALS),
        }
        for user_id, (email, full_name) in sorted(panel.items(), key=lambda item: item[1][0])
    ]

    return {
        "role": {
            "id": role.pk,
            "title": role.title,
            "team": role.team,
            "level": role.level,
            "status": role.status,
            "external_id": role.external_id,
            "weight_overrides": overrides,
        },
        "profile": {
            "slug": profile.slug,
            "version": profile.version,
            "name": profile.name,
            "competencies": [
                {
                    "key": key,
                    "name": name,
                    "weight": float(weights[k]),
                    "profile_weight": float(weight),
                    "skills": [
                        {"key": skill_keys[j], "name": current[j][1]} for j in comp_skills[k]
                    ],
                }
                for k, (key, name, weight) in enumerate(competencies.values())
            ],
        },
        "candidates": candidates,
        "interviewers": interviewers,
        "agreement": agreement_from_counts(counts.reshape(-1, len(SCORES))),
        "calibration": {"method": "additive-ridge", "prior_ratings": CALIBRATION_PRIOR},
    }


def _positions(sorted_ids: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each value sits in ``sorted_ids``, and whether it is there at all."""
    if not len(sorted_ids):
        return np.zeros(len(values), np.int64), np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(sorted_ids, values), len(sorted_ids) - 1)
    return at, sorted_ids[at] == values


def _dense(ids: np.ndarray) -> np.ndarray:
    """Small non-negative ids renumbered 0, 1, 2… in order (no sort needed)."""
    seen = np.zeros(int(ids.max(initial=0)) + 1, dtype=np.int64)
    seen[ids] = 1
    return (np.cumsum(seen) - 1)[ids]


def _lookup(values: dict[int, float], ids: np.ndarray) -> np.ndarray:
    """values[id] for each id, 0 where absent."""
    if not values or not len(ids):
        return np.zeros(len(ids))
    keys = np.fromiter(values, np.int64, len(values))
    order = np.argsort(keys)
    at, found = _positions(keys[order], ids)
    return np.where(found, np.fromiter(values.values(), float, len(values))[order][at], 0.0)


def interviewer_offsets(
    *, raters: np.ndarray, cells: np.ndarray, scores: np.ndarray, prior: float = CALIBRATION_PRIOR
) -> tuple[dict[int, float], dict[int, int], dict[int, int]]:
    """Each interviewer's leniency (positive) or harshness (negative), in score points.

    Fits score = μ[cell] + offset[interviewer] by least squares with a ridge
    penalty ``prior · Σ offset²`` (a cell is one candidate's skill). Eliminating
    μ leaves one small linear system in the offsets, solved exactly:
    ``(diag(n + prior) − C) · offset = b``, where n counts an interviewer's
    ratings on shared cells, ``C[i, j] = Σ over shared cells of 1 / cell size``
    for each pair of i's and j's ratings in the cell, and ``b[i] = Σ (score −
    cell mean)`` over i's ratings. Returns offsets, ratings and shared ratings
    per interviewer id.
    """
    raters = np.asarray(raters, dtype=np.int64)
    cells = np.asarray(cells, dtype=np.int64)
    if not len(raters):
        return {}, {}, {}
    ids = np.unique(raters)
    rater = np.searchsorted(ids, raters)
    n_raters = len(ids)
    ids_l = ids.tolist()
    rated = dict(zip(ids_l, np.bincount(rater, minlength=n_raters).tolist(), strict=True))
    # A cell only one person scored says nothing about anyone's leniency.
    shared = np.bincount(cells)[cells] >= 2
    if not shared.any():
        return {}, rated, {}
    order = np.argsort(cells[shared])  # the order within a cell does not matter
    cell = cells[shared][order]
    rater = rater[shared][order]
    x = np.asarray(scores, dtype=float)[shared][order]
    starts_here = np.concatenate(([True], cell[1:] != cell[:-1]))
    cell = np.cumsum(starts_here) - 1  # 0, 1, 2… in order
    size = np.bincount(cell)
    n_cells = len(size)

    mean = np.bincount(cell, weights=x) / size
    n = np.bincount(rater, minlength=n_raters)
    b = np.bincount(rater, weights=x - mean[cell], minlength=n_raters)
    # C = Σ_cells m·mᵀ / size, m = how many scores each interviewer gave the
    # cell; built from blocks of cells so memory stays bounded.
    pairs = np.zeros((n_raters, n_raters))
    block = max(1, PAIR_BLOCK_ELEMENTS // n_raters)
    edges = np.searchsorted(cell, np.arange(0, n_cells + block, block))
    for first, lo, hi in zip(range(0, n_cells, block), edges[:-1], edges[1:], strict=False):
        width = min(block, n_cells - first)
        m = np.bincount(
            (cell[lo:hi] - first) * n_raters + rater[lo:hi], minlength=width * n_raters
        ).reshape(width, n_raters)
        pairs += (m / size[first : first + width, None]).T @ m
    system = np.diag(n + prior) - pairs
    offset = np.linalg.solve(system, b)
    return (
        dict(zip(ids_l, offset.tolist(), strict=True)),
        rated,
        dict(zip(ids_l, n.tolist(), strict=True)),
    )


def _count_by(values: np.ndarray) -> dict[int, int]:
    ids, counts = np.unique(values, return_counts=True)
    return dict(zip(ids.tolist(), counts.tolist(), strict=True))


def agreement(*, units: np.ndarray, scores: np.ndarray) -> dict:
    """Krippendorff's alpha (ordinal) of scores grouped into units (candidate × skill)."""
    units = np.unique(np.asarray(units), return_inverse=True)[1]
    counts = np.bincount(
        units * len(SCORES) + (np.asarray(scores) - SCORES[0]),
        minlength=(int(units.max(initial=-1)) + 1) * len(SCORES),
    ).reshape(-1, len(SCORES))
    return agreement_from_counts(counts)


def agreement_from_counts(counts: np.ndarray) -> dict:
    """Krippendorff's alpha (ordinal) from how many of each score every unit got."""
    counts = counts[counts.sum(axis=1) >= 2]
    result = {"alpha": None, "level": "ordinal", "units": len(counts), "ratings": int(counts.sum())}
    if not len(counts):
        return {
            **result,
            "interpretation": "not computable",
            "explanation": "No skill of any candidate has been scored by two interviewers yet.",
        }
    if np.count_nonzero(counts.sum(axis=0)) < 2:
        return {
            **result,
            "interpretation": "not computable",
            "explanation": "Every shared rating has the same score, so agreement cannot be "
            "told apart from chance.",
        }
    alpha = ordinal_alpha(counts)
    if alpha >= ALPHA_GOOD:
        interpretation, explanation = "good", "Interviewers agree well enough to rely on."
    elif alpha >= ALPHA_TENTATIVE:
        interpretation, explanation = (
            "tentative",
            "Agreement is enough for tentative conclusions only.",
        )
    else:
        interpretation, explanation = (
            "too low to draw conclusions",
            "Interviewers disagree too much for their scores to support conclusions.",
        )
    return {
        **result,
        "alpha": round(alpha, DECIMALS),
        "interpretation": interpretation,
        "explanation": explanation,
    }


def ordinal_alpha(counts: np.ndarray) -> float:
    """Krippendorff's alpha for ordinal values from a units × values table of counts.

    The textbook computation, vectorised (the ``krippendorff`` package builds a
    units × values × values array; the tests check both agree): coincidences
    o[c, k] = Σ_units (pairs of values c, k in the unit) / (values in unit − 1),
    expected e[c, k] = n_c·(n_k − [c = k]) / (n − 1), ordinal distance
    δ²(c, k) = (Σ_{g=c..k} n_g − (n_c + n_k) / 2)², alpha = 1 − Σ o·δ² / Σ e·δ².
    """
    counts = np.asarray(counts, dtype=float)
    counts = counts[counts.sum(axis=1) >= 2]
    per_pair = counts / (counts.sum(axis=1) - 1)[:, None]
    o = per_pair.T @ counts - np.diag(per_pair.sum(axis=0))
    n_v = o.sum(axis=0)
    e = (np.outer(n_v, n_v) - np.diag(n_v)) / (n_v.sum() - 1)
    cumulative = np.concatenate(([0.0], np.cumsum(n_v)))
    values = np.arange(len(n_v))
    low, high = np.minimum.outer(values, values), np.maximum.outer(values, values)
    d = (cumulative[high + 1] - cumulative[low] - (n_v[:, None] + n_v[None, :]) / 2) ** 2
    return float(1 - (o * d).sum() / (e * d).sum())


def _rounded(values: np.ndarray) -> list:
    """Rounded for output; NaN (nothing to average) becomes None."""
    rounded = np.round(values, DECIMALS)
    out = rounded.astype(object)
    out[np.isnan(rounded)] = None
    return out.tolist()


def _ranks(values: list[float | None]) -> list[int | None]:
    """Competition ranking, 1 = best: equal scores share a rank ("1, 2, 2, 4").

    Candidates without a score are not ranked (None) and come last.
    """
    present = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for i, value in enumerate(present):
        first.setdefault(value, i + 1)
    return [first[v] if v is not None else None for v in values]


# ---------------------------------------------------------------------------
# CSV: one row per candidate
# ---------------------------------------------------------------------------


def comparison_csv_rows(data: dict) -> list[list]:
    competencies = [c["key"] for c in data["profile"]["competencies"]]
    header = [
        "rank",
        "calibrated_rank",
        "candidate",
        "candidate_id",
        "application",
        "stage",
        "score",
        "calibrated_score",
        "coverage",
        "scorecards_submitted",
        "scorecards_pending",
        *(f"recommendation_{value}" for value in RECOMMENDATIONS),
        *(f"{key}_mean" for key in competencies),
        "disagreement_skills",
        "unassessed_skills",
    ]
    rows = [header]
    for c in data["candidates"]:
        means = {k["key"]: k["mean"] for k in c["competencies"]}
        disagreements = [key for k in c["competencies"] for key in k["disagreement_skills"]]
        rows.append(
            [
                c["rank"],
                c["calibrated_rank"],
                _cell(c["candidate"]["name"]),
                c["candidate"]["id"],
                c["application"],
                c["stage"],
                c["score"],
                c["calibrated_score"],
                c["coverage"],
                c["scorecards"]["submitted"],
                c["scorecards"]["pending"],
                *(c["recommendations"][value] for value in RECOMMENDATIONS),
                *(means[key] for key in competencies),
                " ".join(disagreements),
                " ".join(c["unassessed_skills"]),
            ]
        )
    return rows


def _cell(text: str) -> str:
    # A name starting like a formula would run as one in a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
