"""One viewer's comparison: the computed (and cached) comparison with what independent
scoring hides from them taken out (``hiring.access.comparison_redaction`` decides what).

A pure step on the plain dict, applied after the cache, so one cached computation
serves every viewer. A hidden row keeps the candidate, the stage and the scorecard
counts (who has submitted is no secret) and loses everything read from the scorecards;
the other rows are ranked again among themselves, so no rank hints at a hidden one.
"""

from hiring.access import ComparisonRedaction
from hiring.comparison.compute import PENDING_SCORECARDS
from hiring.comparison.stats import ranks_complete_first

HIDDEN_EXPLANATION = (
    "Hidden for now: agreement and calibration blend every candidate's scores, some of "
    "which you may not read yet (a scorecard of yours is unsubmitted, or a panel you are "
    "on is still scoring)."
)


def comparison_redacted(data: dict, redaction: ComparisonRedaction) -> dict:
    """``data`` as the viewer may see it (a new dict; ``data`` is left as it was)."""
    if not redaction:
        return data
    rows = [
        _hidden_row(row) if row["application"] in redaction.applications else dict(row)
        for row in data["candidates"]
    ]
    if redaction.statistics:
        rows = [_uncalibrated(row) for row in rows]
    _rank_again(rows)
    result = {**data, "candidates": rows, "statistics_hidden": redaction.statistics}
    if redaction.statistics:
        result["interviewers"] = [_without_figures(person) for person in data["interviewers"]]
        result["agreement"] = {
            **data["agreement"],
            "alpha": None,
            "interpretation": "hidden",
            "explanation": HIDDEN_EXPLANATION,
            "units": None,
            "ratings": None,
        }
    return result


def _hidden_row(row: dict) -> dict:
    return {
        **row,
        "hidden": True,
        "recommendations": None,
        "competencies": [],
        "score": None,
        "calibrated_score": None,
        "rank": None,
        "calibrated_rank": None,
        "coverage": None,
        "unassessed_skills": [],
        # Pending scorecards are no secret; what the scores cover is.
        "complete": False if row["scorecards"]["pending"] else None,
        "incomplete_reasons": [r for r in row["incomplete_reasons"] if r == PENDING_SCORECARDS],
        "uncovered_competencies": [],
    }


def _uncalibrated(row: dict) -> dict:
    cells = [{**cell, "calibrated_mean": None} for cell in row["competencies"]]
    return {**row, "competencies": cells, "calibrated_score": None}


def _rank_again(rows: list[dict]) -> None:
    complete = [bool(row["complete"]) for row in rows]
    for field, rank_field in (("score", "rank"), ("calibrated_score", "calibrated_rank")):
        values = [row[field] for row in rows]
        for row, rank in zip(rows, ranks_complete_first(values, complete), strict=True):
            row[rank_field] = rank
    rows.sort(
        key=lambda c: (
            c["hidden"],
            c["rank"] is None,
            not c["complete"],
            c["rank"] or 0,
            c["candidate"]["name"].casefold(),
            c["application"],
        )
    )


def _without_figures(person: dict) -> dict:
    return {**person, "ratings": None, "shared_ratings": None, "role_ratings": None, "offset": None}
