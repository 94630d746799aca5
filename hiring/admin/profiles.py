"""Skill profiles: edits to a version in use are saved as a new version."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from hiring import services
from hiring.admin.base import FieldRulesForm
from hiring.models import (
    Competency,
    InterviewQuestion,
    SalaryBand,
    Skill,
    SkillProfile,
    WorkSample,
)


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
            # Named as stored: the form may have renamed it, and retargeting renumbers it.
            used = SkillProfile.objects.get(pk=frozen.pk)
            copy = services.profile_new_version(profile=frozen)
            self.retarget(obj, copy)
            obj.save()
            obj.saved_as_new_version = True
            for formset in formsets:
                retarget_formset(formset, copy)
            messages.warning(
                request,
                f"Scorecards use {used}, so it stays as it was: "
                f"your changes were saved as {copy.profile}.",
            )
        super().save_related(request, form, formsets, change)

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if "_continue" in request.POST and getattr(obj, "saved_as_new_version", False):
            # Keep editing what was saved (the new version), not the frozen one.
            opts = obj._meta
            response["Location"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
        return response


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
        elif isinstance(item, InterviewQuestion) and item.pk in copy.questions:
            item.pk = copy.questions[item.pk].pk
            item.skill = copy.skills.get(item.skill_id, item.skill)
        elif isinstance(item, WorkSample) and item.pk in copy.work_samples:
            item.pk = copy.work_samples[item.pk].pk
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
        "edit_questions",
    )
    readonly_fields = ("edit_questions",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="interview questions")
    def edit_questions(self, skill):
        # Inlines do not nest: a skill's questions are edited on the skill's own page.
        if not skill.pk:
            return "Save the skill first, then add its questions on its own page."
        url = reverse("admin:hiring_skill_change", args=[skill.pk])
        total = skill.question_total
        return format_html('<a href="{}">{} question{}</a>', url, total, "" if total == 1 else "s")


class WorkSampleInline(admin.StackedInline):
    """Exercises for the competency, with what each rating looks like."""

    model = WorkSample
    form = FieldRulesForm
    extra = 0
    fields = (
        ("order", "title", "format"),
        "instructions",
        ("anchor_1", "anchor_2"),
        ("anchor_3", "anchor_4"),
    )


class InterviewQuestionInline(admin.TabularInline):
    """What to ask about the skill, and what to listen for in the answer."""

    model = InterviewQuestion
    form = FieldRulesForm
    extra = 0
    fields = ("order", "text", "listen_for")


@admin.register(Competency)
class CompetencyAdmin(CopyOnWriteAdmin):
    list_display = ("name", "key", "profile", "weight", "order")
    list_filter = ("profile",)
    list_select_related = ("profile",)
    search_fields = ("name", "key")
    inlines = [SkillInline, WorkSampleInline]

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
    inlines = [InterviewQuestionInline]

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
