"""Page-number pagination with a client-chosen page size, capped at ``API_MAX_PAGE_SIZE``."""

from django.conf import settings
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return int(settings.API_MAX_PAGE_SIZE)
