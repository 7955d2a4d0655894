"""``/calculations/...``: the list, the detail and its writes."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from calculations import selectors
from calculations import serializers as s
from calculations.permissions import HasFormulaRead, HasFormulaReadToGetWriteToChange, HasFormulaWrite
from calculations.services.calculations import calculation_comment_update, calculation_delete, calculation_write
from calculations.views.base import GUID_PARAM, STYLE, FormulaAPIView

WRITE_ERRORS = STYLE.responses(400, 401, 403, 404, 409, write=True)


class CalculationListView(FormulaAPIView):
    """``POST /calculations/list``: a read with filters, search and ordinal paging."""

    permission_classes = [HasFormulaRead]
    replica_reads = True  # a read sent as POST: it may read a replica (common.db_router)
    results_key = "calculations"

    @extend_schema(
        operation_id="formula_calculations_list",
        request=s.CalculationListInputSerializer,
        responses={200: s.CalculationListOutputSerializer, **STYLE.responses(400, 401, 403)},
    )
    def post(self, request):
        data = self.body(s.CalculationListInputSerializer)
        return self.page(selectors.calculation_page(data["filters"]), s.calculation_row_data, plain=True)  # text


class CalculationDetailWriteView(FormulaAPIView):
    """``GET`` the detail; ``POST`` creates, copies or edits (dispatch on fields, calculations.md §4.3.5)."""

    permission_classes = [HasFormulaReadToGetWriteToChange]

    @extend_schema(
        operation_id="formula_calculation_get",
        parameters=[GUID_PARAM],
        responses={200: s.CalculationDetailOutputSerializer, **STYLE.responses(400, 401, 403, 404)},
    )
    def get(self, request):
        guid = self.query(s.CalculationGuidQuerySerializer)["guid"]
        return Response(s.calculation_detail_data(selectors.calculation_detail(guid=guid)))

    @extend_schema(
        operation_id="formula_calculation_write",
        # ``?guid=`` is accepted too (calculations.md §4.2 #11) but documented in the body only.
        request=s.CalculationWriteInputSerializer,
        responses={200: s.CalculationDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        query = self.query(s.CalculationOptionalGuidQuerySerializer)
        data = self.body(s.CalculationWriteInputSerializer, context={"guid": query.get("guid")})
        # The answer is the detail, built from the rows the write stored (not read back).
        written = calculation_write(user=request.user, data=data)
        return Response(s.calculation_detail_data(written))


class CalculationWriteOnListView(FormulaAPIView):
    """``POST /calculations/writeOnlist?guid=``: change the comment from the list."""

    permission_classes = [HasFormulaWrite]

    @extend_schema(
        operation_id="formula_calculation_comment",
        parameters=[GUID_PARAM],
        request=s.CalculationCommentInputSerializer,
        responses={200: s.CalculationOnListOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        guid = _guid_from_query_or_body(self)
        comment = self.body(s.CalculationCommentInputSerializer)["comment"]
        calculation = calculation_comment_update(guid=guid, user=request.user, comment=comment)
        calculations = selectors.calculation_search(selectors.CalculationFilters()).filter(pk=calculation.pk)
        return Response({"calculation": s.calculation_row_data(selectors.calculation_rows_of(calculations).get())})


class CalculationDeleteView(FormulaAPIView):
    """``DELETE /calculations/delete?guid=``: 200 with an empty body."""

    permission_classes = [HasFormulaWrite]

    @extend_schema(
        operation_id="formula_calculation_delete",
        parameters=[GUID_PARAM],
        responses={200: OpenApiResponse(description="Deleted; empty body."), **WRITE_ERRORS},
    )
    def delete(self, request):
        calculation_delete(guid=_guid_from_query_or_body(self), user=request.user)
        return Response(status=200)


def _guid_from_query_or_body(view: FormulaAPIView):
    """The seed puts ``guid`` in the query; a body ``guid`` is accepted too (calculations.md §4.2 #11)."""
    request = view.request
    if "guid" not in request.query_params and isinstance(request.data, dict) and "guid" in request.data:
        return view.body(s.CalculationGuidQuerySerializer, data={"guid": request.data["guid"]})["guid"]
    return view.query(s.CalculationGuidQuerySerializer)["guid"]
