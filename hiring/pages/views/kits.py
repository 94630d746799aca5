"""The interview kit page: what to ask, what to listen for and how to rate, for one
interview; readable on a phone and printable. Who may read it is ``hiring.access``'s
rule (anyone else gets a 404)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from hiring import access, selectors


@login_required
@require_safe
def interview_kit(request, pk):
    interviews = access.interview_kits_for(request.user).select_related(
        "application__role__profile", "application__candidate"
    )
    interview = get_object_or_404(interviews, pk=pk)
    own_card = interview.scorecards.filter(interviewer=request.user).values_list("pk", flat=True)
    context = {
        "kit": selectors.interview_kit(interview),
        "interview": interview,
        "application": interview.application,
        "own_card": own_card.first(),  # the person's scorecard id, when on the panel
    }
    return render(request, "hiring/kit.html", context)
