"""``Idempotency-Key`` with Stripe's semantics, for every money-moving POST.

The first request with a key is recorded (``is_complete = False``) before any work starts, in
its own committed transaction (or, for checkout, in the transaction that places the orders); its
response is stored when it finishes. A retry with the same key and the same request gets the
stored response; with a different request, 422; while the first is still running, 409. A request
that failed with a server error forgets its key, so the client may retry. Keys are kept
``ESCROW_IDEMPOTENCY_KEY_TTL`` (24 hours).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
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


@dataclass(frozen=True)
class KeyedRequest:
    """A request's ``Idempotency-Key`` and fingerprint, for a service that claims the key in its
    own transaction (checkout)."""

    key: str
    fingerprint: str


def request_fingerprint(*, method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


# The rules above, as the database function of migration 0007, which checkout also runs inside
# its own transaction; both read its answer as one JSON object.
CLAIM_SQL = "SELECT to_jsonb(claim) FROM escrow_idempotency_claim(%s, %s, %s, %s, %s) claim"

FINISH_SQL = """
    UPDATE escrow_idempotencyrecord SET is_complete = true, response_status = %s, response_body = %s
     WHERE id = %s
"""


def idempotency_outcome(
    *, user: User, key: str, fingerprint: str, now: datetime, claim: dict[str, Any]
) -> IdempotencyRecord | StoredResponse:
    """What the claim function's answer (``outcome``, ``record_id``, ``response_status``,
    ``response_body``) means for the request: the record to finish, the stored response to
    replay, or the refusal (409 while the first request runs, 422 for another request)."""
    outcome = claim["outcome"]
    if outcome == "claimed":
        return IdempotencyRecord(
            pk=claim["record_id"], user=user, key=key, request_hash=fingerprint, created_at=now
        )
    if outcome == "reused":
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different request.", extra={"key": key}
        )
    if outcome == "in_progress":
        raise IdempotencyInProgress("A request with this Idempotency-Key is being handled.")
    return StoredResponse(claim["response_status"] or 200, claim["response_body"])


def idempotency_begin(
    *, user: User, key: str, fingerprint: str
) -> IdempotencyRecord | StoredResponse:
    """Claim the key for this request (committed at once, so a duplicate sees it), or return
    the first request's stored response."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL, [user.pk, key, fingerprint, now, escrow_setting("IDEMPOTENCY_KEY_TTL")]
        )
        (claim,) = cursor.fetchone()
    return idempotency_outcome(
        user=user, key=key, fingerprint=fingerprint, now=now, claim=json.loads(claim)
    )


def idempotency_finish(*, record: IdempotencyRecord, status: int, body: Any) -> None:
    if status >= 500:
        record.delete()
        return
    with connection.cursor() as cursor:
        cursor.execute(FINISH_SQL, [status, json.dumps(body, cls=DjangoJSONEncoder), record.pk])


def idempotency_records_expire() -> int:
    oldest = timezone.now() - escrow_setting("IDEMPOTENCY_KEY_TTL")
    return IdempotencyRecord.objects.filter(created_at__lt=oldest).delete()[0]
