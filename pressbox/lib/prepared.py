"""Querysets compiled once per process and run many times (issue 7).

Django turns a queryset into SQL anew each time it runs: half a millisecond for a
simple one on the two-core machine of issue 7, ten times what SQLite then takes to
answer it. An uncached post page runs eight, and compiling them took longer than
everything else its views do. `Prepared` compiles a queryset once, with `Param`
placeholders where the values change from one request to the next, and then only binds
the values, runs the SQL and builds the model instances through Django's own converters,
`from_db()` and select_related populators: the same query, the same objects.

    POST = Prepared(lambda: Post.objects.filter(slug=Param("slug", Post, "slug")))
    post = POST.first(slug="hello")

What a prepared queryset may hold: filters whose changing values are `Param`s (a
value that changes the SQL itself, such as a list for `__in` or None, cannot be one),
ordering, slicing, select_related and only/defer. Rows come back as model instances,
or as tuples for a `values_list()` queryset. Queries run on the default database, and
each thread's connection has its own compiled copy (Django's connections are per
thread).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Expression, Field, Model, QuerySet
from django.db.models.query import ValuesListIterable, get_related_populators  # type: ignore[attr-defined]

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Slot:
    """Where a Param's value goes in the compiled parameters."""

    name: str
    field: Field


class Param(Expression):
    """A named value left open in a prepared queryset: `Param("slug", Post, "slug")`
    takes the database form of the model field `slug` when bound."""

    def __init__(self, name: str, model: type[Model], field: str) -> None:
        output_field = model._meta.get_field(field)
        assert isinstance(output_field, Field)
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", [Slot(self.name, self.output_field)]


@dataclass
class Compiled:
    sql: str
    params: list[Any]
    compiler: Any
    converters: dict[int, Any]
    values: bool  # a values_list() queryset: tuples, not instances
    init_list: list[str]
    fields: slice
    populators: list[Any]


class Prepared(Generic[M]):
    def __init__(self, build: Callable[[], QuerySet[M]]) -> None:
        self.build = build
        # By connection object: a compiler holds its connection, which is one thread's.
        self.compiled: dict[int, Compiled] = {}

    def compile(self, alias: str) -> Compiled:
        queryset = self.build()
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        values = issubclass(queryset._iterable_class, ValuesListIterable)  # type: ignore[attr-defined]
        init_list: list[str] = []
        fields, populators = slice(0), []
        if not values:
            info = compiler.klass_info
            first, last = info["select_fields"][0], info["select_fields"][-1] + 1
            init_list = [column.target.attname for column in columns[first:last]]
            fields = slice(first, last)
            populators = get_related_populators(info, compiler.select, alias)
        return Compiled(
            sql,
            list(params),
            compiler,
            compiler.get_converters(columns),
            values,
            init_list,
            fields,
            populators,
        )

    def all(self, **values: Any) -> list[Any]:
        """The rows for these values of the Params: model instances, or tuples."""
        alias = DEFAULT_DB_ALIAS
        connection = connections[alias]
        compiled = self.compiled.get(id(connection))
        if compiled is None:
            compiled = self.compiled[id(connection)] = self.compile(alias)
        params = [
            p.field.get_db_prep_value(values[p.name], connection, prepared=False)
            if isinstance(p, Slot)
            else p
            for p in compiled.params
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        if compiled.values:
            return [tuple(row) for row in rows]
        model, names, fields = (
            compiled.compiler.klass_info["model"],
            compiled.init_list,
            compiled.fields,
        )
        objects = []
        for row in rows:
            obj = model.from_db(alias, names, row[fields])
            for populator in compiled.populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def first(self, **values: Any) -> Any | None:
        """The first row, or None (slice the queryset to fetch no more than that)."""
        found = self.all(**values)
        return found[0] if found else None


def attach(instance: Model, name: str, model: type[M], objects: list[M]) -> None:
    """Make `instance.<name>.all()` yield `objects` without a query, as
    `prefetch_related(name)` would have."""
    queryset = model._default_manager.none()
    queryset._result_cache = objects  # type: ignore[attr-defined]
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = queryset
