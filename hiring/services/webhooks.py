"""Webhook endpoints and their deliveries, as recruiters and the ATS manage them."""

import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hiring.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


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
    endpoint.save()
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


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint with its queued deliveries and their log."""
    endpoint.delete()


@transaction.atomic
def deliveries_redeliver(*, deliveries: QuerySet[WebhookDelivery]) -> int:
    """Queue deliveries again, due now (the admin's redeliver action)."""
    return deliveries.update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), delivered_at=None
    )
