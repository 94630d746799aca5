"""What every admin module shares."""

from django.contrib import admin
from django.core.exceptions import ValidationError


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
