"""What the benchmarks share: a throw-away database of their own, never the test database."""

import os
from typing import Any

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


def clone(
    table: str, template_id: int, rows: str, overrides: dict[str, str], **params: Any
) -> None:
    """One row per row of ``rows`` (a FROM item), copied from the template row except for the
    ``overrides`` (SQL expressions by column). Needs Django set up."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        )
        columns = [name for (name,) in cursor.fetchall()]
        values = ", ".join(overrides.pop(c, f't."{c}"') for c in columns)
        assert not overrides, f"no such columns in {table}: {overrides}"
        names = ", ".join(f'"{c}"' for c in columns)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {values}"  # noqa: S608
            f" FROM {table} t, {rows} WHERE t.id = %(template)s",
            {**params, "template": template_id},
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))",  # noqa: S608
            [table],
        )
