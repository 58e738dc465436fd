"""``seed_demo`` fills the catalogue with a lived-in marketplace; running it again adds nothing."""

from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from marketplace.accounts.demo import DEMO_PASSWORD
from marketplace.accounts.models import User
from shops.demo import SHOPS
from shops.models import SKU, Category, Listing, ListingImage, Place, Shop, ShopEvent

pytestmark = pytest.mark.django_db


def catalogue_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Place, Category, Shop, Listing, SKU, ListingImage, ShopEvent)
    }


@pytest.fixture(autouse=True)
def without_credit_history(settings: Any) -> None:
    """The ratings demo's thousands of history orders are tested in tests/ratings."""
    settings.RATINGS_DEMO_CREDIT_HISTORY = False


def test_seed_demo_builds_a_varied_catalogue_once() -> None:
    call_command("seed_demo", "--no-progress")
    first = catalogue_counts()
    call_command("seed_demo", "--no-progress")

    assert catalogue_counts() == first
    active = Listing.objects.filter(status=Listing.Status.ACTIVE)
    assert active.count() >= 250
    assert active.values("shop").distinct().count() >= 10
    assert Shop.objects.values("province").distinct().count() >= 4
    assert Listing.objects.annotate(skus_count=Count("skus")).filter(skus_count__gte=4).exists()
    assert not active.filter(images__isnull=True).exists()
    assert all(len(title) <= 60 for title in Listing.objects.values_list("title", flat=True))
    assert set(Listing.objects.values_list("shipping_method", flat=True)) == {
        "express",
        "post",
        "virtual",
    }
    assert Listing.objects.filter(status=Listing.Status.DRAFT).exists()
    assert Listing.objects.filter(status=Listing.Status.DELISTED).exists()
    seller = User.objects.get(username=SHOPS[0].username)
    assert seller.check_password(DEMO_PASSWORD) and seller.shop.name == SHOPS[0].name
