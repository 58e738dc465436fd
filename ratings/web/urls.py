"""The seller's rating pages under /seller/ratings/, and the public page of a shop's ratings."""

from django.urls import path

from ratings.web import views

app_name = "seller_ratings"

urlpatterns = [
    path("ratings/", views.overview, name="overview"),
    path("ratings/received/", views.received, name="received"),
    path("ratings/given/", views.given, name="given"),
    path("ratings/orders/<uuid:public_id>/", views.rate_buyer, name="rate"),
    path("ratings/<uuid:rating_id>/reply/", views.reply, name="reply"),
    path("ratings/<uuid:rating_id>/revise/", views.revise, name="revise"),
]

public_urlpatterns = [
    path("shops/<slug:slug>/ratings/", views.shop_ratings, name="shop_ratings"),
]
