"""The role comparison: how a role's candidates compare, calibrated, in one read.

One read model shared by the API (``hiring.api.comparison``) and the pages:
``role_comparison(role)`` returns a plain dict, ``comparison_stamp(...)`` says
with one cheap query whether it can have changed (the ETag), and
``comparison_csv_rows(data)`` flattens it for a spreadsheet.

It runs a fixed handful of queries whatever the size of the role: ratings
come back as plain tuples and the arithmetic is done with NumPy. Only
submitted scorecards count; "not assessed" (no score) and the ``no_decision``
recommendation never count as scores. The method is described in the README
("Comparison").
"""

import hashlib
import json
from dataclasses import dataclass

import krippendorff
import numpy as np
from django.db.models import (
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Concat

from hiring.models import (
    Application,
    Competency,
    Rating,
    Recommendation,
    Role,
    Scorecard,
    ScorecardStatus,
    Skill,
    User,
)

# Bump when the computation or the dict's shape changes, so no cache or client
# keeps a result computed by older code.
COMPARISON_VERSION = 1

SCORES = (1, 2, 3, 4)
DISAGREEMENT_POINTS = 2
# Ridge penalty of the calibration, in ratings: every interviewer starts as if
# they had this many ratings exactly in line with their colleagues.
CALIBRATION_PRIOR = 10.0
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

    def __init__(self, expression, function, output_field=None):
        super().__init__(expression, function=function, output_field=output_field)


class _Joined(Func):
    """Every row's text joined into one string (the input of a fingerprint)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"STRING_AGG({sql}, ',' ORDER BY {sql})", (*params, *params)
        return f"GROUP_CONCAT({sql}, ',')", params


def _scalar(queryset: QuerySet, expression) -> Subquery:
    return Subquery(queryset.order_by().annotate(_v=expression).values("_v")[:1])


def _text(*fields) -> Concat:
    parts = []
    for field in fields:
        parts += [field, Value("|")]
    return Concat(*parts[:-1], output_field=TextField())


def comparison_stamp(*, roles: QuerySet[Role], role_id: int) -> Stamp | None:
    """The role's hiring lead and the comparison's ETag, or None if ``roles`` lacks it.

    One query. The ETag hashes everything the comparison reads: the role row,
    its profile's competencies and skills, its applications and candidates,
    its scorecards, the panel's names, and every submitted scorecard anywhere
    (interviewer offsets are estimated across roles). Scorecards and ratings
    change only through services that bump ``Scorecard.updated_at``.
    """
    submitted = Q(status=ScorecardStatus.SUBMITTED)
    applications = Application.objects.filter(role=OuterRef("pk"))
    role_cards = Scorecard.objects.filter(interview__application__role=OuterRef("pk"))
    all_submitted = Scorecard.objects.filter(submitted)
    panel_ids = Scorecard.objects.filter(
        submitted, interview__application__role=OuterRef(OuterRef("pk"))
    ).values("interviewer_id")
    panel = User.objects.filter(pk__in=panel_ids)
    row = (
        roles.filter(pk=role_id)
        .order_by()
        .annotate(
            applications_n=_scalar(applications, _Aggregated("id", "COUNT")),
            applications_at=_scalar(applications, _Aggregated("updated_at", "MAX")),
            candidates_at=_scalar(applications, _Aggregated("candidate__updated_at", "MAX")),
            cards_n=_scalar(role_cards, _Aggregated("id", "COUNT")),
            drafts_n=_scalar(role_cards.exclude(submitted), _Aggregated("id", "COUNT")),
            submitted_n=_scalar(all_submitted, _Aggregated("id", "COUNT")),
            submitted_at=_scalar(all_submitted, _Aggregated("updated_at", "MAX")),
            competencies=_scalar(
                Competency.objects.filter(profile=OuterRef("profile_id")),
                _Joined(_text("id", "key", "name", "weight", "order")),
            ),
            skills=_scalar(
                Skill.objects.filter(competency__profile=OuterRef("profile_id")),
                _Joined(_text("id", "key", "name", "competency_id", "order")),
            ),
            panel=_scalar(panel, _Joined(_text("id", "email", "full_name"))),
        )
        .values_list(
            "hiring_lead_id",
            "title",
            "team",
            "level",
            "status",
            "external_id",
            "profile_id",
            "updated_at",
            "weight_overrides",
            "applications_n",
            "applications_at",
            "candidates_at",
            "cards_n",
            "drafts_n",
            "submitted_n",
            "submitted_at",
            "competencies",
            "skills",
            "panel",
        )
        .first()
    )
    if row is None:
        return None
    fingerprint = json.dumps(
        [COMPARISON_VERSION, role_id, *row], sort_keys=True, default=str
    ).encode()
    return Stamp(
        role_id=role_id,
        hiring_lead_id=row[0],
        etag=f'"{hashlib.sha256(fingerprint).hexdigest()[:40]}"',
    )


# ---------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------


def role_comparison(role: Role) -> dict:
    """Everything a hiring lead compares the role's candidates on (see the README).

    Six queries whatever the number of candidates, scorecards and skills
    (seven when ``role.profile`` is not already loaded).
    """
    profile = role.profile
    submitted = Q(status=ScorecardStatus.SUBMITTED)
    role_cards = Scorecard.objects.filter(interview__application__role=role)
    panel_ids = role_cards.filter(submitted).values("interviewer_id")
    scope = _calibration_scope(role)

    competencies = list(
        Competency.objects.filter(profile_id=role.profile_id)
        .order_by("order", "id")
        .values_list("id", "key", "name", "weight")
    )
    # Skills of the role's profile, plus those of older versions its scorecards
    # may be pinned to (matched to the current ones by key).
    skills = list(
        Skill.objects.filter(
            Q(competency__profile_id=role.profile_id)
            | Q(competency__profile_id__in=role_cards.values("profile_id"))
        )
        .order_by("competency__order", "competency_id", "order", "id")
        .values_list("id", "key", "name", "competency_id")
    )
    applications = list(
        Application.objects.filter(role=role)
        .order_by("id")
        .values_list("id", "stage", "candidate_id", "candidate__name")
    )
    cards = list(
        Scorecard.objects.filter(
            Q(interview__application__role=role)
            | (submitted & Q(interview__application_id__in=scope))
        )
        .order_by("id")
        .values_list(
            "id", "interviewer_id", "interview__application_id", "status", "overall_recommendation"
        )
    )
    ratings = list(role_ratings_queryset(role))
    panel = list(User.objects.filter(pk__in=panel_ids).values_list("id", "email", "full_name"))

    return _compute(
        role=role,
        profile=profile,
        competencies=competencies,
        skills=skills,
        applications=applications,
        cards=cards,
        ratings=ratings,
        panel=panel,
    )


def _calibration_scope(role: Role) -> QuerySet:
    """Ids of the applications the role's panel scored, in any role: interviewer
    offsets are estimated from all of them."""
    panel_ids = Scorecard.objects.filter(
        status=ScorecardStatus.SUBMITTED, interview__application__role=role
    ).values("interviewer_id")
    return Scorecard.objects.filter(
        status=ScorecardStatus.SUBMITTED, interviewer_id__in=panel_ids
    ).values("interview__application_id")


def role_ratings_queryset(role: Role) -> QuerySet:
    """(scorecard id, skill id, score) of every submitted score the comparison reads."""
    return (
        Rating.objects.filter(
            score__isnull=False,
            scorecard__status=ScorecardStatus.SUBMITTED,
            scorecard__interview__application_id__in=_calibration_scope(role),
        )
        .order_by()
        .values_list("scorecard_id", "skill_id", "score")
    )


def _compute(*, role, profile, competencies, skills, applications, cards, ratings, panel) -> dict:
    comp_ids = [c[0] for c in competencies]
    comp_index = {cid: i for i, cid in enumerate(comp_ids)}
    overrides = role.weight_overrides or {}
    weights = np.array(
        [float(overrides.get(key, weight)) for _, key, _, weight in competencies], dtype=float
    )

    current = [s for s in skills if s[3] in comp_index]
    skill_keys = [s[1] for s in current]
    key_index = {key: i for i, key in enumerate(skill_keys)}
    skill_comp = np.array([comp_index[s[3]] for s in current], dtype=np.int64)
    n_skills, n_comps = len(current), len(competencies)

    app_ids = np.array([a[0] for a in applications], dtype=np.int64)
    n_apps = len(applications)

    card_ids = np.array([c[0] for c in cards], dtype=np.int64)
    card_rater = np.array([c[1] for c in cards], dtype=np.int64)
    card_app = np.array([c[2] for c in cards], dtype=np.int64)

    rows = np.array(ratings, dtype=np.int64).reshape(-1, 3)
    at, _ = _positions(card_ids, rows[:, 0])
    r_rater, r_app, r_skill, r_score = card_rater[at], card_app[at], rows[:, 1], rows[:, 2]

    offsets, rated, shared = interviewer_offsets(
        raters=r_rater, cells=_pair_ids(r_app, r_skill), scores=r_score
    )

    # The role's own ratings, on the current profile's skills.
    a, in_role = _positions(app_ids, r_app)
    skill_map = np.full(int(r_skill.max(initial=0)) + 1, -1, dtype=np.int64)
    for skill_id, key, _, _ in skills:
        if key in key_index and skill_id < len(skill_map):
            skill_map[skill_id] = key_index[key]
    keep = in_role & (skill_map[r_skill] >= 0)
    a, s, rater = a[keep], skill_map[r_skill[keep]], r_rater[keep]
    x = r_score[keep].astype(float)
    raters, rater_index = np.unique(rater, return_inverse=True)
    rater_offset = np.array([offsets.get(u, 0.0) for u in raters.tolist()])
    xc = x - rater_offset[rater_index] if len(x) else x

    # Per candidate × skill: count, range.
    cell = a * n_skills + s
    size = n_apps * n_skills
    cell_n = np.bincount(cell, minlength=size).reshape(n_apps, n_skills)
    cell_max = np.zeros(size)
    cell_min = np.full(size, 99.0)
    np.maximum.at(cell_max, cell, x)
    np.minimum.at(cell_min, cell, x)
    cell_range = np.where(cell_n.ravel() > 0, cell_max - cell_min, 0).reshape(n_apps, n_skills)

    # Per candidate × competency: count, mean, calibrated mean, widest skill range.
    comp_cell = a * n_comps + skill_comp[s]
    csize = n_apps * n_comps
    comp_n = np.bincount(comp_cell, minlength=csize).reshape(n_apps, n_comps)
    comp_sum = np.bincount(comp_cell, weights=x, minlength=csize).reshape(n_apps, n_comps)
    comp_csum = np.bincount(comp_cell, weights=xc, minlength=csize).reshape(n_apps, n_comps)
    with np.errstate(invalid="ignore", divide="ignore"):
        comp_mean = comp_sum / comp_n
        comp_cmean = np.clip(comp_csum / comp_n, SCORES[0], SCORES[-1])
    comp_spread = np.zeros((n_apps, n_comps))
    for k in range(n_comps):
        members = skill_comp == k
        if members.any():
            comp_spread[:, k] = cell_range[:, members].max(axis=1)

    scored = comp_n > 0
    use = scored & (weights > 0)
    weight_sum = (use * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(use, comp_mean, 0).dot(weights) / weight_sum
        cscore = np.clip(
            np.where(use, comp_cmean, 0).dot(weights) / weight_sum, SCORES[0], SCORES[-1]
        )
    assessed = cell_n > 0
    coverage = assessed.sum(axis=1) / n_skills if n_skills else np.zeros(n_apps)

    # Scorecard counts and recommendations per candidate.
    app_index = {int(app): i for i, app in enumerate(app_ids)}
    submitted_n = [0] * n_apps
    pending_n = [0] * n_apps
    tallies = [dict.fromkeys(Recommendation.values, 0) for _ in range(n_apps)]
    for _, _, app, status, recommendation in cards:
        i = app_index.get(app)
        if i is None:
            continue
        if status == ScorecardStatus.SUBMITTED:
            submitted_n[i] += 1
            if recommendation in tallies[i]:
                tallies[i][recommendation] += 1
        else:
            pending_n[i] += 1

    scores = [_round(v) for v in score.tolist()]
    cscores = [_round(v) for v in cscore.tolist()]
    ranks, cranks = _ranks(scores), _ranks(cscores)
    comp_keys = [c[1] for c in competencies]
    comp_mean_l, comp_cmean_l = comp_mean.tolist(), comp_cmean.tolist()
    comp_n_l, comp_spread_l = comp_n.tolist(), comp_spread.tolist()
    cell_range_l, assessed_l = cell_range.tolist(), assessed.tolist()
    comp_skills = [[j for j in range(n_skills) if skill_comp[j] == k] for k in range(n_comps)]

    candidates = []
    for i, (app_id, stage, candidate_id, name) in enumerate(applications):
        per_comp = []
        for k, key in enumerate(comp_keys):
            n = comp_n_l[i][k]
            per_comp.append(
                {
                    "key": key,
                    "mean": _round(comp_mean_l[i][k]) if n else None,
                    "calibrated_mean": _round(comp_cmean_l[i][k]) if n else None,
                    "n": n,
                    "spread": int(comp_spread_l[i][k]) if n else None,
                    "disagreement": n > 0 and comp_spread_l[i][k] >= DISAGREEMENT_POINTS,
                    "disagreement_skills": [
                        skill_keys[j]
                        for j in comp_skills[k]
                        if cell_range_l[i][j] >= DISAGREEMENT_POINTS
                    ],
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
                "coverage": _round(float(coverage[i])),
                "unassessed_skills": [
                    skill_keys[j] for j, done in enumerate(assessed_l[i]) if not done
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

    role_counts = _count_by(rater)
    interviewers = [
        {
            "id": user_id,
            "email": email,
            "name": full_name or email,
            "ratings": int(rated.get(user_id, 0)),
            "shared_ratings": int(shared.get(user_id, 0)),
            "role_ratings": role_counts.get(user_id, 0),
            "offset": _round(offsets.get(user_id, 0.0)),
        }
        for user_id, email, full_name in sorted(panel, key=lambda u: u[1])
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
                        {"key": skill_keys[j], "name": current[j][2]} for j in comp_skills[k]
                    ],
                }
                for k, (_, key, name, weight) in enumerate(competencies)
            ],
        },
        "candidates": candidates,
        "interviewers": interviewers,
        "agreement": agreement(units=a * n_skills + s, scores=x.astype(np.int64)),
        "calibration": {"method": "additive-ridge", "prior_ratings": CALIBRATION_PRIOR},
    }


def _positions(sorted_ids: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each value sits in ``sorted_ids``, and whether it is there at all."""
    if not len(sorted_ids):
        return np.zeros(len(values), np.int64), np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(sorted_ids, values), len(sorted_ids) - 1)
    return at, sorted_ids[at] == values


def _pair_ids(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One integer per (first, second) pair, dense from 0."""
    if not len(first):
        return first
    return np.unique(first * (int(second.max()) + 1) + second, return_inverse=True)[1]


def interviewer_offsets(
    *, raters: np.ndarray, cells: np.ndarray, scores: np.ndarray, prior: float = CALIBRATION_PRIOR
) -> tuple[dict[int, float], dict[int, int], dict[int, int]]:
    """Each interviewer's leniency (positive) or harshness (negative), in score points.

    Fits score = μ[cell] + offset[interviewer] by least squares with a ridge
    penalty ``prior · Σ offset²`` (cells are candidate × skill). Eliminating μ
    leaves one small linear system in the offsets, solved exactly:
    ``(diag(n + prior) − C) · offset = b``, where n counts an interviewer's
    ratings on shared cells, ``C[i, j] = Σ over shared cells of 1 / cell size``
    and ``b[i] = Σ (score − cell mean)`` over i's ratings. Returns offsets,
    ratings and shared ratings per interviewer id.
    """
    raters = np.asarray(raters, dtype=np.int64)
    rated = _count_by(raters)
    if not len(raters):
        return {}, rated, {}
    counts = np.bincount(cells)
    shared = counts[cells] >= 2  # a cell only one person scored says nothing about them
    raters, cells, scores = raters[shared], cells[shared], scores[shared].astype(float)
    if not len(raters):
        return {}, rated, {}
    ids, rater = np.unique(raters, return_inverse=True)
    cells = np.unique(cells, return_inverse=True)[1]
    n_raters = len(ids)

    order = np.argsort(cells, kind="stable")
    cell, rater, x = cells[order], rater[order], scores[order]
    size = np.bincount(cell)
    start = np.cumsum(size) - size
    n_c = size[cell]
    position = np.arange(len(cell)) - start[cell]
    mean = np.bincount(cell, weights=x) / size

    n = np.bincount(rater, minlength=n_raters)
    b = np.bincount(rater, weights=x - mean[cell], minlength=n_raters)
    pairs = np.zeros(n_raters * n_raters)
    for step in range(int(size.max())):
        ok = n_c > step
        partner = start[cell[ok]] + (position[ok] + step) % n_c[ok]
        pairs += np.bincount(
            rater[ok] * n_raters + rater[partner],
            weights=1.0 / n_c[ok],
            minlength=n_raters * n_raters,
        )
    system = np.diag(n + prior) - pairs.reshape(n_raters, n_raters)
    offset = np.linalg.solve(system, b)
    ids_l = ids.tolist()
    return (
        dict(zip(ids_l, offset.tolist(), strict=True)),
        rated,
        dict(zip(ids_l, n.tolist(), strict=True)),
    )


def _count_by(values: np.ndarray) -> dict[int, int]:
    ids, counts = np.unique(values, return_counts=True)
    return dict(zip(ids.tolist(), counts.tolist(), strict=True))


def agreement(*, units: np.ndarray, scores: np.ndarray) -> dict:
    """Krippendorff's alpha (ordinal) over skill ratings; units are candidate × skill."""
    result = {"alpha": None, "level": "ordinal", "units": 0, "ratings": 0}
    if len(units):
        _, unit = np.unique(units, return_inverse=True)
        counts = np.bincount(unit * len(SCORES) + (scores - SCORES[0]))
        counts = np.pad(counts, (0, (-len(counts)) % len(SCORES))).reshape(-1, len(SCORES))
        counts = counts[counts.sum(axis=1) >= 2]
    else:
        counts = np.zeros((0, len(SCORES)), dtype=np.int64)
    result["units"] = len(counts)
    result["ratings"] = int(counts.sum())
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
    alpha = float(
        krippendorff.alpha(
            value_counts=counts, value_domain=list(SCORES), level_of_measurement="ordinal"
        )
    )
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
        "alpha": _round(alpha),
        "interpretation": interpretation,
        "explanation": explanation,
    }


def _round(value: float | None) -> float | None:
    if value is None or value != value:  # NaN: nothing to average
        return None
    return round(value, DECIMALS)


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
        *(f"recommendation_{value}" for value in Recommendation.values),
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
                *(c["recommendations"][value] for value in Recommendation.values),
                *(means[key] for key in competencies),
                " ".join(disagreements),
                " ".join(c["unassessed_skills"]),
            ]
        )
    return rows


def _cell(text: str) -> str:
    # A name starting like a formula would run as one in a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
