"""The interviewer's pages: my scorecards, the scorecard form, revisions.

Thin views: what a person may see comes from ``hiring.access`` (anything else
is a 404), every write is a ``hiring.services`` call.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hiring import access, audit, selectors, services
from hiring.models import AuditAction, Scorecard, ScorecardStatus
from hiring.pages.forms import ReviseForm, ScorecardForm


@login_required
def my_scorecards(request):
    # Soonest due first; scorecards of unscheduled interviews have no due date: last.
    cards = (
        access.scorecards_for(request.user)
        .filter(interviewer=request.user)
        .with_due_dates()
        .select_related("interview__application__candidate", "interview__application__role")
        .order_by(
            F("due_at").asc(nulls_last=True),
            F("interview__scheduled_at").asc(nulls_last=True),
            "pk",
        )
    )
    pending = [card for card in cards if not card.is_submitted]
    submitted = sorted(
        (card for card in cards if card.is_submitted), key=lambda c: c.submitted_at, reverse=True
    )
    context = {
        "pending": pending,
        "overdue_total": sum(card.overdue for card in pending),
        "due_hours": settings.FEEDBACK_DUE_HOURS,
        "submitted": submitted,
    }
    return render(request, "hiring/my_scorecards.html", context)


def _scorecard_for_page(request, pk) -> Scorecard:
    """The scorecard if this person may see it (404 otherwise), with what every
    scorecard page shows loaded in a fixed number of queries."""
    return get_object_or_404(
        selectors.scorecards_with_content(access.scorecards_for(request.user)), pk=pk
    )


def _read_only_rows(card: Scorecard, skills) -> list[dict]:
    """Focus skills, then anything else the scorecard rated, with its rating."""
    ratings = {rating.skill.key: rating for rating in card.ratings.all()}
    rows = [{"skill": skill, "rating": ratings.pop(skill.key, None)} for skill in skills]
    rows += [{"skill": rating.skill, "rating": rating} for rating in ratings.values()]
    return rows


def _render_scorecard(request, card, form=None, *, status=200, template="hiring/scorecard.html"):
    is_own = access.is_scorecard_author(request.user, card)
    editable = is_own and not card.is_submitted
    # The form shows each skill's interview questions; a read-only scorecard does not.
    skills = selectors.scorecard_focus_skills(card, with_questions=editable)
    if form is None and editable:
        form = ScorecardForm(scorecard=card, skills=skills)
    context = {
        "card": card,
        "application": card.interview.application,
        "form": form,
        "editable": editable,
        "is_own": is_own,
        "rows": None if editable else _read_only_rows(card, skills),
        "revisions": card.revisions.select_related("revised_by") if card.revision else [],
    }
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def scorecard(request, pk):
    card = _scorecard_for_page(request, pk)
    if request.method == "GET":
        audit.record(action=AuditAction.VIEW, object_type="scorecard", object_id=card.pk)
        return _render_scorecard(request, card)
    if not access.is_scorecard_author(request.user, card):
        # The form is not there for anyone else: the same answer as the revise page.
        raise Http404("Only the interviewer can change their scorecard.")
    if card.is_submitted:
        messages.info(request, "This scorecard is submitted. Use “Revise” to correct it.")
        return redirect("hiring:scorecard", pk=card.pk)
    skills = selectors.scorecard_focus_skills(card, with_questions=True)
    form = ScorecardForm(request.POST, scorecard=card, skills=skills)
    if not form.is_valid():
        return _render_scorecard(request, card, form, status=400)
    try:
        card = services.scorecard_save_draft(scorecard=card, by=request.user, **form.content())
    except services.StaleVersion:
        return _stale(request, card, form)
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_scorecard(request, card, form, status=400)
    if request.POST.get("action") == "submit":
        return _submit(request, card, form)
    messages.success(request, f"Draft saved at {timezone.localtime():%H:%M}.")
    return redirect("hiring:scorecard", pk=card.pk)


def _submit(request, card, form):
    """Submit the draft just saved; if a rule stops it, show which, with the input kept."""
    try:
        services.scorecard_submit(
            scorecard=card, by=request.user, expected_version=card.row_version
        )
    except ValidationError as error:
        card = _scorecard_for_page(request, card.pk)
        form.set_version(card.row_version)
        form.add_service_errors(error)
        messages.error(request, "Your input is saved as a draft, but it cannot be submitted yet.")
        return _render_scorecard(request, card, form, status=400)
    messages.success(request, _submitted_message(request.user, card))
    return redirect("hiring:scorecard", pk=card.pk)


def _submitted_message(user, card) -> str:
    """Say what submitting opened up, as it is: colleagues' scorecards for this candidate
    now readable, none submitted yet, or still hidden by another draft of the person's."""
    application = card.interview.application
    name = application.candidate.name
    visible = access.scorecards_for(user).filter(interview__application=application)
    colleagues = visible.filter(status=ScorecardStatus.SUBMITTED).exclude(interviewer=user).count()
    if colleagues:
        what = (
            "a colleague's scorecard" if colleagues == 1 else f"{colleagues} colleagues' scorecards"
        )
        return f"Scorecard submitted. You can now read {what} for {name} on the candidate's page."
    if visible.filter(interviewer=user, status=ScorecardStatus.DRAFT).exists():
        return (
            f"Scorecard submitted. Colleagues' scorecards for {name} stay hidden until every "
            "scorecard of yours for them is submitted."
        )
    return f"Scorecard submitted. No colleague has submitted a scorecard for {name} yet."


def _stale(request, card, form, template="hiring/scorecard.html"):
    """Someone saved this scorecard since the form was opened: keep the input on
    screen, say so, and let the person save it deliberately over the newer copy."""
    card = _scorecard_for_page(request, card.pk)
    form.set_version(card.row_version)
    form.add_error(
        None,
        "This scorecard was changed elsewhere (another tab or device) after you opened it, "
        "so nothing was saved. Your input is still below: check it and save again to "
        "replace the newer copy, or reload the page to see that copy.",
    )
    return _render_scorecard(request, card, form, status=409, template=template)


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_revise(request, pk):
    card = _scorecard_for_page(request, pk)
    if not access.is_scorecard_author(request.user, card):
        raise Http404("Only the interviewer can revise their scorecard.")
    if not card.is_submitted:
        return redirect("hiring:scorecard", pk=card.pk)
    template = "hiring/scorecard_revise.html"
    skills = selectors.scorecard_focus_skills(card, with_questions=True)
    if request.method == "GET":
        audit.record(action=AuditAction.VIEW, object_type="scorecard", object_id=card.pk)
        form = ReviseForm(scorecard=card, skills=skills)
        return _render_revise(request, card, form)
    form = ReviseForm(request.POST, scorecard=card, skills=skills)
    if not form.is_valid():
        return _render_revise(request, card, form, status=400)
    try:
        card = services.scorecard_revise(scorecard=card, by=request.user, **form.content())
    except services.StaleVersion:
        return _stale(request, card, form, template=template)
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_revise(request, card, form, status=400)
    messages.success(request, f"Revision {card.revision} saved.")
    return redirect("hiring:scorecard", pk=card.pk)


def _render_revise(request, card, form, status=200):
    context = {"card": card, "application": card.interview.application, "form": form}
    return render(request, "hiring/scorecard_revise.html", context, status=status)
