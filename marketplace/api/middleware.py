"""Refuse an oversized API body with 413 before anything reads it.

Django caps form bodies (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but DRF's JSON parser reads the raw
stream, so the API checks the declared length itself.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from marketplace.api.errors import error_body


class ApiRequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return JsonResponse(
                    error_body("bad_request", "Content-Length is not a number."), status=400
                )
            limit = settings.API_MAX_BODY_BYTES
            if length > limit:
                return JsonResponse(
                    error_body(
                        "request_too_large",
                        f"The request body is {length} bytes; the limit is {limit}.",
                        {"limit_bytes": limit},
                    ),
                    status=413,
                )
        return self.get_response(request)
