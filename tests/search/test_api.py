"""The buyer's search API, autocomplete, and the explain endpoint's access rules."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ShopFactory, UserFactory, make_category, make_listing
from tests.search.helpers import drain

pytestmark = pytest.mark.django_db

TITLE = "韩版修身连衣裙女夏季新款显瘦气质长裙"


def test_search_returns_ranked_listings_with_facets_and_money_as_strings(
    api_client: APIClient,
) -> None:
    dresses = make_category("服装", "女装", "连衣裙")
    listing = make_listing(title=TITLE, category=dresses, price="129.00")
    make_listing(title="针织毛衣 女 秋冬", category=make_category("服装", "女装", "毛衣"))
    drain()

    response = api_client.get("/api/search/", {"q": "连衣裙"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == str(listing.public_id)
    assert body["results"][0]["price_min"] == "129.00"
    assert body["results"][0]["shop"]["credit"]["grade"] == "none"
    assert body["facets"]["category"] == [{"slug": "cat-1", "name": "服装", "count": 1}]
    assert body["facets"]["province"] == [{"province": "浙江省", "count": 1}]
    assert body["did_you_mean"] is None


def test_pages_link_to_each_other_and_stop_at_the_deepest_result(
    api_client: APIClient, settings
) -> None:  # type: ignore[no-untyped-def]
    shop = ShopFactory()
    for number in range(5):
        make_listing(shop, title=f"Bamboo basket {number}")
    drain()

    first = api_client.get("/api/search/", {"q": "basket", "page_size": 2}).json()
    last = api_client.get("/api/search/", {"q": "basket", "page_size": 2, "page": 3}).json()

    assert first["count"] == 5 and len(first["results"]) == 2
    assert "page=2" in first["next"] and first["previous"] is None
    assert len(last["results"]) == 1 and last["next"] is None
    settings.SEARCH_MAX_RESULTS = 4
    deep = api_client.get("/api/search/", {"q": "basket", "page_size": 2, "page": 3})
    assert deep.status_code == 400 and deep.json()["code"] == "page_too_deep"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "cheapest"}, "sort"),
        ({"price_min": "50", "price_max": "10"}, "price_max"),
        ({"price_min": "-1"}, "price_min"),
        ({"category": "no-such-category"}, "category"),
        ({"min_grade": "21"}, "min_grade"),
        ({"shipping": "pigeon"}, "shipping"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(
    api_client: APIClient, params: dict[str, str], field: str
) -> None:
    response = api_client.get("/api/search/", {"q": "tea", **params})

    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]


@pytest.mark.parametrize("page", ["0", "two", "-1"])
def test_a_bad_page_is_a_400(api_client: APIClient, page: str) -> None:
    response = api_client.get("/api/search/", {"q": "tea", "page": page})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_page"


def test_a_misspelt_word_still_finds_and_suggests_the_spelling(api_client: APIClient) -> None:
    listing = make_listing(title="Handmade ceramic tea cups, Jingdezhen")
    drain()

    body = api_client.get("/api/search/", {"q": "ceramc cups"}).json()

    assert [item["id"] for item in body["results"]] == [str(listing.public_id)]
    assert body["did_you_mean"] == "ceramic cups"


def test_autocomplete_offers_popular_queries_then_title_words(api_client: APIClient) -> None:
    make_listing(title=TITLE)
    make_listing(title="Ceramic teapot")
    drain()
    for _ in range(3):
        api_client.get("/api/search/", {"q": "连衣裙 长款"})
    api_client.get("/api/search/", {"q": "连衣裙 短款"})

    chinese = api_client.get("/api/search/suggest", {"q": "连衣"}).json()
    english = api_client.get("/api/search/suggest", {"q": "Cer"}).json()

    assert chinese[:2] == [
        {"text": "连衣裙 长款", "kind": "query"},
        {"text": "连衣裙 短款", "kind": "query"},
    ]
    assert {"text": "连衣裙", "kind": "title"} in chinese
    assert english == [{"text": "ceramic", "kind": "title"}]
    assert api_client.get("/api/search/suggest", {"q": ""}).json() == []


def test_explain_is_for_staff_and_the_listings_own_seller_only(api_client: APIClient) -> None:
    listing = make_listing(title=TITLE)
    drain()
    params = {"q": "连衣裙", "listing": str(listing.public_id)}

    assert api_client.get("/api/search/explain", params).status_code in {401, 403}
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/search/explain", params).status_code == 404
    api_client.force_authenticate(ShopFactory().owner)
    assert api_client.get("/api/search/explain", params).status_code == 404

    api_client.force_authenticate(listing.shop.owner)
    own = api_client.get("/api/search/explain", params)
    api_client.force_authenticate(UserFactory(is_staff=True))
    staff = api_client.get("/api/search/explain", params)

    assert own.status_code == staff.status_code == 200
    body = own.json()
    assert body["position"] == 1 and body["matches"] is True
    assert body["score"] == pytest.approx(sum(row["contribution"] for row in body["signals"]))


def test_explain_of_a_listing_that_cannot_be_found_is_a_404(api_client: APIClient) -> None:
    draft = make_listing(title=TITLE, publish=False)
    drain()
    api_client.force_authenticate(draft.shop.owner)

    response = api_client.get(
        "/api/search/explain", {"q": "连衣裙", "listing": str(draft.public_id)}
    )

    assert response.status_code == 404
    assert response.json()["code"] == "listing_not_found"
