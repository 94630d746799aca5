"""``/healthz`` and ``/readyz``: for load balancers and orchestrators, unauthenticated
and cheap. Neither says more than "ok" or which dependency failed."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """The process is up and answering; touches neither the database nor the cache."""
    return JsonResponse({"status": "ok"})


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache.set("readyz", "ready", 10)
    if cache.get("readyz") != "ready":
        raise RuntimeError("the cache did not keep a value")


CHECKS = {"database": _database, "cache": _cache}


@never_cache
@require_GET
def readyz(request):
    """The database and the cache answer (one query): 200, or 503 naming what failed."""
    checks = {}
    for name, check in CHECKS.items():
        try:
            check()
            checks[name] = "ok"
        except Exception as error:  # any failure means "not ready", whatever it is
            logger.warning("Readiness check %s failed: %s", name, error)
            checks[name] = "failed"
    failed = [name for name, result in checks.items() if result != "ok"]
    body = {"status": "failed" if failed else "ok", "checks": checks}
    if failed:
        body["message"] = f"Not ready: the {' and the '.join(failed)} did not answer."
    return JsonResponse(body, status=503 if failed else 200)
