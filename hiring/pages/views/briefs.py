"""The role brief's pages, for the role's hiring lead and recruiters: read (and print),
edit, and regenerate with a field-by-field choice. Writes are ``services.briefs``."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from hiring import access, services
from hiring.briefs.generate import brief_cost, cost_display
from hiring.models import Role, RoleBrief, plan_coverage_problems
from hiring.pages.forms import BriefForm, plan_as_text

FIELD_LABELS = {
    "summary": "Summary",
    "responsibilities": "Responsibilities",
    "requirements": "Requirements",
    "deliverable_90_days": "Deliverable in the first 90 days",
    "interview_plan": "Interview plan",
}


def _role(request, pk: int) -> Role:
    role = get_object_or_404(
        access.roles_for(request.user).select_related("profile", "intake", "hiring_lead"), pk=pk
    )
    if not access.may_edit_brief(request.user, role):
        raise Http404("Only the role's hiring lead and recruiters see its brief.")
    return role


@login_required
def brief(request, pk: int):
    role = _role(request, pk)
    brief = services.brief_get_or_generate(role=role)
    band = role.salary_band()
    competencies = list(role.profile.competencies.all())
    names = {c.key: c.name for c in competencies}
    weights = [(c.key, w) for c, w in role.competency_weights(competencies)]
    cost = brief_cost(band=band, recruitment_cost=brief.recruitment_cost)
    plan = [
        {**stage, "focus_names": [names.get(k, k) for k in stage["focus_competencies"]]}
        for stage in brief.interview_plan
    ]
    return render(
        request,
        "hiring/brief.html",
        {
            "role": role,
            "brief": brief,
            "band": band,
            "cost": cost,
            "cost_display": cost_display(cost),
            "recruitment_cost_display": f"{cost['recruitment_cost']:,}" if cost else "",
            "plan": plan,
            "plan_minutes": sum(stage["duration_minutes"] for stage in plan),
            "coverage_problems": plan_coverage_problems(brief.interview_plan, weights),
            "edited": [FIELD_LABELS[name] for name in brief.edited_fields],
            "stale": services.brief_is_stale(brief),
            "saved": request.GET.get("saved"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def brief_edit(request, pk: int):
    role = _role(request, pk)
    brief = services.brief_get_or_generate(role=role)
    if request.method == "GET":
        form = BriefForm(initial=BriefForm.initial_from(brief))
        return render(request, "hiring/brief_edit.html", {"role": role, "form": form})
    form = BriefForm(request.POST)
    if form.is_valid():
        try:
            services.brief_save(
                brief=brief,
                data=form.brief_data(),
                by=request.user,
                expected_version=form.cleaned_data["row_version"],
            )
        except services.StaleVersion:
            form.add_error(
                None,
                "Someone changed this brief after you opened it. Open it again to see their "
                "changes, then make yours.",
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect(f"{request.path.removesuffix('edit/')}?saved=1")
    return render(request, "hiring/brief_edit.html", {"role": role, "form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def brief_regenerate(request, pk: int):
    role = _role(request, pk)
    brief = services.brief_get_or_generate(role=role)
    if request.method == "POST":
        try:
            services.brief_regenerate(
                brief=brief,
                by=request.user,
                accept=request.POST.getlist("accept"),
                expected_version=_version(request.POST.get("row_version")),
            )
        except services.StaleVersion:
            pass  # shown again below, from the brief as it now is
        except ValidationError:
            pass  # an unknown field name: nothing applied; the preview shows again
        else:
            return redirect(f"{request.path.removesuffix('regenerate/')}?saved=1")
        brief = RoleBrief.objects.get(pk=brief.pk)
        brief.role = role
    _, changes = services.brief_regenerate(brief=brief, by=request.user, preview=True)
    rows = [
        {
            "field": change.field,
            "label": FIELD_LABELS[change.field],
            "status": change.status,
            "current": _as_text(change.field, change.current),
            "generated": _as_text(change.field, change.generated),
        }
        for change in changes
    ]
    return render(
        request,
        "hiring/brief_regenerate.html",
        {"role": role, "brief": brief, "rows": rows},
        status=200 if request.method == "GET" else 409,
    )


def _version(value) -> int | None:
    return int(value) if value and value.isdigit() else None


def _as_text(field: str, value) -> str:
    if field == "interview_plan":
        return plan_as_text(value)
    if isinstance(value, list):
        return "\n".join(value)
    return value
