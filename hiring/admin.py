"""The recruiters' admin. Writes go through ``hiring.services``."""

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from hiring import services, webhooks
from hiring.intake import ADVICE as intake_advice
from hiring.intake import LABELS as intake_labels
from hiring.intake import PROFILE_CHOICES as intake_profile_choices
from hiring.models import (
    ApiKey,
    Application,
    Candidate,
    Competency,
    IdempotencyRecord,
    IntakeAnswer,
    IntakeQuestion,
    Interview,
    Rating,
    Role,
    RoleIntake,
    SalaryBand,
    Scorecard,
    ScorecardRevision,
    Skill,
    SkillProfile,
    User,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

admin.site.site_header = "Scorecards administration"
admin.site.site_title = "Scorecards"
admin.site.index_title = "Roles, candidates and scorecards"


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the admin form fields it names."""
    for field, messages_ in error.message_dict.items():
        name = field.split(".")[0]
        form.add_error(name if name in form.fields else None, messages_)


# ---------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------


class EmailUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    list_display = ("email", "full_name", "group_names", "is_staff", "is_active")
    list_filter = ("groups", "is_staff", "is_active")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("full_name",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        # The group column would otherwise cost a query per row.
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="groups")
    def group_names(self, user):
        return ", ".join(group.name for group in user.groups.all())


# ---------------------------------------------------------------------------
# Skill profiles: edits to a version in use are saved as a new version
# ---------------------------------------------------------------------------


class CopyOnWriteAdmin(admin.ModelAdmin):
    """Saves changes to a frozen profile version into a fresh copy of it.

    Scorecards pin a profile version; so that they keep meaning what they
    meant, an edit to a version any scorecard uses is applied to a new
    version (``services.profile_new_version``) instead of in place.
    """

    save_as = False

    def profile_of(self, obj) -> SkillProfile:
        raise NotImplementedError

    def retarget(self, obj, copy: services.ProfileCopy) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        # A frozen version is saved in save_related, once we know what changed.
        if not (change and self.profile_of(obj).is_frozen):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        frozen = self.profile_of(obj) if change else None
        changed = form.has_changed() or any(fs.has_changed() for fs in formsets)
        if frozen is not None and frozen.is_frozen and changed:
            copy = services.profile_new_version(profile=frozen)
            self.retarget(obj, copy)
            obj.save()
            for formset in formsets:
                retarget_formset(formset, copy)
            messages.warning(
                request,
                f"Scorecards use {frozen}, so it stays as it was: "
                f"your changes were saved as {copy.profile}.",
            )
        super().save_related(request, form, formsets, change)


def retarget_formset(formset, copy: services.ProfileCopy) -> None:
    """Point an inline formset's existing rows at their twins in the copy."""
    for form in formset.forms:
        item = form.instance
        if isinstance(item, Competency) and item.pk in copy.competencies:
            item.pk = copy.competencies[item.pk].pk
            item.profile = copy.profile
        elif isinstance(item, Skill) and item.pk in copy.skills:
            item.pk = copy.skills[item.pk].pk
            item.competency = copy.competencies.get(item.competency_id, item.competency)


class CompetencyInline(admin.TabularInline):
    model = Competency
    extra = 0
    fields = ("order", "key", "name", "description", "weight", "edit_skills")
    readonly_fields = ("edit_skills",)
    show_change_link = True

    @admin.display(description="skills")
    def edit_skills(self, competency):
        if not competency.pk:
            return "—"
        url = reverse("admin:hiring_competency_change", args=[competency.pk])
        return format_html('<a href="{}">{} skills</a>', url, competency.skills.count())


@admin.register(SkillProfile)
class SkillProfileAdmin(CopyOnWriteAdmin):
    list_display = ("name", "slug", "version", "is_builtin", "competency_count", "in_use")
    list_filter = ("is_builtin", "slug")
    search_fields = ("name", "slug")
    inlines = [CompetencyInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                competency_total=Count("competencies", distinct=True),
                scorecard_total=Count("scorecards", distinct=True),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # A profile's slug and version identify it: set once, then fixed.
        return ("slug", "version", "is_builtin") if obj else ("version", "is_builtin")

    @admin.display(description="competencies", ordering="competency_total")
    def competency_count(self, profile):
        return profile.competency_total

    @admin.display(description="in use", boolean=True)
    def in_use(self, profile):
        return profile.scorecard_total > 0

    def profile_of(self, obj):
        return obj

    def retarget(self, obj, copy):
        obj.pk = copy.profile.pk
        obj.version = copy.profile.version
        obj._state.adding = False


class SkillInline(admin.StackedInline):
    model = Skill
    extra = 0
    fields = (
        ("order", "key", "name"),
        "description",
        ("anchor_1", "anchor_2"),
        ("anchor_3", "anchor_4"),
    )


@admin.register(Competency)
class CompetencyAdmin(CopyOnWriteAdmin):
    list_display = ("name", "key", "profile", "weight", "order")
    list_filter = ("profile",)
    list_select_related = ("profile",)
    search_fields = ("name", "key")
    inlines = [SkillInline]

    def profile_of(self, obj):
        return obj.profile

    def retarget(self, obj, copy):
        obj.pk = copy.competencies[obj.pk].pk
        obj.profile = copy.profile
        obj._state.adding = False


@admin.register(Skill)
class SkillAdmin(CopyOnWriteAdmin):
    list_display = ("name", "key", "competency", "profile")
    list_filter = ("competency__profile",)
    list_select_related = ("competency__profile",)
    search_fields = ("name", "key", "description")

    @admin.display(ordering="competency__profile")
    def profile(self, skill):
        return skill.competency.profile

    def profile_of(self, obj):
        return Competency.objects.get(pk=obj.competency_id).profile

    def retarget(self, obj, copy):
        obj.competency = copy.competencies[obj.competency_id]
        obj.pk = copy.skills[obj.pk].pk
        obj._state.adding = False


@admin.register(SalaryBand)
class SalaryBandAdmin(admin.ModelAdmin):
    list_display = ("profile_slug", "level", "display", "source")
    list_filter = ("profile_slug", "level")


# ---------------------------------------------------------------------------
# Roles, candidates, applications, interviews
# ---------------------------------------------------------------------------


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    fields = ("candidate", "role", "stage", "external_id")
    autocomplete_fields = ("candidate", "role")
    show_change_link = True


class RoleForm(forms.ModelForm):
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
class RoleAdmin(admin.ModelAdmin):
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
        try:
            url = reverse("hiring:compare", args=[role.pk])
        except NoReverseMatch:
            return "—"
        return format_html('<a href="{}">Compare candidates</a>', url)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "external_id", "updated_at")
    search_fields = ("name", "email", "external_id")
    inlines = [ApplicationInline]

    def save_model(self, request, obj, form, change):
        services.candidate_save(candidate=obj)


class InterviewInline(admin.TabularInline):
    model = Interview
    extra = 0
    fields = ("name", "scheduled_at", "external_id")
    show_change_link = True


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("candidate", "role", "stage", "external_id", "updated_at")
    list_filter = ("stage", "role__status")
    list_select_related = ("candidate", "role")
    search_fields = ("candidate__name", "candidate__email", "role__title", "external_id")
    autocomplete_fields = ("candidate", "role")
    inlines = [InterviewInline]

    def save_model(self, request, obj, form, change):
        services.application_save(application=obj)


class InterviewForm(forms.ModelForm):
    panel = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple("interviewers", is_stacked=False),
        help_text="Each interviewer gets a draft scorecard.",
    )

    class Meta:
        model = Interview
        fields = ("application", "name", "scheduled_at", "focus_competencies", "external_id")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["panel"].initial = list(
                self.instance.scorecards.values_list("interviewer", flat=True)
            )
            # Only the role's own competencies can be the focus.
            self.fields["focus_competencies"].queryset = Competency.objects.filter(
                profile=self.instance.application.role.profile_id
            ).select_related("profile")
        else:
            self.fields["focus_competencies"].queryset = Competency.objects.select_related(
                "profile"
            )

    def clean(self):
        cleaned = super().clean()
        application = cleaned.get("application")
        focus = cleaned.get("focus_competencies")
        if application and focus:
            wrong = [c for c in focus if c.profile_id != application.role.profile_id]
            if wrong:
                self.add_error(
                    "focus_competencies",
                    f"Pick competencies of {application.role.profile}, the role's profile.",
                )
        return cleaned


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    form = InterviewForm
    list_display = ("name", "application", "scheduled_at", "panel_emails")
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
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        try:
            services.interview_set_interviewers(
                interview=form.instance, interviewers=form.cleaned_data["panel"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))


# ---------------------------------------------------------------------------
# Scorecards: written by interviewers, read here
# ---------------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    """A record kept for the history: shown, never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class RatingInline(ReadOnlyInline):
    model = Rating
    fields = ("competency", "skill", "score", "not_assessed", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skill__competency")

    @admin.display(description="competency")
    def competency(self, rating):
        return rating.skill.competency.name


class RevisionInline(ReadOnlyInline):
    model = ScorecardRevision
    fields = ("number", "reason", "revised_by", "revised_at", "previous")


SCORECARD_CSV_HEADER = [
    "scorecard_id",
    "role",
    "candidate",
    "interview",
    "interviewer",
    "status",
    "submitted_at",
    "overall_recommendation",
    "competency",
    "skill",
    "score",
    "note",
    "summary",
]


@admin.action(description="Export selected scorecards as CSV")
def export_scorecards_csv(modeladmin, request, queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="scorecards-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(SCORECARD_CSV_HEADER)
    queryset = queryset.select_related(
        "interview__application__candidate", "interview__application__role", "interviewer"
    ).prefetch_related("ratings__skill__competency")
    for card in queryset:
        base = [
            card.pk,
            card.interview.application.role.title,
            card.interview.application.candidate.name,
            card.interview.name,
            card.interviewer.email,
            card.status,
            card.submitted_at.isoformat() if card.submitted_at else "",
            card.overall_recommendation,
        ]
        ratings = list(card.ratings.all()) or [None]
        for rating in ratings:
            if rating is None:
                writer.writerow([*base, "", "", "", "", card.summary])
                continue
            score = rating.score if rating.score else "not assessed" if rating.not_assessed else ""
            writer.writerow(
                [
                    *base,
                    rating.skill.competency.name,
                    rating.skill.name,
                    score,
                    rating.note,
                    card.summary,
                ]
            )
    return response


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = (
        "interviewer",
        "candidate",
        "role",
        "interview_name",
        "status",
        "overall_recommendation",
        "submitted_at",
        "revision",
    )
    list_filter = ("status", "overall_recommendation", "interview__application__role")
    list_select_related = (
        "interviewer",
        "interview__application__candidate",
        "interview__application__role",
    )
    search_fields = ("interviewer__email", "interview__application__candidate__name")
    actions = [export_scorecards_csv]
    inlines = [RatingInline, RevisionInline]
    fields = (
        "interview",
        "interviewer",
        "profile",
        "status",
        "overall_recommendation",
        "summary",
        "submitted_at",
        "revision",
    )
    readonly_fields = fields

    # Interviewers write scorecards on their pages; assigning them creates one.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_submitted

    @admin.display(ordering="interview__application__candidate__name")
    def candidate(self, card):
        return card.interview.application.candidate

    @admin.display(ordering="interview__application__role__title")
    def role(self, card):
        return card.interview.application.role.title

    @admin.display(description="interview", ordering="interview__name")
    def interview_name(self, card):
        return card.interview.name


@admin.register(ScorecardRevision)
class ScorecardRevisionAdmin(admin.ModelAdmin):
    list_display = ("scorecard", "number", "revised_by", "revised_at", "reason")
    list_select_related = (
        "revised_by",
        "scorecard__interviewer",
        "scorecard__interview__application__candidate",
        "scorecard__interview__application__role",
    )
    readonly_fields = ("scorecard", "number", "reason", "revised_by", "revised_at", "previous")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------------------
# API keys and idempotency
# ---------------------------------------------------------------------------


@admin.action(description="Revoke selected API keys")
def revoke_api_keys(modeladmin, request, queryset):
    count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    messages.success(request, f"Revoked {count} key(s).")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    fields = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    autocomplete_fields = ("user",)
    actions = [revoke_api_keys]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        from hiring.api.keys import api_key_create

        key, raw = api_key_create(name=obj.name, user=obj.user)
        obj.pk = key.pk
        messages.warning(request, f"Copy this key now; it is not shown again: {raw}")


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ("owner", "key", "status_code", "created_at")
    search_fields = ("owner", "key")
    readonly_fields = [f.name for f in IdempotencyRecord._meta.fields]

    def has_add_permission(self, request):
        return False


# ---------------------------------------------------------------------------
# Role intake
# ---------------------------------------------------------------------------


class IntakeAnswerForm(forms.ModelForm):
    # The decision rule counts answers for these profiles only: offer nothing else.
    points_to = forms.ChoiceField(choices=intake_profile_choices, required=False)

    class Meta:
        model = IntakeAnswer
        fields = ("order", "key", "text", "points_to", "implication")


class IntakeAnswerInline(admin.TabularInline):
    model = IntakeAnswer
    form = IntakeAnswerForm
    extra = 0
    fields = ("order", "key", "text", "points_to", "implication")


@admin.register(IntakeQuestion)
class IntakeQuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "key", "order")
    inlines = [IntakeAnswerInline]


@admin.register(RoleIntake)
class RoleIntakeAdmin(admin.ModelAdmin):
    list_display = ("id", "recommendation", "strength", "level", "created_by", "created_at")
    list_filter = ("recommendation", "level")
    list_select_related = ("created_by",)
    readonly_fields = (
        "answers",
        "level",
        "recommendation",
        "strength",
        "explanation",
        "created_by",
        "created_at",
    )

    def has_add_permission(self, request):
        return False


# ---------------------------------------------------------------------------
# Webhooks
# ---------------------------------------------------------------------------


class WebhookEndpointForm(forms.ModelForm):
    url = forms.CharField(max_length=500, help_text="Where events are POSTed (http or https).")
    events = forms.MultipleChoiceField(
        choices=[(name, f"{name} — {text}") for name, text in webhooks.EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    secret = forms.CharField(
        required=False,
        max_length=200,
        help_text="Signs every delivery (HMAC-SHA256). Leave empty to generate one.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "description", "events", "secret", "is_active")

    def clean(self):
        cleaned = super().clean()
        try:
            webhooks.endpoint_validate(endpoint=self.instance_from(cleaned))
        except ValidationError as error:
            apply_service_errors(self, error)
        return cleaned

    def instance_from(self, cleaned) -> WebhookEndpoint:
        endpoint = self.instance
        for name in self.Meta.fields:
            if name in cleaned:
                setattr(endpoint, name, cleaned[name])
        return endpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "events", "is_active", "pending_count")
    list_filter = ("is_active",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(pending_total=Count("deliveries", filter=Q(deliveries__status="pending")))
        )

    def save_model(self, request, obj, form, change):
        webhooks.endpoint_save(endpoint=obj)

    @admin.display(description="pending", ordering="pending_total")
    def pending_count(self, endpoint):
        return endpoint.pending_total


class WebhookDeliveryInline(ReadOnlyInline):
    model = WebhookDelivery
    fields = ("endpoint", "status", "attempts", "last_status_code", "next_attempt_at")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("endpoint")


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "occurred_at")
    list_filter = ("type",)
    readonly_fields = ("id", "type", "occurred_at", "payload")
    inlines = [WebhookDeliveryInline]

    def has_add_permission(self, request):
        return False


class WebhookAttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    fields = ("attempted_at", "status_code", "error", "duration_ms")


@admin.action(description="Redeliver selected deliveries now")
def redeliver(modeladmin, request, queryset):
    count = webhooks.deliveries_redeliver(queryset)
    messages.success(request, f"Queued {count} delivery(ies) again; the worker sends them next.")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "event__type", "endpoint")
    list_select_related = ("event", "endpoint")
    readonly_fields = (
        "event",
        "endpoint",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
    )
    actions = [redeliver]
    inlines = [WebhookAttemptInline]

    def has_add_permission(self, request):
        return False
