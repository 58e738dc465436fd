"""Cart, checkout, orders, payments and refunds under /api/ (buyers); the seller's orders,
refunds, balance and payouts."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from escrow.api import payouts, refunds, views

router = SimpleRouter()
router.register("checkouts", views.CheckoutViewSet, basename="checkout")
router.register("orders", refunds.BuyerOrderAfterSaleViewSet, basename="order")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("refunds", refunds.RefundViewSet, basename="refund")
router.register("seller/orders", refunds.SellerOrderAfterSaleViewSet, basename="seller-order")
router.register("seller/refunds", refunds.SellerRefundViewSet, basename="seller-refund")
router.register("seller/payouts", payouts.SellerPayoutViewSet, basename="seller-payout")

urlpatterns: list[URLPattern | URLResolver] = [
    path("cart/", views.CartView.as_view(), name="cart"),
    path("cart/items/", views.CartItemsView.as_view(), name="cart-items"),
    path("cart/items/<str:sku_id>/", views.CartItemView.as_view(), name="cart-item"),
    path("checkout/", views.CheckoutView.as_view(), name="checkout"),
    path("seller/balance/", views.SellerBalanceView.as_view(), name="seller-balance"),
    path("seller/bank-check/", payouts.SellerBankCheckView.as_view(), name="seller-bank-check"),
    path(
        "seller/bank-check/confirm/",
        payouts.SellerBankCheckConfirmView.as_view(),
        name="seller-bank-check-confirm",
    ),
    *router.urls,
]
