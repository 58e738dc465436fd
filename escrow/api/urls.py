"""Cart, checkout, orders and payments under /api/ (buyers), and the seller's orders."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
