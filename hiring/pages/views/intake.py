"""The role-intake page for hiring leads and recruiters.

GET answers the questionnaire (the recommendation is a read, so it is bookmarkable);
POST creates the recommended draft role(s) and redirects to a page that links to them.
The rule is ``hiring.intake.rules``, the write ``hiring.intake.services``.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hiring import access, selectors
from hiring.intake.rules import ADVICE, AI, INSUFFICIENT, LABELS, ML, minimum_counted
from hiring.intake.services import IntakeResult, intake_create_roles, intake_recommend
from hiring.models import Level
from hiring.pages.forms import ANSWER_PREFIX, CreateRolesForm, IntakeForm


def _require_intake_user(request) -> None:
    if not access.may_use_intake(request.user):
        raise PermissionDenied("Role intake is for hiring leads and recruiters.")


@login_required
@require_http_methods(["GET", "POST"])
def intake_start(request):
    _require_intake_user(request)
    questions = selectors.intake_questions()
    data = request.POST if request.method == "POST" else request.GET
    submitted = any(name == "level" or name.startswith(ANSWER_PREFIX) for name in data)
    intake_form = IntakeForm(data if submitted else None, questions=questions)
    create_form = CreateRolesForm(
        request.POST if request.method == "POST" else None, actor=request.user
    )
    result: IntakeResult | None = None
    if submitted and intake_form.is_valid():
        answers, level = intake_form.answers(), intake_form.cleaned_data["level"]
        result = intake_recommend(answers=answers, level=level)
        if request.method == "POST" and create_form.is_valid():
            hiring_lead = create_form.cleaned_data.get("hiring_lead") or request.user
            try:
                intake, _roles = intake_create_roles(
                    answers=answers,
                    level=level,
                    hiring_lead=hiring_lead,
                    by=request.user,
                    title=create_form.cleaned_data["title"],
                    team=create_form.cleaned_data["team"],
                )
            except ValidationError as error:
                create_form.add_service_errors(error, intake_form)
            else:
                return redirect("intake:created", pk=intake.pk)
    return render(
        request,
        "hiring/intake.html",
        {
            "intake_form": intake_form,
            "create_form": create_form,
            "result": result,
            **(_result_context(result) if result else {}),
            "required_answers": minimum_counted(len(questions)),
            "question_count": len(questions),
        },
        status=400 if request.method == "POST" else 200,
    )


def _result_context(result: IntakeResult) -> dict:
    tally = result.decision.tally
    return {
        "label": LABELS[result.recommendation],
        "insufficient": result.recommendation == INSUFFICIENT,
        "level_label": Level(result.level).label,
        "tally": [
            ("point to the AI engineer", tally[AI]),
            ("point to the ML engineer", tally[ML]),
            ("not sure", tally["not_sure"]),
            ("not answered", tally["unanswered"]),
        ],
        "bands": [(LABELS[band.profile_slug], band) for band in result.salary_bands],
        "role_count": len(result.decision.profiles),
    }


@login_required
def intake_created(request, pk: int):
    _require_intake_user(request)
    intake = get_object_or_404(
        selectors.intakes_with_roles(access.intakes_for(request.user)), pk=pk
    )
    roles = [(role, _role_link(request.user, role)) for role in intake.roles.all()]
    return render(
        request,
        "hiring/intake_created.html",
        {
            "intake": intake,
            "label": LABELS.get(intake.recommendation, intake.recommendation),
            "advice": ADVICE.get(intake.recommendation, ""),
            "roles": roles,
            "role_list_url": reverse("hiring:my_roles"),
        },
    )


def _role_link(actor, role) -> str | None:
    """Recruiters finish setting a role up in the admin; hiring leads go to their roles."""
    if access.is_recruiter(actor):
        return reverse("admin:hiring_role_change", args=[role.pk])
    return None
