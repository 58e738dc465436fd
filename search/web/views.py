"""The storefront's search results page (server-rendered)."""

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from search import selectors
from search.conf import search_setting
from search.services.queries import search_query_record
from search.web.forms import SORT_LABELS, SearchForm

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
