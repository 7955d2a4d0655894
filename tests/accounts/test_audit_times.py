"""The audit's times are spelt by PostgreSQL (``selectors.UtcIsoformat``) exactly as Python's
``datetime.isoformat()`` spells the same instant in UTC, which the audit answered before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db.models import Value
from django.db.models.fields import DateTimeField

from accounts.models import Company
from accounts.selectors import UtcIsoformat
from tests.factories import CompanyFactory

INSTANTS = [
    datetime(2026, 1, 10, 0, 0, tzinfo=UTC),
    datetime(2026, 1, 10, 8, 30, 15, 500000, tzinfo=UTC),
    datetime(2026, 1, 10, 8, 30, 15, 1, tzinfo=UTC),
    datetime(2026, 1, 10, 8, 30, 15, 999999, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, 59, 120, tzinfo=timezone(timedelta(hours=3))),  # another offset
    datetime(1900, 1, 1, 0, 0, tzinfo=UTC),
    datetime(1000, 2, 3, 4, 5, 6, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
]


@pytest.mark.django_db
@pytest.mark.parametrize("instant", INSTANTS, ids=str)
def test_the_database_spells_an_instant_as_isoformat_in_utc(instant):
    spelt = (
        Company.objects.filter(pk=CompanyFactory().pk)
        .annotate(text=UtcIsoformat(Value(instant, output_field=DateTimeField())))
        .values_list("text", flat=True)
        .first()
    )
    assert spelt == instant.astimezone(UTC).isoformat()
