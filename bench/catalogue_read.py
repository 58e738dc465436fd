"""Benchmark: how fast buyers can browse the catalogue.

Seeds a throw-away database (``marketplace_bench_catalogue``) with shops and listings, then times
the buyer's read endpoints in process (Django's test client: the full middleware, DRF and
PostgreSQL stack, without a network hop) and prints requests per second, latency percentiles and
queries per request.

    make bench    (or: python -m marketplace.devenv bench bench/catalogue_read.py --listings 2000)
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")

from bench.common import fresh_database

os.environ["DATABASE_URL"] = fresh_database("marketplace_bench_catalogue")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def seed(listings: int) -> None:
    from shops.models import Listing, Shop
    from tests.factories import ShopFactory, make_category, make_listing

    have = Listing.objects.count()
    if have >= listings:
        return
    categories = [make_category("Bench", f"Leaf {number}") for number in range(10)]
    shops = [cast(Shop, ShopFactory()) for _ in range(max(1, (listings - have) // 100))]
    for number in range(have, listings):
        make_listing(
            shops[number % len(shops)],
            title=f"Bench listing {number}",
            category=categories[number % len(categories)],
            variants={"Size": ["S", "M", "L"]},
            price=f"{10 + number % 90}.00",
        )


def measure(client: Client, path: str, requests: int) -> None:
    client.get(path)  # warm up
    timings = []
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for _ in range(requests):
            begin = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, response.content[:200]
        elapsed = time.perf_counter() - started
    timings.sort()
    print(
        f"{path:<55} {requests / elapsed:7.1f} req/s   p50 {statistics.median(timings):6.1f} ms"
        f"   p95 {timings[int(len(timings) * 0.95) - 1]:6.1f} ms"
        f"   {len(queries.captured_queries) / requests:.1f} queries/request"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()

    setup_test_environment()
    call_command("migrate", verbosity=0)
    seed(options.listings)
    from shops.models import Category, Listing

    listing = Listing.objects.filter(status="active").first()
    assert listing is not None
    print(f"{Listing.objects.count()} listings, {options.requests} requests per endpoint")
    client = Client()
    for path in [
        "/api/listings/?page_size=50",
        "/api/listings/?page_size=50&ordering=price_asc&in_stock=true",
        f"/api/listings/?page_size=50&category={Category.objects.get_parent(listing.category).slug}",
        f"/api/listings/{listing.public_id}/",
        f"/shops/{listing.shop.slug}/",
    ]:
        measure(client, path, options.requests)


if __name__ == "__main__":
    main()
