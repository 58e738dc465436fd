"""The seller's after-sale pages: refund requests of their own shop's orders, answering them,
confirming returns, and giving a buyer more time before a shipped order completes by itself.

The same services as the API do the work; forms only parse input. A request of another shop is
a 404, whether it exists or not. An answer that no longer fits (the buyer withdrew meanwhile, a
deadline passed and the system answered) changes nothing and is explained in a message.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.views.decorators.http import require_POST

from escrow import selectors
from escrow.conf import escrow_setting
from escrow.models import Dispute, Order, Refund
from escrow.services import orders as order_services
from escrow.services import refunds as services
from escrow.web.forms import ExtendConfirmationForm, RefuseRefundForm, add_service_errors
from escrow.web.views import (
    PAGE_SIZE,
    SHIPPING_LABELS,
    WAITING_FOR_SELLER,
    OrderRow,
    _order_page,
    _own_order,
    _user,
    order_timeline,
    shop_required,
    short_id,
)
from marketplace.exceptions import ApplicationError
from marketplace.money import format_money
from shops.models import Shop

RStatus = Refund.Status
STATUS_LABELS: dict[str, str] = {
    RStatus.REQUESTED: "Waiting for your answer",
    RStatus.AWAITING_RETURN: "Agreed — waiting for the return",
    RStatus.RETURN_SHIPPED: "Sent back — confirm it arrived",
    RStatus.REFUSED: "Refused",
    RStatus.DISPUTED: "With marketplace staff",
    RStatus.REFUNDED: "Refunded",
    RStatus.CLOSED: "Closed",
}
CLOSE_REASONS: dict[str, str] = {
    "withdrawn": "The buyer withdrew the request.",
    "return_not_shipped": "The buyer did not send the goods back in time.",
    "order_cancelled": "The buyer cancelled the order for a full refund.",
    "released_to_seller": "Staff released the money to you.",
}
# The list's tabs: value, label, the states shown. The seller's own turn comes first.
TABS: list[tuple[str, str, tuple[str, ...]]] = [
    ("waiting", "Waiting for you", WAITING_FOR_SELLER),
    ("awaiting_return", "Waiting for the return", (RStatus.AWAITING_RETURN,)),
    ("refused", "Refused", (RStatus.REFUSED,)),
    ("disputed", "With staff", (RStatus.DISPUTED,)),
    ("refunded", "Refunded", (RStatus.REFUNDED,)),
    ("closed", "Closed", (RStatus.CLOSED,)),
    ("all", "All", tuple(RStatus)),
]
URGENT_WITHIN = timedelta(hours=24)


def when(moment: datetime) -> str:
    """A deadline as a seller reads it: "28 Nov 14:00", in the marketplace's time zone."""
    return formats.date_format(timezone.localtime(moment), "j M H:i")


def duration_words(left: timedelta) -> str:
    days, hours = left.days, left.seconds // 3600
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    return " ".join(parts) or "less than an hour"


@dataclass(frozen=True)
class RefundRow:
    """One refund request as the list, the detail and the order page show it."""

    refund: Refund
    now: datetime

    @property
    def order_short_id(self) -> str:
        return short_id(self.refund.order)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.refund.status, self.refund.status)

    @property
    def reason_label(self) -> str:
        return self.refund.get_reason_display()

    @property
    def return_label(self) -> str:
        return "With return" if self.refund.with_return else "No return"

    @property
    def is_waiting_for_seller(self) -> bool:
        return self.refund.status in WAITING_FOR_SELLER

    @property
    def is_urgent(self) -> bool:
        """The seller's turn, and the deadline is less than a day away (or already passed)."""
        deadline = self.refund.deadline
        return (
            self.is_waiting_for_seller
            and deadline is not None
            and deadline - self.now <= URGENT_WITHIN
        )

    @property
    def deadline_note(self) -> str:
        """The current step's deadline and what happens when it passes, in plain words."""
        deadline, status = self.refund.deadline, self.refund.status
        if deadline is None:
            return ""
        if status == RStatus.REQUESTED:
            return f"Answer by {when(deadline)} — if you do not, the refund is agreed automatically"
        if status == RStatus.RETURN_SHIPPED:
            return (
                f"Confirm the return by {when(deadline)} — otherwise the buyer is refunded "
                "automatically"
            )
        if status == RStatus.AWAITING_RETURN:
            return f"The buyer has until {when(deadline)} to send it back"
        return ""

    @property
    def close_note(self) -> str:
        return CLOSE_REASONS.get(self.refund.close_reason, "")


def _dispute(refund: Refund) -> Dispute | None:
    return getattr(refund, "dispute", None)  # the reverse one-to-one raises when there is none


# --- The list ---------------------------------------------------------------------------------


@shop_required
def refund_list(request: HttpRequest, shop: Shop) -> HttpResponse:
    tabs = {value: statuses for value, _, statuses in TABS}
    tab = request.GET.get("status", "")
    if tab not in tabs:
        tab = "waiting"
    counts: dict[str, int] = dict(
        selectors.refund_list_for_shop(shop=shop)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    found = selectors.refund_list_for_shop(shop=shop).filter(status__in=tabs[tab])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    context = {
        "shop": shop,
        "page": page,
        "rows": [RefundRow(refund, now) for refund in page],
        "status": tab,
        "tabs": [
            (value, label, sum(counts.get(status, 0) for status in statuses))
            for value, label, statuses in TABS
        ],
        "refunds_waiting": sum(counts.get(status, 0) for status in WAITING_FOR_SELLER),
    }
    return render(request, "escrow/seller/refund_list.html", context)


# --- The detail and the seller's answers ------------------------------------------------------


def _own_refund(shop: Shop, public_id: Any) -> Refund:
    refund = selectors.refund_get_for_shop(shop=shop, public_id=public_id)
    if refund is None:
        raise Http404("No such refund request in your shop.")
    return refund


def _refund_page(
    request: HttpRequest,
    shop: Shop,
    refund: Refund,
    refuse_form: RefuseRefundForm | None = None,
    status: int = 200,
) -> HttpResponse:
    order = _own_order(shop, refund.order.public_id)  # with its lines and events
    row = RefundRow(refund, timezone.now())
    can_refuse = refund.status == RStatus.REQUESTED
    context = {
        "shop": shop,
        "refund": refund,
        "row": row,
        "order": order,
        "order_row": OrderRow(order, row.now),
        "shipping_label": SHIPPING_LABELS.get(order.shipping_method, order.shipping_method),
        "timeline": order_timeline(order),
        "dispute": _dispute(refund),
        "can_agree": refund.status in (RStatus.REQUESTED, RStatus.REFUSED),
        "can_refuse": can_refuse,
        "can_confirm_return": refund.status == RStatus.RETURN_SHIPPED,
        "refuse_form": (refuse_form or RefuseRefundForm()) if can_refuse else None,
        "return_ship_days": escrow_setting("RETURN_SHIP_WITHIN").days,
        "return_confirm_days": escrow_setting("RETURN_CONFIRM_WITHIN").days,
    }
    return render(request, "escrow/seller/refund_detail.html", context, status=status)


def _to_detail(refund: Refund) -> HttpResponse:
    return redirect("seller_orders:refund_detail", public_id=refund.public_id)


def _not_done(request: HttpRequest, refund: Refund, error: ApplicationError) -> HttpResponse:
    """A step the request can no longer take: nothing changed; say why and show it as it is."""
    messages.error(request, f"Nothing was changed: {error.message}")
    return _to_detail(refund)


@shop_required
def refund_detail(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    return _refund_page(request, shop, _own_refund(shop, public_id))


@require_POST
@shop_required
def refund_agree(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    refund = _own_refund(shop, public_id)
    try:
        refund = services.refund_agree(refund=refund, actor=_user(request))
    except ApplicationError as error:
        return _not_done(request, refund, error)
    if refund.status == RStatus.REFUNDED:
        messages.success(
            request,
            f"Refund agreed: {format_money(refund.refunded_amount)} is on its way back to "
            "the buyer.",
        )
    else:
        messages.success(
            request,
            "Refund agreed. The buyer has been asked to send the goods back; confirm here "
            "when they arrive.",
        )
    return _to_detail(refund)


@require_POST
@shop_required
def refund_refuse(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    refund = _own_refund(shop, public_id)
    form = RefuseRefundForm(request.POST)
    if not form.is_valid():
        return _refund_page(request, shop, refund, refuse_form=form)
    try:
        refund = services.refund_refuse(
            refund=refund, actor=_user(request), reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _refund_page(request, shop, refund, refuse_form=form)
    except ApplicationError as error:
        return _not_done(request, refund, error)
    messages.success(
        request,
        "Refund refused. The buyer sees your reason and may take the request to marketplace staff.",
    )
    return _to_detail(refund)


@require_POST
@shop_required
def refund_confirm_return(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    refund = _own_refund(shop, public_id)
    try:
        refund = services.refund_confirm_return(refund=refund, actor=_user(request))
    except ApplicationError as error:
        return _not_done(request, refund, error)
    messages.success(
        request,
        f"Return confirmed: {format_money(refund.refunded_amount)} is on its way back to the "
        "buyer.",
    )
    return _to_detail(refund)


# --- The order page's after-sale part ---------------------------------------------------------


@dataclass(frozen=True)
class OrderAfterSale:
    """What the order page shows of refunds and of the auto-confirm clock."""

    order: Order
    refund_rows: list[RefundRow]
    extend_form: ExtendConfirmationForm | None

    @property
    def completes_at(self) -> datetime | None:
        is_running = self.order.status == Order.Status.SHIPPED
        return self.order.confirm_deadline if is_running else None

    @property
    def time_left_words(self) -> str:
        """How much of the clock is left while a refund request stops it; "" when running."""
        left = self.order.confirm_time_left
        if self.order.status != Order.Status.SHIPPED or left is None:
            return ""
        return duration_words(left)


def order_after_sale(order: Order, extend_form: ExtendConfirmationForm | None) -> OrderAfterSale:
    """The refund requests and the clock of ``order`` (its refunds prefetched)."""
    may_extend = order.status == Order.Status.SHIPPED and not order.seller_extension_days
    now = timezone.now()
    return OrderAfterSale(
        order=order,
        refund_rows=[RefundRow(refund, now) for refund in order.refunds.all()],
        extend_form=(extend_form or ExtendConfirmationForm()) if may_extend else None,
    )


@require_POST
@shop_required
def order_extend(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    order = _own_order(shop, public_id)
    form = ExtendConfirmationForm(request.POST)
    if not form.is_valid():
        return _order_page(request, shop, order, extend_form=form)
    days: int = form.cleaned_data["days"]
    try:
        order = order_services.order_extend_confirmation(
            order=order, actor=_user(request), days=days
        )
    except ApplicationError as error:
        messages.error(request, f"Nothing was changed: {error.message}")
    else:
        deadline = order.confirm_deadline
        messages.success(
            request,
            f"The buyer has {days} more days to confirm receipt"
            + (f": the order now completes on {when(deadline)}." if deadline else "."),
        )
    return redirect("seller_orders:order_detail", public_id=order.public_id)
