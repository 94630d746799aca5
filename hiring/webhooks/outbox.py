"""The transactional outbox: an event and its deliveries are written in the
transaction of the change that caused it, so an event is never lost and never
sent for a change that rolled back. The worker (``hiring.webhooks.worker``)
sends them afterwards."""

from collections.abc import Sequence

from django.db import transaction

from hiring.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from hiring.webhooks.events import EVENT_TYPES


def emit(event_type: str, data: dict) -> WebhookEvent:
    """Record an event and queue a delivery to every active endpoint subscribed to it.

    Called inside the transaction of the change (a service's ``@transaction.atomic``):
    if that rolls back, so does this. ``data`` comes from ``hiring.webhooks.payloads``.
    """
    return emit_all([(event_type, data)])[0]


def emit_many(event_type: str, items: list[dict]) -> list[WebhookEvent]:
    """``emit`` for several events of one type, in three queries however many."""
    return emit_all([(event_type, data) for data in items])


def emit_all(events: Sequence[tuple[str, dict]]) -> list[WebhookEvent]:
    """``emit`` for the events of one change, of any types, in three queries whatever
    their number (none for none): the events, the endpoints, their deliveries."""
    for event_type, _ in events:
        if event_type not in EVENT_TYPES:
            raise ValueError(f"Unknown webhook event type {event_type!r}.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Emit webhook events inside the transaction of the change.")
    if not events:
        return []
    # The ids are UUIDs made here, so bulk_create knows them on every database.
    created = WebhookEvent.objects.bulk_create(
        WebhookEvent(type=event_type, payload=data) for event_type, data in events
    )
    # Subscriptions are a JSON list, which SQLite cannot search: filter here.
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True).only("pk", "events"))
    deliveries = [
        WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=event.occurred_at)
        for event in created
        for endpoint in endpoints
        if event.type in (endpoint.events or [])
    ]
    if deliveries:
        WebhookDelivery.objects.bulk_create(deliveries)
    return created
