"""The comparison as the API sends it: JSON, or a spreadsheet (CSV, one row per candidate).

Rendered here, not in the view, so the background worker can render a role's comparison
once when it computes it (``cache``) and a request can send the kept bytes as they are.
"""

import csv
import io

from rest_framework.renderers import JSONRenderer

from hiring.models import Recommendation

RECOMMENDATIONS = tuple(Recommendation.values)
CSV_CHARSET = "utf-8"


def comparison_json(data: dict, *, indent: int | None = None) -> bytes:
    """The bytes the API's JSON renderer sends (compact unless ``indent``)."""
    return JSONRenderer().render(data, renderer_context={"indent": indent})


def comparison_csv(data: dict) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(comparison_csv_rows(data))
    return buffer.getvalue().encode(CSV_CHARSET)


# The forms a comparison is kept in, ready to send, by the API's ``format`` name.
RENDERERS = {"json": comparison_json, "csv": comparison_csv}


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
        "complete",
        "incomplete_reasons",
        "uncovered_competencies",
        "candidate_erased_at",
        "hidden",
    ]
    rows = [header]
    for c in data["candidates"]:
        means = {k["key"]: k["mean"] for k in c["competencies"]}
        recommendations = c["recommendations"] or {}  # None: hidden from this viewer
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
                *(recommendations.get(value) for value in RECOMMENDATIONS),
                *(means.get(key) for key in competencies),
                " ".join(disagreements),
                " ".join(c["unassessed_skills"]),
                {True: "true", False: "false"}.get(c["complete"], ""),
                " ".join(c["incomplete_reasons"]),
                " ".join(c["uncovered_competencies"]),
                _when(c["candidate"]["erased_at"]),
                "true" if c["hidden"] else "false",
            ]
        )
    return rows


def _cell(text: str) -> str:
    # A name starting like a formula would run as one in a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _when(value) -> str:
    return value.isoformat() if value is not None else ""
