"""Calculation numbers ``YYYY-NNNN`` from the counter table (calculations.md §6)."""

from __future__ import annotations

from django.db import connection

from calculations.models import CalculationNumberCounter

_TABLE = CalculationNumberCounter._meta.db_table

# One atomic statement: the counter row stays locked until the creating transaction ends, so a
# rolled-back creation gives its number back and concurrent creations get consecutive numbers.
_ALLOCATE = (
    f"INSERT INTO {_TABLE} (year, last_value) VALUES (%s, 1) "
    f"ON CONFLICT (year) DO UPDATE SET last_value = {_TABLE}.last_value + 1 RETURNING last_value"
)


def number_allocate(*, year: int) -> int:
    """The next sequence number of ``year``; call it inside the creating transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_ALLOCATE, [year])
        return cursor.fetchone()[0]


def number_format(*, year: int, seq: int) -> str:
    """``2025-0001``; Python widens past 9999 where SQL ``lpad`` would truncate."""
    return f"{year}-{seq:04d}"
