"""``/api/v1/passports``: list, types, create, get/patch/delete, serial, revision, cancel."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from common.api_styles.feecc import STYLE, envelope
from common.drf import NO_NUL_PATTERN, NON_BLANK_PATTERN, representation
from common.parsers import JSONParser
from passports import selectors, services
from passports.models import UnitStatus
from passports.permissions import APPROVE, WRITE
from passports.serializers import (
    PassportCreateInputSerializer,
    PassportDetailOutputSerializer,
    PassportListQuerySerializer,
    PassportOutputSerializer,
    PassportPatchInputSerializer,
    PassportRowOutputSerializer,
    PassportTypesOutputSerializer,
    RevisionCancelQuerySerializer,
    RevisionInputSerializer,
    SerialInputSerializer,
)
from passports.serializers.fields import DAY_FILTER_SCHEMA
from passports.views.base import ENVELOPE, PassportsAPIView, envelope_component, path_param

INTERNAL_ID = path_param("internal_id", "The unit's internal id (EAN-13).")
LIST_PARAMETERS = [
    OpenApiParameter(
        "sort_by_date", OpenApiTypes.STR, enum=["asc", "desc"], description="`asc` = newest first (the original's)."
    ),
    OpenApiParameter(
        "status",
        {"type": "string", "enum": [*UnitStatus.values, ""]},
        description="One of " + ", ".join(UnitStatus.values) + "; empty = any.",
    ),
    OpenApiParameter(
        "name",
        {"type": "string", "pattern": NO_NUL_PATTERN},
        description="Model name, short URL, uuid or 13-digit internal id.",
    ),
    OpenApiParameter("date", DAY_FILTER_SCHEMA, description="A day: YYYY-MM-DD, ISO date-time or epoch seconds."),
    OpenApiParameter("types", OpenApiTypes.STR, description="Schema types: `a,b` or `[a,b]`."),
]

# The ids' own rules (RevisionInputSerializer: non-blank, ≤ 64 characters, at most 1000).
_IDS = {
    "type": "array",
    "items": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": NON_BLANK_PATTERN},
    "minItems": 1,
    "maxItems": 1000,
    "uniqueItems": True,
}
REVISION_BODY = {
    "oneOf": [_IDS, {"type": "object", "properties": {"stages_ids": _IDS}, "required": ["stages_ids"]}],
    "description": "The ids of the stages to rework: a bare array (the client's) or {stages_ids}.",
}


class PassportListView(PassportsAPIView):
    required_rules = {"POST": WRITE}
    page_component = "FeeccPassportList"

    @extend_schema(
        operation_id="feecc_passports_list",
        parameters=LIST_PARAMETERS,
        responses={200: PassportOutputSerializer(many=True), **STYLE.responses(422)},
    )
    def get(self, request):
        filters = self.query(PassportListQuerySerializer)
        return self.page(selectors.unit_page(**filters), representation(PassportRowOutputSerializer))

    @extend_schema(
        operation_id="feecc_passports_create",
        request=PassportCreateInputSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 409, 422)},
    )
    def post(self, request):
        services.unit_create(data=self.body(PassportCreateInputSerializer), actor=request.user)
        return Response(envelope("Created new unit"))


class PassportTypesView(PassportsAPIView):
    pagination_class = None

    @extend_schema(
        operation_id="feecc_passports_types", responses={200: PassportTypesOutputSerializer, **STYLE.responses()}
    )
    def get(self, request):
        types = selectors.unit_types()
        return Response(envelope(data=types, types=types))


class PassportDetailView(PassportsAPIView):
    required_rules = {"PATCH": WRITE, "DELETE": WRITE}

    @extend_schema(
        operation_id="feecc_passports_get",
        parameters=[INTERNAL_ID],
        responses={
            200: envelope_component("FeeccPassport", passport=PassportDetailOutputSerializer()),
            **STYLE.responses(404),
        },
    )
    def get(self, request, internal_id: str):
        unit = selectors.unit_get(internal_id=internal_id, with_biography=True)
        return Response(envelope(passport=representation(PassportDetailOutputSerializer)(unit)))

    @extend_schema(
        operation_id="feecc_passports_patch",
        parameters=[INTERNAL_ID],
        request=PassportPatchInputSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 422)},
    )
    def patch(self, request, internal_id: str):
        data = self.body(PassportPatchInputSerializer, partial=True)
        services.unit_update(internal_id=internal_id, data=data, actor=request.user)
        return Response(envelope("Successfully patched unit"))

    @extend_schema(
        operation_id="feecc_passports_delete",
        parameters=[INTERNAL_ID],
        responses={200: ENVELOPE, **STYLE.responses(403, 404)},
    )
    def delete(self, request, internal_id: str):
        services.unit_delete(internal_id=internal_id)
        return Response(envelope("Deleted unit"))


class PassportSerialView(PassportsAPIView):
    required_rules = {"POST": APPROVE}
    parser_classes = [JSONParser, FormParser, MultiPartParser]  # passports.md Decision 12

    @extend_schema(
        operation_id="feecc_passports_serial",
        parameters=[INTERNAL_ID, OpenApiParameter("serial_number", OpenApiTypes.STR, description="The new serial.")],
        request=SerialInputSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 422)},
    )
    def post(self, request, internal_id: str):
        # The client sends the serial in the query; a form or JSON body is accepted as well.
        if "serial_number" in request.query_params:
            data = self.query(SerialInputSerializer)
        else:
            data = self.body(SerialInputSerializer)
        services.unit_set_serial(internal_id=internal_id, serial_number=data["serial_number"])
        return Response(envelope())


class PassportRevisionView(PassportsAPIView):
    required_rules = {"POST": APPROVE}
    request_body_required = True  # no body: 422 "stages_ids field required"

    @extend_schema(
        operation_id="feecc_passports_revision",
        parameters=[INTERNAL_ID],
        request={"application/json": REVISION_BODY},
        responses={200: ENVELOPE, **STYLE.responses(400, 403, 404, 409, 422)},
    )
    def post(self, request, internal_id: str):
        # The client sends a bare array; ``{"stages_ids": [...]}`` is accepted too (Decision 10).
        data = request.data
        payload = {"stages_ids": data} if isinstance(data, list) else data
        stage_ids = self.body(RevisionInputSerializer, data=payload)["stages_ids"]
        services.unit_send_for_revision(internal_id=internal_id, stage_ids=stage_ids)
        return Response(envelope("Successfully sent unit for revision"))


class PassportRevisionCancelView(PassportsAPIView):
    required_rules = {"POST": APPROVE}

    @extend_schema(
        operation_id="feecc_passports_revision_cancel",
        parameters=[INTERNAL_ID, RevisionCancelQuerySerializer],
        request=None,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 409, 422)},
    )
    def post(self, request, internal_id: str):
        stage_id = self.query(RevisionCancelQuerySerializer)["stage_id"]
        services.unit_cancel_revision(internal_id=internal_id, stage_id=stage_id, user=request.user)
        return Response(envelope(f"Marked stage {stage_id} as canceled"))
