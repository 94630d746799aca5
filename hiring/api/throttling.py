"""Request rate limits per API key (or per signed-in user).

Counters live in Django's default cache, which is Redis when REDIS_URL is set,
so every gunicorn process on every machine counts against the same limit.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from hiring.api.authentication import caller_identity


class ApiRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read at request time (not import time) so the setting can change in tests.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": caller_identity(request)}
