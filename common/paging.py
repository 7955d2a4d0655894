"""A page of an ordered queryset, and its total without a COUNT when the page shows the end.

Every paginated list of the five APIs answers a total (Feecc's ``count``, formula's
``itemsCount``, Datawiz's ``count``, VRt's audit counters). The paginators and the audit
selector read the page first and ask the database for the total only when the page cannot
tell it (``total_of``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

#: PostgreSQL's OFFSET is a bigint: no table holds a row past it, so a larger offset reads nothing
#: (``?page=99999999999999999999999``) rather than failing in the driver.
MAX_OFFSET = 2**63 - 1


class Counted:
    """A list's rows and the query that counts them, when a cheaper one than the rows' exists.

    Django counts a queryset with every join it has set up, including those that only fetch a
    column (``F("shop__shop_id")``) and cannot change how many rows there are; a selector that
    knows it hands the paginator its rows and the plain filtered query to count.
    """

    def __init__(self, rows: QuerySet, counted: QuerySet):
        self.rows, self.counted = rows, counted

    def __getitem__(self, window):
        return self.rows[window]

    def count(self) -> int:
        return self.counted.count()


def rows_at(queryset, offset: int, limit: int) -> list:
    """The rows ``offset .. offset + limit - 1`` of an ordered queryset (or sequence); none for
    ``limit == 0`` or an offset past any table's end (``MAX_OFFSET``)."""
    if not limit or offset > MAX_OFFSET:
        return []
    return list(queryset[offset : offset + limit])


def total_of(queryset, offset: int, limit: int, rows: list) -> int:
    """How many rows ``queryset`` holds, given the window ``rows`` it answered at ``offset``/``limit``.

    A window that is not full shows the end of the list, so the total is ``offset + len(rows)``
    and no COUNT runs; a full window, or an empty one past the start, asks the database
    (``len()`` of a sequence, else ``count()``: a queryset, a ``Counted``, a
    ``common.compiled.Window``). A derived total also agrees with its own
    page, which two separate statements do not promise under concurrent writes.
    """
    if len(rows) < limit and (rows or offset == 0):
        return offset + len(rows)
    return len(queryset) if isinstance(queryset, Sequence) else queryset.count()
