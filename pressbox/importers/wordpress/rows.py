"""Inserting many new rows fast: one prepared statement run for each row (executemany).

An export of 10,000 posts makes over 100,000 rows (comments, the posts' categories,
tags and co-authors, search documents, redirects). Django's `bulk_create` builds one
SQL text with a placeholder per value, which on SQLite (999 parameters a statement)
means a statement every few dozen rows and most of the import's time spent
composing them. These functions send rows given as {field: value} through the
database driver's executemany on SQLite (the statement is prepared once) and as
one COPY on PostgreSQL (where each statement is a round trip);
fields left out take the model's default, and values are converted only where the
database wants another type (dates, JSON, IP addresses). Ids are not returned: the caller
finds new rows again by `import_ref`.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Field types whose Python value is what the database driver takes as it is.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.FloatField,
    models.ForeignKey,
)
CHUNK = 5000  # rows an executemany() is given (SQLite)
ROWS_A_STATEMENT = 1000  # rows an INSERT … ON CONFLICT holds (PostgreSQL)
LOOKUP = 5000  # import_refs a query looks up (SQLite takes up to 32,766 parameters)

Row = dict[str, Any]
_MISSING = object()


def _writers(model: type[models.Model]) -> tuple[list[models.Field], Callable[[Row], tuple]]:
    """The fields written, and a function turning a record into their values, planned
    once per statement: for each field, its default and its conversion, if any."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]
    now = timezone.now()
    plan = []
    for field in fields:
        make: Callable[[], Any] | None = None
        constant = None
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constant = now
        elif field.has_default() and callable(field.default):
            make = field.default
        else:
            constant = field.get_default()
        plan.append((field.attname, constant, make, _converter(field)))

    def values(row: Row) -> tuple:
        out = []
        for attname, constant, make, convert in plan:
            value = row.get(attname, _MISSING)
            if value is _MISSING:
                value = constant if make is None else make()
            out.append(value if convert is None or value is None else convert(value))
        return tuple(out)

    return fields, values


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    if isinstance(field, _PLAIN):
        return _plain_value if field.choices else None
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.GenericIPAddressField):
        return connection.ops.adapt_ipaddressfield_value
    return functools.partial(field.get_db_prep_save, connection=connection)


def _plain_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _statement(
    model: type[models.Model], fields: Sequence[models.Field], rows: int = 1, suffix: str = ""
) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * rows)
    # Names come from the model and are quoted; values go as parameters.
    return f"INSERT INTO {table} ({columns}) VALUES {placeholders}{suffix}"  # noqa: S608


def _run(
    model: type[models.Model], fields: Sequence[models.Field], rows: list[tuple], suffix: str = ""
) -> None:
    """SQLite runs one prepared statement per row quickly (it is in the process);
    PostgreSQL, a round trip away, takes plain inserts as one COPY and the others in
    statements of a hundred rows."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sql = _statement(model, fields, suffix=suffix)
            for start in range(0, len(rows), CHUNK):
                cursor.executemany(sql, rows[start : start + CHUNK])
        elif not suffix:
            _copy(cursor.cursor, model, fields, rows)
        else:
            for start in range(0, len(rows), ROWS_A_STATEMENT):
                chunk = rows[start : start + ROWS_A_STATEMENT]
                params = [value for row in chunk for value in row]
                cursor.execute(_statement(model, fields, len(chunk), suffix), params)


def _copy(
    cursor: Any, model: type[models.Model], fields: Sequence[models.Field], rows: list[tuple]
) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # Names come from the model and are quoted; values are streamed as data.
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def insert(model: type[models.Model], records: Iterable[Row]) -> int:
    """INSERT a row of `model` for each {attname: value}; returns how many."""
    fields, values = _writers(model)
    rows = [values(record) for record in records]
    _run(model, fields, rows)
    return len(rows)


def upsert(model: type[models.Model], records: Iterable[Row], *, unique: str, update: str) -> int:
    """INSERT, or UPDATE `update` where a row with the same `unique` value exists
    (SQLite and PostgreSQL spell it the same)."""
    fields, values = _writers(model)
    quote = connection.ops.quote_name
    by_name = {f.name: f.column for f in fields}
    column, unique_column = by_name[update], by_name[unique]
    suffix = (
        f" ON CONFLICT ({quote(unique_column)}) DO UPDATE SET "
        f"{quote(column)} = EXCLUDED.{quote(column)}"
    )
    rows = [values(record) for record in records]
    _run(model, fields, rows, suffix)
    return len(rows)


def update(model: type[models.Model], records: Iterable[Row], names: Sequence[str]) -> int:
    """UPDATE the fields `names` of existing rows, each record holding the row's "id"
    (Django's bulk_update writes CASE expressions, far slower for thousands of rows)."""
    by_name = {f.name: f for f in model._meta.concrete_fields}
    fields = [by_name[name] for name in names]
    converters = [(f.attname, _converter(f)) for f in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    table, pk = quote(model._meta.db_table), quote(by_name[model._meta.pk.name].column)
    # Names come from the model and are quoted; values go as parameters.
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    params = []
    for record in records:
        values = []
        for attname, convert in converters:
            value = record[attname]
            values.append(value if convert is None or value is None else convert(value))
        params.append((*values, record["id"]))
    with connection.cursor() as cursor:
        for start in range(0, len(params), CHUNK):
            cursor.executemany(sql, params[start : start + CHUNK])
    return len(params)


def ids_by_ref(model: type[models.Model], refs: Sequence[str]) -> dict[str, int]:
    """{import_ref: id} of the rows of `model` with these import_refs."""
    found: dict[str, int] = {}
    manager = model._default_manager
    for start in range(0, len(refs), LOOKUP):
        chunk = refs[start : start + LOOKUP]
        found.update(manager.filter(import_ref__in=chunk).values_list("import_ref", "pk"))
    return found
