"""``/api/v1/schemas`` and the deprecated ``/api/v1/stages``."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from common.api_styles.feecc import STYLE, envelope
from common.drf import representation
from passports import selectors, services
from passports.permissions import WRITE
from passports.serializers import (
    ProductionSchemaInputSerializer,
    ProductionSchemaOutputSerializer,
    ProductionSchemaPatchSerializer,
    ProductionStageInputSerializer,
    ProductionStageNamedOutputSerializer,
    ProductionStageOutputSerializer,
    ProductionStagePatchSerializer,
    StageListQuerySerializer,
)
from passports.views.base import ENVELOPE, PassportsAPIView, envelope_component, path_param

SCHEMA_ID = path_param("schema_id")
STAGE_ID = path_param("stage_id")


class SchemaListView(PassportsAPIView):
    required_rules = {"POST": WRITE}
    page_component = "FeeccSchemaList"

    @extend_schema(
        operation_id="feecc_schemas_list",
        responses={200: ProductionSchemaOutputSerializer(many=True), **STYLE.responses(422)},
    )
    def get(self, request):
        return self.page_values_of(selectors.schema_list, ProductionSchemaOutputSerializer)

    @extend_schema(
        operation_id="feecc_schemas_create",
        request=ProductionSchemaInputSerializer,
        responses={200: ENVELOPE, **STYLE.responses(400, 403, 404, 409, 422)},
    )
    def post(self, request):
        schema = services.schema_create(data=self.body(ProductionSchemaInputSerializer))
        return Response(envelope(f"Created new schema with id {schema.schema_id}"))


class SchemaDetailView(PassportsAPIView):
    required_rules = {"PATCH": WRITE, "DELETE": WRITE}

    @extend_schema(
        operation_id="feecc_schemas_get",
        parameters=[SCHEMA_ID],
        responses={
            200: envelope_component("FeeccSchema", prod_schema=ProductionSchemaOutputSerializer()),
            **STYLE.responses(404),
        },
    )
    def get(self, request, schema_id: str):
        schema = selectors.schema_get(schema_id=schema_id)
        return Response(envelope(prod_schema=representation(ProductionSchemaOutputSerializer)(schema)))

    @extend_schema(
        operation_id="feecc_schemas_patch",
        parameters=[SCHEMA_ID],
        request=ProductionSchemaPatchSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 422)},
    )
    def patch(self, request, schema_id: str):
        services.schema_update(schema_id=schema_id, data=self.body(ProductionSchemaPatchSerializer, partial=True))
        return Response(envelope("Patched schema"))

    @extend_schema(
        operation_id="feecc_schemas_delete",
        parameters=[SCHEMA_ID],
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 409)},
    )
    def delete(self, request, schema_id: str):
        services.schema_delete(schema_id=schema_id)
        return Response(envelope("Deleted schema"))


class StageListView(PassportsAPIView):
    required_rules = {"POST": WRITE}
    page_component = "FeeccStageList"

    @extend_schema(
        operation_id="feecc_stages_list",
        parameters=[OpenApiParameter("decode_employees", OpenApiTypes.BOOL, description="Show employee names.")],
        responses={200: ProductionStageOutputSerializer(many=True), **STYLE.responses(422)},
    )
    def get(self, request):
        decode = self.query(StageListQuerySerializer)["decode_employees"]
        serializer = ProductionStageNamedOutputSerializer if decode else ProductionStageOutputSerializer
        return self.page_values_of(selectors.stage_list, serializer, with_employee_names=decode)

    @extend_schema(
        operation_id="feecc_stages_create",
        request=ProductionStageInputSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 409, 422)},
    )
    def post(self, request):
        services.stage_create(data=self.body(ProductionStageInputSerializer))
        return Response(envelope("Created new production stage"))


class StageDetailView(PassportsAPIView):
    required_rules = {"PATCH": WRITE, "DELETE": WRITE}

    @extend_schema(
        operation_id="feecc_stages_get",
        parameters=[STAGE_ID],
        responses={
            200: envelope_component("FeeccStage", stage=ProductionStageOutputSerializer()),
            **STYLE.responses(404),
        },
    )
    def get(self, request, stage_id: str):
        stage = selectors.stage_get(stage_id=stage_id)
        return Response(envelope(stage=representation(ProductionStageOutputSerializer)(stage)))

    @extend_schema(
        operation_id="feecc_stages_patch",
        parameters=[STAGE_ID],
        request=ProductionStagePatchSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 422)},
    )
    def patch(self, request, stage_id: str):
        services.stage_update(stage_id=stage_id, data=self.body(ProductionStagePatchSerializer, partial=True))
        return Response(envelope("Successfully patched stage"))

    @extend_schema(
        operation_id="feecc_stages_delete",
        parameters=[STAGE_ID],
        responses={200: ENVELOPE, **STYLE.responses(403, 404)},
    )
    def delete(self, request, stage_id: str):
        services.stage_delete(stage_id=stage_id)
        return Response(envelope(f"Deleted stage with id {stage_id}"))
