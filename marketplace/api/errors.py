"""Every API error leaves in one shape: ``{"code": str, "message": str, "extra": dict}``.

``code`` is stable and machine-readable; ``message`` is for people; ``extra`` carries details, for
validation errors ``extra.fields`` maps each field to its ``[{"code", "message"}]`` list.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from marketplace.exceptions import ApplicationError


def error_body(code: str, message: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "extra": extra or {}}


def _field_errors(detail: Any, prefix: str = "") -> dict[str, list[dict[str, str]]]:
    """DRF's nested error structure, flattened to dotted keys (``skus.0.price``), each with its
    ``[{"code", "message"}]`` list: the same keys the services use for nested input."""
    if isinstance(detail, dict):
        flat: dict[str, list[dict[str, str]]] = {}
        for key, value in detail.items():
            nested = prefix if key == "non_field_errors" else f"{prefix}.{key}"
            flat.update(_field_errors(value, nested if prefix else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    if not items:
        return {}
    key = prefix or "non_field_errors"
    return {
        key: [{"code": getattr(item, "code", "invalid"), "message": str(item)} for item in items]
    }


def _first_message(fields: dict[str, list[dict[str, str]]]) -> str:
    """The first error message, prefixed by its field, for a one-line summary."""
    for key, messages in fields.items():
        message = messages[0]["message"]
        return message if key == "non_field_errors" else f"{key}: {message}"
    return ""


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.extra), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("request_too_large", "The request body is too large."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = _field_errors(detail)
        message = _first_message(fields) or "The input is not valid."
        response.data = error_body("invalid", message, {"fields": fields})
    else:
        code = exc.get_codes()
        response.data = error_body(
            code if isinstance(code, str) else exc.default_code, str(exc.detail)
        )
    return response


def _json_error(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any URL under /api/ that matches no endpoint."""
    return _json_error(404, "not_found", f"No API endpoint at {request.path}.")


def api_bad_request(request: HttpRequest) -> JsonResponse:
    return _json_error(400, "bad_request", "The request could not be understood.")


def api_permission_denied(request: HttpRequest) -> JsonResponse:
    return _json_error(403, "permission_denied", "You may not do this.")


def api_server_error(request: HttpRequest) -> JsonResponse:
    return _json_error(500, "server_error", "Something went wrong on our side; it was logged.")
