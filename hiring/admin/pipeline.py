"""Roles, candidates, applications and interviews; every save is a service call."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet, ModelChoiceIteratorValue
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from hiring import selectors, services
from hiring.admin.base import (
    FieldRulesForm,
    FixedOnceSavedForm,
    NamesActivePeople,
    ReadOnlyInline,
    apply_service_errors,
)
from hiring.briefs.generate import brief_cost, cost_display
from hiring.intake.rules import ADVICE as intake_advice
from hiring.intake.rules import LABELS as intake_labels
from hiring.models import (
    Application,
    Candidate,
    Competency,
    Decision,
    Interview,
    Role,
    RoleBrief,
)


class ApplicationForm(FixedOnceSavedForm):
    fixed = ("candidate", "role")


class KeepsLengthForm(FixedOnceSavedForm):
    """An interview form whose length, left out, stays as it is (60 minutes for a new
    interview), as the API's PATCH does; a length given is checked by the field's rule."""

    fixed = ("application",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "duration_minutes" in self.fields:
            self.fields["duration_minutes"].required = False


class CompetencyCheckboxes(forms.CheckboxSelectMultiple):
    """Each competency carries its profile (``data-profile``), so that the interview's add
    form (``hiring/admin_interview.js``) offers only the chosen application's."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if isinstance(value, ModelChoiceIteratorValue):
            option["attrs"]["data-profile"] = value.instance.profile_id
        return option


class ChoosesFocus(KeepsLengthForm):
    """An interview's form: the focus competencies on offer are those of its role's
    profile. Whether a choice is allowed is the service's to say (``clean``), with the
    message the API gives, so the field itself takes any competency."""

    def offer_focus(self, profile: int | None, *, application_fixed: bool) -> None:
        """Offer the competencies of this profile. Where the application can still be
        chosen, every competency goes to the page, which shows those of the application
        chosen (``hiring/admin_interview.js``)."""
        focus = self.fields["focus_competencies"]
        focus.queryset = Competency.objects.select_related("profile")
        focus.widget = CompetencyCheckboxes()
        if application_fixed:
            offered = focus.queryset.filter(profile=profile) if profile else []
            focus.widget.choices = [
                (ModelChoiceIteratorValue(c.pk, c), focus.label_from_instance(c)) for c in offered
            ]
            if not profile:
                focus.help_text = "Save the application first, then choose them here."
        else:
            focus.widget.choices = focus.choices
            picker = self.fields["application"].widget
            # The admin wraps the autocomplete (its "+" link): the attribute is the select's.
            getattr(picker, "widget", picker).attrs["data-profile"] = profile or ""
            focus.help_text = (
                "Those of the chosen application's role. Leave all unticked to cover every one."
            )

    def clean(self):
        cleaned = super().clean()
        application = cleaned.get("application")
        if application is not None and cleaned.get("focus_competencies") is not None:
            try:
                services.interview_focus_competencies(
                    interview=Interview(application=application),
                    competency_keys=self.focus_keys(),
                )
            except ValidationError as error:
                apply_service_errors(self, error)
        return cleaned

    def focus_keys(self) -> list[str] | None:
        if "focus_competencies" not in self.cleaned_data:
            return None
        return [c.key for c in self.cleaned_data["focus_competencies"]]


class InterviewRowForm(ChoosesFocus):
    """A row of the application page's interviews: its application is that page's."""


class InterviewRows(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        profile = self.instance.role.profile_id if self.instance.pk else None
        form.offer_focus(profile, application_fixed=True)


class SavesRowsThroughServices:
    """Inline rows are saved by the same service as the model's own admin."""

    def save_formset(self, request, form, formset, change):
        rows = {id(row.instance): row for row in formset.forms}
        for obj in formset.save(commit=False):
            if isinstance(obj, Application):
                services.application_save(application=obj)
            elif isinstance(obj, Interview):
                # The service sets the focus competencies too (not the form's save_m2m).
                keys = rows[id(obj)].focus_keys()
                services.interview_save(interview=obj, focus_competency_keys=keys)
            else:
                obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        if formset.model is not Interview:
            formset.save_m2m()


class ApplicationInline(admin.TabularInline):
    model = Application
    form = ApplicationForm
    extra = 0
    fields = ("candidate", "role", "stage", "status", "external_id")
    autocomplete_fields = ("candidate", "role")
    show_change_link = True


class RoleForm(FieldRulesForm):
    class Meta:
        model = Role
        fields = (
            "title",
            "team",
            "level",
            "status",
            "external_id",
            "profile",
            "weight_overrides",
            "hiring_lead",
            "feedback_visibility",
        )

    def clean(self):
        cleaned = super().clean()
        profile = cleaned.get("profile")
        if profile is not None:
            try:
                services.role_validate_profile(role=self.instance, profile=profile)
                cleaned["weight_overrides"] = services.validate_weight_overrides(
                    profile=profile, overrides=cleaned.get("weight_overrides") or {}
                )
            except ValidationError as error:
                apply_service_errors(self, error)
        return cleaned


@admin.register(Role)
class RoleAdmin(SavesRowsThroughServices, NamesActivePeople, admin.ModelAdmin):
    form = RoleForm
    list_display = (
        "title",
        "team",
        "level",
        "status",
        "profile",
        "hiring_lead",
        "application_count",
        "compare_link",
    )
    list_filter = ("status", "level", "profile")
    list_select_related = ("profile", "hiring_lead")
    search_fields = ("title", "team", "external_id", "hiring_lead__email")
    autocomplete_fields = ("hiring_lead",)
    readonly_fields = (
        "salary_band_display",
        "brief_display",
        "intake_display",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("title", "team", "level", "status", "external_id")}),
        (
            "Assessment",
            {"fields": ("profile", "weight_overrides", "hiring_lead", "feedback_visibility")},
        ),
        ("Market", {"fields": ("salary_band_display",)}),
        ("Brief", {"fields": ("brief_display",)}),
        ("Intake", {"fields": ("intake_display",)}),
        ("History", {"fields": ("created_at", "updated_at")}),
    )
    inlines = [ApplicationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(application_total=Count("applications"))

    def has_delete_permission(self, request, obj=None):
        return False  # Roles are closed, not deleted.

    def save_model(self, request, obj, form, change):
        services.role_save(role=obj)

    @admin.display(description="applications", ordering="application_total")
    def application_count(self, role):
        return role.application_total

    @admin.display(description="salary band")
    def salary_band_display(self, role):
        band = role.salary_band() if role.pk else None
        return band.display if band else "—"

    @admin.display(description="brief")
    def brief_display(self, role):
        if not role.pk:
            return "Written once the role is saved."
        page = reverse("hiring:brief", args=[role.pk])
        brief = RoleBrief.objects.filter(role=role).first()
        if brief is None:
            return format_html(
                '<p>Not generated yet: <a href="{}">open the brief</a> to generate it.</p>', page
            )
        band = role.salary_band()
        cost = cost_display(brief_cost(band=band, recruitment_cost=brief.recruitment_cost))
        plan = format_html_join(
            "",
            "<li>{} ({} min): {}</li>",
            (
                (s["name"], s["duration_minutes"], ", ".join(s["focus_competencies"]))
                for s in brief.interview_plan
            ),
        )
        edited = ", ".join(brief.edited_fields) or "none"
        return format_html(
            "<p>{}</p><p>First-year cost: <strong>{}</strong> (salary band plus recruitment "
            "cost). Edited by a person: {}.</p><ol>{}</ol>"
            '<p><a href="{}">View, edit or regenerate the brief</a> · '
            '<a href="{}?format=md">Markdown</a></p>',
            brief.summary,
            cost,
            edited,
            plan,
            page,
            reverse("api:role-brief", args=[role.pk]),
        )

    @admin.display(description="intake")
    def intake_display(self, role):
        if not role.intake_id:
            return "No intake recorded."
        intake = role.intake
        lines = format_html_join("", "<li>{}</li>", ((line,) for line in intake.explanation))
        others = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:hiring_role_change", args=[other.pk]), other.title)
                for other in intake.roles.exclude(pk=role.pk)
            ),
        )
        return format_html(
            "<p>Recommendation: <strong>{}</strong> (strength {}; level {}), from "
            '<a href="{}">intake #{}</a> by {} on {}.</p><p>{}</p>{}<ul>{}</ul>',
            intake_labels.get(intake.recommendation, intake.recommendation),
            f"{intake.strength:.2f}",
            intake.get_level_display(),
            reverse("admin:hiring_roleintake_change", args=[intake.pk]),
            intake.pk,
            intake.created_by or "the integration",
            f"{intake.created_at:%Y-%m-%d}",
            intake_advice.get(intake.recommendation, ""),
            format_html("<p>Also created from this intake: {}</p>", others) if others else "",
            lines,
        )

    @admin.display(description="compare")
    def compare_link(self, role):
        url = reverse("hiring:compare", args=[role.pk])
        return format_html('<a href="{}">Compare candidates</a>', url)


class EraseForm(forms.Form):
    reason = forms.CharField(
        max_length=200, help_text="Why (e.g. the candidate asked, GDPR art. 17). Kept on record."
    )


@admin.action(description="Erase selected candidates (irreversible)")
def erase_candidates(modeladmin, request, queryset):
    form = EraseForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        erased = 0
        for candidate in queryset.filter(erased_at__isnull=True):
            services.candidate_erase(candidate=candidate, reason=form.cleaned_data["reason"])
            erased += 1
        messages.success(request, f"Erased {erased} candidate(s).")
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Erase candidates",
        "candidates": list(queryset),
        "form": form,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/hiring/candidate/erase.html", context)


@admin.register(Candidate)
class CandidateAdmin(SavesRowsThroughServices, admin.ModelAdmin):
    form = FieldRulesForm
    list_display = ("name", "email", "external_id", "erased_at", "updated_at")
    list_filter = (("erased_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "email", "external_id")
    readonly_fields = ("same_email", "erased_at", "erasure_reason")
    inlines = [ApplicationInline]
    actions = [erase_candidates]

    def has_change_permission(self, request, obj=None):
        # An erased candidate is shown, never changed.
        if obj is not None and obj.is_erased:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.candidate_save(candidate=obj)
        # Allowed (the ATS may know one person twice), but rarely meant: say so.
        others = _links_to_others_with_email(obj)
        if others:
            messages.warning(
                request,
                format_html(
                    "Another candidate has the email {}: {}. If this is the same person, "
                    "keep one record and give it an application per role.",
                    obj.email,
                    others,
                ),
            )

    @admin.display(description="other candidates with this email")
    def same_email(self, candidate):
        return (_links_to_others_with_email(candidate) if candidate.pk else "") or "—"


def _links_to_others_with_email(candidate: Candidate) -> str:
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (reverse("admin:hiring_candidate_change", args=[other.pk]), other)
            for other in selectors.candidates_sharing_email(candidate)
        ),
    )


class DecisionInline(ReadOnlyInline):
    """Decisions are recorded on the candidate page or through the API (the override rule
    needs the comparison), and never changed: here they are read."""

    model = Decision
    fields = (
        "decided_at",
        "decision",
        "decided_by",
        "rationale",
        "is_override",
        "override_reason",
        "made_on",
    )
    verbose_name_plural = "decisions (newest first; the first is current)"

    @admin.display(description="made on")
    def made_on(self, decision):
        # The snapshot in one column, so the application's page fits a laptop's width
        # (the comparison's ETag is in the API's decision history).
        tally = ", ".join(f"{name} {count}" for name, count in decision.recommendations.items())
        score, calibrated = (
            "–" if value is None else value for value in (decision.score, decision.calibrated_score)
        )
        return (
            f"score {score}, calibrated {calibrated} (rank {decision.calibrated_rank or '–'}); "
            f"{tally or 'no recommendations'}; "
            f"{decision.scorecards_submitted} submitted, {decision.scorecards_pending} pending"
        )

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return selectors.decisions_with_author(super().get_queryset(request))


class InterviewInline(admin.TabularInline):
    model = Interview
    form = InterviewRowForm
    formset = InterviewRows
    extra = 0
    fields = ("name", "scheduled_at", "duration_minutes", "focus_competencies", "external_id")
    show_change_link = True


@admin.register(Application)
class ApplicationAdmin(SavesRowsThroughServices, admin.ModelAdmin):
    form = ApplicationForm
    list_display = ("candidate", "role", "stage", "status", "external_id", "updated_at")
    list_filter = ("status", "role__status")
    list_select_related = ("candidate", "role")
    search_fields = ("candidate__name", "candidate__email", "role__title", "external_id")
    autocomplete_fields = ("candidate", "role")
    inlines = [InterviewInline, DecisionInline]

    def get_queryset(self, request):
        # The autocomplete's labels name the candidate and the role.
        return super().get_queryset(request).select_related("candidate", "role")

    def autocomplete_extra(self, application) -> dict:
        """What the interview form's script needs of a picked application."""
        return {"profile": application.role.profile_id}

    def save_model(self, request, obj, form, change):
        services.application_save(application=obj)


class InterviewForm(ChoosesFocus):
    panel = forms.ModelMultipleChoiceField(
        queryset=selectors.active_users(),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple("interviewers", is_stacked=False),
        help_text="Each interviewer gets a draft scorecard.",
    )

    class Meta:
        model = Interview
        fields = (
            "application",
            "name",
            "scheduled_at",
            "duration_minutes",
            "focus_competencies",
            "external_id",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_focus(self.chosen_profile(), application_fixed=bool(self.instance.pk))
        if self.instance.pk:
            self.fields["panel"].initial = list(
                self.instance.scorecards.values_list("interviewer", flat=True)
            )

    def chosen_profile(self) -> int | None:
        """The profile of the application this interview is (or is about to be) for:
        its own, the one chosen in the form, or the one the add page was opened for
        (``?application=``)."""
        if self.instance.pk:
            return self.instance.application.role.profile_id
        chosen = self.data.get("application") if self.is_bound else self.initial.get("application")
        chosen = str(getattr(chosen, "pk", chosen) or "")
        if not chosen.isdigit():
            return None
        profiles = Application.objects.filter(pk=chosen).values_list("role__profile", flat=True)
        return profiles.first()

    def clean(self):
        cleaned = super().clean()
        if "panel" in cleaned:
            try:
                services.interview_validate_panel(
                    interview=self.instance, interviewers=cleaned["panel"]
                )
            except ValidationError as error:
                apply_service_errors(self, error, renamed={"interviewers": "panel"})
        return cleaned


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    form = InterviewForm
    list_display = ("name", "application", "scheduled_at", "duration_minutes", "panel_emails")
    list_select_related = ("application__candidate", "application__role")
    search_fields = ("name", "application__candidate__name", "application__role__title")
    autocomplete_fields = ("application",)
    date_hierarchy = "scheduled_at"

    class Media:
        js = ["admin/js/jquery.init.js", "hiring/admin_interview.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("scorecards__interviewer")

    @admin.display(description="interviewers")
    def panel_emails(self, interview):
        return ", ".join(card.interviewer.email for card in interview.scorecards.all())

    def save_model(self, request, obj, form, change):
        services.interview_save(
            interview=obj,
            focus_competency_keys=form.focus_keys(),
            interviewers=form.cleaned_data["panel"],
        )

    def save_related(self, request, form, formsets, change):
        # interview_save has set the focus competencies and the panel.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
