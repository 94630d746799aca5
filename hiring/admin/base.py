"""What every admin module shares."""

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError

from hiring import selectors
from hiring.models import User
from hiring.validators import TextRule


def apply_service_errors(form, error: ValidationError, renamed: dict | None = None) -> None:
    """Show a service's ValidationError on the admin form fields it names
    (``renamed`` maps a service's field name to the form's)."""
    for field, messages in error.message_dict.items():
        name = field.split(".")[0]
        name = (renamed or {}).get(name, name)
        form.add_error(name if name in form.fields else None, messages)


class ReadOnlyInline(admin.TabularInline):
    """A record kept for the history: shown, never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


def text_rules(model, name: str) -> list[TextRule]:
    """The text rules (``hiring.validators``) set on a model's field."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return []
    return [rule for rule in getattr(field, "validators", ()) if isinstance(rule, TextRule)]


class FieldRulesForm(forms.ModelForm):
    """An admin form that applies the model fields' text rules as the API does: to the
    text as typed (Django's forms would trim it first, so " abc" would pass as "abc"),
    each rule's message standing alone on its field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            rules = text_rules(self._meta.model, name)
            if rules:
                field.strip = False
                field.validators = [*field.validators, *rules]


class FixedOnceSavedForm(FieldRulesForm):
    """What an object belongs to (``services.refuse_moving``) is shown, not edited,
    once the object exists."""

    fixed: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.fixed:
                if name in self.fields:
                    self.fields[name].disabled = True


class NamesActivePeople:
    """A ModelAdmin whose links to people offer, and accept, only those who can be
    named (``selectors.active_users``): never a deactivated person."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is User:
            kwargs["queryset"] = selectors.active_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
