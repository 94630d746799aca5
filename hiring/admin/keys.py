"""API keys (shown once, when created) and idempotency records."""

from django.contrib import admin, messages

from hiring import services
from hiring.admin.base import NamesActivePeople
from hiring.models import ApiKey, IdempotencyRecord


@admin.action(description="Revoke selected API keys")
def revoke_api_keys(modeladmin, request, queryset):
    count = services.api_keys_revoke(keys=queryset)
    messages.success(request, f"Revoked {count} key(s).")


@admin.register(ApiKey)
class ApiKeyAdmin(NamesActivePeople, admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__email")
    fields = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    autocomplete_fields = ("user",)
    actions = [revoke_api_keys]

    def get_readonly_fields(self, request, obj=None):
        # Whom a key acts for is fixed when it is made, and a revoked key stays
        # revoked (the action revokes): only the name can change.
        if obj is None:
            return ("prefix", "created_at", "last_used_at", "revoked_at")
        return ("user", "prefix", "created_at", "last_used_at", "revoked_at")

    def save_model(self, request, obj, form, change):
        if change:
            services.api_key_rename(key=obj)
            return
        key, raw = services.api_key_create(name=obj.name, user=obj.user)
        obj.pk = key.pk
        messages.warning(request, f"Copy this key now; it is not shown again: {raw}")


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ("owner", "key", "status_code", "created_at")
    search_fields = ("owner", "key")
    readonly_fields = [f.name for f in IdempotencyRecord._meta.fields]

    def has_add_permission(self, request):
        return False
