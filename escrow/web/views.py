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
from escrow.conf import escrow_setting
from escrow.models import LedgerAccount, LedgerEntry, LedgerTransaction, Order, OrderEvent
from escrow.services import orders
from escrow.web.forms import ShipForm, add_service_errors
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
}
ACCOUNT_LABELS: dict[str, str] = {
    LedgerAccount.Kind.SELLER_AVAILABLE: "Available",
    LedgerAccount.Kind.SELLER_PAYOUT_PENDING: "Payouts pending",
}

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


def ship_deadline(order: Order) -> datetime | None:
    """When a paid order should have shipped by; None once it is no longer waiting to ship."""
    if order.status != Status.PAID or order.paid_at is None:
        return None
    return cast(datetime, order.paid_at + escrow_setting("SHIP_WITHIN"))


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
    if data.get("amount"):
        details.append(format_money(Decimal(data["amount"])))
    if data.get("reason"):
        details.append(str(data["reason"]).replace("_", " "))
    return TimelineEntry(
        label=event.label,
        actor=event.actor.username if event.actor else "system",
        created_at=event.created_at,
        detail=" · ".join(details),
    )


def _order_page(
    request: HttpRequest, shop: Shop, order: Order, form: ShipForm | None = None
) -> HttpResponse:
    if order.status != Status.PAID:
        form = None  # only a paid order can ship
    elif form is None:
        form = ShipForm()
    context = {
        "shop": shop,
        "order": order,
        "row": OrderRow(order, timezone.now()),
        "shipping_label": SHIPPING_LABELS.get(order.shipping_method, order.shipping_method),
        "timeline": [_timeline_entry(event) for event in order.events.all()],
        "form": form,
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
