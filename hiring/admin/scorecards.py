"""Scorecards: written by interviewers on their pages, read here."""

import csv

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from hiring import access, audit, services
from hiring.admin.base import ReadOnlyInline
from hiring.models import AuditAction, Rating, Recommendation, Scorecard, ScorecardRevision, Skill


class RatingInline(ReadOnlyInline):
    model = Rating
    fields = ("competency", "skill_name", "rating", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skill__competency")

    @admin.display(description="competency")
    def competency(self, rating):
        return rating.skill.competency.name

    @admin.display(description="skill")
    def skill_name(self, rating):
        return rating.skill.name

    @admin.display(description="rating")
    def rating(self, rating):
        return rating_label(rating.score, rating.not_assessed, rating.skill)


def rating_label(score: int | None, not_assessed: bool, skill: Skill | None) -> str:
    """A rating as a person reads it: "3 of 4: <what a 3 looks like>", "Not assessed"."""
    if not_assessed:
        return "Not assessed"
    if not score:
        return "Not rated"
    anchor = skill.anchors.get(score, "") if skill else ""
    return f"{score} of 4: {anchor}" if anchor else f"{score} of 4"


class ShowsWhatWasReplaced:
    @admin.display(description="what it replaced")
    def previous_content(self, revision):
        """The content a correction replaced, in words (it is kept as JSON)."""
        previous = revision.previous or {}
        skills = {
            skill.key: skill
            for skill in Skill.objects.filter(competency__profile=revision.scorecard.profile_id)
        }
        ratings = format_html_join(
            "",
            "<li>{}: {}</li>",
            (
                (
                    getattr(skills.get(item["skill"]), "name", item["skill"]),
                    rating_label(item["score"], item["not_assessed"], skills.get(item["skill"])),
                )
                for item in previous.get("ratings", [])
            ),
        )
        recommendation = previous.get("overall_recommendation") or ""
        return format_html(
            "<p>Overall recommendation: {}</p><p>Summary: {}</p><ul>{}</ul>",
            Recommendation(recommendation).label if recommendation else "—",
            previous.get("summary") or "—",
            ratings,
        )


class RevisionInline(ShowsWhatWasReplaced, ReadOnlyInline):
    model = ScorecardRevision
    fields = ("number", "reason", "revised_by", "revised_at", "previous_content")
    readonly_fields = fields


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
    cards = list(queryset)
    audit.record_reads(
        action=AuditAction.EXPORT,
        object_type="scorecard",
        object_ids=[card.pk for card in cards],
        fields=["csv"],
    )
    for card in cards:
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


@admin.action(permissions=["delete"], description="Delete selected scorecards")
def delete_selected(modeladmin, request, queryset):
    """Django's bulk delete, except that a selection holding submitted scorecards is
    refused up front with the rule, not a "no permission" page."""
    try:
        services.scorecards_validate_delete(scorecards=queryset)
    except ValidationError as error:
        submitted = sum(card.is_submitted for card in queryset)
        modeladmin.message_user(
            request,
            f"Nothing was deleted: {submitted} of the {len(queryset)} selected scorecards "
            f"{'is' if submitted == 1 else 'are'} submitted. {' '.join(error.messages)}",
            messages.ERROR,
        )
        return None
    return django_delete_selected(modeladmin, request, queryset)


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
    actions = [export_scorecards_csv, delete_selected]
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

    # Interviewers write scorecards on their pages; assigning them creates one. Here
    # they are read (nothing on the page is editable, so it offers no Save), and a
    # draft may be deleted, which takes its interviewer off the panel.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_submitted

    def delete_view(self, request, object_id, extra_context=None):
        card = self.get_object(request, unquote(object_id))
        try:
            services.scorecards_validate_delete(scorecards=[card] if card else [])
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:hiring_scorecard_change", card.pk)
        return super().delete_view(request, object_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            pk = int(unquote(object_id))
            audit.record(action=AuditAction.VIEW, object_type="scorecard", object_id=pk)
        return response

    def delete_model(self, request, obj):
        services.scorecards_delete(scorecards=[obj])

    def delete_queryset(self, request, queryset):
        services.scorecards_delete(scorecards=queryset)

    def get_inlines(self, request, obj):
        # The corrections table only when there are corrections.
        return [RatingInline, RevisionInline] if obj and obj.revision else [RatingInline]

    def get_queryset(self, request):
        # Independent scoring holds for recruiters too: with a draft of their own on an
        # application, its other scorecards are not listed (hiring.access).
        visible = access.scorecards_for(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk")).with_due_dates()

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
class ScorecardRevisionAdmin(ShowsWhatWasReplaced, admin.ModelAdmin):
    list_display = ("scorecard", "number", "revised_by", "revised_at", "reason")
    list_select_related = (
        "revised_by",
        "scorecard__interviewer",
        "scorecard__interview__application__candidate",
        "scorecard__interview__application__role",
    )
    fields = ("scorecard", "number", "reason", "revised_by", "revised_at", "previous_content")
    readonly_fields = fields

    def get_queryset(self, request):
        visible = access.scorecard_revisions_for(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record of what happened: read, never edited

    def has_delete_permission(self, request, obj=None):
        return False
