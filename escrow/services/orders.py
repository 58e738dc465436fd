"""The buyer's cart, checkout, and the order state machine up to release of escrow.

Lock order, shared with ``shops``: listing, then SKU, then order, then ledger account. Checkout
takes the buyer's row lock first, so one buyer's checkouts run one at a time and the unpaid-order
limits hold under concurrency; stock is reserved with conditional updates
(``shops.services.stock``). Checkout decides here what needs Python and writes everything in one
statement, the database function ``escrow_checkout_place`` (migration 0007).
"""

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from escrow.conf import auto_confirm_after, escrow_setting
from escrow.exceptions import CartEmpty, Unavailable, UnpaidLimitReached
from escrow.models import (
    ORDER_TRANSITIONS,
    CartItem,
    Checkout,
    LedgerAccount,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    Refund,
)
from escrow.providers import get_provider
from escrow.selectors import escrow_held
from escrow.services import ledger
from escrow.services.idempotency import KeyedRequest, StoredResponse, idempotency_outcome
from marketplace.accounts.models import User
from marketplace.db import ids_take, row_json, rows_json
from marketplace.exceptions import ApplicationError, InvalidTransition, PermissionDeniedError
from marketplace.money import to_money
from shops.models import SKU, Listing, Shop
from shops.services import stock

M = TypeVar("M", bound=Model)

TRACKING_FIELD_LENGTH = 60  # Order.carrier and Order.tracking_number

# An order of several shipping methods settles on the slowest one's clock.
SHIPPING_METHOD_ORDER = ["virtual", "express", "post"]


def order_event_record(*, order: Order, type: str, actor: User | None, **data: Any) -> OrderEvent:
    return OrderEvent.objects.create(order=order, type=type, actor=actor, data=data)


def order_qs_select_for_update() -> QuerySet[Order]:
    return Order.objects.order_by("pk").select_for_update(of=("self",))


def sku_unavailable_reason(sku: SKU) -> str:
    """Why a buyer cannot buy this SKU now, or "" when they can."""
    listing = sku.listing
    if listing.shop.status != Shop.Status.ACTIVE:
        return f"the shop is {listing.shop.status}"
    if listing.status != Listing.Status.ACTIVE or not sku.is_active:
        return "no longer on sale"
    if sku.stock == 0:
        return "sold out"
    return ""


# --- Cart -------------------------------------------------------------------------------------


def _check_quantity(quantity: int) -> None:
    limit = escrow_setting("MAX_QUANTITY_PER_LINE")
    if not 1 <= quantity <= limit:
        from django.core.exceptions import ValidationError

        raise ValidationError({"quantity": [f"Choose between 1 and {limit}."]})


@transaction.atomic
def cart_item_set(*, buyer: User, sku: SKU, quantity: int) -> CartItem:
    """Put ``quantity`` of a SKU in the cart (replacing what was there)."""
    _check_quantity(quantity)
    if reason := sku_unavailable_reason(sku):
        raise Unavailable(f"“{sku.listing.title}” cannot be bought: {reason}.")
    if sku.listing.shop.owner_id == buyer.pk:
        raise PermissionDeniedError("You cannot buy from your own shop.", code="own_shop")
    existing = CartItem.objects.filter(buyer=buyer).count()
    item, created = CartItem.objects.update_or_create(
        buyer=buyer, sku=sku, defaults={"quantity": quantity}
    )
    if created and existing >= escrow_setting("MAX_CART_ITEMS"):
        raise UnpaidLimitReached("Your cart is full.", code="cart_full")
    return item


def cart_item_remove(*, buyer: User, sku: SKU) -> None:
    CartItem.objects.filter(buyer=buyer, sku=sku).delete()


# --- Checkout ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutLine:
    sku: SKU
    quantity: int


def _unpaid_limit_refusal(code: str, sku_pk: int | None, lines: list[CheckoutLine]) -> Exception:
    """The refusal for a checkout past the unpaid-order limits of DOMAIN §4."""
    if code == PLACE_REFUSED_ORDERS:
        limit = escrow_setting("MAX_UNPAID_ORDERS")
        return UnpaidLimitReached(
            f"You can have at most {limit} unpaid orders. Pay or cancel some first.",
            extra={"limit": limit},
        )
    limit = escrow_setting("MAX_UNPAID_UNITS_PER_SKU")
    sku = next(line.sku for line in lines if line.sku.pk == sku_pk)
    return UnpaidLimitReached(
        f"You can hold at most {limit} unpaid units of “{sku.listing.title}”.",
        code="unpaid_units_limit_reached",
        extra={"limit": limit, "sku": str(sku.public_id)},
    )


def order_totals(lines: list[CheckoutLine]) -> tuple[Decimal, Decimal, str]:
    goods = sum((line.sku.price * line.quantity for line in lines), Decimal(0))
    listings = {line.sku.listing.pk: line.sku.listing for line in lines}
    shipping = sum((listing.shipping_fee for listing in listings.values()), Decimal(0))
    method = max(
        (listing.shipping_method for listing in listings.values()),
        key=SHIPPING_METHOD_ORDER.index,
    )
    return to_money(goods), to_money(shipping), method


def keep_loaded(instance: Any, **related: list[Any]) -> None:
    """Hand the rows just written to ``instance.<name>.all()`` the way ``prefetch_related``
    does, so the caller can show what was placed without reading it back."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, objects in related.items():
        loaded = getattr(instance, name).all()
        loaded._result_cache, loaded._prefetch_done = list(objects), True
        cache[name] = loaded


# The database function of migration 0007: the key's claim, limits, checkout, orders, lines,
# events, cart, stock and the key's stored response in one statement. Its refusals, by SQLSTATE:
PLACE_REFUSED_ORDERS, PLACE_REFUSED_UNITS, PLACE_REFUSED_STOCK = "MK001", "MK002", "MK003"
PLACE_SQL = """
    SELECT escrow_checkout_place(
        %(checkout)s::jsonb, %(orders)s::jsonb, %(lines)s::jsonb, %(events)s::jsonb,
        %(cart_skus)s::bigint[], %(max_orders)s, %(max_units)s, %(key)s, %(fingerprint)s,
        %(key_ttl)s, %(status)s::smallint, %(body)s::jsonb)
"""


def _place(params: dict[str, Any], lines: list[CheckoutLine]) -> Any:
    """Run the checkout function; a refusal raises its domain error and leaves nothing written.
    One statement is a transaction of its own; inside a caller's transaction, a savepoint keeps
    a refusal from aborting the caller's."""
    try:
        if connection.in_atomic_block:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(PLACE_SQL, params)
                return cursor.fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(PLACE_SQL, params)
            return cursor.fetchone()[0]
    except DatabaseError as error:
        code = getattr(error.__cause__, "pgcode", None)
        if code not in (PLACE_REFUSED_ORDERS, PLACE_REFUSED_UNITS, PLACE_REFUSED_STOCK):
            raise
        detail = error.__cause__.diag.message_detail  # type: ignore[union-attr]
        sku_pk = int(detail) if detail else None
        if code == PLACE_REFUSED_STOCK:
            sku = next(line.sku for line in lines if line.sku.pk == sku_pk)
            raise stock.out_of_stock(sku) from None
        raise _unpaid_limit_refusal(code, sku_pk, lines) from None


def _saved(instance: M) -> M:
    """``instance`` as the ORM leaves a row it has just inserted."""
    instance._state.adding, instance._state.db = False, connection.alias
    return instance


# The response that checkout stores for the request's key, rendered from the placed checkout.
Respond = Callable[[Checkout], Any]


def _checkout_insert(
    buyer: User,
    lines: list[CheckoutLine],
    cart_skus: list[int],
    keyed: tuple[KeyedRequest, Respond] | None,
) -> tuple[Checkout, Any] | StoredResponse:
    """Write the checkout, one order per shop with its lines and "placed" event, and return
    them with the orders, lines and events loaded the way ``prefetch_related`` leaves them, and
    the response stored for the key (or, when the key was used before, the response stored then,
    writing nothing). ``lines`` come in the lock order (listing, then SKU), which stock is
    reserved in."""
    by_shop: dict[int, list[CheckoutLine]] = defaultdict(list)
    for line in lines:
        by_shop[line.sku.listing.shop_id].append(line)
    now = timezone.now()
    checkout_id, order_ids, line_ids, event_ids = ids_take(
        [(Checkout, 1), (Order, len(by_shop)), (OrderLine, len(lines)), (OrderEvent, len(by_shop))]
    )
    checkout = Checkout(pk=checkout_id[0], buyer=buyer, created_at=now)
    orders: list[Order] = []
    order_lines: list[OrderLine] = []
    events: list[OrderEvent] = []
    next_line_id = iter(line_ids)
    for shop_id, order_id, event_id in zip(sorted(by_shop), order_ids, event_ids, strict=True):
        shop_lines = by_shop[shop_id]
        goods, shipping, method = order_totals(shop_lines)
        order = Order(
            pk=order_id,
            checkout=checkout,
            buyer=buyer,
            shop=shop_lines[0].sku.listing.shop,
            goods_total=goods,
            shipping_total=shipping,
            total=goods + shipping,
            shipping_method=method,
            created_at=now,
            payment_deadline=now + escrow_setting("PAYMENT_TIMEOUT"),
        )
        placed_lines = [
            OrderLine(
                pk=next(next_line_id),
                order=order,
                sku=line.sku,
                listing=line.sku.listing,
                title=line.sku.listing.title,
                sku_label=line.sku.label if line.sku.attributes else "",
                unit_price=line.sku.price,
                quantity=line.quantity,
                line_total=line.sku.price * line.quantity,
                commission_rate=line.sku.listing.category.commission_rate,
            )
            for line in shop_lines
        ]
        event = OrderEvent(
            pk=event_id,
            order=order,
            type="placed",
            actor=buyer,
            data={"total": str(order.total)},
            created_at=now,
        )
        keep_loaded(order, lines=placed_lines, events=[event], refunds=[])
        orders.append(order)
        order_lines += placed_lines
        events.append(event)
    keep_loaded(checkout, orders=orders)
    order_lines.sort(key=lambda line: (line.listing_id, line.sku_id))  # the lock order
    key, body = (None, None) if keyed is None else (keyed[0], keyed[1](checkout))
    claim = _place(
        {
            "checkout": row_json(checkout),
            "orders": rows_json(orders),
            "lines": rows_json(order_lines),
            "events": rows_json(events),
            "cart_skus": cart_skus,
            "max_orders": escrow_setting("MAX_UNPAID_ORDERS"),
            "max_units": escrow_setting("MAX_UNPAID_UNITS_PER_SKU"),
            "key": key and key.key,
            "fingerprint": key and key.fingerprint,
            "key_ttl": escrow_setting("IDEMPOTENCY_KEY_TTL"),
            "status": 201,
            "body": None if body is None else json.dumps(body, cls=DjangoJSONEncoder),
        },
        lines,
    )
    if key is not None:
        claimed = idempotency_outcome(
            user=buyer, key=key.key, fingerprint=key.fingerprint, now=now, claim=json.loads(claim)
        )
        if isinstance(claimed, StoredResponse):
            return claimed
    for instance in [checkout, *orders, *order_lines, *events]:
        _saved(instance)
    return checkout, body


def checkout_place(*, buyer: User, lines: list[CheckoutLine] | None = None) -> Checkout:
    """Turn the given lines (or the whole cart) into one order per shop, reserving stock. The
    checkout comes back with its orders, their lines and events loaded.

    All or nothing: an unavailable SKU, a limit or too little stock leaves no order, no reserved
    stock and the cart as it was. The writes are one statement (``escrow_checkout_place``), so
    one transaction, that holds the buyer's lock while it checks the unpaid limits.
    """
    placed = _checkout(buyer, lines, None)
    assert not isinstance(placed, StoredResponse)
    return placed[0]


def checkout_place_keyed(
    *, buyer: User, lines: list[CheckoutLine] | None, keyed: KeyedRequest, respond: Respond
) -> tuple[Checkout, Any] | StoredResponse:
    """``checkout_place`` for a request with an ``Idempotency-Key``: the key is claimed, and
    ``respond(checkout)`` stored as its 201 response, in the same transaction as the orders. The
    checkout and that response, or the response stored for the key earlier, placing nothing.
    Raises as ``checkout_place`` does (leaving the key unclaimed), and ``IdempotencyInProgress``
    or ``IdempotencyKeyReused`` for the key."""
    return _checkout(buyer, lines, (keyed, respond))


def _checkout(
    buyer: User, lines: list[CheckoutLine] | None, keyed: tuple[KeyedRequest, Respond] | None
) -> tuple[Checkout, Any] | StoredResponse:
    from_cart = lines is None
    if lines is None:
        lines = [
            CheckoutLine(item.sku, item.quantity)
            for item in CartItem.objects.filter(buyer=buyer).select_related(
                "sku__listing__shop", "sku__listing__category"
            )
        ]
    if not lines:
        raise CartEmpty("Your cart is empty.")
    merged: dict[int, CheckoutLine] = {}
    for line in lines:
        _check_quantity(line.quantity)
        previous = merged.get(line.sku.pk)
        merged[line.sku.pk] = CheckoutLine(
            line.sku, line.quantity + (previous.quantity if previous else 0)
        )
    lines = sorted(merged.values(), key=lambda line: (line.sku.listing_id, line.sku.pk))
    problems = {
        str(line.sku.public_id): reason
        for line in lines
        if (reason := sku_unavailable_reason(line.sku)) and reason != "sold out"
    }
    if problems:
        raise Unavailable("Some items cannot be bought now.", extra={"skus": problems})
    if any(line.sku.listing.shop.owner_id == buyer.pk for line in lines):
        raise PermissionDeniedError("You cannot buy from your own shop.", code="own_shop")
    cart_skus = [line.sku.pk for line in lines] if from_cart else []
    return _checkout_insert(buyer, lines, cart_skus, keyed)


# --- The order state machine ------------------------------------------------------------------


ACTION_DONE = {
    "pay": "paid",
    "cancel": "cancelled",
    "ship": "shipped",
    "confirm_receipt": "confirmed as received",
    "extend": "given more time",
    "refund": "refunded",
}


def _transition(order: Order, action: str) -> str | None:
    """The target state, or None when the order is already there."""
    sources, target = ORDER_TRANSITIONS[action]
    if order.status == target and order.status not in sources:
        return None
    if order.status not in sources:
        raise InvalidTransition(
            f"A {order.status.replace('_', ' ')} order cannot be {ACTION_DONE[action]}.",
            extra={"status": order.status, "action": action},
        )
    return target


# Plain SQL: every service that changes an order starts here (settlement once per due order),
# and the ORM's compiled equivalent costs about three times the CPU.
ORDER_LOCK_SQL = "SELECT * FROM escrow_order WHERE id = %s FOR UPDATE"


def order_lock(order_pk: int) -> Order:
    """The order, locked until the end of the transaction (its shop loads when first used)."""
    for order in Order.objects.raw(ORDER_LOCK_SQL, [order_pk]):
        return order
    raise Order.DoesNotExist(f"No order {order_pk}.")


PAYMENT_ORDERS_LOCK_SQL = """
    SELECT o.* FROM escrow_order o JOIN escrow_payment_orders paid ON paid.order_id = o.id
     WHERE paid.payment_id = %s
     ORDER BY o.id
       FOR UPDATE OF o
"""


def orders_lock_for_payment(payment_pk: int) -> list[Order]:
    """The orders a payment pays, locked in primary-key order (plain SQL like ``order_lock``:
    each payment's webhook runs it)."""
    return list(Order.objects.raw(PAYMENT_ORDERS_LOCK_SQL, [payment_pk]))


def has_open_refund(order: Order) -> bool:
    return Refund.objects.filter(order=order, status__in=Refund.OPEN).exists()


def _return_stock(order: Order) -> None:
    for line in order.lines.select_related("sku").order_by("listing_id", "sku_id"):
        stock.stock_release(sku=line.sku, quantity=line.quantity)


CLOSE_FIELDS = ["status", "close_reason", "closed_at"]


def _close(order: Order, *, reason: str, actor: User | None, **data: Any) -> None:
    """Close the order (its escrow already empty); goods that never left come back on sale."""
    if order.status in (Order.Status.AWAITING_PAYMENT, Order.Status.PAID):
        _return_stock(order)
    order.status, order.close_reason, order.closed_at = Order.Status.CLOSED, reason, timezone.now()
    order.confirm_deadline = order.confirm_time_left = None
    order.save(update_fields=[*CLOSE_FIELDS, "confirm_deadline", "confirm_time_left"])
    order_event_record(order=order, type="closed", actor=actor, reason=reason, **data)


@transaction.atomic(durable=True)
def order_cancel(
    *, order: Order, actor: User | None, reason: str = "cancelled_by_buyer", timed_out: bool = False
) -> Order:
    """Close an unpaid order and give its stock back (money that arrives for it later is
    refunded automatically), or, once the seller has missed the shipping deadline, close a paid
    order with a full refund. ``timed_out``: the payment deadline passed (the settlement sweep);
    an order that is not yet due, or was paid meanwhile, is left as it is."""
    order = order_lock(order.pk)
    if order.status == Order.Status.CLOSED:
        return order
    if timed_out and (
        order.status != Order.Status.AWAITING_PAYMENT or order.payment_deadline > timezone.now()
    ):
        return order
    _transition(order, "cancel")
    if order.status == Order.Status.PAID:
        assert order.ship_deadline is not None
        if timezone.now() < order.ship_deadline:
            raise InvalidTransition(
                "The seller still has time to ship this order. Ask for a refund instead.",
                code="ship_deadline_not_passed",
                extra={"ship_deadline": order.ship_deadline.isoformat()},
            )
        for refund in Refund.objects.select_for_update().filter(
            order=order, status__in=Refund.OPEN
        ):
            refund_end(refund, status=Refund.Status.CLOSED, close_reason="order_cancelled")
        held = escrow_held(order)
        escrow_refund(order=order, amount=held, refund=None, actor=actor, reason=reason)
        return order
    _close(order, reason=reason, actor=actor)
    return order


@transaction.atomic(durable=True)
def order_ship(*, order: Order, actor: User, carrier: str, tracking_number: str) -> Order:
    """The seller hands the parcel to a carrier; the buyer's confirmation clock starts (paused
    while a refund request is open)."""
    from django.core.exceptions import ValidationError

    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    values = {"carrier": carrier, "tracking_number": tracking_number}
    missing = {"carrier": "Name the carrier.", "tracking_number": "Enter the tracking number."}
    errors = {
        field: [missing[field] if not value else f"At most {TRACKING_FIELD_LENGTH} characters."]
        for field, value in values.items()
        if not value or len(value) > TRACKING_FIELD_LENGTH
    }
    order = order_lock(order.pk)
    if order.status == Order.Status.SHIPPED and order.tracking_number == tracking_number:
        return order
    target = _transition(order, "ship")
    if target is None:
        raise InvalidTransition(
            f"This order has already shipped with tracking number {order.tracking_number}.",
            extra={"status": order.status, "action": "ship"},
        )
    if order.shipping_method == "virtual":  # nothing travels: carrier and tracking are optional
        errors = {field: messages for field, messages in errors.items() if values[field]}
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    order.status, order.shipped_at = target, now
    order.carrier, order.tracking_number = carrier, tracking_number
    order.confirm_deadline = now + auto_confirm_after(order.shipping_method)
    order.save(
        update_fields=["status", "shipped_at", "carrier", "tracking_number", "confirm_deadline"]
    )
    if has_open_refund(order):
        clock_pause(order)
    order_event_record(
        order=order,
        type="shipped",
        actor=actor,
        carrier=carrier,
        tracking_number=tracking_number,
    )
    return order


@transaction.atomic(durable=True)
def order_extend_confirmation(*, order: Order, actor: User, days: int) -> Order:
    """Give the buyer more time before a shipped order completes by itself: the buyer once by
    ``ESCROW_BUYER_EXTENSION_DAYS``, the seller once by one of ``ESCROW_SELLER_EXTENSION_DAYS``."""
    order = order_lock(order.pk)
    _transition(order, "extend")
    by_buyer = actor.pk == order.buyer_id
    field = "buyer_extension_days" if by_buyer else "seller_extension_days"
    allowed = (
        (escrow_setting("BUYER_EXTENSION_DAYS"),)
        if by_buyer
        else tuple(escrow_setting("SELLER_EXTENSION_DAYS"))
    )
    if days not in allowed:
        raise ApplicationError(
            f"Extend by one of: {', '.join(map(str, allowed))} days.",
            code="invalid_extension",
            extra={"allowed": list(allowed)},
        )
    if getattr(order, field) == days:
        return order  # the same extension again: already done
    if getattr(order, field):
        raise InvalidTransition(
            "You have already extended this order once.", code="already_extended"
        )
    extra = timedelta(days=days)
    if order.confirm_deadline is not None:
        order.confirm_deadline += extra
    else:  # paused by a refund request: the time left grows
        order.confirm_time_left = (order.confirm_time_left or timedelta(0)) + extra
    setattr(order, field, days)
    order.save(update_fields=[field, "confirm_deadline", "confirm_time_left"])
    order_event_record(
        order=order,
        type="confirmation_extended",
        actor=actor,
        days=days,
        by="buyer" if by_buyer else "seller",
        confirm_deadline=order.confirm_deadline and order.confirm_deadline.isoformat(),
    )
    return order


def clock_pause(order: Order) -> None:
    """A refund request opened: the auto-confirm clock stops, keeping the time left."""
    if order.status != Order.Status.SHIPPED or order.confirm_deadline is None:
        return
    order.confirm_time_left = max(order.confirm_deadline - timezone.now(), timedelta(0))
    order.confirm_deadline = None
    order.save(update_fields=["confirm_deadline", "confirm_time_left"])


def clock_resume(order: Order) -> None:
    """No refund request is open any more: the clock runs on from where it stopped."""
    if order.status != Order.Status.SHIPPED or order.confirm_time_left is None:
        return
    order.confirm_deadline = timezone.now() + order.confirm_time_left
    order.confirm_time_left = None
    order.save(update_fields=["confirm_deadline", "confirm_time_left"])


def order_commission(order: Order) -> Decimal:
    return sum(
        (to_money(line.line_total * line.commission_rate) for line in order.lines.all()),
        Decimal(0),
    )


@dataclass(frozen=True)
class ReleaseContext:
    """What releasing an order's escrow reads, taken under the order's lock."""

    refund_open: bool
    commission_shares: list[Decimal]  # line_total × commission_rate of each line, unrounded
    escrow: ledger.LedgerAccount | None
    seller: ledger.LedgerAccount | None
    commission: ledger.LedgerAccount | None


# Plain SQL: one statement instead of five (whether a refund request is open, the lines'
# commission, and the escrow, seller and platform commission accounts). Settling a backlog of
# orders runs it once per order. It reads after the order's lock is taken, so what it sees is
# current: refund requests and the escrow balance change only under that lock.
RELEASE_CONTEXT_SQL = """
    SELECT o.refund_open, o.commission_shares, a.id, a.kind, a.balance
      FROM (SELECT EXISTS (SELECT 1 FROM escrow_refund
                            WHERE order_id = %(order)s AND status = ANY(%(open)s)) AS refund_open,
                   ARRAY(SELECT line_total * commission_rate FROM escrow_orderline
                          WHERE order_id = %(order)s) AS commission_shares) AS o
      LEFT JOIN escrow_ledgeraccount a
        ON (a.kind = %(escrow)s AND a.order_id = %(order)s AND a.shop_id IS NULL)
        OR (a.kind = %(seller)s AND a.order_id IS NULL AND a.shop_id = %(shop)s)
        OR (a.kind = %(platform)s AND a.order_id IS NULL AND a.shop_id IS NULL)
"""


def release_context(order: Order) -> ReleaseContext:
    with connection.cursor() as cursor:
        cursor.execute(
            RELEASE_CONTEXT_SQL,
            {
                "order": order.pk,
                "shop": order.shop_id,
                "open": list(Refund.OPEN),
                "escrow": ledger.Kind.ESCROW,
                "seller": ledger.Kind.SELLER_AVAILABLE,
                "platform": ledger.Kind.PLATFORM_COMMISSION,
            },
        )
        rows = cursor.fetchall()
    accounts: dict[str, ledger.LedgerAccount] = {}
    for _, _, pk, kind, balance in rows:
        if pk is not None:
            account = LedgerAccount(pk=pk, kind=kind, balance=balance)
            account._state.adding, account._state.db = False, connection.alias
            accounts[kind] = account
    return ReleaseContext(
        refund_open=rows[0][0],
        commission_shares=rows[0][1],
        escrow=accounts.get(ledger.Kind.ESCROW),
        seller=accounts.get(ledger.Kind.SELLER_AVAILABLE),
        commission=accounts.get(ledger.Kind.PLATFORM_COMMISSION),
    )


def escrow_release(
    *, order: Order, actor: User | None, context: ReleaseContext | None = None
) -> Decimal:
    """Pay the seller what is in the order's escrow, minus the platform's commission (after a
    partial refund, on the share of the order that is released). Returns what the seller got.
    ``context``: what ``release_context`` read under the order's lock, if the caller has it."""
    context = context or release_context(order)
    held = context.escrow
    if held is None or held.balance <= 0:
        return Decimal(0)
    commission = sum((to_money(share) for share in context.commission_shares), Decimal(0))
    if held.balance < order.total:
        commission = to_money(commission * held.balance / order.total)
    commission = min(commission, held.balance)
    seller = context.seller or ledger.ledger_account(ledger.Kind.SELLER_AVAILABLE, shop=order.shop)
    platform = context.commission or ledger.ledger_account(ledger.Kind.PLATFORM_COMMISSION)
    ledger.ledger_post(
        kind="release",
        description=f"Order {order.public_id} completed",
        order=order,
        movements=[
            (held, -held.balance),
            (seller, held.balance - commission),
            (platform, commission),
        ],
    )
    return held.balance - commission


def escrow_refund(
    *, order: Order, amount: Decimal, refund: Refund | None, actor: User | None, reason: str
) -> None:
    """Send ``amount`` of the order's escrow back to the buyer through the provider. When the
    escrow is empty afterwards, the order closes (fully refunded). Runs under the order's lock."""
    held = ledger.escrow_account(order)  # read fresh, under the order's lock
    if amount <= 0 or amount > held.balance:
        raise ApplicationError(
            f"At most {held.balance} can be refunded from this order.",
            code="refund_amount_too_large",
            extra={"max_amount": str(held.balance)},
        )
    payment = order.payments.filter(status=Payment.Status.SUCCEEDED).order_by("pk").first()
    assert payment is not None, "money in escrow came with a payment"
    ledger.ledger_post(
        kind="refund",
        description=f"Refund of {amount} for order {order.public_id}",
        order=order,
        payment=payment,
        refund=refund,
        movements=[(held, -amount), (ledger.clearing_account(), amount)],
    )
    order_event_record(
        order=order,
        type="refunded",
        actor=actor,
        amount=str(amount),
        reason=reason,
        **({"refund": str(refund.public_id)} if refund else {}),
    )
    provider, reference = get_provider(payment.provider), payment.provider_reference
    transaction.on_commit(lambda: provider.refund(reference=reference, amount=amount))
    if amount == held.balance:
        _transition(order, "refund")
        _close(order, reason=reason, actor=actor)


@transaction.atomic(durable=True)
def order_confirm_receipt(*, order: Order, actor: User | None, timed_out: bool = False) -> Order:
    """The buyer says the goods arrived, or (``timed_out``, the settlement sweep) the
    auto-confirm deadline passed: escrow is released. Not while a refund request is open."""
    order = order_lock(order.pk)
    if order.status == Order.Status.COMPLETED:
        return order
    if timed_out and (
        order.status != Order.Status.SHIPPED
        or order.confirm_deadline is None
        or order.confirm_deadline > timezone.now()
    ):
        return order  # not due (extended, paused or already settled meanwhile)
    _transition(order, "confirm_receipt")
    context = release_context(order)
    if context.refund_open:
        raise InvalidTransition(
            "A refund request is open on this order. Withdraw it first or wait for it to end.",
            code="refund_open",
        )
    order_complete(order, actor=actor, automatic=timed_out, context=context)
    return order


def order_complete(
    order: Order,
    *,
    actor: User | None,
    automatic: bool = False,
    context: ReleaseContext | None = None,
) -> None:
    """Release the escrow and complete the order (under its lock)."""
    released = escrow_release(order=order, actor=actor, context=context)
    order.status, order.completed_at = Order.Status.COMPLETED, timezone.now()
    order.confirm_deadline = order.confirm_time_left = None
    order.save(update_fields=["status", "completed_at", "confirm_deadline", "confirm_time_left"])
    data = {"automatic": True} if automatic else {}
    order_event_record(order=order, type="completed", actor=actor, released=str(released), **data)


def refund_end(refund: Refund, *, status: str, close_reason: str = "", **fields: Any) -> None:
    """Finish a refund request (under the order's and its own lock), saving ``fields`` (such as
    ``refunded_amount``) with it."""
    refund.status, refund.close_reason, refund.deadline = status, close_reason, None
    for name, value in fields.items():
        setattr(refund, name, value)
    refund.save(update_fields=["status", "close_reason", "deadline", "updated_at", *fields])
