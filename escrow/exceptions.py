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


class RefundAlreadyOpen(ConflictError):
    default_code = "refund_already_open"


class VerificationRequired(ConflictError):
    """Payouts wait for approved real-name verification with a bank account."""

    default_code = "verification_required"


class BankAccountUnconfirmed(ConflictError):
    """The payout account's micro-deposit check is not started or not confirmed yet."""

    default_code = "bank_account_unconfirmed"


class BankCheckLocked(ApplicationError):
    """Too many wrong tries: only staff can let the seller try again."""

    status_code = 403
    default_code = "bank_check_locked"


class BankAmountsWrong(ApplicationError):
    default_code = "bank_amounts_wrong"


class InsufficientBalance(ConflictError):
    default_code = "insufficient_balance"


class UnknownPayout(ApplicationError):
    status_code = 422
    default_code = "unknown_payout"
