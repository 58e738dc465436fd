"""The seller's order pages: their own shop's orders, shipping them, and the shop's balance.

A seller only ever sees orders of the shop they own; any other order is a 404, whether it
exists or not.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from escrow import selectors
from escrow.models import (
    Dispute,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderEvent,
    Refund,
)
from escrow.services import orders
from escrow.web.forms import ExtendConfirmationForm, ShipForm, add_service_errors
from marketplace.accounts.models import User
from marketplace.exceptions import ApplicationError
from marketplace.money import format_money
from shops.models import Listing, Shop
from shops.selectors import shop_get_for_owner

PAGE_SIZE = 20

Status = Order.Status
STATUS_LABELS: dict[str, str] = {
    Status.AWAITING_PAYMENT: "Awaiting payment",
    Status.PAID: "Paid — to ship",
    Status.SHIPPED: "Shipped",
    Status.COMPLETED: "Completed",
    Status.CLOSED: "Closed",
}
SHIPPING_LABELS: dict[str, str] = {
    Listing.ShippingMethod.EXPRESS: "Express delivery",
    Listing.ShippingMethod.POST: "China Post",
    Listing.ShippingMethod.VIRTUAL: "Virtual goods (nothing to post)",
}
LEDGER_KIND_LABELS: dict[str, str] = {
    LedgerTransaction.Kind.PAYMENT: "Payment into escrow",
    LedgerTransaction.Kind.RELEASE: "Order completed — escrow released",
    LedgerTransaction.Kind.REFUND: "Refund to the buyer",
    LedgerTransaction.Kind.PAYOUT_REQUEST: "Payout requested",
    LedgerTransaction.Kind.PAYOUT_SETTLED: "Payout sent to your bank",
    LedgerTransaction.Kind.PAYOUT_RETURNED: "Payout bounced — back in your balance",
}
ACCOUNT_LABELS: dict[str, str] = {
    LedgerAccount.Kind.SELLER_AVAILABLE: "Available",
    LedgerAccount.Kind.SELLER_PAYOUT_PENDING: "Payouts pending",
}

# What the timeline calls each step of the after-sale; other events read as their type.
EVENT_LABELS: dict[str, str] = {
    "refund_requested": "Refund requested",
    "refund_agreed": "Refund agreed",
    "refund_refused": "Refund refused",
    "return_shipped": "Goods sent back",
    "return_received": "Return confirmed",
    "refund_withdrawn": "Refund request withdrawn",
    "refund_closed": "Refund request closed",
    "refunded": "Money refunded to the buyer",
    "dispute_opened": "Taken to marketplace staff",
    "dispute_decided": "Staff decided the dispute",
    "confirmation_extended": "Confirmation time extended",
}
# An event the system took because someone stayed silent past a deadline.
SILENT_LABELS: dict[str, str] = {
    "refund_agreed": "Refund agreed automatically — no answer in time",
    "return_received": "Return confirmed automatically — not confirmed in time",
    "completed": "Completed automatically — the confirmation time ran out",
}
CLOSE_REASON_WORDS: dict[str, str] = {
    "return_not_shipped": "the goods were not sent back in time",
    "refund": "after a refund request",
    "dispute": "after a staff decision",
}
# Refund requests that wait for the seller: an answer, or the confirmation of a return.
WAITING_FOR_SELLER = (Refund.Status.REQUESTED, Refund.Status.RETURN_SHIPPED)

ShopView = Callable[..., HttpResponse]


def shop_required(view: ShopView) -> ShopView:
    """Log-in required; the view gets the user's own shop, or the user is sent to open one."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        shop = shop_get_for_owner(user=_user(request))
        if shop is None:
            messages.info(request, "Open your shop first — it is free.")
            return redirect("seller:shop_open")
        return view(request, shop, *args, **kwargs)

    return wrapper


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _own_order(shop: Shop, public_id: Any) -> Order:
    order = selectors.order_get_for_shop(shop=shop, public_id=public_id)
    if order is None:
        raise Http404("No such order in your shop.")
    return order


def short_id(order: Order) -> str:
    return str(order.public_id)[:8]


def refunds_waiting(shop: Shop) -> int:
    """How many refund requests wait for the seller (the count beside "Refunds" in the menu)."""
    return selectors.refund_list_for_shop(shop=shop).filter(status__in=WAITING_FOR_SELLER).count()


def ship_deadline(order: Order) -> datetime | None:
    """When a paid order should have shipped by; None once it is no longer waiting to ship."""
    return order.ship_deadline if order.status == Status.PAID else None


@dataclass(frozen=True)
class OrderRow:
    """One order as the list and the detail page show it."""

    order: Order
    now: datetime

    @property
    def short_id(self) -> str:
        return short_id(self.order)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.order.status, self.order.status)

    @property
    def ship_by(self) -> datetime | None:
        return ship_deadline(self.order)

    @property
    def must_ship_now(self) -> bool:
        deadline = self.ship_by
        return deadline is not None and deadline < self.now

    @property
    def close_reason(self) -> str:
        return self.order.close_reason.replace("_", " ")

    @property
    def items_summary(self) -> str:
        lines = list(self.order.lines.all())
        shown = ", ".join(f"{line.title} × {line.quantity}" for line in lines[:2])
        return f"{shown} and {len(lines) - 2} more" if len(lines) > 2 else shown


# --- Orders -----------------------------------------------------------------------------------


@shop_required
def order_list(request: HttpRequest, shop: Shop) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in STATUS_LABELS:
        status = ""
    counts = dict(
        selectors.order_list_for_shop(shop=shop)
        .prefetch_related(None)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    found = (
        selectors.order_list_for_shop(shop=shop, status=status)
        .prefetch_related(None)
        .prefetch_related("lines")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    context = {
        "shop": shop,
        "page": page,
        "rows": [OrderRow(order, now) for order in page],
        "status": status,
        "tabs": [("", "All", sum(counts.values()))]
        + [(value, label, counts.get(value, 0)) for value, label in STATUS_LABELS.items()],
    }
    return render(request, "escrow/seller/order_list.html", context)


@dataclass(frozen=True)
class TimelineEntry:
    label: str
    actor: str
    created_at: datetime
    detail: str


def _timeline_entry(event: OrderEvent) -> TimelineEntry:
    data = event.data or {}
    details = []
    if data.get("carrier") or data.get("tracking_number"):
        details.append(f"{data.get('carrier', '')} {data.get('tracking_number', '')}".strip())
    if event.type == "dispute_decided" and data.get("decision") in Dispute.Decision.values:
        details.append(Dispute.Decision(data["decision"]).label)
    if data.get("amount"):
        details.append(format_money(Decimal(data["amount"])))
    if event.type == "refund_requested":
        if data.get("reason") in Refund.Reason.values:
            details.append(Refund.Reason(data["reason"]).label)
        details.append("with return" if data.get("with_return") else "no return")
    elif event.type in ("refund_refused", "dispute_decided"):  # the seller's or staff's words
        details.append(f"“{data.get('reason', '')}”")
    elif data.get("reason"):
        reason = str(data["reason"])
        details.append(CLOSE_REASON_WORDS.get(reason, reason.replace("_", " ")))
    if event.type == "confirmation_extended":
        details.append(f"{data.get('days')} more days, by the {data.get('by', 'seller')}")
    silent = data.get("seller_silent") or data.get("automatic")
    return TimelineEntry(
        label=(SILENT_LABELS.get(event.type) if silent else None)
        or EVENT_LABELS.get(event.type, event.label),
        actor=event.actor.username if event.actor else "system",
        created_at=event.created_at,
        detail=" · ".join(details),
    )


def order_timeline(order: Order) -> list[TimelineEntry]:
    """The order's events in words, oldest first (``order.events`` prefetched in order)."""
    return [_timeline_entry(event) for event in order.events.all()]


def _order_page(
    request: HttpRequest,
    shop: Shop,
    order: Order,
    form: ShipForm | None = None,
    extend_form: ExtendConfirmationForm | None = None,
) -> HttpResponse:
    # The refund pages import this module, so their part of the page is imported here.
    from escrow.web.refunds import order_after_sale

    if order.status != Status.PAID:
        form = None  # only a paid order can ship
    elif form is None:
        form = ShipForm()
    context = {
        "shop": shop,
        "order": order,
        "row": OrderRow(order, timezone.now()),
        "shipping_label": SHIPPING_LABELS.get(order.shipping_method, order.shipping_method),
        "timeline": order_timeline(order),
        "form": form,
        "after_sale": order_after_sale(order, extend_form),
    }
    return render(request, "escrow/seller/order_detail.html", context)


@shop_required
def order_detail(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    return _order_page(request, shop, _own_order(shop, public_id))


@require_POST
@shop_required
def order_ship(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    order = _own_order(shop, public_id)
    form = ShipForm(request.POST)
    if form.is_valid():
        try:
            order = orders.order_ship(
                order=order,
                actor=_user(request),
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("seller_orders:order_detail", public_id=order.public_id)
        else:
            messages.success(
                request,
                f"Order {short_id(order)} is shipped. The buyer has been told; you are paid "
                "when they confirm receipt.",
            )
            return redirect("seller_orders:order_detail", public_id=order.public_id)
    return _order_page(request, shop, order, form)


# --- Balance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    entry: LedgerEntry

    @property
    def what(self) -> str:
        kind = self.entry.transaction.kind
        return LEDGER_KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())

    @property
    def account(self) -> str:
        kind = self.entry.account.kind
        return ACCOUNT_LABELS.get(kind, kind.replace("_", " ").capitalize())

    @property
    def is_credit(self) -> bool:
        return self.entry.amount > 0

    @property
    def magnitude(self) -> Decimal:
        return abs(self.entry.amount)

    @property
    def order_short_id(self) -> str:
        order = self.entry.transaction.order
        return short_id(order) if order else ""


@shop_required
def balance(request: HttpRequest, shop: Shop) -> HttpResponse:
    page = Paginator(selectors.ledger_lines_for_shop(shop=shop), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "shop": shop,
        "balances": selectors.shop_balances(shop=shop),
        "page": page,
        "rows": [LedgerRow(entry) for entry in page],
    }
    return render(request, "escrow/seller/balance.html", context)
