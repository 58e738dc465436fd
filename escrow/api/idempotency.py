"""The ``Idempotency-Key`` header on API views (rules in ``escrow.services.idempotency``)."""

import functools
from collections.abc import Callable
from typing import Any, cast

from rest_framework.request import Request
from rest_framework.response import Response

from escrow.exceptions import IdempotencyKeyMissing
from escrow.services import idempotency
from marketplace.accounts.models import User

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

View = Callable[..., Response]


def idempotent(*, required: bool = False) -> Callable[[View], View]:
    """Replay the stored first response for a repeated key; ``required`` refuses a request
    without one."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
            key = request.headers.get(HEADER, "").strip()
            if not key:
                if required:
                    raise IdempotencyKeyMissing(f"Send an {HEADER} header with this request.")
                return view(self, request, *args, **kwargs)
            if len(key) > MAX_KEY_LENGTH:
                raise IdempotencyKeyMissing(f"An {HEADER} has at most {MAX_KEY_LENGTH} characters.")
            user = cast(User, request.user)
            fingerprint = idempotency.request_fingerprint(
                method=request.method or "", path=request.path, body=request.data
            )
            claimed = idempotency.idempotency_begin(user=user, key=key, fingerprint=fingerprint)
            if isinstance(claimed, idempotency.StoredResponse):
                response = Response(claimed.body, status=claimed.status)
                response["Idempotent-Replayed"] = "true"
                return response
            try:
                response = view(self, request, *args, **kwargs)
            except Exception as error:
                try:
                    response = self.handle_exception(error)
                except Exception:  # a server error: forget the key so the client may retry
                    claimed.delete()
                    raise
            idempotency.idempotency_finish(
                record=claimed, status=response.status_code, body=response.data
            )
            return response

        return wrapper

    return decorate
