"""The sandbox payment provider: behaves like a real PSP without any real money.

Creating a payment returns a hosted pay page (``/sandbox/pay/<reference>/``) offering test cards.
Its outcome reaches the marketplace as a webhook, signed with HMAC-SHA256 over
``"<timestamp>.<body>"`` (header ``Sandbox-Signature: t=<unix time>,v1=<hex digest>``) and
delivered by a Celery task that retries until the marketplace answers 2xx.

Test cards: ``4242 4242 4242 4242`` succeeds, ``4000 0000 0000 0002`` is declined,
``4000 0000 0000 3220`` succeeds after ``ESCROW_SANDBOX_DELAYED_SECONDS``.

Money to sellers' bank accounts is a ``SandboxTransfer``. A bank check pays two different random
amounts of 0.01–0.99 into the account; the seller reads them on the sandbox's bank statement
(``/seller/sandbox/bank/<reference>/``, linked from the seller's payouts page), as on a real
statement. A payout's outcome is sent at once as a ``payout.paid`` or ``payout.failed`` webhook
(``reference``, ``amount`` in minor units, ``reason``), queued when the caller's transaction
commits.

Test bank accounts: any account number of 8–34 digits works; one ending in ``0002`` (e.g.
``6222 0000 0000 0002``) is closed, so its payouts fail with ``account_closed`` (its
micro-deposits still arrive, so the account can be confirmed first).
"""

import hashlib
import hmac
import json
import secrets
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from escrow.conf import escrow_setting
from escrow.exceptions import WebhookRejected
from escrow.models import SandboxCharge, SandboxTransfer
from escrow.providers.base import PaymentProvider, ProviderEvent, ProviderPayment
from marketplace.money import from_minor_units, to_minor_units

SIGNATURE_HEADER = "Sandbox-Signature"
CARD_SUCCEEDS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_DELAYED = "4000000000003220"
TEST_CARDS = {
    CARD_SUCCEEDS: "succeeds",
    CARD_DECLINED: "is declined",
    CARD_DELAYED: "succeeds after a delay",
}
CLOSED_ACCOUNT_SUFFIX = "0002"
MICRO_DEPOSIT_MINOR_UNITS = range(1, 100)


def sign(body: bytes, timestamp: int) -> str:
    secret = escrow_setting("SANDBOX_WEBHOOK_SECRET").encode()
    digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_event(reference: str, event_type: str, amount_minor: int, **extra: Any) -> bytes:
    """The JSON body of one sandbox notification, with a fresh event id."""
    event = {
        "id": f"evt_{secrets.token_hex(12)}",
        "type": event_type,
        "created": int(time.time()),
        "data": {"reference": reference, "amount": amount_minor, **extra},
    }
    return json.dumps(event, separators=(",", ":")).encode()


class SandboxProvider(PaymentProvider):
    name = "sandbox"

    def create_payment(self, *, amount: Decimal, description: str) -> ProviderPayment:
        charge = SandboxCharge.objects.create(
            reference=f"sbx_{secrets.token_hex(10)}",
            amount_minor=to_minor_units(amount),
            currency=settings.MARKETPLACE_CURRENCY,
            description=description[:200],
        )
        path = reverse("sandbox_pay", kwargs={"reference": charge.reference})
        return ProviderPayment(charge.reference, settings.SITE_URL + path)

    def parse_webhook(self, *, body: bytes, headers: dict[str, str]) -> ProviderEvent:
        parts = dict(
            part.split("=", 1)
            for part in headers.get(SIGNATURE_HEADER, "").split(",")
            if "=" in part
        )
        try:
            timestamp = int(parts["t"])
        except (KeyError, ValueError):
            raise WebhookRejected(
                "Missing or malformed signature.", code="invalid_signature"
            ) from None
        if not hmac.compare_digest(
            sign(body, timestamp), f"t={timestamp},v1={parts.get('v1', '')}"
        ):
            raise WebhookRejected("The signature does not match.", code="invalid_signature")
        tolerance = escrow_setting("WEBHOOK_TOLERANCE").total_seconds()
        if abs(time.time() - timestamp) > tolerance:
            raise WebhookRejected(
                "The webhook is too old or from the future.", code="stale_webhook"
            )
        try:
            event = json.loads(body)
            data = event["data"]
            amount = data.get("amount")
            return ProviderEvent(
                event_id=str(event["id"]),
                type=str(event["type"]),
                reference=str(data["reference"]),
                amount=from_minor_units(amount) if isinstance(amount, int) else None,
                reason=str(data.get("reason", "")),
                payload=event,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise WebhookRejected(
                "The webhook body is not a sandbox event.", code="malformed_webhook"
            ) from error

    @transaction.atomic
    def refund(self, *, reference: str, amount: Decimal) -> None:
        charge = SandboxCharge.objects.select_for_update().get(reference=reference)
        charge.refunded_minor += to_minor_units(amount)
        if charge.refunded_minor >= charge.amount_minor:
            charge.status = SandboxCharge.Status.REFUNDED
        charge.save(update_fields=["refunded_minor", "status"])

    def send_micro_deposits(self, *, account_number: str) -> tuple[str, Decimal, Decimal]:
        first, second = secrets.SystemRandom().sample(MICRO_DEPOSIT_MINOR_UNITS, 2)
        transfer = SandboxTransfer.objects.create(
            reference=f"sbx_md_{secrets.token_hex(10)}",
            kind=SandboxTransfer.Kind.MICRO_DEPOSIT,
            account_number=account_number,
            amounts_minor=[first, second],
            currency=settings.MARKETPLACE_CURRENCY,
        )
        return transfer.reference, from_minor_units(first), from_minor_units(second)

    def create_payout(
        self, *, amount: Decimal, account_number: str, account_name: str, bank_name: str
    ) -> str:
        from escrow.tasks import sandbox_deliver_webhook

        transfer = SandboxTransfer.objects.create(
            reference=f"sbx_po_{secrets.token_hex(10)}",
            kind=SandboxTransfer.Kind.PAYOUT,
            account_number=account_number,
            amounts_minor=[to_minor_units(amount)],
            currency=settings.MARKETPLACE_CURRENCY,
        )
        body = sandbox_payout_outcome(transfer).decode()
        transaction.on_commit(lambda: sandbox_deliver_webhook.delay(body))
        return transfer.reference


@transaction.atomic
def sandbox_pay(*, reference: str, card_number: str) -> SandboxCharge:
    """The buyer submits a card on the hosted page; the outcome is sent as a webhook."""
    from escrow.tasks import sandbox_deliver_webhook

    charge = SandboxCharge.objects.select_for_update().get(reference=reference)
    if charge.status != SandboxCharge.Status.PENDING:
        return charge
    card = "".join(card_number.split())
    if card not in TEST_CARDS:
        raise WebhookRejected("Use one of the test cards.", code="unknown_test_card")
    succeeded = card != CARD_DECLINED
    charge.status = SandboxCharge.Status.SUCCEEDED if succeeded else SandboxCharge.Status.DECLINED
    charge.save(update_fields=["status"])
    body = webhook_event(
        reference,
        "payment.succeeded" if succeeded else "payment.failed",
        charge.amount_minor,
        **({} if succeeded else {"reason": "card_declined"}),
    )
    delay = escrow_setting("SANDBOX_DELAYED_SECONDS") if card == CARD_DELAYED else 0
    transaction.on_commit(
        lambda: sandbox_deliver_webhook.apply_async(args=[body.decode()], countdown=delay)
    )
    return charge


def sandbox_webhook_url() -> str:
    return escrow_setting("SANDBOX_WEBHOOK_URL") or (
        settings.SITE_URL + reverse("api:payment-webhook", kwargs={"provider": "sandbox"})
    )


def is_closed_account(account_number: str) -> bool:
    return account_number.endswith(CLOSED_ACCOUNT_SUFFIX)


def sandbox_payout_outcome(transfer: SandboxTransfer) -> bytes:
    """The notification of a payout's outcome, with a fresh event id: paid, or failed with
    ``account_closed`` for a closed test account."""
    amount_minor = transfer.amounts_minor[0]
    if is_closed_account(transfer.account_number):
        return webhook_event(
            transfer.reference, "payout.failed", amount_minor, reason="account_closed"
        )
    return webhook_event(transfer.reference, "payout.paid", amount_minor)
