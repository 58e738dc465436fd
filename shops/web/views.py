"""The seller centre (a seller's own shop, listings, pictures, CSV) and the public storefront."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from marketplace.exceptions import ApplicationError
from shops import selectors
from shops.models import Category, Listing, Place, Shop
from shops.services import csv_io, images, listings, shops
from shops.web.forms import (
    CsvImportForm,
    ListingForm,
    ShopForm,
    VerificationForm,
    add_service_errors,
)

SELLER_PAGE_SIZE = 20
STOREFRONT_PAGE_SIZE = 24

SellerView = Callable[..., HttpResponse]


def seller_required(view: SellerView) -> SellerView:
    """Log-in required; the view gets the user's own shop, or the user is sent to open one."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        shop = selectors.shop_get_for_owner(user=request.user)  # type: ignore[arg-type]
        if shop is None:
            messages.info(request, "Open your shop first — it is free.")
            return redirect("seller:shop_open")
        return view(request, shop, *args, **kwargs)

    return wrapper


def _own_listing(shop: Shop, public_id: Any) -> Listing:
    listing = selectors.listing_get_for_seller(shop=shop, public_id=public_id)
    if listing is None:
        raise Http404("No such listing in your shop.")
    return listing


# --- Shop -------------------------------------------------------------------------------------


@login_required
def shop_open(request: HttpRequest) -> HttpResponse:
    if selectors.shop_get_for_owner(user=request.user) is not None:  # type: ignore[arg-type]
        return redirect("seller:dashboard")
    form = ShopForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop = shops.shop_open(owner=request.user, **_shop_fields(form))  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, f"Your shop “{shop.name}” is open.")
            return redirect("seller:dashboard")
    return render(request, "shops/seller/shop_open.html", {"form": form, "opening": True})


def _shop_fields(form: ShopForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "slug": data["slug"],
        "place": Place.objects.filter(pk=data["place"]).first(),
        "description": data["description"],
        "contact_phone": data["contact_phone"],
        "contact_wechat": data["contact_wechat"],
        "logo": data["logo"],
    }


@seller_required
def dashboard(request: HttpRequest, shop: Shop) -> HttpResponse:
    counts = dict(
        shop.listings.values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    context = {
        "shop": shop,
        "counts": [(status.label, counts.get(status.value, 0)) for status in Listing.Status],
        "events": shop.events.select_related("listing", "actor")[:10],
    }
    return render(request, "shops/seller/dashboard.html", context)


@seller_required
def shop_edit(request: HttpRequest, shop: Shop) -> HttpResponse:
    initial = {
        "name": shop.name,
        "slug": shop.slug,
        "place": shop.place_id,
        "description": shop.description,
        "contact_phone": shop.contact_phone,
        "contact_wechat": shop.contact_wechat,
    }
    form = ShopForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            shops.shop_update(shop=shop, actor=request.user, **_shop_fields(form))  # type: ignore[arg-type]
        except (ValidationError, ApplicationError) as error:
            _show_error(request, form, error)
        else:
            messages.success(request, "Shop profile saved.")
            return redirect("seller:dashboard")
    return render(request, "shops/seller/shop_form.html", {"form": form, "shop": shop})


@seller_required
def verification(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = VerificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            shops.shop_verification_submit(shop=shop, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except (ValidationError, ApplicationError) as error:
            _show_error(request, form, error)
        else:
            messages.success(request, "Thank you. Staff will check your details within two days.")
            return redirect("seller:verification")
    context = {"shop": shop, "verification": shop.verification, "form": form}
    return render(request, "shops/seller/verification.html", context)


def _show_error(request: HttpRequest, form: Any, error: Exception) -> None:
    if isinstance(error, ValidationError):
        add_service_errors(form, error, {})
    else:
        messages.error(request, str(getattr(error, "message", error)))


# --- Listings ---------------------------------------------------------------------------------


@seller_required
def listing_list(request: HttpRequest, shop: Shop) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in Listing.Status.values:
        status = ""
    found = selectors.listing_list_for_seller(shop=shop, query=query, status=status)
    page = Paginator(found, SELLER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "shop": shop,
        "page": page,
        "query": query,
        "status": status,
        "statuses": Listing.Status.choices,
    }
    return render(request, "shops/seller/listing_list.html", context)


@dataclass
class GridRow:
    """One row of the SKU grid on the listing page: a combination with its price and stock."""

    attributes: dict[str, str]
    price: str = ""
    stock: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return listings.sku_label(self.attributes)

    @property
    def attributes_json(self) -> str:
        return json.dumps(self.attributes, ensure_ascii=False)


def _posted_rows(post: Any) -> dict[tuple[tuple[str, str], ...], GridRow]:
    rows = {}
    for index in range(min(int(post.get("sku-count") or 0), 500)):
        try:
            attributes = json.loads(post.get(f"sku-{index}-attributes", "{}"))
        except json.JSONDecodeError:
            continue
        if isinstance(attributes, dict):
            row = GridRow(
                {str(k): str(v) for k, v in attributes.items()},
                post.get(f"sku-{index}-price", "").strip(),
                post.get(f"sku-{index}-stock", "").strip(),
            )
            rows[tuple(sorted(row.attributes.items()))] = row
    return rows


def _grid(
    attributes: list[listings.VariantAttribute],
    known: dict[tuple[tuple[str, str], ...], GridRow],
) -> list[GridRow]:
    """The grid for these attributes, keeping what the seller already typed for a combination."""
    return [
        known.get(tuple(sorted(combination.items()))) or GridRow(combination)
        for combination in listings.variant_combinations(attributes)
    ]


def _price(row: GridRow) -> Decimal | None:
    try:
        value = Decimal(row.price)
    except InvalidOperation:
        if row.price:
            row.errors.append(f"“{row.price}” is not a price.")
        return None
    return value if value.is_finite() else None


def _stock(row: GridRow) -> int | None:
    try:
        return int(row.stock)
    except ValueError:
        if row.stock:
            row.errors.append(f"“{row.stock}” is not a whole number.")
        return None


def _variants_text(listing: Listing) -> str:
    return "\n".join(
        f"{attribute['name']}: {', '.join(attribute['values'])}"
        for attribute in listing.variant_attributes
    )


def _listing_form_page(
    request: HttpRequest, shop: Shop, listing: Listing | None = None
) -> HttpResponse:
    if request.method == "POST":
        form = ListingForm(request.POST)
        attributes = listings.parse_variant_attributes(request.POST.get("variants", ""))
        grid = _grid(attributes, _posted_rows(request.POST))
        if request.POST.get("action") == "save" and form.is_valid():
            saved = _save_listing(request, shop, listing, form, attributes, grid)
            if saved is not None:
                messages.success(request, f"“{saved.title}” saved.")
                return redirect("seller:listing_edit", public_id=saved.public_id)
    else:
        initial: dict[str, Any] = {
            "shipping_method": Listing.ShippingMethod.EXPRESS,
            "shipping_fee": "0.00",
        }
        grid = [GridRow({})]
        if listing is not None:
            initial = {
                "title": listing.title,
                "category": listing.category_id,
                "description": listing.description,
                "shipping_method": listing.shipping_method,
                "shipping_fee": listing.shipping_fee,
                "variants": _variants_text(listing),
            }
            known = {
                tuple(sorted(sku.attributes.items())): GridRow(
                    sku.attributes, str(sku.price), str(sku.stock)
                )
                for sku in listing.skus.all()
            }
            grid = _grid(listings.parse_variant_attributes(initial["variants"]), known)
        form = ListingForm(initial=initial)
    context = {"shop": shop, "listing": listing, "form": form, "grid": grid}
    return render(request, "shops/seller/listing_form.html", context)


def _save_listing(
    request: HttpRequest,
    shop: Shop,
    listing: Listing | None,
    form: ListingForm,
    attributes: list[listings.VariantAttribute],
    grid: list[GridRow],
) -> Listing | None:
    data = listings.ListingInput(
        title=form.cleaned_data["title"],
        category=Category.objects.filter(pk=form.cleaned_data["category"]).first(),
        description=form.cleaned_data["description"],
        shipping_method=form.cleaned_data["shipping_method"],
        shipping_fee=form.cleaned_data["shipping_fee"],
        variant_attributes=attributes,
        skus=[listings.SkuInput(row.attributes, _price(row), _stock(row)) for row in grid],
    )
    try:
        if listing is None:
            return listings.listing_create(shop=shop, actor=request.user, data=data)  # type: ignore[arg-type]
        return listings.listing_update(listing=listing, actor=request.user, data=data)  # type: ignore[arg-type]
    except ValidationError as error:
        for key, field_messages in error.message_dict.items():
            if key.startswith("skus."):
                row = grid[int(key.split(".")[1])]
                if not row.errors:
                    row.errors.extend(field_messages)
            elif key == "skus":
                form.add_error("variants", field_messages)
            else:
                target = "variants" if key == "variant_attributes" else key
                form.add_error(target if target in form.fields else None, field_messages)
    except ApplicationError as error:
        messages.error(request, error.message)
    return None


@seller_required
def listing_create(request: HttpRequest, shop: Shop) -> HttpResponse:
    return _listing_form_page(request, shop)


@seller_required
def listing_edit(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    return _listing_form_page(request, shop, _own_listing(shop, public_id))


@require_POST
@seller_required
def listing_publish(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    listing = _own_listing(shop, public_id)
    try:
        listing = listings.listing_publish(listing=listing, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if listing.status == Listing.Status.ACTIVE:
            messages.success(request, f"“{listing.title}” is on sale.")
        else:
            messages.error(request, f"“{listing.title}” stays a draft: {listing.status_reason}")
    return redirect("seller:listing_edit", public_id=public_id)


@require_POST
@seller_required
def listing_delist(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    listing = _own_listing(shop, public_id)
    try:
        listings.listing_delist(listing=listing, actor=request.user)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{listing.title}” is off sale.")
    return redirect("seller:listing_edit", public_id=public_id)


@require_POST
@seller_required
def listing_images_upload(request: HttpRequest, shop: Shop, public_id: Any) -> HttpResponse:
    listing = _own_listing(shop, public_id)
    uploads = request.FILES.getlist("images")
    if not uploads:
        messages.error(request, "Choose one or more pictures to upload.")
    for upload in uploads:
        try:
            images.listing_image_add(listing=listing, actor=request.user, upload=upload)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, f"{upload.name}: {' '.join(error.messages)}")
        except ApplicationError as error:
            messages.error(request, f"{upload.name}: {error.message}")
        else:
            messages.success(request, f"{upload.name}: added.")
    return redirect("seller:listing_edit", public_id=public_id)


@require_POST
@seller_required
def listing_image_change(
    request: HttpRequest, shop: Shop, public_id: Any, image_id: int
) -> HttpResponse:
    """Move a picture earlier or later, or delete it."""
    listing = _own_listing(shop, public_id)
    order = [image.pk for image in listing.images.all()]
    if image_id not in order:
        raise Http404("No such picture.")
    action = request.POST.get("action")
    if action == "delete":
        image = listing.images.get(pk=image_id)
        images.listing_image_delete(image=image, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, "Picture deleted.")
    elif action in {"earlier", "later"}:
        index = order.index(image_id)
        other = index - 1 if action == "earlier" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
            images.listing_images_reorder(listing=listing, actor=request.user, image_ids=order)  # type: ignore[arg-type]
    return redirect("seller:listing_edit", public_id=public_id)


@seller_required
def listings_export(request: HttpRequest, shop: Shop) -> HttpResponse:
    response = HttpResponse(
        "\ufeff" + csv_io.listings_export_csv(shop=shop), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{shop.slug}-listings.csv"'
    return response


@seller_required
def listings_import(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = CsvImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = csv_io.listings_import_csv(
                shop=shop,
                actor=request.user,  # type: ignore[arg-type]
                content=form.cleaned_data["file"].read(),
            )
        except csv_io.CsvImportFailed as error:
            problems = error.errors
        else:
            messages.success(
                request,
                f"Imported: {result.created} new listing(s) saved as drafts, "
                f"{result.updated} updated.",
            )
            return redirect("seller:listing_list")
    context = {"shop": shop, "form": form, "problems": problems, "columns": csv_io.COLUMNS}
    return render(request, "shops/seller/listing_import.html", context)


# --- Public pages -----------------------------------------------------------------------------

HOME_SHOPS = 8
HOME_LISTINGS = 12


def home(request: HttpRequest) -> HttpResponse:
    """The marketplace's front page: newest shops and listings on sale."""
    context = {
        "shops": selectors.shop_list_public()[:HOME_SHOPS],
        "listings": selectors.listing_list_public()[:HOME_LISTINGS],
    }
    return render(request, "home.html", context)


def storefront(request: HttpRequest, slug: str) -> HttpResponse:
    shop = selectors.shop_get_public(slug=slug)
    if shop is None:
        raise Http404("No such shop.")
    context: dict[str, Any] = {"shop": shop}
    if shop.is_open:
        category = Category.objects.filter(slug=request.GET.get("category", "")).first()
        found = selectors.listing_list_public(
            filters=selectors.ListingFilters(shop_slug=shop.slug, category=category)
        )
        context["page"] = Paginator(found, STOREFRONT_PAGE_SIZE).get_page(request.GET.get("page"))
        context["category"] = category
        context["categories"] = selectors.category_list_for_shop(shop=shop)
    return render(request, "shops/storefront.html", context)


def listing_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    listing = selectors.listing_get_public(public_id=public_id)
    if listing is None:
        raise Http404("This listing is not on sale.")
    return render(request, "shops/listing_detail.html", {"listing": listing})
