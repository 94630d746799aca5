"""Webhook endpoints, the events in the outbox and their deliveries."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.timezone import localtime

from hiring import access, services
from hiring.admin.base import FieldRulesForm, ReadOnlyInline
from hiring.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from hiring.webhooks.events import EVENT_TYPES


class WebhookEndpointForm(FieldRulesForm):
    """The fields' validators (``hiring.validators``) check what is entered, as typed."""

    url = forms.CharField(
        max_length=500,
        help_text="Where events are POSTed (http or https); public addresses only, "
        "unless WEBHOOK_ALLOW_PRIVATE_NETWORKS is on.",
    )
    events = forms.MultipleChoiceField(
        choices=[(name, f"{name} — {text}") for name, text in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    # No max_length: the secret's rule bounds its length, with its own message.
    secret = forms.CharField(
        required=False,
        help_text="Signs every delivery (HMAC-SHA256). Leave empty to generate one.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "description", "events", "secret", "is_active")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "events", "is_active", "pending_count")
    list_filter = ("is_active",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(pending_total=Count("deliveries", filter=Q(deliveries__status="pending")))
        )

    def save_model(self, request, obj, form, change):
        services.endpoint_save(endpoint=obj)

    @admin.display(description="pending", ordering="pending_total")
    def pending_count(self, endpoint):
        return endpoint.pending_total


class ShowsNextAttempt:
    @admin.display(description="next attempt", ordering="next_attempt_at")
    def next_attempt(self, delivery):
        """When the worker tries again: only a pending delivery has a next attempt."""
        if delivery.status != DeliveryStatus.PENDING:
            return "—"
        return date_format(localtime(delivery.next_attempt_at), "DATETIME_FORMAT")


class WebhookDeliveryInline(ShowsNextAttempt, ReadOnlyInline):
    model = WebhookDelivery
    fields = ("endpoint", "status", "attempts", "last_status_code", "next_attempt")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("endpoint")


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "occurred_at")
    list_filter = ("type",)
    readonly_fields = ("id", "type", "occurred_at", "payload")
    inlines = [WebhookDeliveryInline]

    def get_queryset(self, request):
        # A scorecard event's payload is the scorecard: hidden as the scorecard is.
        visible = access.webhook_events_for(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk"))

    def has_add_permission(self, request):
        return False


class WebhookAttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    fields = ("attempted_at", "status_code", "error", "duration_ms")


@admin.action(description="Redeliver selected deliveries now")
def redeliver(modeladmin, request, queryset):
    count = services.deliveries_redeliver(deliveries=queryset)
    messages.success(request, f"Queued {count} delivery(ies) again; the worker sends them next.")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ShowsNextAttempt, admin.ModelAdmin):
    list_display = (
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt",
        "delivered_at",
    )
    list_filter = ("status", "event__type", "endpoint")
    list_select_related = ("event", "endpoint")
    actions = [redeliver]
    inlines = [WebhookAttemptInline]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # A delivered (or given up) delivery has no next attempt to show.
        pending = obj is not None and obj.status == DeliveryStatus.PENDING
        return (
            "event",
            "endpoint",
            "status",
            "attempts",
            *(("next_attempt_at",) if pending else ()),
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
        )

    def has_add_permission(self, request):
        return False
