"""Recording audit events (``AuditEvent``): who acted, from where, and on what.

Who and from where come from the request being served: ``AuditContextMiddleware``
keeps the request in a context variable for the length of the request, and
``record`` reads its user (a person, or none for the integration key), its API key
(DRF's authentication sets ``request.auth`` on the same request) and its client
address. Services call ``record`` inside their transaction, so an event commits
or rolls back with the write it describes; commands run with no request and are
recorded without an actor.
"""

import ipaddress
from collections.abc import Iterable, Sequence
from contextvars import ContextVar

from django.conf import settings

from hiring.models import ApiKey, AuditAction, AuditEvent, User

_request: ContextVar = ContextVar("audit_request", default=None)


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies the
    address the outermost proxy saw (each proxy appends to X-Forwarded-For, so what a
    client writes there itself sits further left and is never taken). Login lockouts
    count against it too."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


class AuditContextMiddleware:
    """Makes the request being served the audit context of every event it records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _who() -> dict:
    request = _request.get()
    if request is None:
        return {}
    user = getattr(request, "user", None)
    key = getattr(request, "auth", None)
    return {
        "actor": user if isinstance(user, User) and user.pk is not None else None,
        "api_key_name": key.name if isinstance(key, ApiKey) else "",
        "client_address": _valid_address(client_address(request)),
    }


def _valid_address(address: str | None) -> str | None:
    """What a proxy forwarded may be anything: keep it only when it is an address."""
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def record(
    *, action: AuditAction | str, object_type: str, object_id: int | None, fields: Sequence = ()
) -> AuditEvent:
    """Record one event (one INSERT) in the caller's transaction."""
    return AuditEvent.objects.create(
        action=action, object_type=object_type, object_id=object_id, fields=list(fields), **_who()
    )


def record_reads(
    *, action: AuditAction | str, object_type: str, object_ids: Iterable[int], fields: Sequence = ()
) -> None:
    """Record a read of several objects of one type: one INSERT for the whole request,
    however many rows it showed."""
    who = _who()
    AuditEvent.objects.bulk_create(
        AuditEvent(action=action, object_type=object_type, object_id=pk, fields=list(fields), **who)
        for pk in object_ids
    )


def save(obj) -> None:
    """Save a model that ``TracksLoadedValues`` and record its creation or the names of
    the fields it changed (``object_type`` is the model's name, e.g. ``candidate``)."""
    creating = obj.pk is None
    fields = obj.changed_fields()
    obj.save()
    record(
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        fields=fields,
    )
