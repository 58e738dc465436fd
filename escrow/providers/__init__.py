"""Payment providers behind one interface; ``ESCROW_PAYMENT_PROVIDER`` picks the one in use."""

from escrow.conf import escrow_setting
from escrow.providers.base import PaymentProvider, ProviderEvent, ProviderPayment


def get_provider(name: str | None = None) -> PaymentProvider:
    from escrow.providers.sandbox import SandboxProvider

    providers: dict[str, type[PaymentProvider]] = {"sandbox": SandboxProvider}
    return providers[name or escrow_setting("PAYMENT_PROVIDER")]()


__all__ = ["PaymentProvider", "ProviderEvent", "ProviderPayment", "get_provider"]
