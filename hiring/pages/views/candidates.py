"""A candidate's page: every scorecard the person may see for one application,
side by side."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, render

from hiring import access, selectors
from hiring.models import Recommendation


@login_required
def candidate(request, pk):
    application = get_object_or_404(
        access.applications_for(request.user).select_related("candidate", "role__profile"),
        pk=pk,
    )
    visible = list(
        selectors.scorecards_with_content(access.scorecards_for(request.user))
        .filter(interview__application=application)
        .order_by(F("interview__scheduled_at").asc(nulls_last=True), "interview_id", "pk")
    )
    cards = [card for card in visible if card.is_submitted]
    own_drafts = [
        card for card in visible if card.interviewer_id == request.user.pk and not card.is_submitted
    ]
    # Independent scoring: with a draft of one's own, or (after_panel_complete) while the
    # panel is still at work, colleagues' content stays out; the panel itself does not.
    panel = list(selectors.application_panel(application))
    waiting = access.applications_hidden_from(request.user).filter(pk=application.pk).exists()
    # Colleagues who still owe feedback (the person's own drafts are listed apart).
    pending = selectors.pending_feedback(
        access.pending_scorecards_for(request.user)
        .filter(interview__application=application)
        .exclude(interviewer=request.user)
    )
    return render(
        request,
        "hiring/candidate.html",
        {
            "application": application,
            "cards": cards,
            "rows": _side_by_side(cards),
            "tallies": _tally(cards),
            "own_drafts": own_drafts,
            "waiting_for_panel": waiting and not own_drafts,
            "panel": panel,
            "submitted_total": sum(member.is_submitted for member in panel),
            "pending": pending,
            "may_compare": access.may_compare(request.user, application.role),
        },
    )


def _side_by_side(cards) -> list[dict]:
    """One row per skill any card rated (in profile order), one cell per card.

    Skills are matched by key, so cards pinned to different versions of the
    profile line up."""
    skills, cells = {}, {}
    for index, card in enumerate(cards):
        for rating in card.ratings.all():
            skill = rating.skill
            key = skill.key
            skills.setdefault(key, skill)
            cells[(key, index)] = rating
    ordered = sorted(skills.values(), key=lambda s: (s.competency.order, s.order, s.key))
    rows, previous = [], None
    for skill in ordered:
        rows.append(
            {
                "skill": skill,
                "competency": skill.competency if skill.competency.key != previous else None,
                "cells": [cells.get((skill.key, index)) for index in range(len(cards))],
            }
        )
        previous = skill.competency.key
    return rows


def _tally(cards) -> list[tuple[str, int]]:
    counts = dict.fromkeys(Recommendation.values, 0)
    for card in cards:
        counts[card.overall_recommendation] += 1
    return [(label, counts[value]) for value, label in Recommendation.choices if counts[value]]
