"""The Celery app: beat schedule in code, tasks registered, housekeeping tasks do their job."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from marketplace.accounts.tasks import sessions_clear_expired
from marketplace.celery import app
from marketplace.settings.base import celery_url


def test_every_scheduled_task_is_registered() -> None:
    app.loader.import_default_modules()

    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks
    sweep = app.conf.beat_schedule["escrow-settlement-sweep"]
    assert sweep["schedule"] == settings.ESCROW_SETTLEMENT_SWEEP_SECONDS


def test_tasks_have_time_limits() -> None:
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_every_task_can_be_queued_with_its_own_limits() -> None:
    """Celery refuses to queue a task whose soft limit (its own or the default) exceeds its hard
    limit: beat would fail on every tick."""
    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]

    for task in ours:
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft < hard, task.name
    assert {task.name for task in ours} >= {"escrow.settlement_sweep", "escrow.settlement_drain"}


@pytest.mark.django_db
def test_sessions_clear_expired_keeps_live_sessions() -> None:
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )

    assert sessions_clear_expired() == 1
    assert sessions_clear_expired() == 0
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]


@pytest.mark.parametrize(
    ("redis_url", "broker_url"),
    [
        ("redis://127.0.0.1:6379/3", "redis://127.0.0.1:6379/3"),
        ("unix:///tmp/r/redis.socket?db=2", "redis+socket:///tmp/r/redis.socket?virtual_host=2"),
        ("unix:///tmp/r/redis.socket", "redis+socket:///tmp/r/redis.socket?virtual_host=0"),
    ],
)
def test_celery_reads_the_same_redis_url_as_the_cache(redis_url: str, broker_url: str) -> None:
    assert celery_url(redis_url) == broker_url
