"""The storefront's search page: a search box on every page, results ranked with facets and
sorts, and a "did you mean" link."""

import pytest
from django.test import Client

from shops.models import Category
from tests.factories import ShopFactory, make_category, make_listing
from tests.search.helpers import drain

pytestmark = pytest.mark.django_db


def test_every_page_has_the_search_box(client: Client) -> None:
    page = client.get("/").content.decode()

    assert 'action="/search/"' in page and 'name="q"' in page


def test_results_show_listings_facets_and_sorts(client: Client) -> None:
    tea = make_category("食品", "茶叶")
    listing = make_listing(
        ShopFactory(name="西湖龙井茶农"), title="西湖龙井 明前绿茶", category=tea
    )
    make_listing(title="竹编茶盘", category=make_category("家居", "茶具"))
    drain()

    page = client.get("/search/", {"q": "龙井"}).content.decode()

    assert listing.title in page and "西湖龙井茶农" in page
    assert "1 listing for “龙井”" in page
    food = Category.objects.get(name="食品")
    assert f"category={food.slug}" in page
    assert 'data-sort="price_asc"' in page
    assert "竹编茶盘" not in page


def test_a_facet_link_narrows_the_results(client: Client) -> None:
    tea, tray = make_category("食品", "茶叶"), make_category("家居", "茶具")
    make_listing(title="龙井 绿茶", category=tea)
    make_listing(title="绿茶 茶盘 竹制", category=tray)
    drain()

    everything = client.get("/search/", {"q": "绿茶"}).content.decode()
    home = Category.objects.get(name="家居")
    narrowed = client.get("/search/", {"q": "绿茶", "category": home.slug})

    assert "2 listings" in everything
    assert "1 listing for" in narrowed.content.decode()
    assert "茶盘" in narrowed.content.decode()


def test_a_misspelling_offers_the_correction_and_nothing_found_says_so(client: Client) -> None:
    make_listing(title="Handmade ceramic teapot")
    drain()

    corrected = client.get("/search/", {"q": "ceramc teapot"}).content.decode()
    nothing = client.get("/search/", {"q": "skateboard"}).content.decode()

    assert 'id="did-you-mean"' in corrected and "ceramic teapot" in corrected
    assert 'id="no-results"' in nothing


def test_an_inverted_price_range_is_shown_as_an_error(client: Client) -> None:
    page = client.get("/search/", {"q": "tea", "price_min": "50", "price_max": "5"})

    assert page.status_code == 200
    assert "Must not be below the lowest price." in page.content.decode()


def test_staff_read_documents_and_popular_queries_in_admin(client: Client) -> None:
    from tests.factories import UserFactory

    make_listing(title="Handmade ceramic teapot")
    drain()
    client.get("/search/", {"q": "teapot"})
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    documents = client.get("/admin/search/searchdocument/").content.decode()
    queries = client.get("/admin/search/popularquery/").content.decode()

    assert "Handmade ceramic teapot" in documents
    assert "teapot" in queries


def test_a_seller_sees_where_their_listing_ranks_and_why(client: Client) -> None:
    shop = ShopFactory()
    listing = make_listing(shop, title="手工竹编收纳篮")
    other = make_listing(title="竹编果盘")
    drain()
    client.force_login(shop.owner)

    page = client.get(
        "/seller/search-ranking/", {"words": "竹编", "listing": str(listing.public_id)}
    ).content.decode()
    foreign = client.get(
        "/seller/search-ranking/", {"words": "竹编", "listing": str(other.public_id)}
    )

    assert 'id="position"' in page and "number" in page and "of 2" in page
    assert "Credit grade" in page and "Your shop&#x27;s credit grade" in page
    assert "Select a valid choice" in foreign.content.decode()
    assert str(other.title) not in foreign.content.decode().split('id="explain-form"')[1]
