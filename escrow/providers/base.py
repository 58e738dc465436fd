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
    """A verified webhook: ``type`` is ``payment.succeeded``, ``payment.failed``, ``payout.paid``
    or ``payout.failed`` (others are stored and ignored). ``reference`` names the payment or the
    payout at the provider."""

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

    @abstractmethod
    def send_micro_deposits(self, *, account_number: str) -> tuple[str, Decimal, Decimal]:
        """Pay two small, different amounts into a bank account, to prove the seller reads it.
        Returns the transfer's reference and the two amounts."""

    @abstractmethod
    def create_payout(
        self, *, amount: Decimal, account_number: str, account_name: str, bank_name: str
    ) -> str:
        """Send money to a seller's bank account and return the payout's reference. The outcome
        arrives later as a ``payout.paid`` or ``payout.failed`` webhook."""
