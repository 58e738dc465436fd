"""Cart, checkout, orders and payments under /api/ (buyers), and the seller's orders."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from escrow.api import views

router = SimpleRouter()
router.register("checkouts", views.CheckoutViewSet, basename="checkout")
router.register("orders", views.OrderViewSet, basename="order")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("seller/orders", views.SellerOrderViewSet, basename="seller-order")

urlpatterns: list[URLPattern | URLResolver] = [
    path("cart/", views.CartView.as_view(), name="cart"),
    path("cart/items/", views.CartItemsView.as_view(), name="cart-items"),
    path("cart/items/<str:sku_id>/", views.CartItemView.as_view(), name="cart-item"),
    path("checkout/", views.CheckoutView.as_view(), name="checkout"),
    path("seller/balance/", views.SellerBalanceView.as_view(), name="seller-balance"),
    *router.urls,
]
