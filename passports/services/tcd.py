"""QC protocol writes: save, approve, delete, templates (passports.md §4.5)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from common.exceptions import ConflictError, NotFoundError, UpstreamError
from passports.models import (
    Protocol,
    ProtocolStatus,
    ProtocolTemplate,
    Unit,
    UnitStatus,
)
from passports.services._common import locked_unit

# --- protocols ------------------------------------------------------------------------------


@transaction.atomic
def protocol_save(*, internal_id: str, data: dict[str, Any], created_at=None) -> Protocol:
    """Create the unit's protocol (first stage) or replace its rows (→ second stage) (§4.5).

    ``created_at`` backdates a new protocol (demo data); the API never passes it.
    """
    unit = locked_unit(internal_id)
    protocol = Protocol.objects.select_for_update().filter(associated_unit_id=unit.internal_id).first()
    if protocol is None:
        extra = {"creation_time": created_at} if created_at else {}
        return Protocol.objects.create(
            associated_unit_id=unit.internal_id, status=ProtocolStatus.FIRST, **data, **extra
        )
    if protocol.status == ProtocolStatus.THIRD:
        raise ConflictError("Protocol was already finalized. Can't update immutable protocol.")
    protocol.rows = data["rows"]
    protocol.status = ProtocolStatus.SECOND
    protocol.save(update_fields=["rows", "status"])
    return protocol


def _protocol_of(unit: Unit) -> Protocol:
    protocol = Protocol.objects.select_for_update().filter(associated_unit_id=unit.internal_id).first()
    if protocol is None:
        raise NotFoundError(f"Protocol for unit {unit.internal_id} not found")
    return protocol


@transaction.atomic
def protocol_approve(*, internal_id: str) -> Protocol:
    """Approve the protocol and finalize the unit together; idempotent once approved.

    A publisher (``settings.FEECC_PROTOCOL_PUBLISHER``, a dotted path to ``callable(protocol)``;
    off when empty) runs inside the transaction: if it fails, nothing is approved.
    """
    unit = locked_unit(internal_id)
    protocol = _protocol_of(unit)
    if protocol.status == ProtocolStatus.THIRD and unit.status == UnitStatus.FINALIZED:
        return protocol
    protocol.status = ProtocolStatus.THIRD
    protocol.save(update_fields=["status"])
    unit.status = UnitStatus.FINALIZED
    unit.save(update_fields=["status"])
    if settings.FEECC_PROTOCOL_PUBLISHER:
        try:
            import_string(settings.FEECC_PROTOCOL_PUBLISHER)(protocol)
        except Exception as exc:
            raise UpstreamError("Can't publish the protocol") from exc
    return protocol


@transaction.atomic
def protocol_delete(*, internal_id: str) -> None:
    """Delete the unit's protocol; a ``finalized`` unit goes back to ``built``."""
    unit = locked_unit(internal_id)
    protocol = _protocol_of(unit)
    if unit.status == UnitStatus.FINALIZED:
        unit.status = UnitStatus.BUILT
        unit.save(update_fields=["status"])
    protocol.delete()


@transaction.atomic
def protocol_template_ensure(*, schema_id: str, protocol_name: str, **fields) -> ProtocolTemplate:
    """Create or update the schema's template of that name (templates have no endpoint)."""
    template, _ = ProtocolTemplate.objects.update_or_create(
        associated_with_schema_id=schema_id, protocol_name=protocol_name, defaults=fields
    )
    return template
