"""Search in admin, read-only: each listing's document and signals, and what buyers search for.
Documents change only through the indexing services (and ``search_reindex``)."""

from django.contrib import admin

from search.models import PopularQuery, SearchDocument
from shops.admin import ReadOnlyMixin


@admin.register(SearchDocument)
class SearchDocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "listing",
        "shop",
        "quality",
        "seller_level",
        "good_rate",
        "dsr",
        "sales_30d",
        "violation_points",
        "is_duplicate",
        "in_stock",
        "indexed_at",
    )
    list_filter = ("is_duplicate", "in_stock", "shipping_method", "province")
    list_select_related = ("listing", "shop")
    search_fields = ("listing__title", "shop__name", "shop__slug")
    ordering = ("-quality",)
    exclude = ("document",)


@admin.register(PopularQuery)
class PopularQueryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("text", "count", "last_searched_at")
    search_fields = ("text",)
    ordering = ("-count",)
