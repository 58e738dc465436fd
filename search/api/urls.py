"""Search endpoints under /api/search/."""

from django.urls import URLPattern, URLResolver, path

from search.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/suggest", views.SuggestView.as_view(), name="search-suggest"),
    path("search/explain", views.ExplainView.as_view(), name="search-explain"),
]
