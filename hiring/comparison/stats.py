"""The statistics of the comparison, on NumPy arrays: interviewer offsets (an
additive ridge model), Krippendorff's alpha (ordinal), rounding and ranking."""

import numpy as np

SCORES = (1, 2, 3, 4)
# Ridge penalty of the calibration, in ratings: every interviewer starts as if
# they had this many ratings exactly in line with their colleagues.
CALIBRATION_PRIOR = 10.0
# Cells × interviewers per block when building the calibration system (~8 MB).
PAIR_BLOCK_ELEMENTS = 2**20
ALPHA_GOOD = 0.8
ALPHA_TENTATIVE = 0.667
DECIMALS = 3


def positions(sorted_ids: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each value sits in ``sorted_ids``, and whether it is there at all."""
    if not len(sorted_ids):
        return np.zeros(len(values), np.int64), np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(sorted_ids, values), len(sorted_ids) - 1)
    return at, sorted_ids[at] == values


def dense(ids: np.ndarray) -> np.ndarray:
    """Small non-negative ids renumbered 0, 1, 2… in order (no sort needed)."""
    seen = np.zeros(int(ids.max(initial=0)) + 1, dtype=np.int64)
    seen[ids] = 1
    return (np.cumsum(seen) - 1)[ids]


def lookup(values: dict[int, float], ids: np.ndarray) -> np.ndarray:
    """values[id] for each id, 0 where absent."""
    if not values or not len(ids):
        return np.zeros(len(ids))
    keys = np.fromiter(values, np.int64, len(values))
    order = np.argsort(keys)
    at, found = positions(keys[order], ids)
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


def count_by(values: np.ndarray) -> dict[int, int]:
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


def rounded(values: np.ndarray) -> list:
    """Rounded for output; NaN (nothing to average) becomes None."""
    rounded = np.round(values, DECIMALS)
    out = rounded.astype(object)
    out[np.isnan(rounded)] = None
    return out.tolist()


def ranks(values: list[float | None]) -> list[int | None]:
    """Competition ranking, 1 = best: equal scores share a rank ("1, 2, 2, 4").

    Candidates without a score are not ranked (None) and come last.
    """
    present = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for i, value in enumerate(present):
        first.setdefault(value, i + 1)
    return [first[v] if v is not None else None for v in values]


def ranks_complete_first(values: list, complete: list[bool]) -> list[int | None]:
    """Ranks in which no incomplete candidate stands above a complete one: the complete
    are ranked among themselves, the incomplete after them (unscored: None)."""
    top = ranks([v if done else None for v, done in zip(values, complete, strict=True)])
    rest = ranks([None if done else v for v, done in zip(values, complete, strict=True)])
    after = sum(v is not None and done for v, done in zip(values, complete, strict=True))
    return [
        t if done else (r + after if r is not None else None)
        for t, r, done in zip(top, rest, complete, strict=True)
    ]
