"""A settlement worker killed with SIGKILL in the middle of a sweep: a new worker settles every
due order, and none twice. Real Celery worker processes on the test database and Redis."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from escrow.models import LedgerTransaction, Order, OrderEvent
from escrow.tasks import settlement_drain
from tests.escrow.helpers import assert_ledger_sound, pay, place
from tests.factories import UserFactory, make_listing

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "settlement-fault-test"  # only these workers listen here
LEASE_SECONDS = 3
WORKER_OPTIONS = ["-Q", QUEUE, "--pool", "solo", "--loglevel", "WARNING", "--without-gossip"]


def database_url() -> str:
    """The server this test runs on (``DATABASE_URL``, whose options may name a unix socket
    directory) with the test database's name."""
    url = os.environ.get("DATABASE_URL", "postgres://127.0.0.1:5432/marketplace")
    head, _, query = url.partition("?")
    named = head.rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    return f"{named}?{query}" if query else named


@contextmanager
def worker(log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A Celery worker process consuming the test queue, with a short settlement lease."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "DATABASE_URL": database_url(),
        "ESCROW_SETTLEMENT_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "marketplace", "worker", *WORKER_OPTIONS],
        cwd=ROOT,
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def completed_count(orders: list[Order]) -> int:
    return Order.objects.filter(pk__in=[o.pk for o in orders], status="completed").count()


def wait_until(condition: object, *, seconds: float) -> bool:
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_a_worker_killed_mid_sweep_leaves_nothing_unsettled_or_settled_twice(
    tmp_path: Path,
) -> None:
    log = tmp_path / "workers.log"
    listing = make_listing(price="12.00", stock=300)
    orders = []
    for _ in range(300):
        order = place(UserFactory(), listing)
        pay(order)
        orders.append(order)
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(
        status="shipped",
        shipped_at=timezone.now() - timedelta(days=11),
        confirm_deadline=timezone.now() - timedelta(days=1),
    )
    options = {"queue": QUEUE}

    with worker(log) as first:
        settlement_drain.apply_async(**options)
        started = wait_until(lambda: completed_count(orders) >= 30, seconds=60)
        assert started, log.read_text()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    killed_at = completed_count(orders)
    assert killed_at < len(orders), "the worker finished before it could be killed"

    with worker(log):
        deadline = time.monotonic() + 90
        while completed_count(orders) < len(orders) and time.monotonic() < deadline:
            settlement_drain.apply_async(**options)  # what beat's sweeps would do
            wait_until(lambda: completed_count(orders) == len(orders), seconds=LEASE_SECONDS)

    assert completed_count(orders) == len(orders)
    ids = [o.pk for o in orders]
    releases = (
        LedgerTransaction.objects.filter(order__in=ids, kind="release")
        .values("order")
        .annotate(n=Count("pk"))
    )
    assert {row["n"] for row in releases} == {1} and len(releases) == len(orders)
    completions = OrderEvent.objects.filter(order__in=ids, type="completed").count()
    assert completions == len(orders)
    assert_ledger_sound()
