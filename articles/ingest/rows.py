"""Multi-row inserts for the import's hot path, without the ORM's per-value machinery.

`QuerySet.bulk_create` prepares every value of every row through each field's generic conversion chain; for the
tables one imported piece writes (article, byline, import record) that cost more than all of parsing and
cleaning. Here the conversion each column needs is worked out once per model.

Ids are allocated up front so that the rows written later in the same transaction can point at them: from the
table's sequence on PostgreSQL, and on SQLite from the larger of MAX(id) and the table's AUTOINCREMENT counter (so
the id of a deleted row is never reused), which is safe because the import's IMMEDIATE transaction holds the
database's single write lock from its first statement.

A model's history table (django-simple-history) is filled by the database itself, each entry copied from the row
just written (`copy_history`), so the texts are not sent twice.

Rows go in as multi-row `INSERT ... VALUES (...), (...)` statements, not one `executemany` row at a time. On SQLite
this halves the cost of an article: its full-text trigger runs inside a statement transaction, and FTS5 flushes
its pending index entries to disk at every statement boundary, so one statement a row wrote one tiny index
segment a row (and then merged them all). One statement for the batch lets FTS5 write the batch as one segment.
"""

import json
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from django.db import connection, models

# A batch's rows in one statement (the default batch is 500), but never a statement of unbounded size.
MAX_ROWS_PER_STATEMENT = 1000


@cache
def _columns(model: type[models.Model]) -> tuple[tuple[str, str, Callable[[Any], Any] | None], ...]:
    """Return (attname, quoted column, converter or None) for each concrete field of `model`."""
    columns = []
    for field in model._meta.concrete_fields:
        internal = field.get_internal_type()
        converter = None
        if internal in {"DateTimeField", "DateField", "JSONField", "BinaryField", "DecimalField", "UUIDField"}:
            converter = _converter(field)
        columns.append((field.attname, connection.ops.quote_name(field.column), converter))
    return tuple(columns)


def _converter(field):
    if field.get_internal_type() == "JSONField" and connection.vendor == "sqlite" and field.encoder is None:
        return json.dumps  # what Django itself stores on SQLite, without its per-value dispatch
    last = [object(), None]

    def convert(value):
        # A batch repeats the same timestamp in every row: convert it once.
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return convert


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Return `count` fresh primary keys for `model`; call inside the transaction that inserts the rows."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # The table's AUTOINCREMENT counter as well as its largest id: ids of deleted rows are never handed out again.
        pk = connection.ops.quote_name(model._meta.pk.column)
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX({pk}) FROM {table}), 0), "  # noqa: S608
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any] | models.Model]) -> int:
    """Insert `rows` (model instances, or dicts keyed by attname) into `model`'s table; return how many.

    Every concrete field must have a value: the primary key included (see `allocate_ids`); defaults are not
    applied here.
    """
    columns = _columns(model)
    values = [_row_values(row, columns) for row in rows]
    if not values:
        return 0
    names = ", ".join(column for _, column, _ in columns)
    row_placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = rows_per_statement(len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(values), per_statement):
            chunk = values[start : start + per_statement]
            placeholders = ", ".join([row_placeholders] * len(chunk))
            sql = f"INSERT INTO {model._meta.db_table} ({names}) VALUES {placeholders}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
    return len(values)


def rows_per_statement(params_per_row: int, other_params: int = 0) -> int:
    """Return how many rows one statement may carry: at most MAX_ROWS_PER_STATEMENT, and within the database's
    limit on parameters (if it has one) with `other_params` besides the rows' own."""
    limit = connection.features.max_query_params
    if limit is None:
        return MAX_ROWS_PER_STATEMENT
    return max(1, min(MAX_ROWS_PER_STATEMENT, (limit - other_params) // params_per_row))


def _row_values(row, columns) -> Sequence[Any]:
    get = row.get if isinstance(row, dict) else row.__dict__.get
    return [converter(get(attname)) if converter else get(attname) for attname, _, converter in columns]


def copy_history(model: type[models.Model], ids: list[int], *, when, user, reason: str, revision: str) -> int:
    """Write one history entry per row of `model` with these ids, copied by the database from the rows as stored
    (`INSERT ... SELECT`); return how many.

    An entry records a creation (`+`) where the row's `revision` column is 1, else a change (`~`); it carries
    `when`, `user` and `reason`, as django-simple-history's own entries do.
    """
    history, quote = model.history.model, connection.ops.quote_name
    own_values = {
        "history_date": connection.ops.adapt_datetimefield_value(when),
        "history_change_reason": reason,
        "history_user_id": user.pk if user is not None else None,
    }
    columns, selected, params = [], [], []
    for entry_field in history._meta.concrete_fields:
        if entry_field.attname == "history_id":
            continue  # numbered by the database
        columns.append(quote(entry_field.column))
        if entry_field.attname == "history_type":
            selected.append(f"CASE WHEN {quote(revision)} = 1 THEN '+' ELSE '~' END")
        elif entry_field.attname in own_values:
            selected.append("%s")
            params.append(own_values[entry_field.attname])
        else:
            selected.append(quote(model._meta.get_field(entry_field.name).column))
    pk = quote(model._meta.pk.column)
    per_statement = rows_per_statement(1, other_params=len(params))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), per_statement):
            chunk = ids[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {history._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 - names from the models
                f"SELECT {', '.join(selected)} FROM {model._meta.db_table} "
                f"WHERE {pk} IN ({', '.join(['%s'] * len(chunk))}) ORDER BY {pk}",
                params + chunk,
            )
    return len(ids)
