"""Database helpers for the hottest paths: prepared statements, ids taken ahead of an insert,
and whole rows handed to a database function as JSON.

PostgreSQL plans a statement each time it receives its text; for a join of a few small tables the
plan costs several times what running it does. A prepared statement is planned once per database
connection and then only run. ``fetch_prepared`` prepares a statement the first time a
connection runs it (connections live for ``CONN_MAX_AGE``) and executes it by name afterwards;
only for statements whose best plan does not depend on their parameters (lookups by key), as
after five runs PostgreSQL may keep one generic plan for all parameters.
"""

import functools
import json
import re
import uuid
import weakref
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

# The statements each open database connection has prepared, by the connection's DB-API object:
# a new connection (after a restart or CONN_MAX_AGE) starts with none.
_prepared: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()

_PLACEHOLDER = re.compile(r"%s")


def _numbered(sql: str) -> str:
    """``%s`` placeholders as PostgreSQL's ``$1``, ``$2`` …"""
    numbers = iter(range(1, sql.count("%s") + 1))
    return _PLACEHOLDER.sub(lambda _: f"${next(numbers)}", sql)


def _executed_prepared(name: str, sql: str, params: Sequence[Any]) -> str:
    """Prepare ``sql`` as ``name`` on this connection if it has not been, and return the
    ``EXECUTE`` statement for ``params``."""
    with connection.cursor() as cursor:
        names = _prepared.setdefault(cursor.connection, set())
        if name not in names:
            cursor.execute(f"PREPARE {name} AS {_numbered(sql)}")
            names.add(name)
    return f"EXECUTE {name}({', '.join(['%s'] * len(params))})"


def fetch_prepared(name: str, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (with ``%s`` placeholders) for ``params``, run as the connection's
    prepared statement ``name``. ``name`` must be unique to ``sql`` in the whole project."""
    execute = _executed_prepared(name, sql, params)
    with connection.cursor() as cursor:
        cursor.execute(execute, params)
        return cursor.fetchall()


M = TypeVar("M", bound=Model)


def raw_prepared(model: type[M], name: str, sql: str, params: Sequence[Any]) -> list[M]:
    """``fetch_prepared`` as ``model.objects.raw`` makes instances of the rows: columns named
    after fields fill them, the others become attributes."""
    execute = _executed_prepared(name, sql, params)
    return list(model._default_manager.raw(execute, params))


def ids_take(counts: Sequence[tuple[type[Model], int]]) -> list[list[int]]:
    """Take ``count`` new primary keys of each model from its sequence, in one statement, for
    rows that must know their ids before they are written (to render a response that is stored
    in the same transaction as the rows)."""
    # Django names an identity column's sequence <table>_<column>_seq.
    sequences = [f"{model._meta.db_table}_{model._meta.pk.column}_seq" for model, _ in counts]
    selects = ", ".join(
        f"ARRAY(SELECT nextval('{name}') FROM generate_series(1, %s))"  # noqa: S608 (model names)
        for name in sequences
    )
    return [
        list(ids)
        for ids in fetch_prepared(
            f"ids_take_{'_'.join(model._meta.db_table for model, _ in counts)}",
            f"SELECT {selects}",
            [count for _, count in counts],
        )[0]
    ]


class _RowEncoder(json.JSONEncoder):
    """Column values as PostgreSQL reads them from JSON, times to the microsecond."""

    def default(self, value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, Decimal | uuid.UUID):
            return str(value)
        return super().default(value)


def row_json(instance: Model) -> str:
    """An unsaved model instance, primary key set, as a JSON object of its whole row (every
    column by its name), for ``jsonb_populate_record(NULL::<table>, …)`` to insert."""
    return json.dumps(_row(instance), cls=_RowEncoder)


def rows_json(instances: Sequence[Model]) -> str:
    """Instances as ``row_json`` makes them, in a JSON array for ``jsonb_populate_recordset``."""
    return json.dumps([_row(instance) for instance in instances], cls=_RowEncoder)


def _row(instance: Model) -> dict[str, Any]:
    return {field.column: field.value_from_object(instance) for field in _columns(type(instance))}


@functools.cache
def _columns(model: type[Model]) -> list[Any]:
    return list(model._meta.concrete_fields)
