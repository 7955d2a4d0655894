"""QC (TCD) protocols on the wire (passports.md §3.7)."""

from __future__ import annotations

from rest_framework import serializers

from passports.models import ProtocolStatus
from passports.serializers.fields import BlankableChoiceFilterField, DayFilterField, FeeccDateTimeField


class ProtocolRowSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=1024, allow_blank=True)
    value = serializers.CharField(max_length=4096, allow_blank=True)
    deviation = serializers.CharField(max_length=4096, allow_null=True, allow_blank=True, required=False, default=None)
    test1 = serializers.CharField(max_length=4096, allow_null=True, allow_blank=True, required=False, default=None)
    test2 = serializers.CharField(max_length=4096, allow_null=True, allow_blank=True, required=False, default=None)
    checked = serializers.BooleanField(required=False, default=False)


class ProtocolTemplateOutputSerializer(serializers.Serializer):
    """``Protocol``: a template (and the shape of the save body)."""

    # Closed in the schema: a filled protocol (below) has these fields and more, so only a
    # closed template keeps the ``oneOf`` of ``GET /tcd/protocols/{id}`` exclusive.
    openapi_closed = True

    protocol_name = serializers.CharField()
    protocol_schema_id = serializers.CharField()
    associated_with_schema_id = serializers.CharField()
    default_serial_number = serializers.CharField(allow_null=True)
    rows = ProtocolRowSerializer(many=True)


class ProtocolOutputSerializer(ProtocolTemplateOutputSerializer):
    """``ProtocolData``: a unit's filled protocol."""

    openapi_closed = False

    protocol_id = serializers.CharField()
    associated_unit_id = serializers.CharField()
    status = serializers.CharField()
    creation_time = FeeccDateTimeField()
    ipfs_cid = serializers.CharField(allow_null=True)
    txn_hash = serializers.CharField(allow_null=True)


class ProtocolInputSerializer(serializers.Serializer):
    """The save body; ``status``, ``protocol_id``, ``creation_time`` … sent by the client are ignored."""

    protocol_name = serializers.CharField(max_length=256)
    protocol_schema_id = serializers.CharField(max_length=64)
    associated_with_schema_id = serializers.CharField(max_length=64)
    default_serial_number = serializers.CharField(max_length=256, allow_null=True, allow_blank=True, required=False)
    rows = ProtocolRowSerializer(many=True, max_length=1000)


class ProtocolListQuerySerializer(serializers.Serializer):
    sort_by_date = serializers.ChoiceField(choices=["asc", "desc"], required=False, default="desc")
    status = BlankableChoiceFilterField(choices=ProtocolStatus.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=256)
    date = DayFilterField()


class ProtocolTemplateListSerializer(serializers.Serializer):
    protocols = ProtocolTemplateOutputSerializer(many=True)
