"""``/healthz``: is the marketplace able to serve? 200 only when the database, Redis and at least
one Celery worker answer; 503 otherwise, with each check's status so operators see which one failed.
"""

import logging
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from marketplace.celery import app as celery_app

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2.0


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "up"}


def _redis() -> dict[str, Any]:
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        socket_timeout=CHECK_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()
    return {"status": "up"}


def _celery() -> dict[str, Any]:
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as broker:
        replies = celery_app.control.ping(timeout=CHECK_TIMEOUT_SECONDS, limit=1, connection=broker)
    if not replies:
        return {"status": "down", "error": "no Celery worker answered"}
    return {"status": "up", "workers": sorted(name for reply in replies for name in reply)}


def _run(check: Any) -> dict[str, Any]:
    try:
        result: dict[str, Any] = check()
    except Exception as error:  # a health check reports every failure instead of raising
        logger.warning("health check %s failed: %s", check.__name__, error)
        return {"status": "down", "error": f"{type(error).__name__}: {error}"}
    return result


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _run(_database), "redis": _run(_redis)}
    if checks["redis"]["status"] == "up":
        checks["celery"] = _run(_celery)
    else:
        checks["celery"] = {"status": "down", "error": "the Celery broker (Redis) is down"}
    healthy = all(check["status"] == "up" for check in checks.values())
    return JsonResponse(
        {"status": "up" if healthy else "down", "checks": checks}, status=200 if healthy else 503
    )
