"""What the marketplace needs from a payment service provider (PSP)."""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ProviderPayment:
    reference: str
    pay_url: str


@dataclass(frozen=True)
class ProviderEvent:
    """A verified webhook: ``type`` is ``payment.succeeded`` or ``payment.failed`` (others are
    stored and ignored)."""

    event_id: str
    type: str
    reference: str
    amount: Decimal | None
    reason: str
    payload: dict[str, object]


class PaymentProvider(ABC):
    name: str

    @abstractmethod
    def create_payment(self, *, amount: Decimal, description: str) -> ProviderPayment:
        """Open a payment and return where the buyer pays it."""

    @abstractmethod
    def parse_webhook(self, *, body: bytes, headers: dict[str, str]) -> ProviderEvent:
        """Verify a webhook's signature and freshness; raise ``WebhookRejected`` otherwise."""

    @abstractmethod
    def refund(self, *, reference: str, amount: Decimal) -> None:
        """Send money of a payment back to the buyer."""
