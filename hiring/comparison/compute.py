"""The comparison, computed from its inputs (``queries.load_inputs``) in named steps.

Only submitted scorecards count; "not assessed" (no score) and the ``no_decision``
recommendation never count as scores. The method is described in the README
("Comparison"). Each step works on whole NumPy arrays, never a row at a time.
"""

from dataclasses import dataclass

import numpy as np

from hiring.comparison.queries import Inputs, load_inputs
from hiring.comparison.stats import (
    CALIBRATION_PRIOR,
    DECIMALS,
    SCORES,
    agreement_from_counts,
    count_by,
    dense,
    interviewer_offsets,
    lookup,
    positions,
    ranks_complete_first,
    rounded,
)
from hiring.models import Recommendation, Role, ScorecardStatus

RECOMMENDATIONS = tuple(Recommendation.values)
DISAGREEMENT_POINTS = 2
# Why a candidate's picture is incomplete (``incomplete_reasons``): a scorecard is still
# a draft, or a competency the role weighs has no score yet.
PENDING_SCORECARDS = "pending_scorecards"
FOCUS_NOT_COVERED = "focus_not_covered"


def role_comparison(role: Role) -> dict:
    """Everything a hiring lead compares the role's candidates on (see the README).

    Four queries whatever the number of candidates, scorecards and skills
    (five when ``role.profile`` is not loaded yet).
    """
    return compute(role, load_inputs(role))


def compute(role: Role, inputs: Inputs) -> dict:
    checklist = checklist_of(role, inputs.structure)
    app_ids = np.fromiter((row[0] for row in inputs.applications), np.int64)
    calibration = calibrate(inputs)
    scores = role_scores(checklist, app_ids, calibration)
    counts = score_counts(scores, n_candidates=len(app_ids), n_skills=len(checklist.skills))
    competencies = competency_scores(scores, checklist, skill_ranges(counts))
    panel = panel_of(inputs.cards, app_ids)
    return {
        "role": role_summary(role),
        "profile": profile_summary(role.profile, checklist),
        "candidates": candidate_rows(inputs.applications, checklist, counts, competencies, panel),
        "interviewers": interviewer_rows(panel, calibration, scores),
        "agreement": agreement_from_counts(counts.reshape(-1, len(SCORES))),
        "calibration": {"method": "additive-ridge", "prior_ratings": CALIBRATION_PRIOR},
        "statistics_hidden": False,  # see ``redact``: True in a viewer's redacted copy
    }


# ---------------------------------------------------------------------------
# 1. The checklist: the role's profile as arrays
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Checklist:
    competencies: list[tuple]  # (key, name, profile weight), in profile order
    weights: np.ndarray  # the weight used: the role's override, else the profile's
    skills: list[tuple[str, str]]  # (key, name) of the current profile's skills
    skill_competency: np.ndarray  # the competency (index) of each skill
    competency_skills: list[list[int]]  # the skills (indexes) of each competency
    skill_keys_by_id: dict[int, str]  # every loaded skill id, any pinned version → key

    @property
    def skill_keys(self) -> list[str]:
        return [key for key, _ in self.skills]


def checklist_of(role: Role, structure: list[tuple]) -> Checklist:
    competencies, current, keys_by_id = {}, [], {}
    for profile_id, comp_id, key, name, weight, skill_id, skill_key, skill_name in structure:
        if skill_id is not None:
            keys_by_id[skill_id] = skill_key
        if profile_id == role.profile_id:
            competencies.setdefault(comp_id, (key, name, weight))
            if skill_id is not None:
                current.append((skill_key, skill_name, comp_id))
    index = {comp_id: k for k, comp_id in enumerate(competencies)}
    overrides = role.weight_overrides or {}
    skill_competency = np.array([index[comp_id] for _, _, comp_id in current], dtype=np.int64)
    return Checklist(
        competencies=list(competencies.values()),
        weights=np.array(
            [float(overrides.get(key, weight)) for key, _, weight in competencies.values()],
            dtype=float,
        ),
        skills=[(key, name) for key, name, _ in current],
        skill_competency=skill_competency,
        competency_skills=[
            np.flatnonzero(skill_competency == k).tolist() for k in range(len(competencies))
        ],
        skill_keys_by_id=keys_by_id,
    )


# ---------------------------------------------------------------------------
# 2. Calibration: every interviewer's offset, from every score in scope
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    offsets: dict[int, float]  # interviewer id → offset in score points
    rated: dict[int, int]  # interviewer id → ratings in scope
    shared: dict[int, int]  # interviewer id → ratings on cells someone else scored too
    # One element per score in scope (the role's and the others the offsets draw on):
    rater: np.ndarray
    application: np.ndarray
    skill: np.ndarray  # skill id
    score: np.ndarray


def calibrate(inputs: Inputs) -> Calibration:
    cards = inputs.cards
    card_ids = np.fromiter((row[0] for row in cards), np.int64, len(cards))
    card_app = np.fromiter((row[1] for row in cards), np.int64, len(cards))
    card_rater = np.fromiter((row[4] for row in cards), np.int64, len(cards))
    r_card, r_skill, r_score = inputs.scores
    at, known = positions(card_ids, r_card)
    # A scorecard submitted between the two queries waits for the next request.
    at, r_skill, r_score = at[known], r_skill[known], r_score[known]
    r_rater, r_app = card_rater[at], card_app[at]
    # A cell is one candidate's skill.
    skill_pos = dense(r_skill)
    app_pos = np.searchsorted(np.unique(card_app), r_app)
    cells = app_pos * (int(skill_pos.max(initial=0)) + 1) + skill_pos
    offsets, rated, shared = interviewer_offsets(raters=r_rater, cells=cells, scores=r_score)
    return Calibration(offsets, rated, shared, r_rater, r_app, r_skill, r_score)


# ---------------------------------------------------------------------------
# 3. The role's own scores, on the current profile's skills
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleScores:
    candidate: np.ndarray  # index into the role's applications
    skill: np.ndarray  # index into the checklist's skills
    rater: np.ndarray
    score: np.ndarray
    calibrated: np.ndarray  # the score less its interviewer's offset


def role_scores(checklist: Checklist, app_ids: np.ndarray, calibration: Calibration) -> RoleScores:
    """Scores on older versions of the profile count for the current skill of the same key."""
    key_index = {key: j for j, key in enumerate(checklist.skill_keys)}
    skill_map = np.full(int(calibration.skill.max(initial=0)) + 1, -1, dtype=np.int64)
    for skill_id, key in checklist.skill_keys_by_id.items():
        if key in key_index and skill_id < len(skill_map):
            skill_map[skill_id] = key_index[key]
    candidate, in_role = positions(app_ids, calibration.application)
    skill = skill_map[calibration.skill]
    keep = in_role & (skill >= 0)
    rater, score = calibration.rater[keep], calibration.score[keep]
    return RoleScores(
        candidate=candidate[keep],
        skill=skill[keep],
        rater=rater,
        score=score,
        calibrated=score - lookup(calibration.offsets, rater),
    )


# ---------------------------------------------------------------------------
# 4. Candidate × skill, then candidate × competency
# ---------------------------------------------------------------------------


def score_counts(scores: RoleScores, *, n_candidates: int, n_skills: int) -> np.ndarray:
    """Candidate × skill × score: how many of each score each cell got."""
    cell = scores.candidate * n_skills + scores.skill
    return np.bincount(
        cell * len(SCORES) + (scores.score - SCORES[0]),
        minlength=n_candidates * n_skills * len(SCORES),
    ).reshape(n_candidates, n_skills, len(SCORES))


def skill_ranges(counts: np.ndarray) -> np.ndarray:
    """Candidate × skill: the highest score less the lowest (0 when unscored)."""
    present = counts > 0
    lowest = present.argmax(axis=2)
    highest = len(SCORES) - 1 - present[..., ::-1].argmax(axis=2)
    return np.where(counts.sum(axis=2) > 0, highest - lowest, 0)


@dataclass(frozen=True)
class CompetencyScores:
    """Candidate × competency arrays, and the weighted scores per candidate."""

    n: np.ndarray
    mean: np.ndarray
    calibrated_mean: np.ndarray
    spread: np.ndarray  # the widest range of any of its skills
    split: np.ndarray  # candidate × skill: the scores are DISAGREEMENT_POINTS or more apart
    score: np.ndarray
    calibrated_score: np.ndarray


def competency_scores(
    scores: RoleScores, checklist: Checklist, ranges: np.ndarray
) -> CompetencyScores:
    n_candidates, n_comps = ranges.shape[0], len(checklist.competencies)
    cell = scores.candidate * n_comps + checklist.skill_competency[scores.skill]
    shape, size = (n_candidates, n_comps), n_candidates * n_comps
    n = np.bincount(cell, minlength=size).reshape(shape)
    total = np.bincount(cell, weights=scores.score, minlength=size).reshape(shape)
    calibrated_total = np.bincount(cell, weights=scores.calibrated, minlength=size).reshape(shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        calibrated_mean = np.clip(calibrated_total / n, SCORES[0], SCORES[-1])
    spread = np.zeros(shape, dtype=np.int64)
    for k, members in enumerate(checklist.competency_skills):
        if members:
            spread[:, k] = ranges[:, members].max(axis=1)
    return CompetencyScores(
        n=n,
        mean=mean,
        calibrated_mean=calibrated_mean,
        spread=spread,
        split=ranges >= DISAGREEMENT_POINTS,
        score=weighted(mean, n, checklist.weights),
        calibrated_score=weighted(calibrated_mean, n, checklist.weights),
    )


def weighted(means: np.ndarray, n: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per candidate: the weighted mean of the competencies that have scores (and weight)."""
    used = (n > 0) & (weights > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(used, means, 0).dot(weights) / used.dot(weights)


# ---------------------------------------------------------------------------
# 5. Scorecards and recommendations per candidate; the panel
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    submitted: list[int]  # per candidate
    pending: list[int]
    recommendations: list[dict[str, int]]
    interviewers: dict[int, tuple[str, str]]  # who submitted for the role: id → (email, name)


def panel_of(cards: list[tuple], app_ids: np.ndarray) -> Panel:
    index = {app_id: i for i, app_id in enumerate(app_ids.tolist())}
    n = len(index)
    panel = Panel([0] * n, [0] * n, [dict.fromkeys(RECOMMENDATIONS, 0) for _ in range(n)], {})
    for _, app_id, status, recommendation, user_id, email, full_name in cards:
        i = index.get(app_id)
        if i is None:
            continue  # another role's scorecard, there for the offsets
        if status == ScorecardStatus.SUBMITTED:
            panel.submitted[i] += 1
            tally = panel.recommendations[i]
            tally[recommendation] = tally.get(recommendation, 0) + 1
            panel.interviewers[user_id] = (email, full_name)
        else:
            panel.pending[i] += 1
    return panel


# ---------------------------------------------------------------------------
# 6. The result
# ---------------------------------------------------------------------------


def candidate_rows(
    applications: list[tuple],
    checklist: Checklist,
    counts: np.ndarray,
    competencies: CompetencyScores,
    panel: Panel,
) -> list[dict]:
    """One row per candidate, best first (unscored candidates last, by name)."""
    skill_keys = checklist.skill_keys
    assessed = counts.sum(axis=2) > 0
    coverage = assessed.sum(axis=1) / len(skill_keys) if skill_keys else np.zeros(len(counts))
    scores, calibrated = rounded(competencies.score), rounded(competencies.calibrated_score)
    cells = competency_cells(checklist, competencies)
    coverage_l, assessed_l = np.round(coverage, DECIMALS).tolist(), assessed.tolist()
    missing = uncovered_focus(checklist, competencies)
    reasons = [
        [PENDING_SCORECARDS] * (panel.pending[i] > 0) + [FOCUS_NOT_COVERED] * bool(missing[i])
        for i in range(len(applications))
    ]
    complete = [not r for r in reasons]
    rank = ranks_complete_first(scores, complete)
    calibrated_rank = ranks_complete_first(calibrated, complete)
    rows = [
        {
            "application": app_id,
            "candidate": {"id": candidate_id, "name": name, "erased_at": erased_at},
            "stage": stage,
            "scorecards": {"submitted": panel.submitted[i], "pending": panel.pending[i]},
            "recommendations": panel.recommendations[i],
            "competencies": cells[i],
            "score": scores[i],
            "calibrated_score": calibrated[i],
            "rank": rank[i],
            "calibrated_rank": calibrated_rank[i],
            "coverage": coverage_l[i],
            "unassessed_skills": [
                key for key, done in zip(skill_keys, assessed_l[i], strict=True) if not done
            ],
            "complete": complete[i],
            "incomplete_reasons": reasons[i],
            "uncovered_competencies": missing[i],
            "hidden": False,
        }
        for i, (app_id, stage, candidate_id, name, erased_at) in enumerate(applications)
    ]
    rows.sort(
        key=lambda c: (
            c["rank"] is None,
            not c["complete"],
            c["rank"] or 0,
            c["candidate"]["name"].casefold(),
            c["application"],
        )
    )
    return rows


def uncovered_focus(checklist: Checklist, competencies: CompetencyScores) -> list[list[str]]:
    """Per candidate: the keys of the competencies the role weighs that nobody scored."""
    keys = [key for key, _, _ in checklist.competencies]
    weighed = (checklist.weights > 0).tolist()
    return [
        [key for key, n, w in zip(keys, row, weighed, strict=True) if w and not n]
        for row in competencies.n.tolist()
    ]


def competency_cells(checklist: Checklist, competencies: CompetencyScores) -> list[list[dict]]:
    """Candidate × competency: the cells of the comparison table."""
    keys = [key for key, _, _ in checklist.competencies]
    skill_keys = checklist.skill_keys
    n_l, spread_l = competencies.n.tolist(), competencies.spread.tolist()
    mean_l, calibrated_l = rounded(competencies.mean), rounded(competencies.calibrated_mean)
    split_l = competencies.split.tolist()
    table = []
    for i in range(len(n_l)):
        row = []
        for k, key in enumerate(keys):
            n, spread = n_l[i][k], spread_l[i][k]
            disagreement = n > 0 and spread >= DISAGREEMENT_POINTS
            row.append(
                {
                    "key": key,
                    "mean": mean_l[i][k],
                    "calibrated_mean": calibrated_l[i][k],
                    "n": n,
                    "spread": spread if n else None,
                    "disagreement": disagreement,
                    "disagreement_skills": [
                        skill_keys[j] for j in checklist.competency_skills[k] if split_l[i][j]
                    ]
                    if disagreement
                    else [],
                }
            )
        table.append(row)
    return table


def interviewer_rows(panel: Panel, calibration: Calibration, scores: RoleScores) -> list[dict]:
    role_rated = count_by(scores.rater)
    return [
        {
            "id": user_id,
            "email": email,
            "name": full_name or email,
            "ratings": calibration.rated.get(user_id, 0),
            "shared_ratings": calibration.shared.get(user_id, 0),
            "role_ratings": role_rated.get(user_id, 0),
            "offset": round(calibration.offsets.get(user_id, 0.0), DECIMALS),
        }
        for user_id, (email, full_name) in sorted(
            panel.interviewers.items(), key=lambda item: item[1][0]
        )
    ]


def role_summary(role: Role) -> dict:
    return {
        "id": role.pk,
        "title": role.title,
        "team": role.team,
        "level": role.level,
        "status": role.status,
        "external_id": role.external_id,
        "weight_overrides": role.weight_overrides or {},
    }


def profile_summary(profile, checklist: Checklist) -> dict:
    return {
        "slug": profile.slug,
        "version": profile.version,
        "name": profile.name,
        "competencies": [
            {
                "key": key,
                "name": name,
                "weight": float(checklist.weights[k]),
                "profile_weight": float(weight),
                "skills": [
                    {"key": checklist.skills[j][0], "name": checklist.skills[j][1]}
                    for j in checklist.competency_skills[k]
                ],
            }
            for k, (key, name, weight) in enumerate(checklist.competencies)
        ],
    }
