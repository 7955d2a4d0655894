"""Feecc Analytics data: production schemas, units (passports), stages, employees, QC protocols.

The original keeps these as MongoDB documents linked by string keys (``schema_id``,
``uuid``, ``internal_id``); here they are foreign keys *to those same keys*
(``to_field``), so the wire names (``schema_id``, ``parent_schema_id``,
``associated_unit_id`` …) are the columns themselves and integrity is the database's.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from passports.permissions import PERMISSION_DESCRIPTIONS


def hex_uuid() -> str:
    return uuid.uuid4().hex


def employee_passport_code(*, rfid_card_id: str, name: str, position: str) -> str:
    """The original's ``encode_sha256``: sha256 of ``"<card> <name> <position>"``."""
    return hashlib.sha256(" ".join([rfid_card_id, name, position]).encode()).hexdigest()


class UnitStatus(models.TextChoices):
    PRODUCTION = "production"
    BUILT = "built"
    REVISION = "revision"
    # Removed from the original in 2023 but still offered by the seed and the frontend's filter.
    APPROVED = "approved"
    FINALIZED = "finalized"


# Unit fields only the transitions (revision, cancel, approve) change, never a create/PATCH: the
# transitions check the unit's state, a create or PATCH would bypass them.
TRANSITION_FIELDS = ("status", "txn_hash", "passport_ipfs_cid", "passport_short_url")
TRANSITION_ONLY = "Set only by the transitions (revision, cancel, approve), never by a create or a patch."


class ProtocolStatus(models.TextChoices):
    FIRST = "Первая стадия испытаний пройдена"
    SECOND = "Вторая стадия испытаний пройдена"
    THIRD = "Протокол утверждён"


class ProductionSchema(models.Model):
    """How a kind of unit is produced: its stages, required components and parent schema."""

    schema_id = models.CharField(max_length=64, unique=True, default=hex_uuid)
    unit_name = models.CharField(max_length=256)
    schema_type = models.CharField(max_length=128, db_index=True)
    production_stages = models.JSONField(null=True, blank=True, help_text="List of ProductionSchemaStage objects.")
    required_components_schema_ids = ArrayField(models.CharField(max_length=64), null=True, blank=True)
    parent_schema = models.ForeignKey(
        "self",
        to_field="schema_id",
        db_column="parent_schema_id",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="child_schemas",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(schema_id=""), name="passports_productionschema_schema_id_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} ({self.schema_id})"


class Unit(models.Model):
    """A produced unit and its passport (the original's ``unitData`` document)."""

    schema = models.ForeignKey(
        ProductionSchema, to_field="schema_id", db_column="schema_id", on_delete=models.PROTECT, related_name="units"
    )
    uuid = models.CharField(max_length=64, unique=True, default=hex_uuid)
    internal_id = models.CharField(max_length=64, unique=True, help_text="EAN-13 barcode (any id up to 64 chars).")
    passport_short_url = models.CharField(max_length=512, null=True, blank=True, db_index=True)
    passport_ipfs_cid = models.CharField(max_length=256, null=True, blank=True)
    is_in_db = models.BooleanField(null=True, blank=True)
    featured_in_int_id = models.CharField(max_length=64, null=True, blank=True)
    components_internal_ids = ArrayField(models.CharField(max_length=64), null=True, blank=True)
    model = models.CharField(max_length=256, null=True, blank=True, help_text="The unit's own model name, if any.")
    creation_time = models.DateTimeField(default=timezone.now)
    serial_number = models.CharField(max_length=256, null=True, blank=True)
    status = models.CharField(max_length=16, choices=UnitStatus.choices, null=True, blank=True)
    txn_hash = models.CharField(max_length=256, null=True, blank=True)

    class Meta:
        ordering = ["creation_time", "id"]
        permissions = list(PERMISSION_DESCRIPTIONS.items())
        constraints = [
            models.CheckConstraint(condition=~Q(internal_id=""), name="passports_unit_internal_id_not_empty"),
            models.CheckConstraint(condition=~Q(uuid=""), name="passports_unit_uuid_not_empty"),
            models.CheckConstraint(
                condition=Q(status__isnull=True) | Q(status__in=UnitStatus.values), name="passports_unit_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["creation_time", "id"], name="passports_unit_created_idx"),
            models.Index(fields=["status", "creation_time"], name="passports_unit_status_idx"),
            # The name search ORs ``UPPER(model) LIKE`` in; only units with their own model can
            # match, so a partial index on them keeps that branch an index scan (a trigram GIN
            # index is added by migration 0002 where pg_trgm exists).
            models.Index(fields=["id"], condition=Q(model__isnull=False), name="passports_unit_has_model_idx"),
            models.Index(Upper("serial_number"), name="passports_unit_serial_idx"),
        ]

    def __str__(self) -> str:
        return self.internal_id


class ProductionStage(models.Model):
    """One production stage of a unit (its biography entry)."""

    stage_id = models.CharField(max_length=64, unique=True, default=hex_uuid, help_text="``id`` on the wire.")
    parent_unit = models.ForeignKey(
        Unit, to_field="uuid", db_column="parent_unit_uuid", on_delete=models.CASCADE, related_name="stages"
    )
    name = models.CharField(max_length=256)
    employee_name = models.CharField(max_length=256, null=True, blank=True, help_text="The employee's passport_code.")
    session_start_time = models.DateTimeField(null=True, blank=True)
    session_end_time = models.DateTimeField(null=True, blank=True)
    ended_prematurely = models.BooleanField(default=False)
    video_hashes = ArrayField(models.CharField(max_length=256), null=True, blank=True, default=list)
    additional_info = models.JSONField(null=True, blank=True)
    is_in_db = models.BooleanField(null=True, blank=True)
    creation_time = models.DateTimeField(default=timezone.now)
    schema_stage_id = models.CharField(max_length=64, null=True, blank=True)
    completed = models.BooleanField(null=True, blank=True)
    number = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["parent_unit_id", "number", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(stage_id=""), name="passports_productionstage_id_not_empty"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=0), name="passports_productionstage_number_gte_0"
            ),
        ]
        indexes = [models.Index(fields=["parent_unit", "number"], name="passports_stage_number_idx")]

    def __str__(self) -> str:
        return f"{self.name} #{self.number}"


class Employee(models.Model):
    """A production employee identified by an RFID card; ``passport_code`` is what stages store."""

    rfid_card_id = models.CharField(max_length=128, unique=True)
    name = models.CharField(max_length=256)
    position = models.CharField(max_length=256)
    passport_code = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(rfid_card_id=""), name="passports_employee_rfid_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.rfid_card_id})"

    def save(self, *args, **kwargs):
        self.passport_code = employee_passport_code(
            rfid_card_id=self.rfid_card_id, name=self.name, position=self.position
        )
        super().save(*args, **kwargs)


class EmployeeLink(models.Model):
    """The Feecc user → employee link (``associated_employee``) kept beside the shared identity."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feecc_link")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="user_links")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.user} → {self.employee}"


class ProtocolTemplate(models.Model):
    """An empty QC protocol for a schema; a unit's protocol starts as a copy of it."""

    protocol_name = models.CharField(max_length=256)
    protocol_schema_id = models.CharField(max_length=64)
    associated_with_schema = models.ForeignKey(
        ProductionSchema,
        to_field="schema_id",
        db_column="associated_with_schema_id",
        on_delete=models.CASCADE,
        related_name="protocol_templates",
    )
    default_serial_number = models.CharField(max_length=256, null=True, blank=True)
    rows = models.JSONField(default=list, blank=True, help_text="List of ProtocolRow objects.")

    class Meta:
        ordering = ["protocol_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["associated_with_schema", "protocol_name"], name="passports_protocoltemplate_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.protocol_name


class Protocol(models.Model):
    """A unit's filled QC protocol (at most one per unit)."""

    protocol_id = models.CharField(max_length=64, unique=True, default=hex_uuid)
    associated_unit = models.OneToOneField(
        Unit, to_field="internal_id", db_column="associated_unit_id", on_delete=models.CASCADE, related_name="protocol"
    )
    protocol_name = models.CharField(max_length=256)
    protocol_schema_id = models.CharField(max_length=64)
    associated_with_schema_id = models.CharField(max_length=64)
    default_serial_number = models.CharField(max_length=256, null=True, blank=True)
    rows = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=64, choices=ProtocolStatus.choices, default=ProtocolStatus.FIRST)
    creation_time = models.DateTimeField(default=timezone.now)
    ipfs_cid = models.CharField(max_length=256, null=True, blank=True)
    txn_hash = models.CharField(max_length=256, null=True, blank=True)

    class Meta:
        ordering = ["creation_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProtocolStatus.values), name="passports_protocol_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["creation_time", "id"], name="passports_protocol_created_idx"),
            models.Index(fields=["status", "creation_time"], name="passports_protocol_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.protocol_name} ({self.associated_unit_id})"
