"""Filters, facets and sorts agree with each other: every facet count is what its filter finds."""

from decimal import Decimal

import pytest

from shops.models import Listing, Shop
from shops.services.shops import shop_credit_set
from tests.factories import ShopFactory, make_category, make_listing, make_place
from tests.search.helpers import drain, found, ids, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> dict[str, Listing]:
    yiwu = ShopFactory()
    kunming = ShopFactory(
        place=make_place(("云南省", "昆明市", "官渡区", "小板桥村")),
        province="云南省",
        city="昆明市",
    )
    shop_credit_set(shop_id=kunming.pk, score=300, level=7, good_rate=Decimal("0.99"))
    tea = make_category("食品", "茶叶", "绿茶")
    black_tea = make_category("食品", "茶叶", "红茶")
    snacks = make_category("食品", "零食")
    cups = make_category("家居", "茶具")
    listings = {
        "green": make_listing(yiwu, title="龙井绿茶 明前特级 250g", category=tea, price="88.00"),
        "black": make_listing(
            kunming, title="滇红红茶 古树 茶叶 500g", category=black_tea, price="168.00"
        ),
        "snack": make_listing(
            kunming, title="鲜花饼 云南特产 配茶点心", category=snacks, price="19.90"
        ),
        "cup": make_listing(
            yiwu, title="玻璃茶杯 泡绿茶专用", category=cups, price="35.00", shipping_method="post"
        ),
        "sold_out": make_listing(
            kunming, title="普洱茶 熟茶 茶饼", category=black_tea, price="520.00", stock=0
        ),
    }
    drain()
    return listings


def test_every_facet_count_is_what_its_filter_finds(catalogue: dict[str, Listing]) -> None:
    result = search("茶")
    facets = result.facets

    assert result.total == len(result.hits) == 5
    assert sum(item["count"] for item in facets["province"]) == result.total
    assert sum(item["count"] for item in facets["price"]) == result.total
    for item in facets["category"]:
        from shops.models import Category

        category = Category.objects.get(slug=item["slug"])
        assert search("茶", category=category).total == item["count"]
    for item in facets["province"]:
        assert search("茶", province=item["province"]).total == item["count"]
    for item in facets["price"]:
        assert search("茶", price_min=item["min"], price_max=item["max"]).total >= item["count"]


def test_category_filter_covers_its_subtree_and_facets_its_children(
    catalogue: dict[str, Listing],
) -> None:
    from shops.models import Category

    food = Category.objects.get(name="食品")
    tea = Category.objects.get(name="茶叶")

    assert sorted(found("茶", category=food)) == sorted(
        ids(catalogue["green"], catalogue["black"], catalogue["snack"], catalogue["sold_out"])
    )
    children = {
        item["name"]: item["count"] for item in search("茶", category=tea).facets["category"]
    }
    assert children == {"红茶": 2, "绿茶": 1}


def test_filters_narrow_the_results(catalogue: dict[str, Listing]) -> None:
    assert found("茶", price_min=Decimal("30"), price_max=Decimal("100"), sort="price_asc") == ids(
        catalogue["cup"], catalogue["green"]
    )
    assert sorted(found("茶", province="云南省")) == sorted(
        ids(catalogue["black"], catalogue["snack"], catalogue["sold_out"])
    )
    assert found("茶", shipping_method="post") == ids(catalogue["cup"])
    assert catalogue["sold_out"].pk not in found("茶", in_stock=True)
    assert sorted(found("茶", min_seller_level=6)) == sorted(
        ids(catalogue["black"], catalogue["snack"], catalogue["sold_out"])
    )
    assert Shop.objects.get(pk=catalogue["black"].shop_id).credit_level == 7


def test_sorts_order_by_what_they_name(catalogue: dict[str, Listing]) -> None:
    prices = [search_listing_price(pk) for pk in found("茶", sort="price_asc")]
    assert prices == sorted(prices)
    assert [search_listing_price(pk) for pk in found("茶", sort="price_desc")] == sorted(
        prices, reverse=True
    )
    assert found("茶", sort="newest")[0] == catalogue["sold_out"].pk
    assert found("茶", sort="credit")[0] in ids(
        catalogue["black"], catalogue["snack"], catalogue["sold_out"]
    )


def search_listing_price(pk: int) -> Decimal:
    return Listing.objects.get(pk=pk).price_min


def test_an_empty_query_browses_by_quality_with_the_same_filters(
    catalogue: dict[str, Listing],
) -> None:
    result = search("", in_stock=True)

    assert result.plan == "browse"
    assert result.total == 4
    assert found("")[:3] == found("", sort="credit")[:3]


def test_facets_of_frequent_words_are_counted_once_and_shared_for_a_while(
    catalogue: dict[str, Listing], settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SEARCH_FREQUENT_MATCHES = 0  # every query counts as frequent
    first = search("茶")
    make_listing(title="茉莉花茶 新茶", category=catalogue["green"].category)
    drain()

    again = search("茶")

    assert first.plan == again.plan == "two_phase"
    assert again.facets == first.facets and again.total == 5  # counted a moment ago
    assert len(again.hits) == 6  # the ranking itself is never cached
