"""Ratings endpoints under /api/: an order's ratings, replies and revisions, public lists."""

from django.urls import URLPattern, URLResolver, path

from ratings.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("orders/<uuid:order_id>/rating/", views.OrderRatingView.as_view(), name="order-rating"),
    path("orders/<uuid:order_id>/ratings/", views.OrderRatingsView.as_view(), name="order-ratings"),
    path("ratings/<uuid:rating_id>/reply/", views.RatingReplyView.as_view(), name="rating-reply"),
    path(
        "ratings/<uuid:rating_id>/revise/", views.RatingReviseView.as_view(), name="rating-revise"
    ),
    path("shops/<slug:slug>/ratings/", views.ShopRatingsView.as_view(), name="shop-ratings"),
    path("users/<str:username>/ratings/", views.UserRatingsView.as_view(), name="user-ratings"),
]
