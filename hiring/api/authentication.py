"""``Authorization: Api-Key <key>``: a key with a user acts as that user; a key
without one is the ATS's integration key (``access.Integration``)."""

import re
from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from hiring.access import Integration
from hiring.models import ApiKey
from hiring.services.keys import PREFIX_LENGTH, api_key_lookup

KEYWORD = "Api-Key"
# What api_key_create makes: a hex prefix, a dot and a URL-safe secret. Checking the
# shape first keeps arbitrary bytes (NUL, very long strings) away from the database.
KEY_SHAPE = re.compile(rf"[0-9a-f]{{{PREFIX_LENGTH}}}\.[A-Za-z0-9_-]{{20,100}}")
# last_used_at is for people auditing keys; minute precision spares a write per request.
LAST_USED_PRECISION = timedelta(minutes=1)


def touch(key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: let session authentication try
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                f"Send the key as 'Authorization: {KEYWORD} <key>'."
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        key = api_key_lookup(raw) if KEY_SHAPE.fullmatch(raw) else None
        if key is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked API key.")
        if key.user is not None and not key.user.is_active:
            raise exceptions.AuthenticationFailed("The user of this API key is deactivated.")
        touch(key)
        return (key.user if key.user is not None else Integration(), key)

    def authenticate_header(self, request):
        return KEYWORD


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                f"`Authorization: {KEYWORD} <key>`. Create a key with "
                "`manage.py create_api_key NAME [--user EMAIL]`: without --user it is the "
                "ATS's integration key, with --user it acts as that person."
            ),
        }


def caller_identity(request) -> str:
    """Who is calling, for idempotency scopes and throttle counters."""
    if isinstance(request.auth, ApiKey):
        return f"api-key:{request.auth.pk}"
    user = request.user
    if getattr(user, "pk", None) is not None:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"
