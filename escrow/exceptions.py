from marketplace.exceptions import (
    ApplicationError,
    ConflictError,
    NotFoundError,
)


class CartEmpty(ApplicationError):
    default_code = "cart_empty"


class Unavailable(ConflictError):
    default_code = "unavailable"


class UnpaidLimitReached(ConflictError):
    default_code = "unpaid_limit_reached"


class NothingToPay(ConflictError):
    default_code = "nothing_to_pay"


class OrderNotFound(NotFoundError):
    default_code = "order_not_found"


class WebhookRejected(ApplicationError):
    default_code = "webhook_rejected"


class UnknownPayment(ApplicationError):
    status_code = 422
    default_code = "unknown_payment"


class IdempotencyKeyReused(ApplicationError):
    status_code = 422
    default_code = "idempotency_key_reused"


class IdempotencyInProgress(ConflictError):
    default_code = "idempotency_request_in_progress"


class IdempotencyKeyMissing(ApplicationError):
    default_code = "idempotency_key_required"


class LedgerImbalance(Exception):
    """A posting that would break the ledger: a bug in the marketplace, never a user's fault."""
