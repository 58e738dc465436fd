"""Demo trades for ``seed_demo``: the demo buyers order from the demo shops, in every state.

Each demo buyer (``marketplace.accounts.demo.DEMO_USERS``) places two or three checkouts of the
demo shops' active listings, some spanning two shops. ``TRADE_CYCLE`` decides how far each
checkout gets, so the marketplace shows orders awaiting payment, paid, shipped, many completed
(sellers have balances) and a few closed, one of them with a payment that arrived after the
buyer cancelled and went straight back; and after-sale cases: a refund request waiting for the
seller, a return on its way back, a dispute waiting for staff and a partly refunded order.
Everything goes through the services buyers, sellers and
the payment provider use: ``checkout_place``, ``payment_create``, the provider's signed success
webhook through ``webhook_receive``, ``order_ship``, ``order_confirm_receipt``, ``order_cancel``.

Each buyer draws from a ``random.Random`` seeded with their username, so every run trades the same
way, and a buyer who already has orders is skipped, so running ``seed_demo`` again adds nothing.

The order and payment services own their database transactions, so each step is marked
``owns_transactions`` and ``seed_demo`` runs it outside a transaction of its own.
"""

import random
import time
from collections.abc import Callable
from functools import partial

from escrow.models import Checkout, Order, Payment, SandboxCharge
from escrow.providers.sandbox import SIGNATURE_HEADER, sign, webhook_event
from escrow.services.orders import (
    CheckoutLine,
    checkout_place,
    order_cancel,
    order_confirm_receipt,
    order_ship,
)
from escrow.services.payments import payment_create, webhook_receive
from escrow.services.refunds import (
    refund_agree,
    refund_escalate,
    refund_refuse,
    refund_request,
    refund_ship_return,
)
from marketplace.accounts.demo import DEMO_USERS
from marketplace.accounts.models import User
from marketplace.money import to_minor_units
from shops.models import SKU, Listing, Shop

Status = Order.Status

# How far the n-th checkout of all demo buyers gets, in turn.
TRADE_CYCLE = [
    Status.COMPLETED,
    Status.SHIPPED,
    Status.COMPLETED,
    Status.PAID,
    Status.AWAITING_PAYMENT,
    Status.COMPLETED,
    Status.CLOSED,
    Status.COMPLETED,
    Status.SHIPPED,
    Status.PAID,
    "refund_requested",  # after-sale: shipped, and the buyer asks for money back
    Status.COMPLETED,
    "disputed",
    "return_shipped",
    "paid_after_cancel",  # closed, and the buyer's payment arrives a moment later
    "partly_refunded",
]
# How far the after-sale outcomes go, each on a shipped order.
AFTER_SALE = {"refund_requested", "return_shipped", "disputed", "partly_refunded"}
CHECKOUTS_PER_BUYER = (2, 3)
TWO_SHOP_SHARE = 0.2  # of checkouts with items from two shops
CARRIERS = {
    "SF Express": "SF",
    "ZTO Express": "ZTO",
    "YTO Express": "YT",
    "China Post EMS": "EMS",
    "JD Logistics": "JD",
}


def steps() -> list[tuple[str, Callable[[], None]]]:
    """The demo buyers' trades, then payouts of some of the money the demo shops earned."""
    from escrow import demo_payouts

    plan = trade_plan()
    return [
        *(
            (f"orders of {username}", _buyer_step(username, plan[username]))
            for username, _, _ in DEMO_USERS
        ),
        *demo_payouts.steps(),
    ]


def trade_plan() -> dict[str, list[str]]:
    """How far each demo buyer's checkouts get, in the order they are placed."""
    plan: dict[str, list[str]] = {}
    turn = 0
    for username, _, _ in DEMO_USERS:
        count = random.Random(f"checkouts of {username}").choice(CHECKOUTS_PER_BUYER)  # noqa: S311
        plan[username] = [TRADE_CYCLE[(turn + n) % len(TRADE_CYCLE)] for n in range(count)]
        turn += count
    return plan


def _buyer_step(username: str, statuses: list[str]) -> Callable[[], None]:
    step = partial(trade, username, statuses)
    step.owns_transactions = True  # type: ignore[attr-defined]
    return step


def trade(username: str, statuses: list[str]) -> None:
    """The buyer's checkouts, each taken as far as ``statuses`` says; once per buyer."""
    buyer = User.objects.filter(username__iexact=username).first()
    if buyer is None or Order.objects.filter(buyer=buyer).exists():
        return
    rng = random.Random(f"orders of {username}")  # noqa: S311 (reproducible demo data)
    on_sale = _skus_on_sale(buyer)
    bought: set[int] = set()
    for status in statuses:
        lines = _pick_lines(rng, on_sale, bought)
        if not lines:
            return
        checkout = checkout_place(buyer=buyer, lines=lines)
        _take_to(checkout, status, rng)


def _skus_on_sale(buyer: User) -> dict[int, list[SKU]]:
    """Per shop, the SKUs a buyer can order a few of, in a stable order."""
    skus = (
        SKU.objects.filter(
            is_active=True,
            stock__gte=5,
            listing__status=Listing.Status.ACTIVE,
            listing__shop__status=Shop.Status.ACTIVE,
        )
        .exclude(listing__shop__owner=buyer)
        .select_related("listing__shop", "listing__category")
        .order_by("listing__shop_id", "listing_id", "position", "pk")
    )
    by_shop: dict[int, list[SKU]] = {}
    for sku in skus:
        by_shop.setdefault(sku.listing.shop_id, []).append(sku)
    return by_shop


def _pick_lines(
    rng: random.Random, on_sale: dict[int, list[SKU]], bought: set[int]
) -> list[CheckoutLine]:
    """One or two shops, one or two SKUs from each, never a SKU this buyer has bought before (the
    unpaid-units limit stays far away)."""
    shops = sorted(on_sale)
    if not shops:
        return []
    shop_count = 2 if rng.random() < TWO_SHOP_SHARE and len(shops) > 1 else 1
    lines = []
    for shop_id in rng.sample(shops, shop_count):
        candidates = [sku for sku in on_sale[shop_id] if sku.pk not in bought]
        for sku in rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2)))):
            bought.add(sku.pk)
            lines.append(CheckoutLine(sku, rng.choice((1, 1, 1, 2))))
    return lines


def _take_to(checkout: Checkout, status: str, rng: random.Random) -> None:
    buyer = checkout.buyer
    if status == Status.AWAITING_PAYMENT:
        return
    if status in (Status.CLOSED, "paid_after_cancel"):
        paid_too_late = status == "paid_after_cancel"
        payment = payment_create(buyer=buyer, checkout=checkout) if paid_too_late else None
        for order in checkout.orders.order_by("pk"):
            order_cancel(order=order, actor=buyer)
        if payment is not None:
            _provider_reports_success(payment)
        return
    _provider_reports_success(payment_create(buyer=buyer, checkout=checkout))
    if status == Status.PAID:
        return
    for order in checkout.orders.select_related("shop__owner").order_by("pk"):
        carrier, tracking_number = _parcel(rng, order)
        order_ship(
            order=order, actor=order.shop.owner, carrier=carrier, tracking_number=tracking_number
        )
        if status == Status.COMPLETED:
            order_confirm_receipt(order=order, actor=buyer)
        elif status in AFTER_SALE:
            _after_sale(order, status, rng)


def _after_sale(order: Order, outcome: str, rng: random.Random) -> None:
    """The buyer of a shipped order asks for money back, and it goes as far as ``outcome``."""
    buyer, seller = order.buyer, order.shop.owner
    with_return = outcome in ("refund_requested", "return_shipped")
    refund = refund_request(
        order=order,
        buyer=buyer,
        reason="damaged" if with_return else "not_as_described",
        amount=order.lines.order_by("pk")[0].line_total,
        with_return=with_return,
        description=rng.choice(REFUND_STORIES),
    )
    if outcome == "return_shipped":
        refund_agree(refund=refund, actor=seller)
        carrier = rng.choice(sorted(CARRIERS))
        refund_ship_return(
            refund=refund,
            actor=buyer,
            carrier=carrier,
            tracking_number=f"{CARRIERS[carrier]}{rng.randrange(10**11, 10**12)}",
        )
    elif outcome == "disputed":
        refund_refuse(refund=refund, actor=seller, reason="The item was sent as pictured.")
        refund_escalate(refund=refund, actor=buyer, statement="The colour is not the one shown.")
    elif outcome == "partly_refunded":
        refund_agree(refund=refund, actor=seller)
        order_confirm_receipt(order=order, actor=buyer)


REFUND_STORIES = [
    "包装破损，里面有一件碎了。",
    "The jar arrived cracked.",
    "颜色和图片不一样。",
    "Smaller than described.",
]


def _parcel(rng: random.Random, order: Order) -> tuple[str, str]:
    if order.shipping_method == Listing.ShippingMethod.VIRTUAL:
        return "", ""
    carrier = rng.choice(sorted(CARRIERS))
    return carrier, f"{CARRIERS[carrier]}{rng.randrange(10**11, 10**12)}"


def _provider_reports_success(payment: Payment) -> None:
    """The buyer pays on the sandbox's hosted page and the sandbox notifies the marketplace. The
    sandbox's own record is updated as its pay page would; the notification is signed and goes
    through the same ``webhook_receive`` as one arriving over HTTP."""
    SandboxCharge.objects.filter(
        reference=payment.provider_reference, status=SandboxCharge.Status.PENDING
    ).update(status=SandboxCharge.Status.SUCCEEDED)
    body = webhook_event(
        payment.provider_reference, "payment.succeeded", to_minor_units(payment.amount)
    )
    headers = {SIGNATURE_HEADER: sign(body, int(time.time()))}
    webhook_receive(provider_name=payment.provider, body=body, headers=headers)
