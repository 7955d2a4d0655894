"""Passports, production stages and production schemas on the wire (passports.md §3.2–3.6)."""

from __future__ import annotations

from rest_framework import serializers

from common.drf import representation
from common.exceptions import NotFoundError
from passports.models import TRANSITION_FIELDS, TRANSITION_ONLY, ProductionSchema, Unit, UnitStatus
from passports.serializers.fields import (
    INT32_MAX,
    BlankableChoiceFilterField,
    DayFilterField,
    FeeccDateTimeField,
    StageTimeField,
    ean13_is_valid,
    reject_nul,
)

# What ``types`` items are stripped of: every character ``str.isspace`` (and regex ``\s``) calls
# whitespace, brackets and quotes. ``str.strip`` with this set is linear; the regex it replaces
# (``[...]+$`` tried at every position of a long run of spaces) was quadratic: a denial of service.
TYPES_STRIP_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000" + "[]\"'"
)
# The statuses a new unit may start in (the workbench's); later ones are the transitions', whose rules
# a create would skip.
INITIAL_STATUSES = (None, UnitStatus.PRODUCTION, UnitStatus.BUILT)


# --- stages ---------------------------------------------------------------------------------


class ProductionStageOutputSerializer(serializers.Serializer):
    """``ProductionStageData``: a stage as the biography shows it."""

    id = serializers.CharField(source="stage_id")
    name = serializers.CharField()
    employee_name = serializers.CharField(allow_null=True)
    parent_unit_uuid = serializers.CharField(source="parent_unit_id")
    session_start_time = StageTimeField()
    session_end_time = StageTimeField()
    ended_prematurely = serializers.BooleanField()
    video_hashes = serializers.ListField(child=serializers.CharField(), allow_null=True)
    additional_info = serializers.JSONField(allow_null=True)
    is_in_db = serializers.BooleanField(allow_null=True)
    creation_time = FeeccDateTimeField()
    schema_stage_id = serializers.CharField(allow_null=True)
    completed = serializers.BooleanField(allow_null=True)
    number = serializers.IntegerField(allow_null=True)
    # Always null in the original's responses (passports.md §3.3); kept for the client.
    unit_name = serializers.SerializerMethodField()
    parent_unit_internal_id = serializers.SerializerMethodField()

    def get_unit_name(self, obj) -> str | None:
        return None

    def get_parent_unit_internal_id(self, obj) -> str | None:
        return None


class ProductionStageNamedOutputSerializer(ProductionStageOutputSerializer):
    """A stage whose ``employee_name`` is the employee's name where its code is known
    (``selectors.stage_list(with_employee_names=True)``), else the stored code."""

    employee_name = serializers.CharField(allow_null=True, source="employee_display_name")


class ProductionStageInputSerializer(serializers.Serializer):
    """``ProductionStage`` for the (deprecated) stages router."""

    name = serializers.CharField(max_length=256)
    parent_unit_uuid = serializers.CharField(max_length=64)
    ended_prematurely = serializers.BooleanField()
    creation_time = FeeccDateTimeField()
    employee_name = serializers.CharField(max_length=256, allow_null=True, required=False)
    session_start_time = StageTimeField()
    session_end_time = StageTimeField()
    video_hashes = serializers.ListField(
        child=serializers.CharField(max_length=256), allow_null=True, required=False, max_length=1000
    )
    additional_info = serializers.DictField(allow_null=True, required=False, validators=[reject_nul])
    id = serializers.CharField(max_length=64, required=False)
    is_in_db = serializers.BooleanField(allow_null=True, required=False)
    schema_stage_id = serializers.CharField(max_length=64, allow_null=True, required=False)
    completed = serializers.BooleanField(allow_null=True, required=False)
    number = serializers.IntegerField(allow_null=True, required=False, min_value=0, max_value=INT32_MAX)

    def validate(self, attrs):
        # An unknown reference is a 404 once the body is well formed (passports.md Decision 25).
        parent = attrs.get("parent_unit_uuid")
        if parent is not None and not Unit.objects.filter(uuid=parent).exists():
            raise NotFoundError(f"No unit with uuid {parent}")
        return attrs


class ProductionStagePatchSerializer(ProductionStageInputSerializer):
    """PATCH never changes ``parent_unit_uuid``, session times, ``id``, ``is_in_db``, ``creation_time``."""

    IGNORED = ("parent_unit_uuid", "session_start_time", "session_end_time", "id", "is_in_db", "creation_time")

    def get_fields(self):
        fields = super().get_fields()
        for name in self.IGNORED:
            fields.pop(name)
        return fields


class StageListQuerySerializer(serializers.Serializer):
    decode_employees = serializers.BooleanField(required=False, default=False)


# --- schemas --------------------------------------------------------------------------------


class ProductionSchemaStageSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=256)
    type = serializers.CharField(allow_null=True, required=False, max_length=256)
    description = serializers.CharField(allow_null=True, required=False, allow_blank=True, max_length=4096)
    equipment = serializers.ListField(child=serializers.CharField(max_length=256), allow_null=True, required=False)
    workplace = serializers.CharField(allow_null=True, required=False, allow_blank=True, max_length=256)
    duration_seconds = serializers.IntegerField(allow_null=True, required=False, min_value=0, max_value=INT32_MAX)
    stage_id = serializers.CharField(max_length=64)


class ProductionSchemaOutputSerializer(serializers.Serializer):
    schema_id = serializers.CharField()
    unit_name = serializers.CharField()
    production_stages = ProductionSchemaStageSerializer(many=True, allow_null=True)
    required_components_schema_ids = serializers.ListField(child=serializers.CharField(), allow_null=True)
    parent_schema_id = serializers.CharField(allow_null=True)
    schema_type = serializers.CharField()


class ProductionSchemaInputSerializer(serializers.Serializer):
    schema_id = serializers.CharField(max_length=64, required=False)
    unit_name = serializers.CharField(max_length=256)
    schema_type = serializers.CharField(max_length=128)
    # A ListField, not many=True: DRF passes allow_null to a many=True child as well, so
    # ``[null, null]`` was accepted (the list may be null, its items may not).
    production_stages = serializers.ListField(child=ProductionSchemaStageSerializer(), allow_null=True, required=False)
    required_components_schema_ids = serializers.ListField(
        child=serializers.CharField(max_length=64), allow_null=True, required=False
    )
    parent_schema_id = serializers.CharField(max_length=64, allow_null=True, required=False)

    def validate(self, attrs):
        # A schema may name itself as its parent: the original's own tests create one so.
        parent = attrs.get("parent_schema_id")
        known = parent is None or parent == attrs.get("schema_id")
        if not known and not ProductionSchema.objects.filter(schema_id=parent).exists():
            raise NotFoundError(f"No schema with id {parent}")
        return attrs


class ProductionSchemaPatchSerializer(ProductionSchemaInputSerializer):
    """PATCH keeps ``schema_id`` (the path's), ``parent_schema_id`` and required components."""

    def get_fields(self):
        fields = super().get_fields()
        for name in ("schema_id", "parent_schema_id", "required_components_schema_ids"):
            fields.pop(name)
        return fields


# --- passports ------------------------------------------------------------------------------


class PassportOutputSerializer(serializers.Serializer):
    """``Passport``: the unit plus ``model``/``type``/``parential_unit`` from its schema."""

    schema_id = serializers.CharField()
    uuid = serializers.CharField()
    internal_id = serializers.CharField()
    passport_short_url = serializers.CharField(allow_null=True)
    passport_ipfs_cid = serializers.CharField(allow_null=True)
    is_in_db = serializers.BooleanField(allow_null=True)
    featured_in_int_id = serializers.CharField(allow_null=True)
    biography = serializers.SerializerMethodField()
    components_internal_ids = serializers.ListField(child=serializers.CharField(), allow_null=True)
    model = serializers.SerializerMethodField()
    creation_time = FeeccDateTimeField()
    date = FeeccDateTimeField(source="creation_time")
    type = serializers.CharField(source="schema.schema_type")
    parential_unit = serializers.SerializerMethodField()
    serial_number = serializers.CharField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    txn_hash = serializers.CharField(allow_null=True)

    def get_biography(self, obj) -> list[dict] | None:
        # Lists answer null (constant queries); the detail carries the stages (never null there).
        stages = getattr(obj, "biography", None)
        if stages is None:
            return None
        return [representation(ProductionStageOutputSerializer)(stage) for stage in stages]

    def get_model(self, obj) -> str | None:
        return obj.schema.unit_name or obj.model

    def get_parential_unit(self, obj) -> str | None:
        parent = obj.schema.parent_schema
        return parent.unit_name if parent is not None else None


class PassportRowOutputSerializer(PassportOutputSerializer):
    """The same body from a list row (``selectors.unit_rows``: a dict with the schema's columns
    by name); the fields keep their order (``type`` is replaced in place)."""

    def get_fields(self):
        fields = super().get_fields()
        fields["type"] = serializers.CharField(source="schema_type")
        return fields

    def get_biography(self, obj) -> list[dict] | None:
        return None  # lists answer null (constant queries)

    def get_model(self, obj) -> str | None:
        return obj["schema_unit_name"] or obj["model"]

    def get_parential_unit(self, obj) -> str | None:
        return obj["parent_unit_name"]


class PassportDetailOutputSerializer(PassportOutputSerializer):
    biography = ProductionStageOutputSerializer(many=True)


class PassportCreateInputSerializer(serializers.Serializer):
    """``Passport`` on create: ``schema_id`` and ``internal_id`` required; computed keys ignored."""

    schema_id = serializers.CharField(max_length=64)
    internal_id = serializers.CharField(max_length=64)
    uuid = serializers.CharField(max_length=64, required=False)
    passport_short_url = serializers.CharField(max_length=512, allow_null=True, required=False)
    passport_ipfs_cid = serializers.CharField(max_length=256, allow_null=True, required=False)
    is_in_db = serializers.BooleanField(allow_null=True, required=False)
    featured_in_int_id = serializers.CharField(max_length=64, allow_null=True, required=False)
    components_internal_ids = serializers.ListField(
        child=serializers.CharField(max_length=64), allow_null=True, required=False, max_length=1000
    )
    model = serializers.CharField(max_length=256, allow_null=True, required=False)
    creation_time = FeeccDateTimeField(required=False)
    date = FeeccDateTimeField(required=False, help_text="The seed's name for creation_time.")
    serial_number = serializers.CharField(max_length=256, allow_null=True, allow_blank=True, required=False)
    status = serializers.ChoiceField(choices=UnitStatus.choices, allow_null=True, required=False)
    txn_hash = serializers.CharField(max_length=256, allow_null=True, required=False)

    def validate_internal_id(self, value: str) -> str:
        if len(value) == 13 and value.isdigit() and not ean13_is_valid(value):
            raise serializers.ValidationError("Invalid EAN-13 check digit.")
        return value

    def validate(self, attrs):
        schema_id = attrs.get("schema_id")
        if schema_id is not None and not ProductionSchema.objects.filter(schema_id=schema_id).exists():
            raise NotFoundError(f"No schema with id {schema_id}")
        date = attrs.pop("date", None)
        if "creation_time" not in attrs and date is not None:
            attrs["creation_time"] = date
        if not self.partial:
            # A new unit starts where the workbench starts one; the rest is the transitions'.
            errors = {}
            if attrs.get("status") not in INITIAL_STATUSES:
                errors["status"] = [
                    "A new unit is production or built; later statuses come only from the transitions "
                    "(revision, cancel, approve)."
                ]
            for name in TRANSITION_FIELDS:
                if name != "status" and attrs.get(name) is not None:
                    errors[name] = [TRANSITION_ONLY]
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class PassportPatchInputSerializer(PassportCreateInputSerializer):
    """Partial update; identity and computed keys are ignored. The transition fields are checked by
    ``services.unit_update``: sending their current value is accepted, changing them is a 422."""

    IGNORED = ("internal_id", "uuid", "is_in_db", "featured_in_int_id", "model")

    def get_fields(self):
        fields = super().get_fields()
        for name in self.IGNORED:
            fields.pop(name)
        return fields


def parse_types(raw: str) -> list[str]:
    """``a,b``, ``[a,b]`` and ``["a","b"]`` → ``["a", "b"]``; empty items dropped."""
    return [item for item in (part.strip(TYPES_STRIP_CHARS) for part in raw.split(",")) if item]


class PassportListQuerySerializer(serializers.Serializer):
    sort_by_date = serializers.ChoiceField(choices=["asc", "desc"], required=False, default="desc")
    status = BlankableChoiceFilterField(choices=UnitStatus.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=256, trim_whitespace=True)
    date = DayFilterField()
    types = serializers.CharField(required=False, allow_blank=True, max_length=4096)

    def validate_types(self, value: str) -> list[str]:
        return parse_types(value)


class SerialInputSerializer(serializers.Serializer):
    serial_number = serializers.CharField(max_length=256, allow_blank=True, trim_whitespace=False)


class StageIdField(serializers.CharField):
    """A stage id as sent: compared literally, as the original (and the schema's ``uniqueItems``) do.

    Trimmed, ``"\n0"`` and ``"0"`` were one id and the pair a "Stage ids must be unique." 422 for
    a body the schema allows; a blank id is still refused as blank.
    """

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str) and data and not data.strip():
            self.fail("blank")
        return super().run_validation(data)


class RevisionInputSerializer(serializers.Serializer):
    stages_ids = serializers.ListField(child=StageIdField(max_length=64), allow_empty=False, max_length=1000)

    def validate_stages_ids(self, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Stage ids must be unique.")
        return value


class RevisionCancelQuerySerializer(serializers.Serializer):
    stage_id = serializers.CharField(max_length=64)


class PassportTypesOutputSerializer(serializers.Serializer):
    status_code = serializers.IntegerField()
    detail = serializers.CharField()
    data = serializers.ListField(child=serializers.CharField())
    types = serializers.ListField(child=serializers.CharField())
