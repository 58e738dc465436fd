"""Shared steps of the escrow tests: a buyer checks out, the sandbox notifies, and so on."""

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection
from rest_framework.test import APIClient

from escrow.ledger_check import ledger_problems
from escrow.models import Order, Payment
from escrow.providers.sandbox import SIGNATURE_HEADER, sign, webhook_event
from escrow.services.orders import CheckoutLine, checkout_place
from escrow.services.payments import payment_create
from marketplace.accounts.models import User
from marketplace.money import to_minor_units
from shops.models import SKU, Listing


def place(buyer: User, listing: Listing, quantity: int = 1, sku: SKU | None = None) -> Order:
    checkout = checkout_place(
        buyer=buyer,
        lines=[CheckoutLine(sku or listing.skus.first(), quantity)],  # type: ignore[arg-type]
    )
    return checkout.orders.get()


def webhook_body(payment: Payment, event_type: str = "payment.succeeded", **extra: Any) -> bytes:
    return webhook_event(
        payment.provider_reference, event_type, to_minor_units(payment.amount), **extra
    )


def deliver(body: bytes, *, timestamp: int | None = None, signature: str | None = None) -> Any:
    """POST a sandbox webhook to the marketplace, signed unless told otherwise."""
    header = signature if signature is not None else sign(body, timestamp or int(time.time()))
    return APIClient().post(
        "/api/payments/webhooks/sandbox/",
        data=body,
        content_type="application/json",
        **{f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}": header},
    )


def pay(order: Order) -> Payment:
    """The buyer pays the order and the sandbox reports success."""
    payment = payment_create(buyer=order.buyer, order=order)
    response = deliver(webhook_body(payment))
    assert response.status_code == 200, response.content
    payment.refresh_from_db()
    return payment


def assert_ledger_sound() -> None:
    assert ledger_problems() == []


WORKERS = 20  # PostgreSQL allows about 100 connections


def run_in_threads(calls: list[Callable[[], Any]], workers: int = WORKERS) -> list[Any]:
    """Run the calls on ``workers`` threads that start together, each thread on its own database
    connection (closed when the thread is done). Returns each call's result or exception."""
    results: list[Any] = [None] * len(calls)
    pending: queue.SimpleQueue[tuple[int, Callable[[], Any]]] = queue.SimpleQueue()
    for item in enumerate(calls):
        pending.put(item)
    workers = min(workers, len(calls))
    start = threading.Barrier(workers)

    def work() -> None:
        start.wait()
        try:
            while True:
                try:
                    index, call = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[index] = call()
                except Exception as error:  # the outcome is what the test checks
                    results[index] = error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(work) for _ in range(workers)]:
            future.result()
    return results
