"""Shared fixtures. Tests run against real PostgreSQL and Redis (see ``make test``)."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache, so throttling counters do not leak between tests."""
    cache.clear()
    yield


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db: None):  # type: ignore[no-untyped-def]
    return UserFactory()


@pytest.fixture
def user_client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(scope="session")
def celery_worker_thread(django_db_setup: None) -> Iterator[object]:
    """A real Celery worker, in a thread of the test process, consuming from the test Redis.

    Session-scoped: starting it closes the database connections of the starting thread (Celery's
    Django fix-up does that on worker start), which must happen before any test's transaction.
    """
    from celery.contrib.testing.worker import start_worker

    from marketplace.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
