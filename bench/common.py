"""What the benchmarks share: a throw-away database of their own, never the test database."""

import os

import psycopg2


def bench_database(default: str) -> str:
    """The benchmark's database name: ``default``, or ``BENCH_DATABASE`` when it is set, so that
    runs sharing one PostgreSQL server need not drop each other's database."""
    return os.environ.get("BENCH_DATABASE") or default


def fresh_database(name: str) -> str:
    """Drop and create ``name`` on the PostgreSQL server of ``DATABASE_URL``; return its URL."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marketplace")
    server = psycopg2.connect(with_database(base, "postgres"))
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()
    return with_database(base, name)


def with_database(url: str, name: str) -> str:
    head, _, tail = url.partition("?")
    return head.rsplit("/", 1)[0] + f"/{name}" + (f"?{tail}" if tail else "")
