"""Listings, their variant grid and the listing state machine."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from marketplace.exceptions import InvalidTransition
from shops.conf import shops_setting
from shops.exceptions import ListingNotEditable, ShopNotActive
from shops.models import SKU, Listing, ProhibitedTerm, Shop, ShopEvent
from shops.services.listings import (
    SkuInput,
    listing_create,
    listing_delist,
    listing_publish,
    listing_take_down,
    listing_update,
    parse_variant_attributes,
    sku_set_stock,
)
from tests.factories import ShopFactory, UserFactory, listing_input, make_listing

pytestmark = pytest.mark.django_db

GRID = {"颜色": ["红", "蓝"], "尺码": ["M", "L"]}


def test_a_listing_with_a_grid_gets_one_sku_per_combination_and_a_summary() -> None:
    listing = make_listing(publish=False, variants=GRID, price="89.00", stock=5)

    skus = list(listing.skus.order_by("position"))
    assert [sku.label for sku in skus] == [
        "颜色: 红 / 尺码: M",
        "颜色: 红 / 尺码: L",
        "颜色: 蓝 / 尺码: M",
        "颜色: 蓝 / 尺码: L",
    ]
    assert (listing.price_min, listing.price_max, listing.total_stock) == (
        Decimal("89.00"),
        Decimal("89.00"),
        20,
    )
    assert listing.status == Listing.Status.DRAFT


def test_a_listing_without_variants_has_exactly_one_sku() -> None:
    listing = make_listing(publish=False)

    assert list(listing.skus.values_list("attributes", flat=True)) == [{}]


def test_variant_lines_accept_chinese_punctuation() -> None:
    attributes = parse_variant_attributes("颜色：红，蓝、白\n\nSize: M, L")

    assert [(a.name, a.values) for a in attributes] == [
        ("颜色", ("红", "蓝", "白")),
        ("Size", ("M", "L")),
    ]


def errors_for(**kwargs: object) -> dict[str, list[str]]:
    shop = ShopFactory()
    with pytest.raises(ValidationError) as error:
        listing_create(shop=shop, actor=shop.owner, data=listing_input(**kwargs))  # type: ignore[arg-type]
    assert not Listing.objects.exists()
    assert not SKU.objects.exists()
    return error.value.message_dict


def test_a_title_over_the_limit_is_refused() -> None:
    limit = shops_setting("LISTING_TITLE_MAX_LENGTH")

    errors = errors_for(title="好" * (limit + 1))

    assert errors["title"] == [f"A title has at most {limit} characters (this one has 61)."]


@pytest.mark.parametrize("price", ["0", "-1.00", "0.001"])
def test_a_price_must_be_positive_whole_fen(price: str) -> None:
    errors = errors_for(price=price)

    assert set(errors) == {"skus.0.price"}


def test_negative_stock_is_refused() -> None:
    errors = errors_for(stock=-1)

    assert errors == {"skus.0.stock": ["default — stock cannot be negative."]}


def test_a_grid_with_a_missing_combination_names_it() -> None:
    shop = ShopFactory()
    data = listing_input(variants=GRID)
    incomplete = data.__class__(**{**data.__dict__, "skus": data.skus[:3]})

    with pytest.raises(ValidationError) as error:
        listing_create(shop=shop, actor=shop.owner, data=incomplete)

    assert error.value.message_dict == {
        "skus": ["Missing price and stock for “颜色: 蓝 / 尺码: L”."]
    }
    assert not Listing.objects.exists()


def test_a_sku_outside_the_grid_and_a_duplicate_are_refused() -> None:
    shop = ShopFactory()
    data = listing_input(variants={"颜色": ["红"]})
    bad = data.__class__(
        **{
            **data.__dict__,
            "skus": [
                *data.skus,
                SkuInput({"颜色": "红"}, Decimal("1.00"), 1),
                SkuInput({"颜色": "绿"}, Decimal("1.00"), 1),
            ],
        }
    )

    with pytest.raises(ValidationError) as error:
        listing_create(shop=shop, actor=shop.owner, data=bad)

    assert error.value.message_dict["skus"] == [
        "“颜色: 红” appears twice.",
        "“颜色: 绿” is not a combination of the variant attributes.",
    ]


def test_bad_variant_attributes_are_refused() -> None:
    errors = errors_for(variants={"颜色": ["红", "红"], "": ["x"]})

    assert "variant_attributes" in errors


def test_editing_the_grid_keeps_existing_skus_and_deactivates_removed_ones() -> None:
    listing = make_listing(variants={"颜色": ["红", "蓝"]}, price="10.00")
    red = listing.skus.get(attributes={"颜色": "红"})

    listing_update(
        listing=listing,
        actor=listing.shop.owner,
        data=listing_input(variants={"颜色": ["红", "白"]}, price="12.00", stock=2),
    )

    red.refresh_from_db()
    assert (red.price, red.stock, red.is_active) == (Decimal("12.00"), 2, True)
    blue = listing.skus.get(attributes={"颜色": "蓝"})
    assert (blue.is_active, blue.stock) == (False, 0)
    listing.refresh_from_db()
    assert listing.total_stock == 4


PUBLISH, DELIST, TAKE_DOWN = "publish", "delist", "take_down"
DRAFT, ACTIVE, DELISTED, TAKEN_DOWN = Listing.Status.values


def act(listing: Listing, action: str) -> Listing:
    owner = listing.shop.owner
    if action == PUBLISH:
        return listing_publish(listing=listing, actor=owner)
    if action == DELIST:
        return listing_delist(listing=listing, actor=owner)
    return listing_take_down(listing=listing, actor=UserFactory(is_staff=True), reason="fake")


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (DRAFT, PUBLISH, ACTIVE),
        (DELISTED, PUBLISH, ACTIVE),
        (ACTIVE, PUBLISH, ACTIVE),
        (ACTIVE, DELIST, DELISTED),
        (DELISTED, DELIST, DELISTED),
        (DRAFT, TAKE_DOWN, TAKEN_DOWN),
        (ACTIVE, TAKE_DOWN, TAKEN_DOWN),
        (DELISTED, TAKE_DOWN, TAKEN_DOWN),
        (TAKEN_DOWN, TAKE_DOWN, TAKEN_DOWN),
    ],
)
def test_legal_listing_transitions(start: str, action: str, end: str) -> None:
    listing = make_listing(publish=False)
    Listing.objects.filter(pk=listing.pk).update(status=start)
    listing.refresh_from_db()

    assert act(listing, action).status == end
    listing.refresh_from_db()
    assert listing.status == end


@pytest.mark.parametrize(
    ("start", "action"),
    [(DRAFT, DELIST), (TAKEN_DOWN, PUBLISH), (TAKEN_DOWN, DELIST)],
)
def test_illegal_listing_transitions_change_nothing(start: str, action: str) -> None:
    listing = make_listing(publish=False)
    Listing.objects.filter(pk=listing.pk).update(status=start)
    listing.refresh_from_db()
    events = ShopEvent.objects.count()

    with pytest.raises(InvalidTransition):
        act(listing, action)

    listing.refresh_from_db()
    assert listing.status == start
    assert ShopEvent.objects.count() == events


def test_a_prohibited_term_keeps_the_listing_in_draft_with_the_reason() -> None:
    ProhibitedTerm.objects.create(term="仿牌", reason="counterfeit goods are not allowed")
    listing = make_listing(publish=False, title="仿牌 运动鞋")

    published = listing_publish(listing=listing, actor=listing.shop.owner)

    assert published.status == Listing.Status.DRAFT
    assert published.status_reason == "Contains “仿牌”: counterfeit goods are not allowed"
    assert ShopEvent.objects.filter(listing=listing, type="listing_held").exists()


def test_editing_an_active_listing_to_add_a_prohibited_term_takes_it_off_sale() -> None:
    ProhibitedTerm.objects.create(term="replica", reason="counterfeits")
    listing = make_listing()

    updated = listing_update(
        listing=listing,
        actor=listing.shop.owner,
        data=listing_input(description="A perfect Replica of a famous brand"),
    )

    assert updated.status == Listing.Status.DRAFT
    assert "replica" in updated.status_reason


def test_a_suspended_shop_cannot_publish() -> None:
    listing = make_listing(publish=False)
    Shop.objects.filter(pk=listing.shop_id).update(status=Shop.Status.SUSPENDED)
    listing.refresh_from_db()

    with pytest.raises(ShopNotActive):
        listing_publish(listing=listing, actor=listing.shop.owner)


def test_a_taken_down_listing_cannot_be_edited() -> None:
    listing = act(make_listing(), TAKE_DOWN)

    with pytest.raises(ListingNotEditable):
        listing_update(listing=listing, actor=listing.shop.owner, data=listing_input())


def test_setting_stock_updates_the_listing_and_sold_out_listings_stay_on_sale() -> None:
    listing = make_listing(stock=3)
    sku = listing.skus.get()

    sku_set_stock(sku=sku, actor=listing.shop.owner, stock=0)

    listing.refresh_from_db()
    assert listing.total_stock == 0
    assert listing.is_sold_out
    assert listing.status == Listing.Status.ACTIVE
    event = ShopEvent.objects.get(type="sku_stock_set")
    assert (event.data["previous"], event.data["stock"]) == (3, 0)


@pytest.mark.parametrize("stock", [-1, "many"])
def test_bad_stock_values_are_refused(stock: object) -> None:
    listing = make_listing(stock=3)

    with pytest.raises(ValidationError) as error:
        sku_set_stock(sku=listing.skus.get(), actor=listing.shop.owner, stock=stock)

    assert "stock" in error.value.message_dict
    assert listing.skus.get().stock == 3
