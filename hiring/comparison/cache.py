"""The computed comparison, shared by every server process, and kept warm.

``comparison_for_role(role)`` is the one way the API and the pages read a role's
comparison: the full role-level result (anything shown per viewer is derived from
it afterwards), from the ``comparison`` cache when it is there for the current
stamp, computed and stored otherwise. The cache is Redis when ``REDIS_URL`` is set,
else files in ``COMPARISON_CACHE_DIR``: no server needed, shared by every gunicorn
worker of the machine.

Each computed comparison is kept in three forms, each under its own key and with the
stamp it was computed for: the dict, and the JSON and the CSV the API sends
(``comparison_rendered``), so a viewer who may see everything is sent kept bytes, with
nothing unpickled or rendered. A viewer from whom independent scoring hides something
gets the dict, redacted (``redact``), rendered for them.

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
from hiring.comparison.export import RENDERERS
from hiring.comparison.stamp import COMPARISON_VERSION, Stamp, comparison_stamp
from hiring.models import ComparisonRefresh, Role

CACHE_ALIAS = "comparison"


@dataclass(frozen=True)
class Comparison:
    etag: str  # quoted: the stamp this content was computed for
    data: dict  # role_comparison(role)
    fresh: bool  # False: an older copy, served while its refresh is queued
    cached: bool = False  # read from the cache, not computed for this call


@dataclass(frozen=True)
class Rendered:
    etag: str  # quoted: the stamp this body was computed for (not yet per format)
    body: bytes
    fresh: bool
    cached: bool


# The dict, the bytes of each API format, and the compare page's tables.
FORMS = ("data", *RENDERERS, "page")


def _key(role_id: int, form: str = "data") -> str:
    return f"comparison:role:{role_id}" if form == "data" else f"comparison:role:{role_id}:{form}"


def _kept(role_id: int, form: str):
    """(etag, content) of the role's kept ``form``; None when absent or kept by code
    of another ``COMPARISON_VERSION`` (which an older copy served while revalidating
    must not be)."""
    kept = caches[CACHE_ALIAS].get(_key(role_id, form))
    if not isinstance(kept, tuple) or len(kept) != 3 or kept[0] != COMPARISON_VERSION:
        return None
    return kept[1], kept[2]


def _servable(role_id: int, form: str, stamp: Stamp) -> tuple[str, object, bool] | None:
    """(etag, content, fresh) of the role's kept ``form`` when it may be served for
    ``stamp``: kept for it (fresh), or an older copy while its refresh is queued (stale
    while revalidating); None when it has to be computed."""
    kept = _kept(role_id, form) if settings.COMPARISON_CACHE_SECONDS else None
    if kept is None:
        return None
    etag, content = kept
    if etag == stamp.etag:
        return etag, content, True
    if _refresh_queued(role_id):
        return etag, content, False
    return None


def _keep(role_id: int, etag: str, forms: dict) -> None:
    entries = {_key(role_id, form): (COMPARISON_VERSION, etag, c) for form, c in forms.items()}
    caches[CACHE_ALIAS].set_many(entries, settings.COMPARISON_CACHE_SECONDS)


def comparison_for_role(role: Role | int, *, stamp: Stamp | None = None) -> Comparison:
    """The role's comparison for the current ``stamp`` (read when not given). Given a
    role id, the role is read only when the comparison has to be computed."""
    role_id = role if isinstance(role, int) else role.pk
    if stamp is None:
        stamp = comparison_stamp(role_id)
    servable = _servable(role_id, "data", stamp)
    if servable is not None:
        return Comparison(*servable, cached=True)
    if isinstance(role, int):
        role = Role.objects.select_related("profile").get(pk=role_id)
    return _compute_and_keep(role, stamp)


def comparison_rendered(role_id: int, format_: str, *, stamp: Stamp) -> Rendered:
    """The role's whole comparison (no redaction) as the API sends it in ``format_``
    (a key of ``export.RENDERERS``), by the same rules as ``comparison_for_role``:
    the kept bytes when they are there for ``stamp`` (or, while a refresh is queued,
    for an older stamp); else from the dict, rendered now and kept."""
    servable = _servable(role_id, format_, stamp)
    if servable is not None:
        return Rendered(*servable, cached=True)
    result = comparison_for_role(role_id, stamp=stamp)
    body = RENDERERS[format_](result.data)
    if result.cached and result.fresh:
        # Kept before this form was (or evicted since): keep it now. Never an older
        # copy's: the worker may have kept a newer one meanwhile.
        _keep(role_id, result.etag, {format_: body})
    return Rendered(result.etag, body, fresh=result.fresh, cached=result.cached)


def comparison_page_kept(role_id: int, digest: str) -> dict | None:
    """The compare page's tables kept for the role under ``digest`` (of everything they
    show: hiring.pages.views.roles._tables), if the last ones kept are those."""
    kept = _kept(role_id, "page") if settings.COMPARISON_CACHE_SECONDS else None
    return kept[1] if kept is not None and kept[0] == digest else None


def comparison_page_keep(role_id: int, digest: str, tables: dict) -> None:
    """Keep the role's compare page tables (one version: the last rendered), dropped
    with the role's other forms by ``comparison_forget``."""
    if settings.COMPARISON_CACHE_SECONDS:
        _keep(role_id, digest, {"page": tables})


def _compute_and_keep(role: Role, stamp: Stamp) -> Comparison:
    data = role_comparison(role)
    if settings.COMPARISON_CACHE_SECONDS:
        forms = {"data": data} | {name: render(data) for name, render in RENDERERS.items()}
        _keep(role.pk, stamp.etag, forms)
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
    """Drop the roles' kept comparisons (every form) and their queued refreshes, so no
    older copy is served while revalidating (an erasure: the older copy still names the
    candidate). The next request computes afresh."""
    role_ids = list(role_ids)
    caches[CACHE_ALIAS].delete_many([_key(role_id, form) for role_id in role_ids for form in FORMS])
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
            kept = _kept(role_id, "data")
            if kept is None or kept[0] != stamp.etag:
                _compute_and_keep(role, stamp)
        ComparisonRefresh.objects.filter(role_id=role_id, requested_at=requested_at).delete()
    return len(queued)
