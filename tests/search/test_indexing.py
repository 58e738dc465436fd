"""Index maintenance: the triggers mark what changed, the drain task rebuilds it, hidden listings
never come back, and a failed or concurrent drain loses nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from search.models import DirtyListing, DirtyShop, SearchDocument
from search.services import indexing
from shops.models import SKU, Category, Listing, Shop
from shops.services.listings import listing_delist, listing_take_down, listing_update
from shops.services.shops import shop_set_status
from tests.escrow.helpers import run_in_threads
from tests.factories import ShopFactory, UserFactory, listing_input, make_category, make_listing
from tests.search.helpers import drain, found, ids

TITLE = "景德镇手绘青花瓷茶杯 Jingdezhen porcelain tea cup"


@pytest.mark.django_db
def test_a_changed_title_is_searchable_after_the_drain_task_runs() -> None:
    listing = make_listing(title=TITLE)
    drain()
    listing_update(
        listing=listing,
        actor=listing.shop.owner,
        data=listing_input(title="宜兴紫砂壶 Yixing clay teapot", category=listing.category),
    )

    assert found("紫砂壶") == []  # the request path never reindexes
    assert DirtyListing.objects.filter(listing_id=listing.pk).exists()
    drain()

    assert found("紫砂壶") == ids(listing)
    assert found("teapots") == ids(listing)
    assert found("青花瓷") == []
    assert not DirtyListing.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["draft", "delisted", "taken_down", "suspended", "closed"])
def test_hidden_listings_never_appear(how: str) -> None:
    staff = UserFactory(is_staff=True)
    visible = make_listing(title=TITLE)
    hidden = make_listing(title=TITLE, publish=how != "draft")
    drain()
    if how == "delisted":
        listing_delist(listing=hidden, actor=hidden.shop.owner)
    elif how == "taken_down":
        listing_take_down(listing=hidden, actor=staff, reason="counterfeit")
    elif how in {"suspended", "closed"}:
        shop_set_status(shop=hidden.shop, status=how, actor=staff, reason="fraud report")

    # Between the change and the drain, the stale document is filtered out of the results.
    from search.selectors import search_hits_listings
    from tests.search.helpers import search

    assert [listing.pk for listing in search_hits_listings(hits=search("茶杯").hits)] == ids(
        visible
    )
    drain()
    assert found("茶杯") == ids(visible)
    assert not SearchDocument.objects.filter(pk=hidden.pk).exists()


@pytest.mark.django_db
def test_a_stock_change_marks_the_listing_only_when_it_sells_out_or_comes_back() -> None:
    listing = make_listing(title=TITLE, stock=3)
    drain()
    sku = SKU.objects.get(listing=listing)

    Listing.objects.filter(pk=listing.pk).update(total_stock=2)
    SKU.objects.filter(pk=sku.pk).update(stock=2)
    assert not DirtyListing.objects.exists()

    Listing.objects.filter(pk=listing.pk).update(total_stock=0)
    assert DirtyListing.objects.filter(listing_id=listing.pk).exists()
    drain()
    assert found("茶杯", in_stock=True) == []
    assert found("茶杯") == ids(listing)


@pytest.mark.django_db
def test_renaming_a_category_reindexes_its_whole_subtree() -> None:
    listing = make_listing(title="Hand-painted cup", category=make_category("瓷器", "茶具"))
    drain()
    root = Category.objects.get(name="瓷器")
    root.name = "陶瓷工艺品"
    root.save()

    drain()

    assert found("工艺品") == ids(listing)


@pytest.mark.django_db
def test_seller_credit_changes_reach_the_documents_through_the_shop_mark() -> None:
    listing = make_listing(title=TITLE)
    drain()
    Shop.objects.filter(pk=listing.shop_id).update(credit_level=7, credit_score=600)

    assert DirtyShop.objects.filter(shop_id=listing.shop_id).exists()
    drain()

    document = SearchDocument.objects.get(pk=listing.pk)
    assert (document.seller_level, document.seller_score) == (7, 600)


@pytest.mark.django_db
def test_a_failed_batch_keeps_its_marks_for_the_next_run(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    listing = make_listing(title=TITLE)
    real = indexing.documents_rebuild

    def crash(listing_ids):  # type: ignore[no-untyped-def]
        raise ConnectionError("worker lost its database mid-batch")

    monkeypatch.setattr(indexing, "documents_rebuild", crash)
    with pytest.raises(ConnectionError):
        indexing.dirty_drain()
    assert DirtyListing.objects.filter(listing_id=listing.pk).exists()

    monkeypatch.setattr(indexing, "documents_rebuild", real)
    drain()
    assert found("茶杯") == ids(listing)


@pytest.mark.django_db(transaction=True)
def test_drains_running_side_by_side_index_everything_once(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SEARCH_DRAIN_BATCH = 5
    shop = ShopFactory()
    listings = [make_listing(shop, title=f"{TITLE} {number}") for number in range(40)]

    results = run_in_threads([indexing.dirty_drain for _ in range(4)], workers=4)

    assert not [result for result in results if isinstance(result, Exception)]
    assert sum(results) == 40
    assert SearchDocument.objects.count() == 40
    assert not DirtyListing.objects.exists()
    assert sorted(found("茶杯", page_size=50)) == sorted(ids(*listings))


@pytest.mark.django_db
def test_search_reindex_rebuilds_every_document_from_the_listings() -> None:
    listings = [make_listing(title=f"{TITLE} {number}") for number in range(3)]
    draft = make_listing(title=TITLE, publish=False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_searchdocument")
    DirtyListing.objects.all().delete()
    from io import StringIO

    out = StringIO()
    call_command("search_reindex", "--batch", "2", verbosity=0, stdout=out)

    assert "Indexed 3 listings" in out.getvalue()
    assert sorted(found("茶杯")) == sorted(ids(*listings))
    assert draft.pk not in found("茶杯")
    assert SearchDocument.objects.get(pk=listings[0].pk).price_min == Decimal("25.00")
