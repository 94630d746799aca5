"""List filters (django-filter) and a strict ordering parameter.

Every filter value is validated: a bad value is a 400 naming the parameter,
never a silently ignored filter or a database error.
"""

import datetime
import re

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from hiring import access
from hiring.models import (
    Application,
    ApplicationStatus,
    AuditAction,
    AuditEvent,
    Candidate,
    DecisionValue,
    Interview,
    Role,
    RoleStatus,
    Scorecard,
    ScorecardStatus,
    SkillProfile,
    current_decision_value,
)
from hiring.validators import MAX_STAGE_LENGTH

# Ids are positive 64-bit integers; anything else cannot match and is refused.
MAX_ID = 2**63 - 1


class WholeNumberField(forms.IntegerField):
    """Digits only: "5.0", "+5" or "5_0" are not ids."""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"[0-9]+", str(value)):
            raise forms.ValidationError("Give a whole number.", code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    field_class = WholeNumberField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UpdatedAfterFilter(django_filters.IsoDateTimeFilter):
    """``updated_at`` later than this time. Any offset is accepted; the database is
    asked in UTC (PostgreSQL refuses offsets beyond 15:59, and a time near year 1
    or 9999 can fall outside the calendar once shifted)."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:
                edge = datetime.datetime.min if value.year < 5000 else datetime.datetime.max
                value = edge.replace(tzinfo=datetime.UTC)
        return super().filter(qs, value)

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gt")
        kwargs.setdefault(
            "label",
            "Only objects changed after this time (ISO 8601), for incremental sync.",
        )
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "format": "email"})
class EmailFilter(django_filters.CharFilter):
    field_class = forms.EmailField

    def __init__(self, **kwargs):
        kwargs.setdefault("lookup_expr", "iexact")
        super().__init__(**kwargs)


class TrueFalseField(forms.Field):
    """``true`` or ``false`` and nothing else: Django's NullBooleanField would read
    "maybe" as "no filter", silently answering a question nobody asked."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError("Give true or false.", code="invalid")


@extend_schema_field({"type": "boolean"})
class TrueFalseFilter(django_filters.Filter):
    field_class = TrueFalseField


class StrictFilterSet(django_filters.FilterSet):
    """An empty value for a number, date, email or choice (``?role=``) is refused
    rather than read as "no filter"."""

    def is_valid(self):
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            free_text = type(filter_) is django_filters.CharFilter
            if not free_text and name in self.data and self.data.get(name) == "":
                self.form.add_error(name, "Give a value, or leave the parameter out.")
                valid = False
        return valid


class ProfileFilter(StrictFilterSet):
    class Meta:
        model = SkillProfile
        fields = ["slug"]


class RoleFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=RoleStatus.choices)
    updated_after = UpdatedAfterFilter()

    class Meta:
        model = Role
        fields = ["status", "updated_after"]


class CandidateFilter(StrictFilterSet):
    role = IdFilter(field_name="applications__role", distinct=True, label="Applied to this role.")
    updated_after = UpdatedAfterFilter()

    class Meta:
        model = Candidate
        fields = ["role", "updated_after"]


NO_DECISION = "none"


class ApplicationFilter(StrictFilterSet):
    role = IdFilter(field_name="role")
    candidate = IdFilter(field_name="candidate")
    stage = django_filters.CharFilter(
        lookup_expr="iexact",
        max_length=MAX_STAGE_LENGTH,
        label="The ATS's stage name (case aside).",
    )
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    decision = django_filters.ChoiceFilter(
        choices=[*DecisionValue.choices, (NO_DECISION, "No decision yet")],
        method="filter_decision",
        label="The current decision; none: no decision recorded yet.",
    )
    updated_after = UpdatedAfterFilter()

    class Meta:
        model = Application
        fields = ["role", "candidate", "stage", "status", "decision", "updated_after"]

    def filter_decision(self, queryset, name, value):
        if not value:
            return queryset
        # Among the decisions the caller may see, as the application's `decision` shows.
        visible = access.decisions_for(self.request.user)
        current = queryset.annotate(current_decision=current_decision_value(visible))
        if value == NO_DECISION:
            return current.filter(current_decision__isnull=True)
        return current.filter(current_decision=value)


class InterviewFilter(StrictFilterSet):
    role = IdFilter(field_name="application__role")
    application = IdFilter(field_name="application")
    interviewer = EmailFilter(
        field_name="scorecards__interviewer__email",
        distinct=True,
        label="Interviews with this person (email) on the panel.",
    )
    updated_after = UpdatedAfterFilter()

    class Meta:
        model = Interview
        fields = ["role", "application", "interviewer", "updated_after"]


class ScorecardFilter(StrictFilterSet):
    role = IdFilter(field_name="interview__application__role")
    application = IdFilter(field_name="interview__application")
    interview = IdFilter(field_name="interview")
    interviewer = EmailFilter(field_name="interviewer__email", label="The interviewer's email.")
    status = django_filters.ChoiceFilter(choices=ScorecardStatus.choices)
    overdue = TrueFalseFilter(
        method="filter_overdue",
        label="true: drafts past their due date; false: every other scorecard.",
    )
    updated_after = UpdatedAfterFilter()

    class Meta:
        model = Scorecard
        fields = [
            "role",
            "application",
            "interview",
            "interviewer",
            "status",
            "overdue",
            "updated_after",
        ]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.with_due_dates().filter(is_overdue=value)


class AuditEventFilter(StrictFilterSet):
    actor = django_filters.CharFilter(
        method="filter_actor",
        max_length=254,
        label="The person's email, or the API key's name.",
    )
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    object_type = django_filters.CharFilter(max_length=40, label="e.g. candidate, scorecard, role.")
    object_id = IdFilter(field_name="object_id")
    occurred_after = UpdatedAfterFilter(
        field_name="occurred_at", label="Only events after this time (ISO 8601)."
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "object_type", "object_id", "occurred_after"]

    def filter_actor(self, queryset, name, value):
        return queryset.filter(Q(actor__email__iexact=value.strip()) | Q(api_key_name=value))


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=<field>`` or ``-<field>``, one field from the view's
    ``ordering_fields``. Ties are broken by id so cursor pages are stable."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        if raw not in self.choices(view):
            raise ValidationError(
                {self.ordering_param: [f"Choose one of: {', '.join(self.choices(view))}."]}
            )
        field = raw.lstrip("-")
        if field == "id":
            return (raw,)
        return (raw, "-id" if raw.startswith("-") else "id")

    @staticmethod
    def choices(view) -> list[str]:
        return [prefix + field for field in view.ordering_fields for prefix in ("", "-")]

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by this field; a leading '-' sorts descending. "
                f"Default: {', '.join(self.get_default_ordering(view))}.",
                "schema": {"type": "string", "enum": self.choices(view)},
            }
        ]
