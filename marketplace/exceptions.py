"""Domain errors with stable, machine-readable codes.

Each app's ``exceptions.py`` subclasses these. The API's exception handler turns any of them into
``{"code", "message", "extra"}`` with the HTTP status named on the class; the seller's pages show
``message`` next to the form.
"""

from typing import Any


class ApplicationError(Exception):
    """A request the marketplace understood and refused. Status 400 unless a subclass says more."""

    status_code = 400
    default_code = "invalid_request"

    def __init__(self, message: str, code: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    status_code = 403
    default_code = "permission_denied"


class NotFoundError(ApplicationError):
    status_code = 404
    default_code = "not_found"


class ConflictError(ApplicationError):
    """The request clashes with the current state (a concurrent change, a reused key)."""

    status_code = 409
    default_code = "conflict"


class InvalidTransition(ConflictError):
    """A state machine was asked to take an edge its transition table does not have."""

    default_code = "invalid_transition"
