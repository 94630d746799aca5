"""The API's field types: each takes only the JSON type the schema promises, and
the domain's field rules come from ``hiring.validators``."""

import re

from django.core.validators import MaxLengthValidator, MinLengthValidator, RegexValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hiring import selectors
from hiring.models import SkillProfile
from hiring.validators import WHITESPACE, ExternalIdValidator, ScheduleYearsValidator


class JsonTypeMixin:
    """Take only the JSON type the schema promises: DRF would turn 5 into "5" or
    "true" into True, which hides client bugs and breaks the contract."""

    json_types: tuple[type, ...] = (str,)
    type_message = "Not a string."

    def to_internal_value(self, data):
        if isinstance(data, bool) and bool not in self.json_types:
            raise serializers.ValidationError(self.type_message, code="invalid")
        if not isinstance(data, self.json_types):
            raise serializers.ValidationError(self.type_message, code="invalid")
        return super().to_internal_value(data)


# Text is stored trimmed; NUL cannot be stored at all. Saying so in the schema (as a
# pattern) keeps clients from sending what would be refused.
VISIBLE_TEXT = RegexValidator(
    rf"^[^\x00]*[^\x00{WHITESPACE}][^\x00]*$", "Give some visible text (and no NUL characters)."
)
# "+" not "*": blank values never reach validators, and the schema lists "" separately.
NO_NUL = RegexValidator(r"^[^\x00]+$", "NUL characters are not allowed.")


class Text(JsonTypeMixin, serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.read_only and self.trim_whitespace:
            self.validators.append(NO_NUL if self.allow_blank else VISIBLE_TEXT)


class RuleText(Text):
    """Text whose rule (a ``hiring.validators`` class) also bounds its length: the
    schema publishes ``minLength`` / ``maxLength``, and a value that breaks the rule
    gets the rule's one message, not another one about its length."""

    def __init__(self, *, rule, **kwargs):
        super().__init__(**kwargs)
        lengths = {MinLengthValidator: self.min_length, MaxLengthValidator: self.max_length}
        self.validators = [
            type(v)(lengths[type(v)], message=rule.message) if type(v) in lengths else v
            for v in self.validators
        ] + [rule]

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(list(dict.fromkeys(map(str, error.detail)))) from None


class Email(JsonTypeMixin, serializers.EmailField):
    pass


class CandidateEmail(Email):
    """A candidate's address: null in responses once they are erased (it is gone, and an
    empty string is no address). The schema says so for responses only (hiring.api.schema)."""

    def to_representation(self, value):
        return super().to_representation(value) if value else None


class Slug(JsonTypeMixin, serializers.SlugField):
    pass


class Choice(JsonTypeMixin, serializers.ChoiceField):
    type_message = "Not a string: choose one of the listed values."


class DateTime(JsonTypeMixin, serializers.DateTimeField):
    type_message = "Not a string: give an ISO 8601 date and time."


class Integer(JsonTypeMixin, serializers.IntegerField):
    json_types = (int, float)
    type_message = "Not a whole number."


class Boolean(JsonTypeMixin, serializers.BooleanField):
    json_types = (bool,)
    type_message = "Not true or false."


class ExternalIdField(Text):
    """The ATS's own id for the object: unique, or null for none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("help_text", "The ATS's id for this object (unique); null for none.")
        super().__init__(**kwargs)
        self.validators.append(ExternalIdValidator())


@extend_schema_field({"type": "string", "format": "email"})
class UserEmailField(Email):
    """A person, named by email address (case-insensitive); must already exist."""

    def to_representation(self, user):
        return user.email

    def run_validation(self, data=serializers.empty):
        email = super().run_validation(data)
        user = selectors.active_user_by_email(email)
        if user is None:
            raise serializers.ValidationError(f"No active user has the email {email}.")
        return user


@extend_schema_field(OpenApiTypes.STR)
class ProfileSlugField(serializers.Field):
    """A skill profile by slug; a new role pins the profile's current version."""

    default_error_messages = {
        "invalid": "Give the profile's slug, e.g. 'ai-engineer'.",
        "unknown": "No skill profile has the slug '{slug}'.",
    }

    def to_representation(self, profile):
        return profile.slug

    def to_internal_value(self, data):
        # NUL never names a profile, and PostgreSQL refuses it even in a lookup.
        if not isinstance(data, str) or not data.strip() or len(data) > 60 or "\x00" in data:
            self.fail("invalid")
        profile = SkillProfile.objects.current(data.strip())
        if profile is None:
            self.fail("unknown", slug=data.strip())
        return profile


class VisibleIdField(serializers.PrimaryKeyRelatedField):
    """The id of an object the caller may see (``hiring.access``)."""

    def __init__(self, visible, **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.visible(self.context["request"].user)

    def to_internal_value(self, data):
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data < 2**63:  # not an id the database could hold
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


SCHEDULE_YEARS = r"^[12][0-9]{3}-"


@extend_schema_field({"type": "string", "format": "date-time", "pattern": SCHEDULE_YEARS})
class ScheduleTime(DateTime):
    """A date and time in the years 1000 to 2999, in UTC as it is stored (the model
    field's rule, ``ScheduleYearsValidator``). The years are checked as written first,
    so that no offset can push the time off the calendar while it is converted."""

    default_validators = [ScheduleYearsValidator()]

    def to_internal_value(self, value):
        if isinstance(value, str) and not re.match(SCHEDULE_YEARS, value):
            raise serializers.ValidationError("Use a year from 1000 to 2999.", code="invalid")
        return super().to_internal_value(value)


class FocusKeysField(serializers.ListField):
    def get_attribute(self, interview):
        return [c.key for c in interview.focus_competencies.all()]  # prefetched by the view

    def to_representation(self, keys):
        return keys


class PanelEmailsField(serializers.ListField):
    def get_attribute(self, interview):
        # The panel is the interview's scorecards, prefetched by the view.
        return sorted(card.interviewer.email for card in interview.scorecards.all())

    def to_representation(self, emails):
        return emails
