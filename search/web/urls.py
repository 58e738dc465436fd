"""The storefront search page."""

from django.urls import URLPattern, path

from search.web import views

public_urlpatterns: list[URLPattern] = [
    path("search/", views.search_results, name="search"),
]
