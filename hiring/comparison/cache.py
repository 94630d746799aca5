"""The computed comparison, shared by every server process, and kept warm.

``comparison_for_role(role)`` is the one way the API and the pages read a role's
comparison: the full role-level result (anything shown per viewer is derived from
it afterwards), from the ``comparison`` cache when it is there for the current
stamp, computed and stored otherwise. The cache is Redis when ``REDIS_URL`` is set,
else files in ``COMPARISON_CACHE_DIR``: no server needed, shared by every gunicorn
worker of the machine.

A submission or a revision queues its role (``comparison_refresh_request``, in the
write's transaction) and the background worker computes it again
(``comparison_refresh_due``), so the hiring lead's next request finds it ready.
While that refresh is queued, and for at most ``COMPARISON_STALE_SECONDS``, a
request is served the role's last computed comparison under that copy's own ETag
(stale while revalidating) instead of computing in the request.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from hiring.comparison.compute import role_comparison
from hiring.comparison.stamp import Stamp, comparison_stamp
from hiring.models import ComparisonRefresh, Role

CACHE_ALIAS = "comparison"


@dataclass(frozen=True)
class Comparison:
    etag: str  # quoted: the stamp this content was computed for
    data: dict  # role_comparison(role)
    fresh: bool  # False: an older copy, served while its refresh is queued
    cached: bool = False  # read from the cache, not computed for this call


def _key(role_id: int) -> str:
    return f"comparison:role:{role_id}"


def comparison_for_role(role: Role | int, *, stamp: Stamp | None = None) -> Comparison:
    """The role's comparison for the current ``stamp`` (read when not given). Given a
    role id, the role is read only when the comparison has to be computed."""
    role_id = role if isinstance(role, int) else role.pk
    if stamp is None:
        stamp = comparison_stamp(role_id)
    timeout = settings.COMPARISON_CACHE_SECONDS
    if timeout:
        kept = caches[CACHE_ALIAS].get(_key(role_id))
        if kept is not None:
            etag, data = kept
            if etag == stamp.etag:
                return Comparison(etag, data, fresh=True, cached=True)
            if _refresh_queued(role_id):
                return Comparison(etag, data, fresh=False, cached=True)
    if isinstance(role, int):
        role = Role.objects.select_related("profile").get(pk=role_id)
    return _compute_and_keep(role, stamp)


def _compute_and_keep(role: Role, stamp: Stamp) -> Comparison:
    data = role_comparison(role)
    if settings.COMPARISON_CACHE_SECONDS:
        caches[CACHE_ALIAS].set(
            _key(role.pk), (stamp.etag, data), settings.COMPARISON_CACHE_SECONDS
        )
    return Comparison(stamp.etag, data, fresh=True)


def _refresh_queued(role_id: int) -> bool:
    stale = settings.COMPARISON_STALE_SECONDS
    if not stale:
        return False
    since = timezone.now() - timedelta(seconds=stale)
    return ComparisonRefresh.objects.filter(role_id=role_id, requested_at__gte=since).exists()


def comparison_refresh_request(*, role_id: int) -> None:
    """Queue the role's comparison for the background worker (one upsert)."""
    if not settings.COMPARISON_CACHE_SECONDS:
        return
    ComparisonRefresh.objects.bulk_create(
        [ComparisonRefresh(role_id=role_id, requested_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["role"],
        update_fields=["requested_at"],
    )


def comparison_forget(*, role_ids: Iterable[int]) -> None:
    """Drop the roles' kept comparisons and their queued refreshes, so no older copy is
    served while revalidating (an erasure: the older copy still names the candidate).
    The next request computes afresh."""
    role_ids = list(role_ids)
    caches[CACHE_ALIAS].delete_many([_key(role_id) for role_id in role_ids])
    ComparisonRefresh.objects.filter(role_id__in=role_ids).delete()


def comparison_refresh_due(*, limit: int = 20) -> int:
    """Compute the queued roles' comparisons into the cache, oldest request first, and
    dequeue each one unless it was requested again meanwhile. Returns how many."""
    queued = list(
        ComparisonRefresh.objects.order_by("requested_at").values_list("role_id", "requested_at")[
            :limit
        ]
    )
    for role_id, requested_at in queued:
        role = Role.objects.select_related("profile").filter(pk=role_id).first()
        stamp = comparison_stamp(role_id) if role is not None else None
        if stamp is not None and settings.COMPARISON_CACHE_SECONDS:
            kept = caches[CACHE_ALIAS].get(_key(role_id))
            if kept is None or kept[0] != stamp.etag:
                _compute_and_keep(role, stamp)
        ComparisonRefresh.objects.filter(role_id=role_id, requested_at=requested_at).delete()
    return len(queued)
