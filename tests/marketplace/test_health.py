"""/healthz is 200 only when the database, Redis and a Celery worker all answer."""

import re

import pytest

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_is_up_when_database_redis_and_a_worker_answer(
    client, celery_worker_thread
) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "up"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "up",
        "redis": "up",
        "celery": "up",
    }
    assert body["checks"]["celery"]["workers"]


def test_healthz_is_503_when_redis_is_down(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = DEAD_REDIS
    settings.CELERY_BROKER_URL = DEAD_REDIS

    response = client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "up"
    assert checks["redis"]["status"] == "down"
    assert "Connection" in checks["redis"]["error"]
    assert checks["celery"]["status"] == "down"


def test_healthz_is_503_when_no_worker_answers(client, settings, celery_worker_thread) -> None:  # type: ignore[no-untyped-def]
    # The same Redis server, another database: the running test worker does not listen there.
    settings.CELERY_BROKER_URL = re.sub(
        r"(/|virtual_host=)\d+$", r"\g<1>15", settings.CELERY_BROKER_URL
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"]["status"] == "up"
    assert checks["celery"] == {"status": "down", "error": "no Celery worker answered"}
