"""Demo search data: every demo listing indexed with its signals, and a few popular queries so
autocomplete has something to offer on a fresh ``make run``."""

from collections.abc import Callable

from django.utils import timezone

from search.models import PopularQuery
from search.services.indexing import search_reindex

POPULAR_QUERIES = {"连衣裙": 40, "茶叶": 25, "竹篮": 12, "tea": 18, "bamboo basket": 9}


def index_demo_catalogue() -> None:
    search_reindex()


def record_popular_queries() -> None:
    now = timezone.now()
    PopularQuery.objects.bulk_create(
        [
            PopularQuery(text=text, count=count, last_searched_at=now)
            for text, count in POPULAR_QUERIES.items()
        ],
        ignore_conflicts=True,
    )


def steps() -> list[tuple[str, Callable[[], None]]]:
    return [
        ("search index of the demo catalogue", index_demo_catalogue),
        ("popular searches", record_popular_queries),
    ]
