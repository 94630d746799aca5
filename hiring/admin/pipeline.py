"""Roles, candidates, applications and interviews; every save is a service call."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from hiring import selectors, services
from hiring.admin.base import (
    FieldRulesForm,
    FixedOnceSavedForm,
    NamesActivePeople,
    apply_service_errors,
)
from hiring.intake.rules import ADVICE as intake_advice
from hiring.intake.rules import LABELS as intake_labels
from hiring.models import Application, Candidate, Competency, Interview, Role


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


class InterviewRowForm(KeepsLengthForm):
    pass


class SavesRowsThroughServices:
    """Inline rows are saved by the same service as the model's own admin."""

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if isinstance(obj, Application):
                services.application_save(application=obj)
            elif isinstance(obj, Interview):
                services.interview_save(interview=obj)
            else:
                obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class ApplicationInline(admin.TabularInline):
    model = Application
    form = ApplicationForm
    extra = 0
    fields = ("candidate", "role", "stage", "external_id")
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
        )

    def clean(self):
        cleaned = super().clean()
        profile = cleaned.get("profile")
        if profile is not None:
            try:
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
    readonly_fields = ("salary_band_display", "intake_display", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "team", "level", "status", "external_id")}),
        ("Assessment", {"fields": ("profile", "weight_overrides", "hiring_lead")}),
        ("Market", {"fields": ("salary_band_display",)}),
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


@admin.register(Candidate)
class CandidateAdmin(SavesRowsThroughServices, admin.ModelAdmin):
    form = FieldRulesForm
    list_display = ("name", "email", "external_id", "updated_at")
    search_fields = ("name", "email", "external_id")
    inlines = [ApplicationInline]

    def save_model(self, request, obj, form, change):
        services.candidate_save(candidate=obj)


class InterviewInline(admin.TabularInline):
    model = Interview
    form = InterviewRowForm
    extra = 0
    fields = ("name", "scheduled_at", "duration_minutes", "external_id")
    show_change_link = True


@admin.register(Application)
class ApplicationAdmin(SavesRowsThroughServices, admin.ModelAdmin):
    form = ApplicationForm
    list_display = ("candidate", "role", "stage", "external_id", "updated_at")
    list_filter = ("stage", "role__status")
    list_select_related = ("candidate", "role")
    search_fields = ("candidate__name", "candidate__email", "role__title", "external_id")
    autocomplete_fields = ("candidate", "role")
    inlines = [InterviewInline]

    def save_model(self, request, obj, form, change):
        services.application_save(application=obj)


class InterviewForm(KeepsLengthForm):
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
        # Whether a competency may be the focus is the service's to say (in clean), with
        # the message the API gives: the field itself takes any competency.
        focus = self.fields["focus_competencies"]
        focus.queryset = Competency.objects.select_related("profile")
        if self.instance.pk:
            self.fields["panel"].initial = list(
                self.instance.scorecards.values_list("interviewer", flat=True)
            )
            # An existing interview offers its role's own competencies only.
            focus.widget.choices = [
                (competency.pk, focus.label_from_instance(competency))
                for competency in focus.queryset.filter(
                    profile=self.instance.application.role.profile_id
                )
            ]

    def clean(self):
        cleaned = super().clean()
        application = cleaned.get("application")
        try:
            if application is not None and "focus_competencies" in cleaned:
                services.interview_focus_competencies(
                    interview=Interview(application=application),
                    competency_keys=self.focus_keys(),
                )
            if "panel" in cleaned:
                services.interview_validate_panel(
                    interview=self.instance, interviewers=cleaned["panel"]
                )
        except ValidationError as error:
            apply_service_errors(self, error, renamed={"interviewers": "panel"})
        return cleaned

    def focus_keys(self) -> list[str]:
        return [c.key for c in self.cleaned_data["focus_competencies"]]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    form = InterviewForm
    list_display = ("name", "application", "scheduled_at", "duration_minutes", "panel_emails")
    list_select_related = ("application__candidate", "application__role")
    search_fields = ("name", "application__candidate__name", "application__role__title")
    autocomplete_fields = ("application",)
    date_hierarchy = "scheduled_at"

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
