"""What buyers search for, counted for autocomplete."""

from django.db import connection
from django.utils import timezone

from search.models import PopularQuery
from search.text import normalise

TABLE = PopularQuery._meta.db_table


def search_query_record(*, text: str) -> None:
    """Count one search for a query (normalised; one statement, outside any transaction)."""
    query = normalise(text)[:100]
    if not query:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (text, count, last_searched_at) VALUES (%s, 1, %s) "  # noqa: S608
            "ON CONFLICT (text) DO UPDATE SET count = "
            f"{TABLE}.count + 1, last_searched_at = EXCLUDED.last_searched_at",
            [query, timezone.now()],
        )
