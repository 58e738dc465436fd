"""Benchmark: settlement of passed deadlines by real Celery workers and beat (issue 6).

Creates a fresh database ``marketplace_bench_settlement`` (or ``$BENCH_DATABASE``) on the
PostgreSQL server of ``DATABASE_URL`` and seeds it with bulk inserts: 50,000 shipped orders whose
auto-confirm deadline has passed, each paid into its escrow with the ledger as
``payment_succeeded`` leaves it, and 5,000 unpaid orders past their payment deadline. Then, with
one Celery worker of two prefork processes (as ``make run`` starts it), it measures

  (a) the backlog: from the first ``escrow.settlement_sweep`` until no order is due, in orders
      per second. This script sends the sweep by name every ``ESCROW_SETTLEMENT_SWEEP_SECONDS``,
      the message beat sends, so (a) measures the drains whatever beat does;
  (b) single deadlines: with Celery beat running (its default DatabaseScheduler, on the bench
      database) and the worker idle, a few shipped orders whose deadlines pass one by one, in
      seconds from each deadline to the order's ``completed_at``;

checks that every order was settled exactly once and that the ledger is sound, and prints the
figures. Celery uses database 9 (or ``$BENCH_REDIS_DATABASE``) of ``REDIS_URL``'s server, so no
other worker takes its tasks; the worker's and beat's logs go to a temporary folder and their
errors are printed at the end.
``--profile N`` then drains N more due orders in this process under cProfile and prints the
statements per order and where the time goes.

    make bench      (or: python -m marketplace.devenv bench bench/settlement.py [--shipped 50000])
"""

import argparse
import cProfile
import os
import pstats
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_database, fresh_database  # noqa: E402

BENCH_DATABASE = bench_database("marketplace_bench_settlement")
CELERY_REDIS_DATABASE = int(os.environ.get("BENCH_REDIS_DATABASE") or 9)
BATCH = 5000  # orders per seeding transaction
COMMISSION_RATE = Decimal("0.05")


def dedicated_redis(url: str, database: int) -> str:
    """The same Redis server, another database number (a redis-py URL, TCP or unix socket)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = {**dict(parse_qsl(parts.query)), "db": str(database)}
        return urlunsplit(parts._replace(query=urlencode(query)))
    return urlunsplit(parts._replace(path=f"/{database}"))


os.environ.update(
    # Not bench.settings: importing it imports marketplace.celery, which reads the settings.
    DJANGO_SETTINGS_MODULE="marketplace.settings.production",
    DATABASE_URL=fresh_database(BENCH_DATABASE),
    DATABASE_CONN_MAX_AGE="600",
    REDIS_URL=dedicated_redis(
        os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), CELERY_REDIS_DATABASE
    ),
    DJANGO_SECRET_KEY="bench-secret",  # noqa: S106
    DJANGO_ALLOWED_HOSTS="127.0.0.1",
    LOG_LEVEL="WARNING",
    PYTHONUNBUFFERED="1",
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402

from escrow.conf import escrow_setting  # noqa: E402
from escrow.ledger_check import ledger_problems  # noqa: E402
from escrow.models import (  # noqa: E402
    Checkout,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderLine,
    Payment,
)
from escrow.services.ledger import clearing_account  # noqa: E402
from escrow.services.settlement import SWEEPS, settlement_drain  # noqa: E402
from marketplace.accounts.models import User  # noqa: E402
from marketplace.celery import app  # noqa: E402
from shops.models import SKU, Category, Shop  # noqa: E402
from tests.factories import ShopFactory, make_category, make_listing  # noqa: E402

# --- Seeding ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    skus: list[SKU]  # with their listing loaded
    buyer_ids: list[int]
    clearing: LedgerAccount


def seed_catalogue(shops: int = 20, buyers: int = 2000) -> Catalogue:
    """A few shops with one listing each (5% commission) and a few thousand buyers."""
    category = make_category("Bench")
    Category.objects.filter(pk=category.pk).update(commission_rate=COMMISSION_RATE)
    category.refresh_from_db()
    for number in range(shops):
        make_listing(
            cast(Shop, ShopFactory()),
            title=f"Bench item {number}",
            category=category,
            price=f"{19 + number}.90",
            stock=1_000_000,
            shipping_fee="8.00" if number % 2 else "0.00",
        )
    password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"settle{number}", email=f"settle{number}@example.com", password=password)
        for number in range(buyers)
    )
    skus = list(SKU.objects.select_related("listing").order_by("pk"))
    return Catalogue(skus, [user.pk for user in users], clearing_account())


def seed_orders(catalogue: Catalogue, deadlines: list[datetime], *, shipped: bool) -> list[int]:
    """One order per deadline, written with bulk inserts in batches; returns their pks in the
    same order. Shipped orders complete at their deadline; unpaid ones close at it."""
    pks: list[int] = []
    for start in range(0, len(deadlines), BATCH):
        with transaction.atomic():
            pks += _seed_batch(catalogue, start, deadlines[start : start + BATCH], shipped)
    return pks


def _seed_batch(
    catalogue: Catalogue, first: int, deadlines: list[datetime], shipped: bool
) -> list[int]:
    picks = [
        (
            catalogue.skus[(first + index) % len(catalogue.skus)],
            catalogue.buyer_ids[(first + index) % len(catalogue.buyer_ids)],
            1 + (first + index) % 3,
        )
        for index in range(len(deadlines))
    ]
    checkouts = Checkout.objects.bulk_create(Checkout(buyer_id=buyer) for _, buyer, _ in picks)
    orders = Order.objects.bulk_create(
        Order(
            checkout=checkout,
            buyer_id=buyer,
            shop_id=sku.listing.shop_id,
            status=Order.Status.SHIPPED if shipped else Order.Status.AWAITING_PAYMENT,
            goods_total=sku.price * quantity,
            shipping_total=sku.listing.shipping_fee,
            total=sku.price * quantity + sku.listing.shipping_fee,
            shipping_method=sku.listing.shipping_method,
            payment_deadline=deadline - timedelta(days=11) if shipped else deadline,
            paid_at=deadline - timedelta(days=11) if shipped else None,
            ship_deadline=deadline - timedelta(days=8) if shipped else None,
            shipped_at=deadline - timedelta(days=10) if shipped else None,
            carrier="SF Express" if shipped else "",
            tracking_number=f"SF{first + index:010d}" if shipped else "",
            confirm_deadline=deadline if shipped else None,
        )
        for index, ((sku, buyer, quantity), checkout, deadline) in enumerate(
            zip(picks, checkouts, deadlines, strict=True)
        )
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            sku=sku,
            listing=sku.listing,
            title=sku.listing.title,
            unit_price=sku.price,
            quantity=quantity,
            line_total=sku.price * quantity,
            commission_rate=COMMISSION_RATE,
        )
        for (sku, _, quantity), order in zip(picks, orders, strict=True)
    )
    if not shipped:
        return [order.pk for order in orders]
    # What payment_succeeded writes: a payment and a transaction clearing → escrow(order).
    payments = Payment.objects.bulk_create(
        Payment(
            checkout_id=order.checkout_id,
            buyer_id=order.buyer_id,
            provider="sandbox",
            amount=order.total,
            status=Payment.Status.SUCCEEDED,
            settled_at=order.paid_at,
        )
        for order in orders
    )
    Payment.orders.through.objects.bulk_create(
        Payment.orders.through(payment=payment, order=order)
        for payment, order in zip(payments, orders, strict=True)
    )
    accounts = LedgerAccount.objects.bulk_create(
        LedgerAccount(kind=LedgerAccount.Kind.ESCROW, order=order, balance=order.total)
        for order in orders
    )
    postings = LedgerTransaction.objects.bulk_create(
        LedgerTransaction(
            kind=LedgerTransaction.Kind.PAYMENT,
            order=order,
            payment=payment,
            description=f"Payment {payment.public_id} for order {order.public_id}",
        )
        for payment, order in zip(payments, orders, strict=True)
    )
    LedgerEntry.objects.bulk_create(
        entry
        for posting, account, order in zip(postings, accounts, orders, strict=True)
        for entry in (
            LedgerEntry(transaction=posting, account=catalogue.clearing, amount=-order.total),
            LedgerEntry(transaction=posting, account=account, amount=order.total),
        )
    )
    return [order.pk for order in orders]


# --- Celery processes -------------------------------------------------------------------------


def start(arguments: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-q", "-A", "marketplace", *arguments],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Warm shutdown; the process group is killed if it does not end in time."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def logged_errors(log: Path) -> list[str]:
    """Each distinct error a Celery process logged."""
    lines = log.read_text(errors="replace").splitlines()
    return sorted({line.split("] ", 1)[-1] for line in lines if ": ERROR/" in line})


def wait_for(condition: Callable[[], bool], timeout: float, every: float = 0.5) -> bool:
    give_up = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > give_up:
            return False
        time.sleep(every)
    return True


# --- Measurements -----------------------------------------------------------------------------


def due_orders() -> int:
    now = timezone.now()
    return sum(sweep.due(now).count() for sweep in SWEEPS)


def database_backends() -> list[int]:
    """Process ids of the other connections to the bench database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process on this machine has used (Linux); 0 if unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Drain:
    peak_connections: int
    worker_cpu: float  # seconds, the Celery worker's processes
    database_cpu: float  # seconds, PostgreSQL's processes serving them (0: not on this machine)


def drain_backlog(worker: int, sweep_seconds: float, timeout: float) -> Drain:
    """Beat's part, played by this script: send ``escrow.settlement_sweep`` every sweep
    interval until no order is due; meanwhile watch connections and CPU time."""
    children = Path(f"/proc/{worker}/task/{worker}/children").read_text().split()
    workers = [worker, *map(int, children)]
    started = {pid: cpu_seconds(pid) for pid in workers}
    used: dict[int, float] = {}  # CPU seconds of each process when last seen
    give_up, next_sweep, peak = time.monotonic() + timeout, 0.0, 0
    while due_orders():
        if time.monotonic() >= next_sweep:
            app.send_task("escrow.settlement_sweep")
            next_sweep = time.monotonic() + sweep_seconds
        if time.monotonic() > give_up:
            raise SystemExit(f"the backlog did not drain in {timeout:.0f} s")
        backends = database_backends()
        peak = max(peak, len(backends))
        used |= {pid: seconds for pid in workers + backends if (seconds := cpu_seconds(pid))}
        time.sleep(0.5)
    worker_cpu = sum(used.get(pid, seconds) - seconds for pid, seconds in started.items())
    database_cpu = sum(seconds for pid, seconds in used.items() if pid not in started)
    return Drain(peak, worker_cpu, database_cpu)


@dataclass(frozen=True)
class Settled:
    count: int
    first: datetime
    last: datetime

    @property
    def span(self) -> timedelta:
        return self.last - self.first


def settled(status: str, field: str) -> Settled:
    """How many orders reached ``status``, and when the first and the last did."""
    row = Order.objects.filter(status=status).aggregate(
        count=Count("pk"), first=Min(field), last=Max(field)
    )
    return Settled(row["count"], row["first"], row["last"])


def settled_twice(completed: int, closed: int) -> list[str]:
    """What differs from one release transaction and one completed event per completed
    order and one closed event per closed order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'release transactions', count(*), count(DISTINCT order_id)"
            "  FROM escrow_ledgertransaction WHERE kind = 'release'"
            " UNION ALL SELECT type || ' events', count(*), count(DISTINCT order_id)"
            "  FROM escrow_orderevent WHERE type IN ('completed', 'closed') GROUP BY type"
        )
        found = {name: (total, orders) for name, total, orders in cursor.fetchall()}
    expected = {"release transactions": completed, "completed events": completed}
    expected["closed events"] = closed
    return [
        f"{name}: {found.get(name, (0, 0))} (rows, orders), expected {count} of each"
        for name, count in expected.items()
        if found.get(name, (0, 0)) != (count, count)
    ]


def single_deadlines(
    catalogue: Catalogue, count: int, spread: float, patience: float
) -> list[float | None]:
    """Seconds from each deadline to completion (None: not within ``patience`` seconds of the
    last deadline), for ``count`` deadlines passing over ``spread`` seconds."""
    first = timezone.now() + timedelta(seconds=5)
    deadlines = [first + timedelta(seconds=spread * index / count) for index in range(count)]
    pks = seed_orders(catalogue, deadlines, shipped=True)
    waiting = Order.objects.filter(pk__in=pks, completed_at__isnull=True)
    wait_for(lambda: not waiting.exists(), 5 + spread + patience)
    completed = dict(Order.objects.filter(pk__in=pks).values_list("pk", "completed_at"))
    return [
        (completed_at - deadline).total_seconds() if (completed_at := completed[pk]) else None
        for pk, deadline in zip(pks, deadlines, strict=True)
    ]


TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)')


def profile_drain(catalogue: Catalogue, count: int) -> None:
    """Drain ``count`` due shipped orders in this process under cProfile and print where the
    time goes: statements per order by kind and table, and the costliest functions."""
    past = timezone.now() - timedelta(days=1)
    seed_orders(catalogue, [past - timedelta(seconds=n) for n in range(count)], shipped=True)
    statements: Counter[str] = Counter()

    def database_statement(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        table = TABLE.search(sql)
        lock = " FOR UPDATE" if "FOR UPDATE" in sql else ""
        statements[f"{sql.split()[0]} {table[1] if table else ''}{lock}"] += 1
        return execute(sql, params, many, context)

    profiler = cProfile.Profile()
    started = time.perf_counter()
    with connection.execute_wrapper(database_statement):
        profiler.enable()
        done = sum(settlement_drain(seconds=3600).values())
        profiler.disable()
    seconds = time.perf_counter() - started
    print(f"\nProfile: one drain in this process settled {done} orders in {seconds:.1f} s")
    print(f"({done / seconds:.0f}/s under cProfile). Statements per order:")
    for kind, number in statements.most_common():
        print(f"  {number / done:5.2f}  {kind}")
    print(f"  {statements.total() / done:5.2f}  in all")
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    functions = [(own, total, where) for where, (_, _, own, total, _) in stats.items()]
    ours = [f for f in functions if f[2][0].startswith(str(ROOT)) and "/.venv/" not in f[2][0]]
    for title, chosen, column in (("cumulative, our code", ours, 1), ("own time", functions, 0)):
        print(f"Milliseconds per order ({title}):")
        for function in sorted(chosen, key=lambda function: -function[column])[:16]:
            file, line, name = function[2]
            place = f"{file.split('site-packages/')[-1].removeprefix(f'{ROOT}/')}:{line}"
            print(f"  {function[column] * 1000 / done:6.2f}  {place} {name}")


# --- The run ----------------------------------------------------------------------------------


def row(name: str, *cells: object) -> None:
    orders, seconds, result, target = (*cells, "", "", "", "")[:4]
    print(f"{name:<46} {orders:>7} {seconds:>8} {result:>9}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shipped", type=int, default=50_000, help="due shipped orders")
    parser.add_argument("--unpaid", type=int, default=5_000, help="due unpaid orders")
    parser.add_argument("--deadlines", type=int, default=5, help="single deadlines in (b)")
    parser.add_argument("--spread", type=float, default=60.0, help="seconds they pass over")
    parser.add_argument("--timeout", type=float, default=1800.0, help="give up on (a) after")
    parser.add_argument("--profile", type=int, default=0, help="then profile N orders in process")
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"Seeding {options.shipped:,} shipped and {options.unpaid:,} unpaid due orders …")
    began = time.perf_counter()
    catalogue = seed_catalogue()
    past = timezone.now() - timedelta(days=1)
    for count, shipped in ((options.shipped, True), (options.unpaid, False)):
        seed_orders(catalogue, [past - timedelta(seconds=n) for n in range(count)], shipped=shipped)
    seeding = time.perf_counter() - began
    seeded_problems = ledger_problems()
    app.control.purge()  # tasks left in the bench's Redis database by an interrupted run

    logs = Path(tempfile.mkdtemp(prefix="bench-settlement-"))
    sweep_seconds = settings.ESCROW_SETTLEMENT_SWEEP_SECONDS
    worker = start(["worker", "--pool", "prefork", "--concurrency", "2"], logs / "worker.log")
    beat = None
    try:
        if not wait_for(lambda: bool(app.control.ping(timeout=1)), 60):
            raise SystemExit(f"the Celery worker did not start; see {logs / 'worker.log'}")
        began_at = datetime.now(UTC)
        drain = drain_backlog(worker.pid, sweep_seconds, options.timeout)
        completed, closed = settled("completed", "completed_at"), settled("closed", "closed_at")
        beat = start(["beat"], logs / "beat.log")
        patience = 2 * sweep_seconds + 30
        latencies = single_deadlines(catalogue, options.deadlines, options.spread, patience)
    finally:
        for process in (beat, worker):
            if process is not None:
                stop(process)

    print(
        f"\nSettlement: 1 Celery worker with 2 prefork processes; a sweep every {sweep_seconds} s"
        f" starts {escrow_setting('SETTLEMENT_PARALLEL_DRAINS')} drains taking"
        f" {escrow_setting('SETTLEMENT_BATCH')} orders at a time. Seeded {options.shipped:,}"
        f" shipped + {options.unpaid:,} unpaid due orders in {seeding:.1f} s (ledger problems:"
        f" {len(seeded_problems)}).\n"
    )
    row("measure", "orders", "seconds", "result", "target")
    end = max(kind.last for kind in (completed, closed) if kind.count)
    spans: list[tuple[str, Settled, Settled | None, timedelta]] = [
        ("(a) backlog drained, all due orders", completed, closed, end - began_at)
    ]
    if closed.count:
        spans += [
            ("    unpaid orders closed (drained first)", closed, None, closed.last - began_at),
            ("    shipped orders completed, first to last", completed, None, completed.span),
        ]
    for name, kind, other, took in spans:
        count, seconds = kind.count + (other.count if other else 0), took.total_seconds()
        row(name, count, f"{seconds:.1f}", f"{count / seconds:.0f} /s", "≥ 300/s" if other else "")
    acted = [latency for latency in latencies if latency is not None]
    missed = len(latencies) - len(acted)
    worst = "never" if missed or not acted else f"{max(acted):.1f} s"
    row("(b) deadline passed → order completed, max", len(latencies), "", worst, "≤ 60 s")
    if acted:
        row("    mean", "", "", f"{sum(acted) / len(acted):.1f} s")
    if missed:
        print(f"    {missed} of them not completed {patience} s after their deadline")
    problems = settled_twice(completed.count + len(acted), closed.count)
    print(f"each order settled exactly once: {'no' if problems else 'yes'}", end=" ")
    print(f"({completed.count + len(acted):,} completed, {closed.count:,} closed)")
    for problem in problems:
        print(f"  {problem}")
    worker_ms, database_ms = (
        1000 * cpu / (completed.count + closed.count)
        for cpu in (drain.worker_cpu, drain.database_cpu)
    )
    cores, total_ms = os.cpu_count() or 1, worker_ms + database_ms
    print(
        f"CPU time per order in (a): {worker_ms:.1f} ms in the worker + {database_ms:.1f} ms in"
        f" PostgreSQL = {total_ms:.1f} ms: {cores} otherwise idle cores settle at most"
        f" {cores * 1000 / total_ms:.0f} orders/s"
    )
    print(f"peak database connections during (a): {drain.peak_connections} (not this script's)")
    print(f"ledger problems: {len(ledger_problems())}")
    for name in ("worker", "beat"):
        for error in logged_errors(logs / f"{name}.log"):
            print(f"{name} logged: {error}")
    print(f"(Celery logs in {logs})")
    if options.profile:
        profile_drain(catalogue, options.profile)


if __name__ == "__main__":
    main()
