"""Shop and catalogue endpoints under /api/ (buyers' reads and the seller's own shop)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from shops.api import views

router = SimpleRouter()
router.register("shops", views.ShopViewSet, basename="shop")
router.register("listings", views.ListingViewSet, basename="listing")
router.register("seller/listings", views.SellerListingViewSet, basename="seller-listing")

urlpatterns: list[URLPattern | URLResolver] = [
    path("categories/", views.CategoryTreeView.as_view(), name="category-tree"),
    path("seller/shop/", views.SellerShopView.as_view(), name="seller-shop"),
    *router.urls,
]
