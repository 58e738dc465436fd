"""The seller's rating pages (rate buyers back, answer what buyers said, revise their own
ratings, see the shop's credit) and the public page of a shop's ratings.

The same services as the API do the work; forms only parse input. Another shop's order or rating
is a 404, whether it exists or not. Individual buyers' DSR scores never show: only the shop's
means.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.views.decorators.http import require_POST

from escrow.models import Order
from marketplace.accounts.models import User
from marketplace.exceptions import ApplicationError
from ratings import selectors
from ratings.conf import ratings_setting
from ratings.models import Rating
from ratings.services.ratings import rating_reply, rating_revise, rating_submit
from ratings.web.forms import RateBuyerForm, ReplyForm, add_service_errors
from shops.models import Shop
from shops.selectors import shop_get_for_owner, shop_get_public

PAGE_SIZE = 20
PUBLIC_PAGE_SIZE = 20
CLOSING_WITHIN = timedelta(hours=24)
Status, Value = Rating.Status, Rating.Value
VALUE_LABELS: dict[int, str] = {Value.GOOD: "Good", Value.NEUTRAL: "Neutral", Value.BAD: "Bad"}
STATUS_NOTES: dict[str, str] = {
    Status.PENDING: "Hidden until the buyer rates you too or the window ends",
    Status.PUBLISHED: "Published",
    Status.DELETED: "Deleted by you",
    Status.REMOVED: "Removed by marketplace staff",
}
VALUE_TABS: list[tuple[str, str]] = [("", "All"), ("good", "Good"), ("neutral", "Neutral")]
VALUE_TABS += [("bad", "Bad")]

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


def when(moment: datetime) -> str:
    """A moment as a seller reads it: "28 Nov 14:00", in the marketplace's time zone."""
    return formats.date_format(timezone.localtime(moment), "j M H:i")


def time_left_words(left: timedelta) -> str:
    if left <= timedelta(0):
        return "closed"
    days, hours = left.days, left.seconds // 3600
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    return (" ".join(parts) or "less than an hour") + " left"


def short_id(order: Order) -> str:
    return str(order.public_id)[:8]


def items_summary(order: Order) -> str:
    lines = list(order.lines.all())
    shown = ", ".join(f"{line.title} × {line.quantity}" for line in lines[:2])
    return f"{shown} and {len(lines) - 2} more" if len(lines) > 2 else shown


@dataclass(frozen=True)
class OrderToRate:
    order: Order
    now: datetime

    @property
    def short_id(self) -> str:
        return short_id(self.order)

    @property
    def items_summary(self) -> str:
        return items_summary(self.order)

    @property
    def window_ends_at(self) -> datetime | None:
        return selectors.rating_window_end(self.order)

    @property
    def time_left(self) -> str:
        end = self.window_ends_at
        return time_left_words(end - self.now) if end else ""

    @property
    def is_closing(self) -> bool:
        end = self.window_ends_at
        return end is not None and end - self.now <= CLOSING_WITHIN


@dataclass(frozen=True)
class RatingRow:
    """A rating as the seller's lists show it."""

    rating: Rating
    now: datetime
    reply_form: ReplyForm | None = None

    @property
    def value_label(self) -> str:
        return VALUE_LABELS.get(self.rating.value, str(self.rating.value))

    @property
    def value_name(self) -> str:
        return selectors.value_name(self.rating.value)

    @property
    def original_label(self) -> str:
        original = self.rating.original_value
        return "" if original is None else VALUE_LABELS.get(original, str(original))

    @property
    def status_note(self) -> str:
        note = STATUS_NOTES.get(self.rating.status, self.rating.status)
        if self.rating.status == Status.PENDING:
            return f"{note} ({when(self.rating.window_ends_at)})"
        return note

    @property
    def order_short_id(self) -> str:
        return short_id(self.rating.order)

    @property
    def may_reply(self) -> bool:
        return self.rating.status == Status.PUBLISHED and self.rating.replied_at is None

    @property
    def revisable_until(self) -> datetime:
        return self.rating.rated_at + ratings_setting("REVISION_WINDOW")  # type: ignore[no-any-return]

    @property
    def may_revise(self) -> bool:
        rating = self.rating
        return (
            rating.rater_id is not None
            and rating.revised_at is None
            and rating.value != Value.GOOD
            and rating.status in (Status.PENDING, Status.PUBLISHED)
            and self.now <= self.revisable_until
        )


# --- Orders to rate and the rating form -------------------------------------------------------


@shop_required
def overview(request: HttpRequest, shop: Shop) -> HttpResponse:
    """The shop's credit and the completed orders whose buyer the seller may still rate."""
    page = Paginator(selectors.order_list_to_rate_for_shop(shop=shop), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    context = {
        "shop": shop,
        "summary": selectors.shop_credit_summary(shop=shop),
        "page": page,
        "rows": [OrderToRate(order, now) for order in page],
        "tab": "to_rate",
        "window_days": ratings_setting("RATING_WINDOW").days,
    }
    return render(request, "ratings/seller/to_rate.html", context)


def _own_order(shop: Shop, public_id: Any) -> Order:
    order = selectors.order_get_to_rate_for_shop(shop=shop, public_id=public_id)
    if order is None:
        raise Http404("No such order in your shop.")
    return order


def _rate_page(
    request: HttpRequest, shop: Shop, order: Order, form: RateBuyerForm | None = None
) -> HttpResponse:
    seen = selectors.order_ratings_for_party(order=order, user=_user(request))
    context = {
        "shop": shop,
        "order": order,
        "row": OrderToRate(order, seen.now),
        "given": RatingRow(seen.given, seen.now) if seen.given else None,
        "received": RatingRow(seen.received, seen.now) if seen.received else None,
        "form": (form or RateBuyerForm()) if seen.may_rate else None,
        "is_completed": order.status == Order.Status.COMPLETED,
    }
    return render(request, "ratings/seller/rate.html", context)


@shop_required
def rate_buyer(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    order = _own_order(shop, public_id)
    if request.method != "POST":
        return _rate_page(request, shop, order)
    form = RateBuyerForm(request.POST)
    if not form.is_valid():
        return _rate_page(request, shop, order, form)
    try:
        rating = rating_submit(
            order=order,
            rater=_user(request),
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _rate_page(request, shop, order, form)
    except ApplicationError as error:
        messages.error(request, f"Nothing was rated: {error.message}")
        return redirect("seller_ratings:rate", public_id=order.public_id)
    label = VALUE_LABELS[rating.value].lower()
    if rating.status == Status.PUBLISHED:
        messages.success(
            request,
            f"You rated {order.buyer.username} {label}. The buyer has rated you too, so both "
            "ratings are now published.",
        )
    else:
        messages.success(
            request,
            f"You rated {order.buyer.username} {label}. Your rating stays hidden until the buyer "
            f"rates you too, or until {when(rating.window_ends_at)}.",
        )
    return redirect("seller_ratings:overview")


# --- What buyers said, and the seller's replies -----------------------------------------------


def _received_page(
    request: HttpRequest, shop: Shop, forms: dict[int, ReplyForm] | None = None
) -> HttpResponse:
    forms = forms or {}
    value = request.GET.get("value", "")
    found = selectors.rating_list_received_by_shop(shop=shop, value=value)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = []
    for rating in page:
        row = RatingRow(rating, now)
        form = forms.get(rating.pk) or (
            ReplyForm(prefix=f"r{rating.pk}") if row.may_reply else None
        )
        rows.append(RatingRow(rating, now, form))
    context = {
        "shop": shop,
        "page": page,
        "rows": rows,
        "tab": "received",
        "value": value,
        "value_tabs": VALUE_TABS,
    }
    return render(request, "ratings/seller/received.html", context)


@shop_required
def received(request: HttpRequest, shop: Shop) -> HttpResponse:
    return _received_page(request, shop)


@require_POST
@shop_required
def reply(request: HttpRequest, shop: Shop, rating_id: uuid.UUID) -> HttpResponse:
    rating = selectors.rating_get_for_rated_side(user=_user(request), public_id=rating_id)
    if rating is None or rating.shop_id != shop.pk or rating.role != Rating.Role.BY_BUYER:
        raise Http404("No such rating of your shop.")
    form = ReplyForm(request.POST, prefix=f"r{rating.pk}")
    if form.is_valid():
        try:
            rating_reply(rating=rating, user=_user(request), text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            messages.error(request, f"Nothing was changed: {error.message}")
            return redirect("seller_ratings:received")
        else:
            messages.success(request, "Your reply is published under the buyer's rating.")
            return redirect("seller_ratings:received")
    return _received_page(request, shop, {rating.pk: form})


# --- The seller's own ratings of buyers -------------------------------------------------------


@shop_required
def given(request: HttpRequest, shop: Shop) -> HttpResponse:
    page = Paginator(selectors.rating_list_given_by_shop(shop=shop), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    context = {
        "shop": shop,
        "page": page,
        "rows": [RatingRow(rating, now) for rating in page],
        "tab": "given",
        "revision_days": ratings_setting("REVISION_WINDOW").days,
    }
    return render(request, "ratings/seller/given.html", context)


@require_POST
@shop_required
def revise(request: HttpRequest, shop: Shop, rating_id: uuid.UUID) -> HttpResponse:
    rating = selectors.rating_get_for_rater(user=_user(request), public_id=rating_id)
    if rating is None or rating.shop_id != shop.pk or rating.role != Rating.Role.BY_SELLER:
        raise Http404("No such rating of yours.")  # the seller's own ratings as a buyer included
    delete = request.POST.get("delete") == "1"
    try:
        rating = rating_revise(rating=rating, rater=_user(request), delete=delete)
    except ApplicationError as error:
        messages.error(request, f"Nothing was changed: {error.message}")
    else:
        buyer = rating.buyer.username
        messages.success(
            request,
            f"Your rating of {buyer} is deleted."
            if delete
            else f"You changed your rating of {buyer} to good.",
        )
    return redirect("seller_ratings:given")


# --- The public page of a shop's ratings ------------------------------------------------------


@dataclass(frozen=True)
class PublicRow:
    rating: Rating

    @property
    def value_label(self) -> str:
        return VALUE_LABELS.get(self.rating.value, str(self.rating.value))

    @property
    def value_name(self) -> str:
        return selectors.value_name(self.rating.value)

    @property
    def rater(self) -> str:
        return selectors.mask_username(selectors.rater_username(self.rating))


def shop_ratings(request: HttpRequest, slug: str) -> HttpResponse:
    shop = shop_get_public(slug=slug)
    if shop is None:
        raise Http404("No such shop.")
    value = request.GET.get("value", "")
    found = selectors.rating_list_for_shop_public(shop=shop, value=value)
    page = Paginator(found, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "shop": shop,
        "summary": selectors.shop_credit_summary(shop=shop),
        "page": page,
        "rows": [PublicRow(rating) for rating in page],
        "value": value,
        "value_tabs": VALUE_TABS,
    }
    return render(request, "ratings/shop_ratings.html", context)
