"""Webhooks: endpoints, and the transactional outbox of events and their deliveries."""

import uuid

from django.db import models
from django.utils import timezone

from hiring.models.audit import TracksLoadedValues
from hiring.validators import WebhookEventsValidator, WebhookSecretValidator, WebhookUrlValidator


class WebhookEndpoint(TracksLoadedValues):
    url = models.CharField(max_length=500, validators=[WebhookUrlValidator()])
    secret = models.CharField(
        max_length=200,
        validators=[WebhookSecretValidator()],
        help_text="Shared secret for the HMAC signature.",
    )
    events = models.JSONField(
        default=list,
        validators=[WebhookEventsValidator()],
        help_text="Event types this endpoint receives.",
    )
    is_active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["url", "id"]

    def __str__(self):
        return self.url


class WebhookEvent(models.Model):
    """An event in the outbox, written in the transaction of the change that caused it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=60, db_index=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField(help_text="The resource as the API shows it to the integration key.")

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self):
        return f"{self.type} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="delivery_unique"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-attempted_at"]

    def __str__(self):
        return f"{self.delivery} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"
