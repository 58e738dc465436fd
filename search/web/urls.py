"""The storefront search page, and the seller's page on how their listings rank."""

from django.urls import URLPattern, path

from search.web import views

app_name = "seller_search"

urlpatterns: list[URLPattern] = [
    path("search-ranking/", views.seller_explain, name="explain"),
]

public_urlpatterns: list[URLPattern] = [
    path("search/", views.search_results, name="search"),
]
