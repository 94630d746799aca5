"""Scorecards: written by interviewers on their pages, read here."""

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html

from hiring.admin.base import ReadOnlyInline
from hiring.models import Rating, Scorecard, ScorecardRevision


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


class OverdueFilter(admin.SimpleListFilter):
    title = "feedback"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("true", "Overdue"), ("false", "Not overdue")]

    def queryset(self, request, queryset):
        if self.value() in ("true", "false"):
            return queryset.with_due_dates().filter(is_overdue=self.value() == "true")
        return queryset


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = (
        "interviewer",
        "candidate",
        "role",
        "interview_name",
        "status",
        "overall_recommendation",
        "due",
        "submitted_at",
        "revision",
    )
    list_filter = (
        "status",
        OverdueFilter,
        "overall_recommendation",
        "interview__application__role",
    )
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

    def get_queryset(self, request):
        return super().get_queryset(request).with_due_dates()

    @admin.display(description="feedback due", ordering="due_at")
    def due(self, card):
        if card.due_at is None:
            return "—"
        due = f"{timezone.localtime(card.due_at):%Y-%m-%d %H:%M}"
        return format_html("{} <strong>overdue</strong>", due) if card.overdue else due

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
