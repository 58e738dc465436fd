"""Ranking: earned trust lifts a listing, penalties and near-duplicates sink it, and the plan for
frequent words (candidates by static quality, then re-ranked) agrees with scoring every match."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from search.models import SearchDocument
from search.selectors import SearchQuery, listing_rank_explain, listing_search
from shops.models import Listing, ListingImage
from shops.services.images import listing_image_add, listing_images_reorder
from shops.services.shops import shop_credit_set, shop_violation_record
from tests.escrow.helpers import pay, place
from tests.factories import ShopFactory, UserFactory, make_listing
from tests.images import photo_upload
from tests.search.helpers import drain, found, ids, search

pytestmark = pytest.mark.django_db

TITLE = "手工竹编收纳篮 Handwoven bamboo basket"


def test_a_better_rated_seller_outranks_an_equal_text_newcomer() -> None:
    newcomer = make_listing(ShopFactory(), title=TITLE)
    trusted_shop = ShopFactory()
    trusted = make_listing(trusted_shop, title=TITLE)
    drain()
    shop_credit_set(shop_id=trusted_shop.pk, score=260, level=6, good_rate=Decimal("0.9950"))
    drain()

    assert found("竹编") == ids(trusted, newcomer)
    assert found("bamboo baskets") == ids(trusted, newcomer)
    credit = next(
        row
        for row in listing_rank_explain(listing_id=trusted.pk, search=SearchQuery("竹编"))[
            "signals"
        ]
        if row["signal"] == "credit"
    )
    assert credit["contribution"] > 0


def test_thirty_day_sales_lift_a_listing_once_the_signals_are_refreshed() -> None:
    quiet = make_listing(ShopFactory(), title=TITLE)
    selling = make_listing(ShopFactory(), title=TITLE, stock=50)
    drain()
    buyer = UserFactory()
    pay(place(buyer, selling, quantity=5))
    drain()

    from search.tasks import signals_refresh

    signals_refresh()

    assert found("basket") == ids(selling, quiet)
    assert found("basket", sort="sales") == ids(selling, quiet)
    assert SearchDocument.objects.get(pk=selling.pk).sales_30d == 5


def test_violation_points_demote_and_twelve_hide_the_shop_until_the_penalty_ends() -> None:
    staff = UserFactory(is_staff=True)
    clean = make_listing(ShopFactory(), title=TITLE)
    offender_shop = ShopFactory()
    offender = make_listing(offender_shop, title=TITLE)
    drain()
    assert found("basket") == ids(clean, offender) or found("basket") == ids(offender, clean)

    shop_violation_record(
        shop=offender_shop, actor=staff, points=6, rule="虚假发货", evidence="tracking never moved"
    )
    drain()
    assert found("basket") == ids(clean, offender)

    shop_violation_record(
        shop=offender_shop, actor=staff, points=6, rule="虚假发货", evidence="again"
    )
    drain()
    assert found("basket") == ids(clean)

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        drain()
        assert found("basket") == ids(clean, offender)


def test_only_the_best_of_a_sellers_near_duplicates_ranks_high() -> None:
    family = ShopFactory()
    red = make_listing(family, title="手工竹编收纳篮 红色")
    blue = make_listing(family, title="手工竹编收纳篮 蓝色")
    white = make_listing(family, title="手工竹编收纳篮 白色")
    other = make_listing(ShopFactory(), title="手工竹编收纳篮 大号")
    drain()

    top_two = found("竹编 收纳篮")[:2]

    assert other.pk in top_two
    assert len(set(top_two) & set(ids(red, blue, white))) == 1
    assert (
        SearchDocument.objects.filter(pk__in=ids(red, blue, white), is_duplicate=True).count() == 2
    )
    # Asking for the colour finds that one.
    assert found("竹编 收纳篮 白色")[0] == white.pk


def with_cover(listing: Listing, composition: int, **photo: object) -> Listing:
    listing_image_add(
        listing=listing, actor=listing.shop.owner, upload=photo_upload(composition, **photo)
    )
    return listing


def test_same_title_and_cover_photo_make_near_duplicates_another_photo_does_not() -> None:
    family = ShopFactory()
    red = with_cover(make_listing(family, title="手工竹编收纳篮 红色"), 1, color="red")
    blue = with_cover(make_listing(family, title="手工竹编收纳篮 蓝色"), 1, color="blue")
    other_photo = with_cover(make_listing(family, title="手工竹编收纳篮 白色"), 2)
    drain()

    duplicates = SearchDocument.objects.filter(
        pk__in=ids(red, blue, other_photo), is_duplicate=True
    )
    assert list(duplicates.values_list("pk", flat=True)) in (ids(red), ids(blue))


def test_a_new_cover_photo_makes_a_listing_a_duplicate_once_the_drain_runs() -> None:
    family = ShopFactory()
    first = with_cover(make_listing(family, title="Bamboo basket red"), 1)
    second = with_cover(make_listing(family, title="Bamboo basket blue"), 2)
    drain()
    assert not SearchDocument.objects.filter(is_duplicate=True).exists()

    # The seller uploads the first listing's photo to the second (larger) and makes it the cover.
    copied = listing_image_add(
        listing=second, actor=family.owner, upload=photo_upload(1, size=(1000, 750))
    )
    order = [copied.pk, *ListingImage.objects.filter(listing=second).exclude(pk=copied.pk)
             .values_list("pk", flat=True)]  # fmt: skip
    listing_images_reorder(listing=second, actor=family.owner, image_ids=order)
    assert not SearchDocument.objects.filter(is_duplicate=True).exists()
    drain()

    assert SearchDocument.objects.filter(pk__in=ids(first, second), is_duplicate=True).count() == 1


def test_frequent_words_take_the_two_phase_plan_and_agree_with_scoring_every_match(
    settings,  # type: ignore[no-untyped-def]
) -> None:
    shops = [ShopFactory() for _ in range(4)]
    listings = [
        make_listing(shops[index % 4], title=f"Bamboo basket {word}")
        for index, word in enumerate(["small", "large", "round", "square", "deep", "flat"])
    ]
    drain()
    for level, shop in enumerate(shops):
        shop_credit_set(shop_id=shop.pk, score=level * 50, level=level * 2, good_rate=None)
    drain()
    exact = listing_search(search=SearchQuery("bamboo basket"), plan="exact")

    settings.SEARCH_FREQUENT_MATCHES = 0  # every query counts as frequent
    by_bitmap = listing_search(search=SearchQuery("bamboo basket"), with_facets=False)
    settings.SEARCH_WALK_MATCHES = 0  # and as common enough to walk the quality index
    two_phase = listing_search(search=SearchQuery("bamboo basket"))

    assert exact.plan == "exact" and two_phase.plan == by_bitmap.plan == "two_phase"
    assert [hit.listing_id for hit in two_phase.hits] == [hit.listing_id for hit in exact.hits]
    assert [hit.listing_id for hit in by_bitmap.hits] == [hit.listing_id for hit in exact.hits]
    assert exact.total == two_phase.total == 6
    assert set(ids(*listings)) == {hit.listing_id for hit in exact.hits}

    settings.SEARCH_CANDIDATES = 2
    best_two = listing_search(search=SearchQuery("bamboo basket"))
    by_quality = sorted(exact.hits, key=lambda hit: -hit.quality)[:2]
    assert {hit.listing_id for hit in best_two.hits} == {hit.listing_id for hit in by_quality}


def test_explain_adds_up_to_the_score_the_ranking_used() -> None:
    listing = make_listing(ShopFactory(), title=TITLE)
    make_listing(ShopFactory(), title="竹编 果盘")
    drain()

    explanation = listing_rank_explain(listing_id=listing.pk, search=SearchQuery("竹编"))
    hit = next(hit for hit in search("竹编").hits if hit.listing_id == listing.pk)

    assert explanation is not None
    assert explanation["score"] == pytest.approx(hit.score, abs=1e-4)
    assert explanation["position"] == found("竹编").index(listing.pk) + 1
    assert {row["signal"] for row in explanation["signals"]} == {
        "text",
        "credit",
        "good_rate",
        "dsr",
        "sales",
        "freshness",
        "violations",
        "duplicate",
    }


def test_the_exact_plan_counts_its_matches_in_the_same_scan() -> None:
    shop = ShopFactory()
    for word in ["small", "large", "round"]:
        make_listing(shop, title=f"Bamboo basket {word}")
    drain()

    page_two = listing_search(
        search=SearchQuery("basket", page=2, page_size=2), with_facets=False, plan="exact"
    )
    beyond = listing_search(
        search=SearchQuery("basket", page=3, page_size=2), with_facets=False, plan="exact"
    )

    assert (len(page_two.hits), page_two.total) == (1, 3)
    assert (beyond.hits, beyond.total) == ([], 3)
