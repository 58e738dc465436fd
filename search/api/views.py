"""The buyer's search: results with filters, facets and sorts; autocomplete; and, for staff and
for the listing's own seller, why a listing ranks where it does."""

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from marketplace.accounts.models import User
from marketplace.exceptions import ApplicationError, NotFoundError
from search import selectors
from search.api import serializers as s
from search.conf import search_setting
from search.services.queries import search_query_record

SEARCH_TAG = ["search"]


def _search_query(
    data: dict[str, Any], *, page: int = 1, page_size: int = 20
) -> selectors.SearchQuery:
    return selectors.SearchQuery(
        text=data["q"],
        category=data.get("category"),
        price_min=data.get("price_min"),
        price_max=data.get("price_max"),
        province=data["province"],
        city=data["city"],
        min_seller_level=data.get("min_grade"),
        shipping_method=data["shipping"],
        in_stock=data["in_stock"],
        sort=data["sort"],
        page=page,
        page_size=page_size,
    )


def _positive(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ApplicationError(f"{name} is a whole number from 1.", code=f"invalid_{name}")
    return int(raw)


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=SEARCH_TAG,
        parameters=[s.SearchInputSerializer],
        responses=s.SearchOutputSerializer,
        summary="Search listings (Chinese or English), with filters, facets and sorts",
    )
    def get(self, request: Request) -> Response:
        params = s.SearchInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = _positive(request, "page", 1)
        page_size = min(
            _positive(request, "page_size", search_setting("PAGE_SIZE")),
            search_setting("MAX_PAGE_SIZE"),
        )
        if (page - 1) * page_size >= search_setting("MAX_RESULTS"):
            raise ApplicationError(
                f"Results go {search_setting('MAX_RESULTS')} deep; narrow the search.",
                code="page_too_deep",
            )
        search = _search_query(params.validated_data, page=page, page_size=page_size)
        result = selectors.listing_search(search=search)
        if search.text and page == 1:
            search_query_record(text=search.text)
        url = request.build_absolute_uri()
        deepest = min(result.total, search_setting("MAX_RESULTS"))
        body = {
            "count": result.total,
            "next": replace_query_param(url, "page", page + 1)
            if page * page_size < deepest
            else None,
            "previous": replace_query_param(url, "page", page - 1) if page > 1 else None,
            "did_you_mean": result.did_you_mean,
            "facets": result.facets,
            "results": selectors.search_hits_listings(hits=result.hits),
        }
        return Response(s.SearchOutputSerializer(body, context={"request": request}).data)


class SuggestView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=SEARCH_TAG,
        parameters=[s.SuggestInputSerializer],
        responses=s.SuggestionSerializer(many=True),
        summary="Complete what the buyer is typing, from popular queries and titles",
    )
    def get(self, request: Request) -> Response:
        params = s.SuggestInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        suggestions = selectors.search_suggest(prefix=params.validated_data["q"])
        return Response(s.SuggestionSerializer(suggestions, many=True).data)


class ExplainView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=SEARCH_TAG,
        parameters=[s.ExplainInputSerializer],
        responses=s.ExplainOutputSerializer,
        summary="Why a listing ranks where it does for a query (staff, or its own seller)",
    )
    def get(self, request: Request) -> Response:
        params = s.ExplainInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        listing = selectors.listing_get_for_explain(
            public_id=data["listing"], user=cast(User, request.user)
        )
        explanation = None
        if listing is not None:
            explanation = selectors.listing_rank_explain(
                listing_id=listing.pk, search=_search_query(data)
            )
        if explanation is None:
            raise NotFoundError(
                "There is no such listing of yours in search.", code="listing_not_found"
            )
        return Response(s.ExplainOutputSerializer(explanation).data)
