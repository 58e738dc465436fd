"""Benchmark: checkout and payment on the real stack (gunicorn, PostgreSQL, Redis).

Creates a fresh database ``marketplace_bench`` (or ``$BENCH_DATABASE``) on the PostgreSQL server
of ``DATABASE_URL``, seeds one hot SKU and enough buyers to stay within the per-buyer limits,
starts gunicorn, and measures from a load generator on the same 2-core machine:

  (a) a bare DRF POST that only decrements stock (the reference),
  (b) the checkout POST (token auth, Idempotency-Key, stock, order, lines, event) on one hot SKU,
      closed loop, and open loop at a fixed rate for its latency percentiles,
  (c) pay + signed webhook until the order is paid.

Then it checks that nothing was oversold and prints the figures.

    make bench      (or: python -m marketplace.devenv bench bench/checkout.py [--workers 2])
"""

import argparse
import http.client
import itertools
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import psycopg2
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_database, fresh_database  # noqa: E402

HOST, PORT = "127.0.0.1", 8765
BENCH_DATABASE = bench_database("marketplace_bench")
HOT_STOCK = 1_000_000

Request = tuple[str, str, dict[str, str], bytes | None]


@dataclass
class Result:
    name: str
    count: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    measured_percentiles: dict[float, float] = field(default_factory=dict)  # from wrk

    @property
    def rate(self) -> float:
        return (self.count - self.errors) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if fraction in self.measured_percentiles:
            return self.measured_percentiles[fraction]
        if fraction == 0.5 and self.latencies_ms:
            return statistics.median(self.latencies_ms)
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


# --- Set-up -----------------------------------------------------------------------------------


def server_environment(database_url: str, workers: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "DJANGO_SECRET_KEY": "bench-secret",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "SITE_URL": f"http://{HOST}:{PORT}",
        "BENCH_WORKERS": str(workers),
    }


@dataclass
class Seed:
    hot_sku: str
    reference_sku_pk: int
    hot_sku_pk: int
    tokens: list[str]


def seed(buyers: int, history: int) -> Seed:
    """One shop with a hot SKU and a reference SKU, ``buyers`` buyers with API tokens, and an
    order history: ``history`` other buyers' orders in every state, so the database, and the
    statistics PostgreSQL plans with, look like a marketplace's that has been trading."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from escrow.providers.sandbox import SIGNATURE_HEADER, sign, webhook_event
    from escrow.services.orders import CheckoutLine, checkout_place, order_cancel
    from escrow.services.payments import payment_create, webhook_receive
    from marketplace.accounts.models import User
    from marketplace.money import to_minor_units
    from shops.models import Shop
    from tests.factories import ShopFactory, make_listing

    shop = cast(Shop, ShopFactory())
    hot = make_listing(shop, title="Hot item", stock=HOT_STOCK, price="9.90")
    reference = make_listing(shop, title="Reference item", stock=HOT_STOCK, price="1.00")
    past = make_listing(shop, title="Everyday item", stock=HOT_STOCK, price="4.50").skus.get()
    password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench{number}", email=f"bench{number}@example.com", password=password)
        for number in range(buyers + history)
    )
    for number, customer in enumerate(users[buyers:]):
        order = checkout_place(buyer=customer, lines=[CheckoutLine(past, 1)]).orders.get()
        if number % 3 == 1:
            payment = payment_create(buyer=customer, order=order)
            body = webhook_event(
                payment.provider_reference, "payment.succeeded", to_minor_units(payment.amount)
            )
            headers = {SIGNATURE_HEADER: sign(body, int(time.time()))}
            webhook_receive(provider_name="sandbox", body=body, headers=headers)
        elif number % 3 == 2:
            order_cancel(order=order, actor=customer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    tokens = Token.objects.bulk_create(
        Token(user=user, key=Token.generate_key()) for user in users[:buyers]
    )
    hot_sku = hot.skus.get()
    return Seed(
        str(hot_sku.public_id), reference.skus.get().pk, hot_sku.pk, [t.key for t in tokens]
    )


def start_server(environment: dict[str, str], workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "marketplace.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=1)
            connection.request("GET", "/api/shops/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


# --- Load -------------------------------------------------------------------------------------


def _send(connection: http.client.HTTPConnection, request: Request) -> tuple[int, bytes]:
    method, path, headers, body = request
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def run_closed(
    name: str,
    build: Callable[[int], Request],
    total: int,
    concurrency: int,
    check: Callable[[int, int, bytes], bool] = lambda index, status, body: status < 300,
) -> Result:
    """``concurrency`` clients, each sending its next request as soon as the last one answered."""
    result = Result(name)
    counter = itertools.count()
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        while (index := next(counter)) < total:
            begin = time.perf_counter()
            status, body = _send(connection, build(index))
            elapsed = (time.perf_counter() - begin) * 1000
            with lock:
                result.count += 1
                result.latencies_ms.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if not check(index, status, body):
                    result.errors += 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def run_open(
    name: str, build: Callable[[int], Request], rate: float, seconds: float, clients: int = 48
) -> Result:
    """Requests sent on a fixed schedule whatever the answers; latency counts from the moment a
    request was due, so a slow server cannot hide its queue (no coordinated omission)."""
    result = Result(name)
    due: queue.Queue[tuple[int, float] | None] = queue.Queue()
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        while (job := due.get()) is not None:
            index, at = job
            delay = at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status, _ = _send(connection, build(index))
            elapsed = (time.perf_counter() - at) * 1000
            with lock:
                result.count += 1
                result.latencies_ms.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status >= 300:
                    result.errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter() + 0.2
    total = int(rate * seconds)
    for index in range(total):
        due.put((index, started + index / rate))
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join()
    result.seconds = seconds
    return result


WRK_DIRECTORY = ROOT / "bench" / "wrk"
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(
    name: str, script: str, arguments: list[str], seconds: float, connections: int
) -> Result:
    """A closed loop driven by wrk (C, one thread), which leaves the two cores to the server."""
    output = subprocess.run(
        [
            shutil.which("wrk") or "/usr/bin/wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds:.0f}s",
            "--latency",
            "-s",
            str(WRK_DIRECTORY / script),
            f"http://{HOST}:{PORT}",
            "--",
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = Result(name, seconds=seconds)
    result.count = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result.errors = int(failed.group(1)) if failed else 0
    for label, fraction in (("50", 0.5), ("99", 0.99)):
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
        result.measured_percentiles[fraction] = float(value) * UNIT_MS[unit]
    return result


class ConnectionWatcher:
    """The largest number of database connections seen while the benchmark runs."""

    def __init__(self, url: str):
        self.url, self.peak, self._stop = url, 0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        connection = psycopg2.connect(self.url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            while not self._stop.wait(0.25):
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [BENCH_DATABASE],
                )
                self.peak = max(self.peak, cursor.fetchone()[0])
        connection.close()

    def __enter__(self) -> "ConnectionWatcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


# --- Scenarios --------------------------------------------------------------------------------


def checkout_request(seed_data: Seed, buyer_offset: int) -> Callable[[int], Request]:
    body = json.dumps({"items": [{"sku": seed_data.hot_sku, "quantity": 1}]}).encode()

    def build(index: int) -> Request:
        token = seed_data.tokens[buyer_offset + index // 5]  # 5 unpaid units per buyer and SKU
        headers = {
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        return "POST", "/api/checkout/", headers, body

    return build


def pay_and_notify(orders: list[tuple[str, str]]) -> Callable[[int], Request]:
    """Two requests per payment: the buyer's pay POST, then the provider's signed webhook."""
    from escrow.providers.sandbox import SIGNATURE_HEADER, sign, webhook_event

    pending: dict[int, bytes] = {}

    def build(index: int) -> Request:
        order_index, step = divmod(index, 2)
        order_id, token = orders[order_index]
        if step == 0:
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
            return "POST", f"/api/orders/{order_id}/pay/", headers, b"{}"
        body = pending.pop(order_index)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, int(time.time())),
        }
        return "POST", "/api/payments/webhooks/sandbox/", headers, body

    def check(index: int, status: int, body: bytes) -> bool:
        order_index, step = divmod(index, 2)
        if step == 0 and status == 201:
            payment = json.loads(body)
            reference = payment["pay_url"].rstrip("/").rsplit("/", 1)[-1]
            pending[order_index] = webhook_event(
                reference, "payment.succeeded", round(float(payment["amount"]) * 100)
            )
        return status < 300

    build.check = check  # type: ignore[attr-defined]
    return build


def run_payments(orders: list[tuple[str, str]], concurrency: int) -> Result:
    """Each client pays one order and delivers its webhook before the next one."""
    build = pay_and_notify(orders)
    result = Result("(c) pay + webhook")
    counter = itertools.count()
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        while (order_index := next(counter)) < len(orders):
            begin = time.perf_counter()
            ok = True
            for step in (0, 1):
                index = order_index * 2 + step
                status, body = _send(connection, build(index))
                ok = build.check(index, status, body) and ok  # type: ignore[attr-defined]
                if not ok:
                    break
            with lock:
                result.count += 1
                result.latencies_ms.append((time.perf_counter() - begin) * 1000)
                if not ok:
                    result.errors += 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn sync workers (as in docker-compose.yml)"
    )
    parser.add_argument("--concurrency", type=int, default=12, help="closed-loop clients")
    parser.add_argument("--requests", type=int, default=3000, help="requests per closed loop")
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop checkouts per second")
    parser.add_argument("--seconds", type=float, default=15.0, help="open-loop duration")
    parser.add_argument(
        "--history", type=int, default=3000, help="past orders seeded before measuring"
    )
    options = parser.parse_args()

    database_url = fresh_database(BENCH_DATABASE)
    environment = server_environment(database_url, options.workers)
    os.environ.update(environment)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=environment, check=True
    )
    import django

    django.setup()
    open_loop = int(options.rate * options.seconds)
    # Enough buyers for a closed loop of up to 1,000 checkouts/s plus the open loop, 5 units each.
    buyers = (max(options.requests, int(1000 * options.seconds)) + open_loop) // 5 + 10
    print(f"Seeding {buyers} buyers and {options.history} past orders …", flush=True)
    seed_data = seed(buyers, options.history)
    server = start_server(environment, options.workers)
    results: list[Result] = []
    try:
        with ConnectionWatcher(database_url) as watcher:
            if shutil.which("wrk"):
                tokens_file = Path(tempfile.mkstemp(suffix=".txt")[1])
                tokens_file.write_text("\n".join(seed_data.tokens) + "\n")
                reference = run_wrk(
                    "(a) bare DRF decrement [wrk]",
                    "decrement.lua",
                    [str(seed_data.reference_sku_pk)],
                    options.seconds,
                    options.concurrency,
                )
                checkout = run_wrk(
                    "(b) checkout, closed loop [wrk]",
                    "checkout.lua",
                    [str(tokens_file), seed_data.hot_sku, "0"],
                    options.seconds,
                    options.concurrency,
                )
                # wrk does not count the requests still in flight when it stops.
                open_offset = checkout.count // 5 + options.concurrency + 2
            else:
                reference = run_closed(
                    "(a) bare DRF decrement",
                    lambda index: (
                        "POST",
                        f"/bench/decrement/{seed_data.reference_sku_pk}/",
                        {"Content-Type": "application/json"},
                        b"{}",
                    ),
                    options.requests,
                    options.concurrency,
                )
                checkout = run_closed(
                    "(b) checkout, closed loop",
                    checkout_request(seed_data, 0),
                    options.requests,
                    options.concurrency,
                )
                open_offset = options.requests // 5 + 1
            opened = run_open(
                f"(b) checkout, open loop {options.rate:.0f}/s",
                checkout_request(seed_data, open_offset),
                options.rate,
                options.seconds,
            )
            from escrow.models import Order

            unpaid = list(
                Order.objects.filter(
                    status=Order.Status.AWAITING_PAYMENT, buyer__auth_token__isnull=False
                )
                .order_by("pk")
                .values_list("public_id", "buyer__auth_token__key")[: options.requests]
            )
            payments = run_payments([(str(o), t) for o, t in unpaid], options.concurrency)
        results = [reference, checkout, opened, payments]
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(results, seed_data, watcher.peak, options)


def report(results: list[Result], seed_data: Seed, connections: int, options: Any) -> None:
    from django.db.models import Sum

    from escrow.ledger_check import ledger_problems
    from escrow.models import Order, OrderLine
    from shops.models import SKU

    sold = (
        OrderLine.objects.filter(sku_id=seed_data.hot_sku_pk)
        .exclude(order__status=Order.Status.CLOSED)
        .aggregate(units=Sum("quantity"))["units"]
        or 0
    )
    stock = SKU.objects.get(pk=seed_data.hot_sku_pk).stock
    paid = Order.objects.filter(status=Order.Status.PAID).count()
    print()
    print(
        f"gunicorn: {options.workers} sync workers; {options.concurrency} closed-loop clients; "
        f"database {settings.DATABASES['default']['NAME']}"
    )
    print(f"{'scenario':<34} {'done':>6} {'errors':>6} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for result in results:
        print(
            f"{result.name:<34} {result.count:>6} {result.errors:>6} {result.rate:>8.1f}"
            f" {result.percentile(0.5):>8.1f}"
            f" {result.percentile(0.99):>8.1f}"
        )
    reference, checkout = results[0], results[1]
    print(f"checkout / bare decrement: {checkout.rate / reference.rate:.2f}x")
    print(
        f"oversold units: {max(0, sold + stock - HOT_STOCK)}  (sold {sold}, stock left {stock},"
        f" started {HOT_STOCK}; sold + left = {sold + stock})"
    )
    print(f"orders paid: {paid}; peak database connections: {connections}")
    print(f"ledger problems: {len(ledger_problems())}")


if __name__ == "__main__":
    main()
