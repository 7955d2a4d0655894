"""``/api/v1/tcd``: QC protocols — list, types, pending, get (with template fallback), save, approve, delete."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from common.api_styles.feecc import STYLE, envelope
from common.drf import NO_NUL_PATTERN, representation
from common.exceptions import NotFoundError
from passports import selectors, services
from passports.models import ProtocolStatus
from passports.permissions import APPROVE
from passports.serializers import (
    EmployeeOutputSerializer,
    ProtocolInputSerializer,
    ProtocolListQuerySerializer,
    ProtocolOutputSerializer,
    ProtocolTemplateListSerializer,
    ProtocolTemplateOutputSerializer,
)
from passports.serializers.fields import DAY_FILTER_SCHEMA
from passports.views.base import ENVELOPE, PassportsAPIView, envelope_component, path_param

INTERNAL_ID = path_param("internal_id", "The unit's internal id (not the protocol's).")


class ProtocolListView(PassportsAPIView):
    page_component = "FeeccProtocolList"

    @extend_schema(
        operation_id="feecc_tcd_protocols_list",
        parameters=[
            OpenApiParameter("sort_by_date", OpenApiTypes.STR, enum=["asc", "desc"]),
            OpenApiParameter(
                "status",
                {"type": "string", "enum": [*ProtocolStatus.values, ""]},
                description="A protocol status; empty = any.",
            ),
            OpenApiParameter(
                "name",
                {"type": "string", "pattern": NO_NUL_PATTERN},
                description="Protocol name or serial number (substring).",
            ),
            OpenApiParameter("date", DAY_FILTER_SCHEMA, description="A day: YYYY-MM-DD, ISO date-time or epoch."),
        ],
        responses={200: ProtocolOutputSerializer(many=True), **STYLE.responses(422)},
    )
    def get(self, request):
        filters = self.query(ProtocolListQuerySerializer)
        if any(value for key, value in filters.items() if key != "sort_by_date"):
            return self.page_values(selectors.protocol_list(**filters), ProtocolOutputSerializer)
        # Unfiltered (the list as the frontend opens it): compiled once per order.
        return self.page_values_of(
            selectors.protocol_list, ProtocolOutputSerializer, sort_by_date=filters["sort_by_date"]
        )


class ProtocolTypesView(PassportsAPIView):
    pagination_class = None

    @extend_schema(
        operation_id="feecc_tcd_protocols_types",
        responses={
            200: envelope_component("FeeccProtocolTypes", data=serializers.ListField(child=serializers.CharField())),
            **STYLE.responses(),
        },
    )
    def get(self, request):
        return Response(envelope(data=list(ProtocolStatus.values)))


class ProtocolPendingView(PassportsAPIView):
    pagination_class = None

    @extend_schema(
        operation_id="feecc_tcd_protocols_pending",
        responses={
            200: envelope_component(
                "FeeccPendingProtocols",
                count=serializers.IntegerField(),
                pending=serializers.ListField(child=serializers.CharField()),
            ),
            **STYLE.responses(),
        },
    )
    def get(self, request):
        pending = selectors.protocol_pending_ids()
        return Response(envelope(count=len(pending), pending=pending))


PROTOCOL_CHOICE = PolymorphicProxySerializer(
    component_name="FeeccProtocolOrTemplates",
    serializers=[ProtocolOutputSerializer, ProtocolTemplateOutputSerializer, ProtocolTemplateListSerializer],
    resource_type_field_name=None,
)


class ProtocolDetailView(PassportsAPIView):
    required_rules = {"POST": APPROVE, "DELETE": APPROVE}

    @extend_schema(
        operation_id="feecc_tcd_protocols_get",
        parameters=[INTERNAL_ID],
        responses={
            200: envelope_component(
                "FeeccProtocol",
                serial_number=serializers.CharField(allow_null=True),
                employee=EmployeeOutputSerializer(allow_null=True),
                protocol=PROTOCOL_CHOICE,
            ),
            **STYLE.responses(404),
        },
    )
    def get(self, request, internal_id: str):
        # The unit's protocol comes with its unit; without one, the unit (or the 404) and its templates.
        protocol = selectors.protocol_of_unit(internal_id=internal_id)
        unit = protocol.associated_unit if protocol is not None else selectors.unit_get(internal_id=internal_id)
        employee = selectors.employee_of_user(request.user)
        return Response(
            envelope(
                serial_number=unit.serial_number,
                employee=representation(EmployeeOutputSerializer)(employee) if employee else None,
                protocol=self._protocol_or_templates(unit, protocol),
            )
        )

    @staticmethod
    def _protocol_or_templates(unit, protocol):
        if protocol is not None:
            return representation(ProtocolOutputSerializer)(protocol)
        templates = selectors.protocol_templates_for(schema_id=unit.schema_id)
        if not templates:
            raise NotFoundError(f"No protocol template for schema {unit.schema_id}")
        if len(templates) == 1:
            return representation(ProtocolTemplateOutputSerializer)(templates[0])
        return {"protocols": [representation(ProtocolTemplateOutputSerializer)(t) for t in templates]}

    @extend_schema(
        operation_id="feecc_tcd_protocols_save",
        parameters=[INTERNAL_ID],
        request=ProtocolInputSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 409, 422)},
    )
    def post(self, request, internal_id: str):
        services.protocol_save(internal_id=internal_id, data=self.body(ProtocolInputSerializer))
        return Response(envelope())

    @extend_schema(
        operation_id="feecc_tcd_protocols_delete",
        parameters=[INTERNAL_ID],
        responses={200: ENVELOPE, **STYLE.responses(403, 404)},
    )
    def delete(self, request, internal_id: str):
        services.protocol_delete(internal_id=internal_id)
        return Response(envelope())


class ProtocolApproveView(PassportsAPIView):
    required_rules = {"POST": APPROVE}

    @extend_schema(
        operation_id="feecc_tcd_protocols_approve",
        parameters=[INTERNAL_ID],
        request=None,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 502)},
    )
    def post(self, request, internal_id: str):
        services.protocol_approve(internal_id=internal_id)
        return Response(envelope())
