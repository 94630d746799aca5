"""The audit log, read-only: nobody adds, changes or deletes an event."""

from django.contrib import admin

from hiring.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "actor",
        "api_key_name",
        "client_address",
        "action",
        "object_type",
        "object_id",
        "fields",
    )
    list_filter = (
        "action",
        "object_type",
        "occurred_at",
        ("actor", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("object_type", "=object_id", "api_key_name", "actor__email")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor",)
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
