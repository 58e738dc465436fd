from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = "Shops, listings, stock and the seller centre"
