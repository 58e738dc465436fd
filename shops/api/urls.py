"""Shop and catalogue endpoints under /api/ (buyers' reads and the seller's own shop)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
