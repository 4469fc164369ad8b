"""A lookup by one value whose SQL Django compiles once per thread, not on every call.

Two queries run in every booking: the application with its cohort, programme, applicant
and profile (before the cohort lock) and the locked cohort with its programme. Django
builds and compiles such a select_related query afresh each time: with some ninety
columns that was about 6.6 million instructions for the first and 1.5 million for the
second, against well under one for PostgreSQL's answer to arrive and be read
(bench/submission_cost.py). Here the queryset is compiled once, with a marker value
standing for the one that varies; each lookup puts its value in the marker's place, runs
the same SQL and hands the row to Django's own converters and related-object populators,
so the objects are exactly those `.get()` returns.

Only for a queryset whose SQL does not change between calls: one `filter(<field>=value)`
and nothing that reads the clock or the request. Compiled per thread, because a compiler
keeps the connection it was made for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # internal, not in the stubs
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)

# Stands for the looked-up value while compiling; no id or key takes this value.
MARKER = -7_340_191_283_019


@dataclass(frozen=True)
class _Compiled:
    model: type[Model]
    db: str
    compiler: Any
    sql: str
    params: tuple[Any, ...]
    at: int
    start: int
    end: int
    attnames: list[str]
    populators: list[Any]
    locks: bool


class PrecompiledGet(Generic[M]):
    """`PrecompiledGet(lambda value: Model.objects....filter(pk=value)).get(42)` is
    `Model.objects....get(pk=42)`, compiled once."""

    def __init__(self, make: Callable[[Any], QuerySet[M]]) -> None:
        self.make = make
        self._local = threading.local()

    def get(self, value: Any) -> M:
        compiled = self._compiled()
        connection = connections[compiled.db]
        if compiled.locks and connection.get_autocommit():
            # What Django's compiler checks on every call, which it no longer makes.
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(compiled.params)
        params[compiled.at] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(2)
        model: Any = compiled.model
        name = model._meta.object_name
        if not rows:
            raise model.DoesNotExist(f"{name} matching {value!r} does not exist.")
        if len(rows) > 1:
            raise model.MultipleObjectsReturned(f"more than one {name} matching {value!r}")
        (row,) = list(compiled.compiler.results_iter(results=[rows]))
        found = model.from_db(compiled.db, compiled.attnames, row[compiled.start : compiled.end])
        for populator in compiled.populators:
            populator.populate(row, found)
        return found

    def _compiled(self) -> _Compiled:
        compiled: _Compiled | None = getattr(self._local, "compiled", None)
        if compiled is None:
            queryset = self.make(MARKER)
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            if list(params).count(MARKER) != 1:
                raise ValueError("the queryset must use the looked-up value exactly once")
            klass_info, select = compiler.klass_info, compiler.select
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            compiled = _Compiled(
                model=queryset.model,
                db=queryset.db,
                compiler=compiler,
                sql=sql,
                params=tuple(params),
                at=list(params).index(MARKER),
                start=start,
                end=end,
                attnames=[column[0].target.attname for column in select[start:end]],
                populators=get_related_populators(klass_info, select, queryset.db),
                locks=bool(queryset.query.select_for_update),
            )
            self._local.compiled = compiled
        return compiled
