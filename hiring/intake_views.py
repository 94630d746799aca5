"""The role-intake page for hiring leads and recruiters.

GET answers the questionnaire (the recommendation is a read, so it is bookmarkable);
POST creates the recommended draft role(s) and redirects to a page that links to them.
The rule and the write are in ``hiring.intake``; this module only shapes forms.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from hiring import access
from hiring.intake import (
    ADVICE,
    AI,
    INSUFFICIENT,
    LABELS,
    ML,
    IntakeResult,
    intake_create_roles,
    intake_questions,
    intake_recommend,
    intakes_for,
    may_lead_for_others,
    may_use_intake,
    minimum_counted,
)
from hiring.models import HIRING_LEADS, IntakeQuestion, Level, User

ANSWER_PREFIX = "answers."


class IntakeForm(forms.Form):
    """One radio group per question (built from the data), plus the level."""

    level = forms.ChoiceField(choices=Level.choices, initial=Level.MID)

    def __init__(self, *args, questions: list[IntakeQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[ANSWER_PREFIX + question.key] = forms.ChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=[(answer.key, answer.text) for answer in question.answers.all()],
                widget=forms.RadioSelect,
                required=False,
            )

    def question_fields(self):
        return [self[ANSWER_PREFIX + question.key] for question in self.questions]

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix(ANSWER_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(ANSWER_PREFIX) and value
        }


class CreateRolesForm(forms.Form):
    title = forms.CharField(
        max_length=180,
        required=False,
        help_text="Leave empty to use the profile's name. With two roles, each gets its "
        "profile's name added.",
    )
    team = forms.CharField(max_length=120, required=False)
    hiring_lead = forms.ModelChoiceField(queryset=User.objects.none(), required=True)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if may_lead_for_others(actor):
            self.fields["hiring_lead"].queryset = User.objects.filter(
                is_active=True, groups__name=HIRING_LEADS
            ).order_by("email")
            self.fields["hiring_lead"].label_from_instance = lambda user: (
                f"{user.full_name} ({user.email})" if user.full_name else user.email
            )
        else:
            # A hiring lead creates the roles they lead: no choice to offer.
            del self.fields["hiring_lead"]

    def add_service_errors(self, error: ValidationError, intake_form: IntakeForm) -> None:
        for path, messages in error.message_dict.items():
            if path.startswith(ANSWER_PREFIX) and path in intake_form.fields:
                intake_form.add_error(path, messages)
            else:
                self.add_error(path if path in self.fields else None, messages)


def _require_intake_user(request) -> None:
    if not may_use_intake(request.user):
        raise PermissionDenied("Role intake is for hiring leads and recruiters.")


@login_required
@require_http_methods(["GET", "POST"])
def intake_start(request):
    _require_intake_user(request)
    questions = intake_questions()
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
    intake = get_object_or_404(intakes_for(request.user), pk=pk)
    roles = [(role, _role_link(request.user, role)) for role in intake.roles.all()]
    return render(
        request,
        "hiring/intake_created.html",
        {
            "intake": intake,
            "label": LABELS.get(intake.recommendation, intake.recommendation),
            "advice": ADVICE.get(intake.recommendation, ""),
            "roles": roles,
            "role_list_url": _role_list_url(),
        },
    )


def _role_link(actor, role) -> str | None:
    """Recruiters finish setting a role up in the admin; hiring leads go to their roles."""
    if access.is_recruiter(actor):
        return reverse("admin:hiring_role_change", args=[role.pk])
    return None


def _role_list_url() -> str | None:
    # The role list is the pages' "My roles" (hiring.urls); absent, the page lists the roles.
    try:
        return reverse("hiring:my_roles")
    except NoReverseMatch:
        return None
