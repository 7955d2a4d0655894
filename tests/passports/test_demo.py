"""seed_demo's passports part: every status, biographies, pending protocols; idempotent."""

from __future__ import annotations

import pytest
from django.conf import settings

from accounts.demo import demo_actors_ensure
from passports import demo
from passports.models import (
    Employee,
    ProductionSchema,
    ProductionStage,
    Protocol,
    ProtocolStatus,
    ProtocolTemplate,
    Unit,
)
from passports.selectors import protocol_pending_ids

pytestmark = pytest.mark.django_db


def snapshot():
    return [
        model.objects.count()
        for model in (ProductionSchema, Unit, ProductionStage, Employee, ProtocolTemplate, Protocol)
    ]


def test_seed_is_complete_and_idempotent():
    actors = demo_actors_ensure(password=settings.DEMO_PASSWORD)
    demo.seed(actors=actors)
    first = snapshot()
    summary = demo.seed(actors=actors)
    assert snapshot() == first
    assert summary == "4 schemas, 24 units, 3 employees, 12 protocols"
    assert set(Unit.objects.values_list("status", flat=True)) == {
        "production",
        "built",
        "revision",
        "approved",
        "finalized",
    }
    assert ProductionSchema.objects.get(schema_id="demo_board").parent_schema_id == "demo_robot"
    assert set(Protocol.objects.values_list("status", flat=True)) == set(ProtocolStatus.values)
    assert len(protocol_pending_ids()) >= 1
    assert ProductionStage.objects.filter(additional_info__reworked=True).count() == 3
    assert actors.demo.feecc_link.employee.name == "Anna Smirnova"
