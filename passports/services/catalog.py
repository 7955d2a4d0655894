"""Production schema and (deprecated) stage writes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from common.exceptions import ConflictError
from passports.models import ProductionSchema, ProductionStage
from passports.selectors import schema_not_found, stage_not_found

# --- schemas --------------------------------------------------------------------------------


@transaction.atomic
def schema_create(*, data: dict[str, Any]) -> ProductionSchema:
    schema_id = data.get("schema_id")
    if schema_id and ProductionSchema.objects.filter(schema_id=schema_id).exists():
        raise ConflictError(f"Schema with id {schema_id} already exists")
    return ProductionSchema.objects.create(**data)


@transaction.atomic
def schema_update(*, schema_id: str, data: dict[str, Any]) -> ProductionSchema:
    schema = ProductionSchema.objects.select_for_update().filter(schema_id=schema_id).first()
    if schema is None:
        raise schema_not_found(schema_id)
    for key, value in data.items():
        setattr(schema, key, value)
    schema.save()
    return schema


@transaction.atomic
def schema_delete(*, schema_id: str) -> None:
    schema = ProductionSchema.objects.filter(schema_id=schema_id).first()
    if schema is None:
        raise schema_not_found(schema_id)
    try:
        with transaction.atomic():
            schema.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ConflictError(f"Schema {schema_id} is used by units and can't be deleted") from exc


# --- stages ---------------------------------------------------------------------------------


@transaction.atomic
def stage_create(*, data: dict[str, Any]) -> ProductionStage:
    data = dict(data)
    data["parent_unit_id"] = data.pop("parent_unit_uuid")
    if "id" in data:
        data["stage_id"] = data.pop("id")
        if ProductionStage.objects.filter(stage_id=data["stage_id"]).exists():
            raise ConflictError(f"Stage with id {data['stage_id']} already exists")
    if data.get("video_hashes") is None:
        data["video_hashes"] = []
    return ProductionStage.objects.create(**data)


@transaction.atomic
def stage_update(*, stage_id: str, data: dict[str, Any]) -> ProductionStage:
    stage = ProductionStage.objects.select_for_update().filter(stage_id=stage_id).first()
    if stage is None:
        raise stage_not_found()
    for key, value in data.items():
        setattr(stage, key, value)
    stage.save()
    return stage


@transaction.atomic
def stage_delete(*, stage_id: str) -> None:
    deleted, _ = ProductionStage.objects.filter(stage_id=stage_id).delete()
    if not deleted:
        raise stage_not_found()
