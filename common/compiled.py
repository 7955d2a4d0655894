"""A queryset compiled to SQL once per process, run with new values on every call.

The token check runs the same query on every authenticated request of the five APIs (the
user by primary key, with its company, and for a Datawiz token whether its family is revoked);
only the values change. Django compiles a queryset to SQL each time it runs it: for that query
about 0.5 ms of a 2 ms request, against 0.2 ms for running the SQL. ``CompiledQuery`` compiles
it once, with placeholder values, and then substitutes the real ones into the parameters and
builds the instances the way the ORM's model iterator does (converters, ``from_db``,
``select_related`` populators, annotations).

Only querysets that yield model instances, without ``prefetch_related`` or known related
objects, are accepted: for those, the SQL the ORM would run is exactly the cached SQL with the
values substituted (``tests/common/test_compiled.py`` compares both).

``CompiledRows`` does the same for ``values_list()`` querysets and their unions (the
permissions query of ``accounts.backends``), whose columns need no conversion
(``CompiledFlatRows`` for a ``flat=True`` one);
``CompiledValues`` for an ordered ``values()`` queryset read one window at a time (the audit's
page of actions), ``CompiledDicts`` for one read whole; ``CompiledInstances`` for an ordered queryset of model instances read the
same way. These read windows (``fetch_window``) of an ordered queryset; ``Window`` hands one to
a paginator as the slice and the count it asks a queryset for (the routes, Datawiz, Feecc
passports and formula lists), and ``CompiledCount`` runs the SQL of a queryset's ``count()``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)


class Placeholder:
    """A value that stands for the n-th argument of ``CompiledQuery.fetch``.

    ``prepared`` is a value of the right type for the field it is compared with, that no
    other parameter of the query equals (a number or a string no real lookup uses): the
    compiled parameter equal to it is the one replaced.
    """

    def __init__(self, index: int, prepared: Any):
        self.index, self.prepared = index, prepared


class CompiledQuery:
    """``build(*placeholders)`` gives the queryset; ``fetch(*values)`` runs it with ``values``."""

    def __init__(self, build: Callable[..., QuerySet], placeholders: Sequence[Placeholder]):
        self._build = build
        self._placeholders = list(placeholders)
        self._model = None
        self._compiled: dict[str, tuple] = {}  # database alias -> (sql, params, slots, builder)
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            self._model = self._build(*(p.prepared for p in self._placeholders)).model
        return self._model

    def fetch(self, *values) -> list:
        """The instances the queryset yields with ``values`` in place of the placeholders.

        A ``None`` value is not substituted (the ORM writes ``IS NULL`` for it, not ``= %s``):
        that call runs the queryset itself.
        """
        if None in values:
            return list(self._build(*values))
        return self._run(values)

    def first(self, *values):
        """The first instance ``fetch(*values)`` gives, or ``None`` (a lookup's ``[:1]`` queryset)."""
        rows = self.fetch(*values)
        return rows[0] if rows else None

    def _run(self, values: Sequence, suffix: str = "", extra: Sequence = ()) -> list:
        """The compiled SQL (followed by ``suffix``, whose parameters are ``extra``) run with ``values``."""
        alias = router.db_for_read(self.model)
        sql, params, slots, make = self._compiled.get(alias) or self._compile(alias)
        params = list(params)
        for position, index in slots:
            params[position] = values[index]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql + suffix, [*params, *extra])
            rows = cursor.fetchall()
        return make(rows, connection)

    def _compile(self, alias: str) -> tuple:
        with self._lock:
            if alias in self._compiled:
                return self._compiled[alias]
            queryset = self._build(*(p.prepared for p in self._placeholders)).using(alias)
            if queryset._prefetch_related_lookups or queryset._known_related_objects:
                raise TypeError("a compiled query takes querysets without prefetch_related or known related objects")
            self._check(queryset)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            self._compiled[alias] = (sql, tuple(params), self._slots(params), self._builder(compiler, alias))
            return self._compiled[alias]

    def _slots(self, params: Sequence) -> list[tuple[int, int]]:
        """``(position in params, placeholder index)`` of every parameter a placeholder stands for."""
        slots = [
            (position, p.index)
            for position, value in enumerate(params)
            for p in self._placeholders
            if type(value) is type(p.prepared) and value == p.prepared
        ]
        if {index for _, index in slots} != {p.index for p in self._placeholders}:
            raise TypeError("each placeholder must appear among the compiled query's parameters")
        return slots

    def _check(self, queryset: QuerySet) -> None:
        if queryset._iterable_class is not ModelIterable:
            raise TypeError("CompiledQuery takes querysets of model instances")

    def _builder(self, compiler, alias: str) -> Callable[[list, Any], list]:
        return _instances_builder(compiler, alias)


class _WindowReader:
    """``fetch_window``: the rows ``offset .. offset + limit - 1`` of an ordered, unsliced queryset,
    with ``LIMIT`` and ``OFFSET`` sent as parameters after the ORM's SQL (the ORM writes them as
    literals at its end)."""

    _windowed = False

    def fetch_window(self, *values, offset: int, limit: int) -> list:
        if not self._windowed:
            query = self._build(*(p.prepared for p in self._placeholders))
            self._check_window(query)
            self._windowed = True
        if None in values:
            return list(self._build(*values)[offset : offset + limit])
        return self._run(values, " LIMIT %s OFFSET %s", (limit, offset))

    def _check_window(self, queryset: QuerySet) -> None:
        query = queryset.query
        if query.is_sliced or query.combinator or query.select_for_update or not queryset.ordered:
            raise TypeError(
                f"{type(self).__name__} reads windows of ordered, unsliced querysets without a combinator or a lock"
            )


class Window:
    """A compiled query with its values, read as a paginator reads a queryset: ``[start:stop]``
    runs the compiled SQL for that window, and ``count()`` counts ``counted`` (by default the
    queryset the query compiles, built with the same values; a ``CompiledCount`` is run with
    the same values)."""

    def __init__(self, query: _WindowReader, *values, counted: QuerySet | CompiledCount | None = None):
        self.query, self.values, self._counted = query, values, counted

    def __getitem__(self, window: slice) -> list:
        start = window.start or 0
        if window.step is not None or window.stop is None or start < 0 or window.stop < start:
            raise TypeError("a Window reads [start:stop] with 0 <= start <= stop")
        return self.query.fetch_window(*self.values, offset=start, limit=window.stop - start)

    def count(self) -> int:
        counted = self._counted if self._counted is not None else self.query._build(*self.values)
        if isinstance(counted, CompiledCount):
            return counted.fetch(*self.values)
        return counted.count()


class CompiledInstances(_WindowReader, CompiledQuery):
    """``CompiledQuery`` read a window at a time: ``fetch_window(*values, offset=, limit=)`` gives
    the model instances of an ordered queryset's rows ``offset .. offset + limit - 1``, built as
    ``ModelIterable`` builds them (``select_related``, deferred fields, annotations), with the
    window's ``LIMIT`` and ``OFFSET`` sent as parameters (the Feecc passports and formula lists)."""

    def _check(self, queryset: QuerySet) -> None:
        super()._check(queryset)
        self._check_window(queryset)


class _Captured(Exception):
    """Stops a statement at the cursor once its SQL and parameters are known."""


class CompiledCount(CompiledQuery):
    """``fetch(*values)``: what ``queryset.count()`` answers, from the SQL the ORM sends for that
    count, captured once per database alias with the placeholder values (Django builds the
    count as a query of its own, with the orderings and ``select_related`` left out; it is
    stopped at the cursor, never sent)."""

    def fetch(self, *values) -> int:
        if None in values:
            return self._build(*values).count()
        return self._run(values)

    def _compile(self, alias: str) -> tuple:
        with self._lock:
            if alias in self._compiled:
                return self._compiled[alias]
            queryset = self._build(*(p.prepared for p in self._placeholders)).using(alias)
            if queryset.query.is_sliced or queryset.query.combinator:
                raise TypeError("CompiledCount counts unsliced querysets without a combinator")
            sent = []

            def capture(execute, sql, params, many, context):
                sent.append((sql, tuple(params or ())))
                raise _Captured  # the count with the placeholder values is never sent

            connection = connections[alias]
            logged = len(connection.queries_log)
            with connection.execute_wrapper(capture), contextlib.suppress(_Captured):
                queryset.count()
            if len(connection.queries_log) > logged:  # a debug cursor logged the unsent count
                connection.queries_log.pop()
            if len(sent) != 1:
                raise TypeError("the count must be one statement")
            sql, params = sent[0]
            self._compiled[alias] = (sql, params, self._slots(params), lambda rows, connection: rows[0][0])
            return self._compiled[alias]


class CompiledRows(_WindowReader, CompiledQuery):
    """The same for a ``values_list()`` queryset, or a ``union()`` of them: ``fetch`` gives the
    rows as tuples, ``fetch_window`` a window of an ordered one. Only columns that need no
    conversion from the database (text, integers, UUIDs) are accepted, so the rows are the
    driver's as they come."""

    def _check(self, queryset: QuerySet) -> None:
        if queryset._iterable_class is not ValuesListIterable:
            raise TypeError("CompiledRows takes values_list() querysets (not flat, not named)")

    def _builder(self, compiler, alias: str) -> Callable[[list, Any], list]:
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        if not columns or compiler.get_converters(columns):
            raise TypeError("CompiledRows takes columns that need no conversion from the database")
        return lambda rows, connection: [tuple(row) for row in rows]


class CompiledFlatRows(CompiledRows):
    """``CompiledRows`` of a ``values_list(field, flat=True)`` queryset: the values themselves."""

    def _check(self, queryset: QuerySet) -> None:
        if queryset._iterable_class is not FlatValuesListIterable:
            raise TypeError("CompiledFlatRows takes values_list(field, flat=True) querysets")

    def _builder(self, compiler, alias: str) -> Callable[[list, Any], list]:
        super()._builder(compiler, alias)  # the same check of the column
        return lambda rows, connection: [row[0] for row in rows]


class CompiledValues(_WindowReader, CompiledQuery):
    """The same for an ordered ``values()`` queryset read a window at a time:
    ``fetch_window(*values, offset=, limit=)`` gives the rows as dicts, as ``ValuesIterable``
    builds them (the columns' converters applied), with the window's ``LIMIT`` and ``OFFSET``
    sent as parameters after the ORM's SQL (the ORM writes them as literals at its end)."""

    def fetch(self, *values) -> list:
        raise TypeError("CompiledValues reads a window: fetch_window(*values, offset=, limit=)")

    def _check(self, queryset: QuerySet) -> None:
        if queryset._iterable_class is not ValuesIterable:
            raise TypeError("CompiledValues takes values() querysets")
        self._check_window(queryset)

    def _builder(self, compiler, alias: str) -> Callable[[list, Any], list]:
        return _dicts_builder(compiler)


class CompiledDicts(CompiledQuery):
    """``fetch(*values)``: every row of a ``values()`` queryset as dicts, as ``ValuesIterable``
    builds them (the formula catalogs, sorted afterwards in Python)."""

    def _check(self, queryset: QuerySet) -> None:
        if queryset._iterable_class is not ValuesIterable:
            raise TypeError("CompiledDicts takes values() querysets")

    def _builder(self, compiler, alias: str) -> Callable[[list, Any], list]:
        return _dicts_builder(compiler)


def _dicts_builder(compiler) -> Callable[[list, Any], list[dict]]:
    """Rows of ``compiler``'s SQL to the dicts ``ValuesIterable`` builds (converters applied)."""
    query = compiler.query
    names = (
        list(query.selected)
        if query.selected
        else [*query.extra_select, *query.values_select, *query.annotation_select]
    )
    converters = list(compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]]).items())

    def build(rows: list, connection) -> list[dict]:
        dicts = []
        for row in rows:
            if converters:
                row = list(row)
                for position, (functions, expression) in converters:
                    for function in functions:
                        row[position] = function(row[position], expression, connection)
            dicts.append(dict(zip(names, row, strict=True)))
        return dicts

    return build


def _instances_builder(compiler, alias: str) -> Callable[[list, Any], list]:
    """Rows of ``compiler``'s SQL to model instances, as ``ModelIterable`` builds them."""
    select, klass_info, annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    converters = list(compiler.get_converters([column[0] for column in select[: compiler.col_count]]).items())
    annotations = list((annotation_col_map or {}).items())

    def build(rows: list, connection) -> list:
        populators = get_related_populators(klass_info, select, alias)
        instances = []
        for row in rows:
            if converters:  # the fields' from_db_value, with this thread's connection
                row = list(row)
                for position, (functions, expression) in converters:
                    for function in functions:
                        row[position] = function(row[position], expression, connection)
            instance = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances

    return build
