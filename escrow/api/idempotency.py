"""The ``Idempotency-Key`` header on API views (rules in ``escrow.services.idempotency``)."""

import functools
from collections.abc import Callable
from typing import Any, cast

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from escrow.exceptions import IdempotencyKeyMissing
from escrow.services import idempotency
from marketplace.accounts.models import User

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

View = Callable[..., Response]


def keyed_request(request: Request, *, required: bool) -> idempotency.KeyedRequest | None:
    """The request's key and fingerprint; None when it sent no key and need not."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        if required:
            raise IdempotencyKeyMissing(f"Send an {HEADER} header with this request.")
        return None
    if len(key) > MAX_KEY_LENGTH:
        raise IdempotencyKeyMissing(f"An {HEADER} has at most {MAX_KEY_LENGTH} characters.")
    fingerprint = idempotency.request_fingerprint(
        method=request.method or "", path=request.path, body=request.data
    )
    return idempotency.KeyedRequest(key, fingerprint)


def replayed(stored: idempotency.StoredResponse) -> Response:
    response = Response(stored.body, status=stored.status)
    response["Idempotent-Replayed"] = "true"
    return response


def respond_claimed(view: APIView, record: Any, run: Callable[[], Response]) -> Response:
    """``run``'s response (an error included, rendered as the API renders it), stored for the
    claimed key ``record``; a server error forgets the key so that the client may retry."""
    try:
        response = run()
    except Exception as error:
        try:
            response = view.handle_exception(error)
        except Exception:
            record.delete()
            raise
    idempotency.idempotency_finish(record=record, status=response.status_code, body=response.data)
    return response


def respond_idempotently(
    view: APIView, request: Request, keyed: idempotency.KeyedRequest, run: Callable[[], Response]
) -> Response:
    """Claim the key, then ``run``; or replay the response stored for it."""
    claimed = idempotency.idempotency_begin(
        user=cast(User, request.user), key=keyed.key, fingerprint=keyed.fingerprint
    )
    if isinstance(claimed, idempotency.StoredResponse):
        return replayed(claimed)
    return respond_claimed(view, claimed, run)


def idempotent(*, required: bool = False) -> Callable[[View], View]:
    """Replay the stored first response for a repeated key; ``required`` refuses a request
    without one."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(self: APIView, request: Request, *args: Any, **kwargs: Any) -> Response:
            keyed = keyed_request(request, required=required)
            if keyed is None:
                return view(self, request, *args, **kwargs)
            return respond_idempotently(
                self, request, keyed, lambda: view(self, request, *args, **kwargs)
            )

        return wrapper

    return decorate
