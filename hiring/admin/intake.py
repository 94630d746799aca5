"""Role intake: the questions and answers are data; completed intakes are records."""

from django import forms
from django.contrib import admin

from hiring.intake.rules import PROFILE_CHOICES as intake_profile_choices
from hiring.models import IntakeAnswer, IntakeQuestion, RoleIntake


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
