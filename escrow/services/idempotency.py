"""``Idempotency-Key`` with Stripe's semantics, for every money-moving POST.

The first request with a key is recorded (``is_complete = False``) in its own committed
transaction before any work starts; its response is stored when it finishes. A retry with the
same key and the same request gets the stored response; with a different request, 422; while the
first is still running, 409. A request that failed with a server error forgets its key, so the
client may retry. Keys are kept ``ESCROW_IDEMPOTENCY_KEY_TTL`` (24 hours).
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

from escrow.conf import escrow_setting
from escrow.exceptions import IdempotencyInProgress, IdempotencyKeyReused
from escrow.models import IdempotencyRecord
from marketplace.accounts.models import User


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any


def request_fingerprint(*, method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


CLAIM_SQL = """
    INSERT INTO escrow_idempotencyrecord (user_id, key, request_hash, is_complete, created_at)
    VALUES (%s, %s, %s, false, %s)
    ON CONFLICT (user_id, key) DO NOTHING
    RETURNING id
"""


FINISH_SQL = """
    UPDATE escrow_idempotencyrecord SET is_complete = true, response_status = %s, response_body = %s
     WHERE id = %s
"""


def idempotency_begin(
    *, user: User, key: str, fingerprint: str
) -> IdempotencyRecord | StoredResponse:
    """Claim the key for this request, or return the first request's stored response."""
    now = timezone.now()
    with connection.cursor() as cursor:  # one statement, committed at once: the claim is visible
        cursor.execute(CLAIM_SQL, [user.pk, key, fingerprint, now])
        claimed = cursor.fetchone()
    if claimed is not None:
        return IdempotencyRecord(
            pk=claimed[0], user=user, key=key, request_hash=fingerprint, created_at=now
        )
    existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
    oldest = timezone.now() - escrow_setting("IDEMPOTENCY_KEY_TTL")
    if existing is not None and existing.created_at < oldest:  # expired: the key is free again
        existing.delete()
        return idempotency_begin(user=user, key=key, fingerprint=fingerprint)
    if existing is None:  # the first request failed and let the key go a moment ago
        raise IdempotencyInProgress("A request with this Idempotency-Key is being handled.")
    if existing.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different request.", extra={"key": key}
        )
    if not existing.is_complete:
        raise IdempotencyInProgress("A request with this Idempotency-Key is being handled.")
    return StoredResponse(existing.response_status or 200, existing.response_body)


def idempotency_finish(*, record: IdempotencyRecord, status: int, body: Any) -> None:
    if status >= 500:
        record.delete()
        return
    with connection.cursor() as cursor:
        cursor.execute(FINISH_SQL, [status, json.dumps(body, cls=DjangoJSONEncoder), record.pk])


def idempotency_records_expire() -> int:
    oldest = timezone.now() - escrow_setting("IDEMPOTENCY_KEY_TTL")
    return IdempotencyRecord.objects.filter(created_at__lt=oldest).delete()[0]
