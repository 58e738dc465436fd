from django.urls import path

from shops.web import views

app_name = "seller"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("open/", views.shop_open, name="shop_open"),
    path("shop/", views.shop_edit, name="shop_edit"),
    path("verification/", views.verification, name="verification"),
    path("listings/", views.listing_list, name="listing_list"),
    path("listings/new/", views.listing_create, name="listing_create"),
    path("listings/export.csv", views.listings_export, name="listings_export"),
    path("listings/import/", views.listings_import, name="listings_import"),
    path("listings/<uuid:public_id>/", views.listing_edit, name="listing_edit"),
    path("listings/<uuid:public_id>/publish/", views.listing_publish, name="listing_publish"),
    path("listings/<uuid:public_id>/delist/", views.listing_delist, name="listing_delist"),
    path(
        "listings/<uuid:public_id>/images/",
        views.listing_images_upload,
        name="listing_images_upload",
    ),
    path(
        "listings/<uuid:public_id>/images/<int:image_id>/",
        views.listing_image_change,
        name="listing_image_change",
    ),
]

public_urlpatterns = [
    path("shops/<slug:slug>/", views.storefront, name="storefront"),
    path("listings/<uuid:public_id>/", views.listing_detail, name="listing_detail"),
]
