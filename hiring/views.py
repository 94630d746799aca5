"""Pages for interviewers and hiring leads.

Thin views: what a person may see comes from ``hiring.access`` (anything else
is a 404), every write is a ``hiring.services`` call, and each page reads a
fixed number of queries whatever the amount of data.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hiring import access, comparison, services
from hiring.forms import InvitationAwarePasswordResetForm, ReviseForm, ScorecardForm
from hiring.models import (
    HIRING_LEADS,
    INTERVIEWERS,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)

# ---------------------------------------------------------------------------
# Home: send each person to the page for the hat they wear
# ---------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    groups = set(user.groups.values_list("name", flat=True))
    interviews = INTERVIEWERS in groups or user.scorecards.exists()
    leads = HIRING_LEADS in groups or user.led_roles.exists()
    recruiter = access.is_recruiter(user)
    if not recruiter and interviews != leads:
        return redirect("hiring:my_scorecards" if interviews else "hiring:my_roles")
    return render(
        request,
        "hiring/home.html",
        {"interviews": interviews, "leads": leads or recruiter, "recruiter": recruiter},
    )


# ---------------------------------------------------------------------------
# Interviewer: my scorecards, the scorecard form, revisions
# ---------------------------------------------------------------------------


@login_required
def my_scorecards(request):
    cards = (
        access.scorecards_for(request.user)
        .filter(interviewer=request.user)
        .select_related("interview__application__candidate", "interview__application__role")
        .order_by(F("interview__scheduled_at").asc(nulls_last=True), "pk")
    )
    pending = [card for card in cards if not card.is_submitted]
    submitted = sorted(
        (card for card in cards if card.is_submitted), key=lambda c: c.submitted_at, reverse=True
    )
    return render(
        request, "hiring/my_scorecards.html", {"pending": pending, "submitted": submitted}
    )


def _scorecard_for_page(request, pk) -> Scorecard:
    """The scorecard if this person may see it (404 otherwise), with what every
    scorecard page shows loaded in a fixed number of queries."""
    queryset = access.scorecards_for(request.user).select_related(
        "interviewer",
        "profile",
        "interview__application__candidate",
        "interview__application__role",
    )
    ratings = Prefetch("ratings", queryset=Rating.objects.select_related("skill__competency"))
    return get_object_or_404(queryset.prefetch_related(ratings), pk=pk)


def _read_only_rows(card: Scorecard, skills) -> list[dict]:
    """Focus skills, then anything else the scorecard rated, with its rating."""
    ratings = {rating.skill.key: rating for rating in card.ratings.all()}
    rows = [{"skill": skill, "rating": ratings.pop(skill.key, None)} for skill in skills]
    rows += [{"skill": rating.skill, "rating": rating} for rating in ratings.values()]
    return rows


def _render_scorecard(request, card, form=None, *, status=200, template="hiring/scorecard.html"):
    skills = services.scorecard_focus_skills(card)
    editable = card.interviewer_id == request.user.pk and not card.is_submitted
    if form is None and editable:
        form = ScorecardForm(scorecard=card, skills=skills)
    context = {
        "card": card,
        "application": card.interview.application,
        "form": form,
        "editable": editable,
        "is_own": card.interviewer_id == request.user.pk,
        "rows": None if editable else _read_only_rows(card, skills),
        "revisions": card.revisions.select_related("revised_by") if card.revision else [],
    }
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def scorecard(request, pk):
    card = _scorecard_for_page(request, pk)
    if request.method == "GET":
        return _render_scorecard(request, card)
    if card.interviewer_id != request.user.pk:
        raise PermissionDenied("Only the interviewer can change their scorecard.")
    if card.is_submitted:
        messages.info(request, "This scorecard is submitted. Use “Revise” to correct it.")
        return redirect("hiring:scorecard", pk=card.pk)

    form = ScorecardForm(request.POST, scorecard=card, skills=services.scorecard_focus_skills(card))
    if not form.is_valid():
        return _render_scorecard(request, card, form, status=400)
    submitting = request.POST.get("action") == "submit"
    try:
        card = services.scorecard_save_draft(scorecard=card, by=request.user, **form.content())
    except services.StaleVersion:
        return _stale(request, card, form)
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_scorecard(request, card, form, status=400)
    if not submitting:
        saved_at = timezone.localtime().strftime("%H:%M")
        messages.success(request, f"Draft saved at {saved_at}.")
        return redirect("hiring:scorecard", pk=card.pk)
    try:
        services.scorecard_submit(
            scorecard=card, by=request.user, expected_version=card.row_version
        )
    except ValidationError as error:
        # The input is saved as a draft; show what still stops the submission.
        card = _scorecard_for_page(request, card.pk)
        form.set_version(card.row_version)
        form.add_service_errors(error)
        messages.error(request, "Your input is saved as a draft, but it cannot be submitted yet.")
        return _render_scorecard(request, card, form, status=400)
    messages.success(request, "Scorecard submitted. Colleagues' scorecards are now visible.")
    return redirect("hiring:scorecard", pk=card.pk)


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
    if card.interviewer_id != request.user.pk:
        raise Http404("Only the interviewer can revise their scorecard.")
    if not card.is_submitted:
        return redirect("hiring:scorecard", pk=card.pk)
    template = "hiring/scorecard_revise.html"
    skills = services.scorecard_focus_skills(card)
    if request.method == "GET":
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


# ---------------------------------------------------------------------------
# Candidate: every submitted scorecard for one application, side by side
# ---------------------------------------------------------------------------


@login_required
def candidate(request, pk):
    application = get_object_or_404(
        access.applications_for(request.user).select_related("candidate", "role__profile"),
        pk=pk,
    )
    visible = list(
        access.scorecards_for(request.user)
        .filter(interview__application=application)
        .select_related("interviewer", "interview")
        .prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.select_related("skill__competency"))
        )
        .order_by(F("interview__scheduled_at").asc(nulls_last=True), "interview_id", "pk")
    )
    cards = [card for card in visible if card.is_submitted]
    own_drafts = [
        card for card in visible if card.interviewer_id == request.user.pk and not card.is_submitted
    ]
    return render(
        request,
        "hiring/candidate.html",
        {
            "application": application,
            "cards": cards,
            "rows": _side_by_side(cards),
            "tallies": _tally(cards),
            "own_drafts": own_drafts,
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


# ---------------------------------------------------------------------------
# Hiring lead: my roles
# ---------------------------------------------------------------------------


@login_required
def my_roles(request):
    user = request.user
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


# ---------------------------------------------------------------------------
# Accounts: password reset also sets the first password of invited interviewers
# ---------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = InvitationAwarePasswordResetForm
    template_name = "hiring/account/password_reset_form.html"
    email_template_name = "hiring/account/password_reset_email.txt"
    subject_template_name = "hiring/account/password_reset_subject.txt"

    def form_valid(self, form):
        # Links in emails use the public address, not whatever Host the request had.
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


# ---------------------------------------------------------------------------
# Hiring lead: compare a role's candidates
# ---------------------------------------------------------------------------

# ?sort= value → (label, key function, reverse). Unscored candidates sort last.
SORTS = {
    "score": ("Weighted score", lambda c: _none_last(c["score"]), True),
    "calibrated": ("Calibrated score", lambda c: _none_last(c["calibrated_score"]), True),
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
    data = comparison.role_comparison(role)
    competencies = data["profile"]["competencies"]
    skill_names = {skill["key"]: skill["name"] for c in competencies for skill in c["skills"]}

    sort = request.GET.get("sort", "score")
    if sort not in SORTS:
        sort = "score"
    _, key, descending = SORTS[sort]
    candidates = sorted(data["candidates"], key=key, reverse=descending)

    rows = [_comparison_row(candidate, competencies, skill_names) for candidate in candidates]

    chosen, too_many = _radar_choice(request, candidates)
    selected = [row for row in rows if row["application"] in chosen]
    context = {
        "role": role,
        "data": data,
        "competencies": competencies,
        "rows": rows,
        "sort": sort,
        "sort_links": _sort_links(sort, chosen),
        "chosen": chosen,
        "chosen_by_default": not request.GET.getlist("compare"),
        "too_many": too_many,
        "radar_limit": RADAR_LIMIT,
        "radar_axes": [c["name"] for c in competencies],
        "radar_series": [
            {"name": row["name"], "values": [cell["mean"] for cell in row["cells"]]}
            for row in selected
        ],
        "csv_url": reverse("api:role-comparison", args=[role.pk]) + "?format=csv",
    }
    return render(request, "hiring/compare.html", context)


def _comparison_row(candidate: dict, competencies: list[dict], skill_names: dict) -> dict:
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
                "style": _heat(cell["mean"]),
            }
        )
    recommendations = candidate.get("recommendations") or {}
    return {
        "application": candidate["application"],
        "name": candidate["candidate"]["name"],
        "stage": candidate.get("stage"),
        "scorecards": candidate["scorecards"],
        "score": candidate["score"],
        "calibrated_score": candidate["calibrated_score"],
        "rank": candidate["rank"],
        "calibrated_rank": candidate["calibrated_rank"],
        "coverage": candidate["coverage"],
        "unassessed": [skill_names.get(key, key) for key in candidate["unassessed_skills"]],
        "disagreements": sum(cell["disagreement"] for cell in cells),
        "tallies": [
            (value, label, recommendations[value])
            for value, label in Recommendation.choices
            if recommendations.get(value)
        ],
        "cells": cells,
    }


def _heat(mean) -> str:
    """Background from red (1) through amber to green (4); light enough for dark text,
    and every cell prints its number, so the colour is never the only signal."""
    if mean is None:
        return ""
    hue = round((min(max(mean, 1), 4) - 1) / 3 * 125)
    return f"background-color: hsl({hue} 70% 84%)"


def _radar_choice(request, candidates) -> tuple[list[int], bool]:
    """Applications to draw: the ones ticked (up to four), else the top four."""
    known = {candidate["application"] for candidate in candidates}
    ticked = []
    for value in request.GET.getlist("compare"):
        if value.isdigit() and int(value) in known and int(value) not in ticked:
            ticked.append(int(value))
    if not request.GET.getlist("compare"):
        ranked = sorted(candidates, key=lambda c: _none_last(c["score"]), reverse=True)
        return [c["application"] for c in ranked[:RADAR_LIMIT] if c["score"] is not None], False
    return ticked[:RADAR_LIMIT], len(ticked) > RADAR_LIMIT


def _sort_links(current: str, chosen: list[int]) -> dict:
    links = {}
    for sort in SORTS:
        query = QueryDict(mutable=True)
        query["sort"] = sort
        query.setlist("compare", [str(pk) for pk in chosen])
        links[sort] = {"url": f"?{query.urlencode()}", "active": sort == current}
    return links
