"""``Idempotency-Key`` on POST: a retry with the same key and body replays the first
response and creates nothing.

Records live in the database (``IdempotencyRecord``), so every server process on
every machine sees them. A request *claims* its key by inserting the record in a
transaction of its own before doing any work; the unique constraint on
(owner, key) lets exactly one of two simultaneous requests win. The other gets a
409 (in progress, retry shortly) or, once the first has finished, its response.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from hiring.api.authentication import caller_identity
from hiring.api.errors import IdempotencyInProgress, IdempotencyKeyReused
from hiring.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
TTL = timedelta(hours=24)
# A claim still unfinished after this long belongs to a request whose process died
# (its writes rolled back with it), so a retry may take the key over.
ABANDONED_AFTER = timedelta(minutes=5)
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("ETag", "Location")


def fingerprint(request) -> str:
    """Hash of method, path and body; JSON bodies are compared by content, not layout."""
    try:
        raw = request.body
    except RawPostDataException:  # the body was already consumed as a stream
        raw = JSONRenderer().render(request.data)
    try:
        body = json.dumps(json.loads(raw or b"null"), sort_keys=True, separators=(",", ":"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        body = raw.hex()  # not JSON: the parser will refuse it; compare the bytes
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _valid_key(key: str) -> bool:
    return 1 <= len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


def _claim(owner: str, key: str, print_: str) -> tuple[IdempotencyRecord, Response | None]:
    now = timezone.now()
    IdempotencyRecord.objects.filter(created_at__lt=now - TTL).delete()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                owner=owner, key=key, fingerprint=print_, created_at=now
            )
        return record, None
    except IntegrityError:
        pass
    existing = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
    if existing is None:  # it expired between our insert and this read
        raise IdempotencyInProgress()
    if existing.fingerprint != print_:
        raise IdempotencyKeyReused()
    if existing.status_code is None:
        taken_over = IdempotencyRecord.objects.filter(
            pk=existing.pk, status_code__isnull=True, created_at__lt=now - ABANDONED_AFTER
        ).update(created_at=now)
        if taken_over:
            return existing, None
        raise IdempotencyInProgress()
    replay = Response(
        existing.response_body,
        status=existing.status_code,
        headers={**existing.response_headers, REPLAYED_HEADER: "true"},
    )
    return existing, replay


def _complete(record: IdempotencyRecord, response: Response) -> None:
    record.status_code = response.status_code
    record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
    record.response_headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    record.save(update_fields=["status_code", "response_body", "response_headers"])


def _release(record: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk, status_code__isnull=True).delete()


def idempotent(handler):
    """Make a POST handler honour ``Idempotency-Key``.

    Only successful responses are kept: after an error nothing was written, so the
    key is freed and the client may retry it (corrected) at once.
    """

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not _valid_key(key):
            raise ValidationError(
                {HEADER: [f"Use 1 to {MAX_KEY_LENGTH} printable ASCII characters, e.g. a UUID."]}
            )
        record, replay = _claim(caller_identity(request), key, fingerprint(request))
        if replay is not None:
            return replay
        try:
            # The record is completed in the same transaction as the request's writes:
            # both are kept or neither is.
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    _complete(record, response)
        except BaseException:
            _release(record)
            raise
        if not 200 <= response.status_code < 300:
            _release(record)
        return response

    wrapper.idempotent = True
    return wrapper
