"""The storefront's search results page, and the seller's page on how a listing ranks."""

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from marketplace.accounts.models import User
from search import selectors
from search.conf import search_setting
from search.services.queries import search_query_record
from search.web.forms import SORT_LABELS, ExplainForm, SearchForm
from shops.selectors import shop_get_for_owner

PAGE_SIZE = 24


def _link(params: QueryDict, **changes: Any) -> str:
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = str(value)
    return "?" + query.urlencode()


def search_results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "sorts": []}
    if not form.is_bound or not form.is_valid():
        return render(request, "search/results.html", context)
    data = form.cleaned_data
    page_number = request.GET.get("page", "1")
    page = int(page_number) if page_number.isdigit() and int(page_number) >= 1 else 1
    page = min(page, search_setting("MAX_RESULTS") // PAGE_SIZE)
    search = selectors.SearchQuery(
        text=data["q"],
        category=data["category"],
        price_min=data["price_min"],
        price_max=data["price_max"],
        province=data["province"],
        min_seller_level=data["min_grade"],
        shipping_method=data["shipping"],
        in_stock=data["in_stock"],
        sort=data["sort"] or "relevance",
        page=page,
        page_size=PAGE_SIZE,
    )
    result = selectors.listing_search(search=search)
    if search.text and page == 1:
        search_query_record(text=search.text)
    params = request.GET
    deepest = min(result.total, search_setting("MAX_RESULTS"))
    context.update(
        search=search,
        result=result,
        listings=selectors.search_hits_listings(hits=result.hits),
        sorts=[
            (key, label, _link(params, sort=key), key == search.sort)
            for key, label in SORT_LABELS.items()
        ],
        category_links=[
            (item, _link(params, category=item["slug"])) for item in result.facets["category"]
        ],
        province_links=[
            (item, _link(params, province=item["province"])) for item in result.facets["province"]
        ],
        price_links=[
            (item, _link(params, price_min=item["min"], price_max=item["max"]))
            for item in result.facets["price"]
        ],
        clear_category=_link(params, category="") if search.category else None,
        clear_province=_link(params, province="") if search.province else None,
        did_you_mean_link=_link(params, q=result.did_you_mean) if result.did_you_mean else None,
        previous_link=_link(params, page=page - 1) if page > 1 else None,
        next_link=_link(params, page=page + 1) if page * PAGE_SIZE < deepest else None,
        page=page,
        pages=max(1, -(-deepest // PAGE_SIZE)),
    )
    return render(request, "search/results.html", context)


SIGNALS = {  # label, what it means to the seller
    "text": ("Words", "How well the title, category, variants and description match the words."),
    "credit": ("Credit grade", "Your shop's credit grade, earned from completed, rated trades."),
    "good_rate": ("Good rate", "Good ratings among your counted ratings of the last 180 days."),
    "dsr": ("Detailed ratings", "Buyers' ratings of item, service and shipping over 180 days."),
    "sales": ("Sales", "Units sold in the last 30 days."),
    "freshness": ("Published", "New listings get a small lift that fades over weeks."),
    "violations": ("Violation points", "Violation points of your shop this year pull it down."),
    "duplicate": (
        "Near-duplicate",
        "Listings of yours that differ only by colour or size: only the best ranks high.",
    ),
}


def _shown(signal: str, value: Any) -> str:
    if value is None:
        return "none yet"
    if signal == "freshness":
        return str(value)[:10]
    if signal == "duplicate":
        return "yes" if value else "no"
    return str(value)


@login_required
def seller_explain(request: HttpRequest) -> HttpResponse:
    """The seller asks where one of their listings ranks for a buyer's words, and why."""
    shop = shop_get_for_owner(user=cast(User, request.user))
    if shop is None:
        return redirect("seller:shop_open")
    form = ExplainForm(request.GET or None, shop=shop)
    context: dict[str, Any] = {"shop": shop, "form": form}
    if form.is_valid():
        listing = form.cleaned_data["listing"]
        explanation = selectors.listing_rank_explain(
            listing_id=listing.pk, search=selectors.SearchQuery(text=form.cleaned_data["words"])
        )
        context.update(listing=listing, explanation=explanation)
        if explanation is not None:
            context["rows"] = [
                {
                    **row,
                    "label": SIGNALS[row["signal"]][0],
                    "note": SIGNALS[row["signal"]][1],
                    "shown": _shown(row["signal"], row["value"]),
                }
                for row in explanation["signals"]
            ]
    return render(request, "search/seller/explain.html", context)
