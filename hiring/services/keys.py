"""API keys: created once, shown once, stored only as a hash."""

import hashlib
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hiring import audit
from hiring.models import ApiKey, AuditAction, User

PREFIX_LENGTH = 8


def hash_key(raw: str) -> str:
    # Keys are 256 random bits, so a fast hash is safe (no dictionary to attack).
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, name: str, user: User | None = None) -> tuple[ApiKey, str]:
    """Create a key; returns it with the raw secret, which is never stored."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw = f"{prefix}.{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(name=name, prefix=prefix, hashed_key=hash_key(raw), user=user)
    fields = ["name", "user"] if user is not None else ["name"]
    audit.record(action=AuditAction.CREATE, object_type="apikey", object_id=key.pk, fields=fields)
    return key, raw


@transaction.atomic
def api_key_rename(*, key: ApiKey) -> ApiKey:
    """Save a key's new name (nothing else about a key changes once it is made)."""
    key.full_clean()
    key.save(update_fields=["name"])
    audit.record(action=AuditAction.UPDATE, object_type="apikey", object_id=key.pk, fields=["name"])
    return key


@transaction.atomic
def api_keys_revoke(*, keys: QuerySet[ApiKey]) -> int:
    """Revoke these keys (those not revoked already); returns how many were revoked."""
    ids = list(keys.filter(revoked_at__isnull=True).values_list("pk", flat=True))
    revoked = ApiKey.objects.filter(pk__in=ids).update(revoked_at=timezone.now())
    audit.record_reads(
        action=AuditAction.UPDATE, object_type="apikey", object_ids=ids, fields=["revoked_at"]
    )
    return revoked


def api_key_revoke(*, name: str) -> bool:
    """Revoke the named key; False when there is no active key of that name."""
    return bool(api_keys_revoke(keys=ApiKey.objects.filter(name=name)))


def api_key_lookup(raw: str) -> ApiKey | None:
    """The active key whose secret this is, or None (compared in constant time)."""
    prefix = raw.split(".", 1)[0]
    key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
    if key is None or not key.is_active:
        return None
    if not secrets.compare_digest(key.hashed_key, hash_key(raw)):
        return None
    return key
