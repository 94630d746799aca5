"""Webhook endpoints and their deliveries, as recruiters and the ATS manage them."""

import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hiring import audit
from hiring.models import AuditAction, DeliveryStatus, WebhookDelivery, WebhookEndpoint


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def endpoint_save(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Validate and save an endpoint (its fields' validators say what is valid);
    a blank secret gets a random one, and each event is kept once, in the order given."""
    if not endpoint.secret:
        endpoint.secret = new_secret()
    endpoint.full_clean()
    endpoint.events = list(dict.fromkeys(endpoint.events))
    reactivated = (
        endpoint.pk is not None
        and endpoint.is_active
        and WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=False).exists()
    )
    audit.save(endpoint)  # the changed fields' names (the secret's too), never values
    if reactivated:
        endpoint_resume(endpoint=endpoint)
    return endpoint


def endpoint_resume(*, endpoint: WebhookEndpoint) -> int:
    """While an endpoint is inactive its pending deliveries are paused (the worker
    passes over them); once it is active again they are due at once, and each gets
    at least one more try even if its retry window closed meanwhile."""
    return WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
        next_attempt_at=timezone.now()
    )


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint with its queued deliveries and their log (recorded as an
    ``update`` whose field is ``deleted``: the log has no other word for it)."""
    pk = endpoint.pk
    endpoint.delete()
    audit.record(
        action=AuditAction.UPDATE, object_type="webhookendpoint", object_id=pk, fields=["deleted"]
    )


@transaction.atomic
def deliveries_redeliver(*, deliveries: QuerySet[WebhookDelivery]) -> int:
    """Queue deliveries again, due now (the admin's redeliver action)."""
    return deliveries.update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), delivered_at=None
    )
