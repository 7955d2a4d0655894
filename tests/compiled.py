"""What the tests of ``common.compiled`` windows share: the ORM's slice and the compiled window
read side by side, and the fields an instance loaded."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def orm_and_window(queryset, window, offset: int, limit: int) -> tuple[list, list]:
    """``(expected, got)``: the rows ``offset .. offset + limit - 1`` of the ORM's ``queryset``
    and of the compiled ``window`` (a ``common.compiled.Window``), each read under a capture,
    once it is asserted that the window sent one query, the ORM's SQL text (with the
    ``OFFSET 0`` the ORM leaves out)."""
    with CaptureQueriesContext(connection) as orm:
        expected = list(queryset[offset : offset + limit])
    with CaptureQueriesContext(connection) as compiled:
        got = window[offset : offset + limit]
    literal = orm.captured_queries[0]["sql"] + ("" if offset else " OFFSET 0")
    assert [q["sql"] for q in compiled.captured_queries] == [literal]
    return expected, got


def fields_of(instance) -> dict | None:
    """The concrete fields ``instance`` loaded (deferred ones left out); ``None`` for none."""
    if instance is None:
        return None
    deferred = instance.get_deferred_fields()
    return {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.attname not in deferred
    }
