"""A candidate's page, for a debrief: the panel first (each interviewer's status, and the
recommendation, summary and corrections of every scorecard the person may read), then
those scorecards side by side, skill by skill; and, for those who decide, the formula's
view and the decision form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from hiring import access, audit, selectors, services
from hiring.models import AuditAction, DecisionValue, Recommendation, ScorecardRevision
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
    revisions = ScorecardRevision.objects.select_related("revised_by").order_by("number")
    visible = list(
        selectors.scorecards_with_content(access.scorecards_for(request.user))
        .filter(interview__application=application)
        .prefetch_related(Prefetch("revisions", queryset=revisions))
        .order_by(F("interview__scheduled_at").asc(nulls_last=True), "interview_id", "pk")
    )
    cards = [card for card in visible if card.is_submitted]
    if cards:
        audit.record_reads(
            action=AuditAction.VIEW, object_type="scorecard", object_ids=[c.pk for c in cards]
        )
    own_drafts = [
        card for card in visible if card.interviewer_id == request.user.pk and not card.is_submitted
    ]
    # Independent scoring: with a draft of one's own, or (after_panel_complete) while the
    # panel is still at work, colleagues' content stays out; the panel itself does not.
    panel = list(selectors.application_panel(application))
    waiting = access.applications_hidden_from(request.user).filter(pk=application.pk).exists()
    # Colleagues who still owe feedback, with due dates (the person's own drafts are theirs).
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
        "members": _panel_members(panel, cards, pending, own_drafts),
        "submitted_total": sum(member.is_submitted for member in panel),
        "pending": pending,
        "overdue_total": sum(card.overdue for card in pending),
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


def _panel_members(panel, cards, pending, own_drafts) -> list[dict]:
    """One entry per scorecard on the panel: who, which interview, the status (submitted,
    draft or overdue; due dates only where the person may know them), and the readable
    card with its corrections, when the person may read it."""
    readable = {card.pk: card for card in cards}
    due = {card.pk: card for card in pending}
    own = {card.pk for card in own_drafts}
    members = []
    for member in panel:
        card = readable.get(member.pk)
        draft = due.get(member.pk)
        if member.is_submitted:
            status = "submitted"
        else:
            status = "overdue" if draft is not None and draft.overdue else "draft"
        members.append(
            {
                "member": member,
                "status": status,
                "due": draft,
                "own_draft": member.pk in own,
                "card": card,
                "revisions": revision_changes(card) if card is not None else [],
            }
        )
    return members


def revision_changes(card) -> list[dict]:
    """Each correction of a submitted scorecard with what it changed: old → new for every
    score, note, summary and recommendation that differs.

    A revision keeps the content it replaced (``previous``); what replaced it is the next
    revision's ``previous``, or, for the latest, the card as it is now."""
    revisions = list(card.revisions.all())
    if not revisions:
        return []
    names = {rating.skill.key: rating.skill.name for rating in card.ratings.all()}
    current = {
        "overall_recommendation": card.overall_recommendation,
        "summary": card.summary,
        "ratings": [
            {"skill": r.skill.key, "score": r.score, "not_assessed": r.not_assessed, "note": r.note}
            for r in card.ratings.all()
        ],
    }
    afters = [revision.previous for revision in revisions[1:]] + [current]
    return [
        {
            "revision": revision,
            "changes": _changes(revision.previous, after, names),
        }
        for revision, after in zip(revisions, afters, strict=True)
    ]


def _changes(before: dict, after: dict, names: dict) -> list[dict]:
    changes = []
    labels = dict(Recommendation.choices)
    old, new = before.get("overall_recommendation"), after.get("overall_recommendation")
    if old != new:
        changes.append(
            {"what": "Recommendation", "old": labels.get(old, old), "new": labels.get(new, new)}
        )
    if (before.get("summary") or "") != (after.get("summary") or ""):
        changes.append(
            {"what": "Summary", "old": before.get("summary"), "new": after.get("summary")}
        )
    old_ratings = {r["skill"]: r for r in before.get("ratings", [])}
    new_ratings = {r["skill"]: r for r in after.get("ratings", [])}
    for key in [*new_ratings, *(k for k in old_ratings if k not in new_ratings)]:
        was, now = old_ratings.get(key, {}), new_ratings.get(key, {})
        name = names.get(key, key)
        if _score_text(was) != _score_text(now):
            changes.append(
                {"what": f"{name}: score", "old": _score_text(was), "new": _score_text(now)}
            )
        if (was.get("note") or "") != (now.get("note") or ""):
            changes.append(
                {"what": f"{name}: note", "old": was.get("note"), "new": now.get("note")}
            )
    return changes


def _score_text(rating: dict) -> str:
    if rating.get("not_assessed"):
        return "not assessed"
    score = rating.get("score")
    return str(score) if score else "not rated"


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
