"""The hiring lead's pages: my roles, and the comparison of a role's candidates."""

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from hiring import access, audit, comparison, selectors
from hiring.models import AuditAction, FeedbackVisibility, Recommendation, ScorecardStatus


@login_required
def my_roles(request):
    user = request.user
    if not access.may_list_roles(user):
        raise PermissionDenied("The roles page is for hiring leads and recruiters.")
    roles = access.roles_for(user)
    everything = access.sees_everything(user)
    if not everything:
        roles = roles.filter(hiring_lead=user)
    cards = "applications__interviews__scorecards"
    draft = Q(applications__interviews__scorecards__status=ScorecardStatus.DRAFT)
    submitted = Q(applications__interviews__scorecards__status=ScorecardStatus.SUBMITTED)
    roles = (
        roles.select_related("profile", "hiring_lead")
        .annotate(
            candidate_total=Count("applications", distinct=True),
            pending_total=Count(cards, filter=draft, distinct=True),
            submitted_total=Count(cards, filter=submitted, distinct=True),
        )
        .order_by("status", "title", "pk")
    )
    return render(request, "hiring/my_roles.html", {"roles": roles, "everything": everything})


# Hiring lead: compare a role's candidates
# ---------------------------------------------------------------------------

# ?sort= value → (label, key function, reverse by default); ?dir=asc|desc turns it round.
# Unscored candidates sort last; by score, incomplete candidates come after complete ones
# (the comparison's ranks say the same).
SORTS = {
    "score": ("Weighted score", lambda c: (c["complete"] is True, _none_last(c["score"])), True),
    "calibrated": (
        "Calibrated score",
        lambda c: (c["complete"] is True, _none_last(c["calibrated_score"])),
        True,
    ),
    "coverage": ("Coverage", lambda c: _none_last(c["coverage"]), True),
    "name": ("Candidate", lambda c: c["candidate"]["name"].casefold(), False),
}
RADAR_LIMIT = 4


def _none_last(value):
    return (value is not None, value if value is not None else 0)


@login_required
def compare(request, pk):
    role = get_object_or_404(
        access.roles_for(request.user).select_related("profile", "hiring_lead"), pk=pk
    )
    if not access.may_compare(request.user, role):
        raise Http404("Only the role's hiring lead and recruiters compare its candidates.")
    # The shared read model, then, for independent scoring, what this viewer may not
    # see taken out of it.
    redaction = access.comparison_redaction(request.user, role.pk)
    data = comparison.comparison_redacted(comparison.comparison_for_role(role).data, redaction)
    audit.record(
        action=AuditAction.VIEW, object_type="role", object_id=role.pk, fields=["comparison"]
    )
    decided = _current_decisions(request.user, role)
    competencies = data["profile"]["competencies"]
    skill_names = {skill["key"]: skill["name"] for c in competencies for skill in c["skills"]}

    sort = request.GET.get("sort", "score")
    if sort not in SORTS:
        sort = "score"
    _, key, descending = SORTS[sort]
    if request.GET.get("dir") in ("asc", "desc"):
        descending = request.GET["dir"] == "desc"
    candidates = sorted(data["candidates"], key=key, reverse=descending)

    rows = [_comparison_row(candidate, competencies, skill_names) for candidate in candidates]
    pending = selectors.pending_feedback_by_application(
        access.pending_scorecards_for(request.user).filter(interview__application__role=role)
    )
    for row in rows:
        row["pending"] = pending.get(row["application"], [])
        row["decision"] = decided.get(row["application"])

    chosen, too_many = _radar_choice(request, candidates)
    selected = [row for row in rows if row["application"] in chosen]
    context = {
        "role": role,
        "data": data,
        "competencies": competencies,
        "rows": rows,
        "sort": sort,
        "direction": "desc" if descending else "asc",
        "sort_links": _sort_links(sort, descending, chosen),
        "note": _statistics_note(data),
        "chosen": chosen,
        "chosen_by_default": not request.GET.getlist("compare"),
        "too_many": too_many,
        "radar_limit": RADAR_LIMIT,
        "radar_axes": [c["name"] for c in competencies],
        "radar_series": [
            {"name": row["name"], "values": [cell["mean"] for cell in row["cells"]]}
            for row in selected
        ],
        "hidden_rows": [row for row in rows if row["hidden"]],
        "tables": _tables(role, rows, chosen, columns=len(competencies)),
        "csv_url": reverse("api:role-comparison", args=[role.pk]) + "?format=csv",
        "uncovered": selectors.uncovered_competencies(
            role, [(c["key"], c["name"]) for c in competencies if c["weight"] > 0]
        ),
        "brief_url": reverse("hiring:brief", args=[role.pk])
        if access.may_edit_brief(request.user, role)
        else None,
    }
    return render(request, "hiring/compare.html", context)


# The rows of the page's three tables: most of its rendering time with hundreds of
# candidates. The heatmap's cells come from _heat_cell.html.
TABLES = {
    "ranking": "hiring/_compare_ranking_rows.html",
    "heatmap": "hiring/_compare_heatmap_rows.html",
    "choices": "hiring/_compare_radar_choices.html",
}
TABLE_TEMPLATES = [*TABLES.values(), "hiring/_heat_cell.html"]


def _tables(role, rows: list[dict], chosen: list[int], *, columns: int) -> dict:
    """The tables' rows, rendered from plain values only, so the HTML is a pure function
    of them and of the templates: kept in the comparison cache under a digest of both
    (comparison.comparison_page_kept), and rendered again when anything shown changes."""
    context = {
        "shown": [_shown(row) for row in rows],
        "columns": columns,
        "after_panel": role.feedback_visibility == FeedbackVisibility.AFTER_PANEL_COMPLETE,
        "chosen": chosen,
    }
    sources = [get_template(name).template.source for name in TABLE_TEMPLATES]
    digest = hashlib.sha256(
        json.dumps([translation.get_language(), sources, context]).encode()
    ).hexdigest()
    tables = comparison.comparison_page_kept(role.pk, digest)
    if tables is None:
        tables = {name: render_to_string(template, context) for name, template in TABLES.items()}
        comparison.comparison_page_keep(role.pk, digest, tables)
    return {name: mark_safe(html) for name, html in tables.items()}  # rendered, so escaped


def _shown(row: dict) -> dict:
    """The row with its decision and pending feedback as what the page prints of them."""
    decision, pending = row["decision"], row["pending"]
    return {
        **row,
        "decision": decision
        and {
            "value": decision.decision,
            "label": decision.get_decision_display(),
            "is_override": decision.is_override,
        },
        "pending": None,
        "pending_html": render_to_string("hiring/_pending_feedback.html", {"pending": pending})
        if pending
        else "",
    }


def _current_decisions(user, role) -> dict:
    """Application id → its current decision, among those the person may see (one query)."""
    visible = access.decisions_for(user).filter(application__role=role)
    current = {}
    for decision in selectors.decisions_with_author(visible):  # newest first
        current.setdefault(decision.application_id, decision)
    return current


def _comparison_row(candidate: dict, competencies: list[dict], skill_names: dict) -> dict:
    cells = _cells(candidate, competencies)
    recommendations = candidate.get("recommendations") or {}
    split_skills = [
        skill_names.get(key, key)
        for cell in candidate["competencies"]
        for key in cell.get("disagreement_skills", [])
    ]
    names = {c["key"]: c["name"] for c in competencies}
    return {
        "application": candidate["application"],
        "name": candidate["candidate"]["name"],
        "stage": candidate.get("stage"),
        "hidden": candidate["hidden"],
        "scorecards": candidate["scorecards"],
        "score": candidate["score"],
        "calibrated_score": candidate["calibrated_score"],
        "rank": candidate["rank"],
        "calibrated_rank": candidate["calibrated_rank"],
        "coverage": candidate["coverage"],
        "unassessed": [skill_names.get(key, key) for key in candidate["unassessed_skills"]],
        "disagreements": sum(cell["disagreement"] for cell in cells),
        "disagreement_skills": split_skills,
        "complete": candidate.get("complete"),
        "pending_scorecards": "pending_scorecards" in candidate.get("incomplete_reasons", []),
        "uncovered": [names.get(key, key) for key in candidate.get("uncovered_competencies", [])],
        "tallies": [
            (value, label, recommendations[value])
            for value, label in Recommendation.choices
            if recommendations.get(value)
        ],
        "cells": cells,
    }


def _cells(candidate: dict, competencies: list[dict]) -> list[dict]:
    by_key = {cell["key"]: cell for cell in candidate["competencies"]}
    cells = []
    for competency in competencies:
        cell = by_key.get(competency["key"]) or {"mean": None, "n": 0, "spread": None}
        cells.append(
            {
                "name": competency["name"],
                "mean": cell["mean"],
                "n": cell["n"],
                "spread": cell.get("spread"),
                "disagreement": bool(cell.get("disagreement")),
                "heat": _heat(cell["mean"]),
            }
        )
    return cells


def _heat(mean) -> str:
    """The cell's colour class, heat-0 (red, 1) through amber to heat-12 (green, 4),
    in pages.css (no style attributes: CSP); light enough for dark text, and every
    cell prints its number, so the colour is never the only signal."""
    if mean is None:
        return ""
    return f"heat-{round((min(max(mean, 1), 4) - 1) * 4)}"


def _radar_choice(request, candidates) -> tuple[list[int], bool]:
    """Applications to draw: the ones ticked (up to four), else the top four."""
    known = {candidate["application"] for candidate in candidates if not candidate["hidden"]}
    ticked = []
    for value in request.GET.getlist("compare"):
        if value.isdigit() and int(value) in known and int(value) not in ticked:
            ticked.append(int(value))
    if not request.GET.getlist("compare"):
        ranked = sorted(candidates, key=SORTS["score"][1], reverse=True)  # as ranked
        return [c["application"] for c in ranked[:RADAR_LIMIT] if c["score"] is not None], False
    return ticked[:RADAR_LIMIT], len(ticked) > RADAR_LIMIT


def _sort_links(current: str, descending: bool, chosen: list[int]) -> dict:
    """Each column's link: its own order, or, for the column sorted now, the reverse."""
    links = {}
    for sort, (_, _, default_descending) in SORTS.items():
        active = sort == current
        query = QueryDict(mutable=True)
        query["sort"] = sort
        next_descending = not descending if active else default_descending
        query["dir"] = "desc" if next_descending else "asc"
        query.setlist("compare", [str(pk) for pk in chosen])
        links[sort] = {
            "url": f"?{query.urlencode()}",
            "active": active,
            "descending": descending if active else None,
        }
    return links


def _statistics_note(data: dict) -> str:
    """Agreement and calibration in one plain sentence or two (the figures sit in a
    <details> below it)."""
    if data["statistics_hidden"]:
        return "How far the panel agrees, and who scores high or low, is hidden for now."
    agreement = data["agreement"]
    text = {
        "good": "The interviewers agree well, so the scores can be relied on.",
        "tentative": "The interviewers agree only moderately: read close scores as a tie.",
        "too low to draw conclusions": "The interviewers disagree too much to rank on "
        "scores alone: talk the candidates through.",
    }.get(agreement["interpretation"], f"Agreement: not known yet. {agreement['explanation']}")
    lenient = [p["name"] for p in data["interviewers"] if (p["offset"] or 0) >= 0.1]
    harsh = [p["name"] for p in data["interviewers"] if (p["offset"] or 0) <= -0.1]
    if lenient or harsh:
        parts = []
        if lenient:
            parts.append(f"{', '.join(lenient)} scored higher than the others")
        if harsh:
            parts.append(f"{', '.join(harsh)} lower")
        text += f" {'; '.join(parts)}: the calibrated score evens that out."
    else:
        text += " No interviewer scores notably higher or lower than the others."
    return text
