"""The seller's order pages, under /seller/ beside the shops' seller centre."""

from django.urls import path

from escrow.web import views

app_name = "seller_orders"

urlpatterns = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/<uuid:public_id>/", views.order_detail, name="order_detail"),
    path("orders/<uuid:public_id>/ship/", views.order_ship, name="order_ship"),
    path("balance/", views.balance, name="balance"),
]
