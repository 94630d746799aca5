"""A candidate's page: every scorecard the person may see for one application,
side by side; and, for those who decide, the formula's view and the decision form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from hiring import access, selectors, services
from hiring.models import DecisionValue, Recommendation
from hiring.pages.forms import DecisionForm


@login_required
def candidate(request, pk):
    application = get_object_or_404(
        access.applications_for(request.user).select_related("candidate", "role__profile"),
        pk=pk,
    )
    may_decide = access.may_decide(request.user, application)
    form = None
    if may_decide:
        form = DecisionForm(request.POST if request.method == "POST" else None)
    elif request.method == "POST":
        raise PermissionDenied(services.MAY_NOT_DECIDE)
    if form is not None and form.is_bound:
        if form.is_valid():
            try:
                services.decision_record(
                    application=application, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                label = dict(DecisionValue.choices)[form.cleaned_data["decision"]]
                messages.success(request, f"Decision recorded: {label}.")
                return redirect(reverse("hiring:candidate", args=[pk]) + "#decision-heading")
        return _render(request, application, form, status=400)
    return _render(request, application, form)


def _render(request, application, form, status=200):
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
    decisions = list(
        selectors.decisions_with_author(
            access.decisions_for(request.user).filter(application=application)
        )
    )
    context = {
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
        "decisions": decisions,
        "form": form,
    }
    if form is not None:
        context |= _formula_view(application)
    return render(request, "hiring/candidate.html", context, status=status)


def _formula_view(application) -> dict:
    """What the decision starts from (the comparison's figures for the candidate), and
    which decisions would override the panel (the service's rule)."""
    snapshot = services.decision_snapshot(application=application)
    overriding = [
        (value, label)
        for value, label in DecisionValue.choices
        if services.decision_override_grounds(
            decision=value,
            recommendations=snapshot.recommendations,
            pending=snapshot.scorecards_pending,
        )
    ]
    return {
        "snapshot": snapshot,
        "snapshot_tallies": [
            (value, label, snapshot.recommendations.get(value, 0))
            for value, label in Recommendation.choices
            if snapshot.recommendations.get(value)
        ],
        "overriding": overriding,
        "overriding_values": " ".join(value for value, _ in overriding),
    }


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
