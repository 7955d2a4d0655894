"""HTTP interface of the calculations app: thin views over services and selectors."""

from __future__ import annotations

from datetime import timedelta

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.response import Response

from calculations import models, selectors
from calculations import serializers as s
from calculations.services import access
from calculations.services.calculations import calculation_comment_update, calculation_delete, calculation_write
from common.api_styles import formula
from common.drf import StyledAPIView
from common.exceptions import NotFoundError
from common.parsers import JSONParser  # issue 8: a too deeply nested body is a 400


class HasFormulaRead(permissions.BasePermission):
    """``FULL_ACCESS_READ`` ⇔ ``calculations.view_calculation`` (write implies read)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.has_perm(access.READ_PERMISSION) or user.has_perm(access.WRITE_PERMISSION))
        )


class HasFormulaWrite(permissions.BasePermission):
    """``FULL_ACCESS_WRITE`` ⇔ ``calculations.change_calculation``."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(access.WRITE_PERMISSION))


class FormulaAPIView(StyledAPIView):
    """Base of every calculations view: errors in the formula style."""

    api_style = formula.STYLE
    api_tag = "calculations"
    # The formula API speaks JSON bodies only (DECISIONS §1); forms would turn null into "null".
    parser_classes = [JSONParser]


E = formula.FormulaErrorSerializer
AUTH_ERRORS = {401: OpenApiResponse(E, description="Not authenticated.")}
READ_ERRORS = {**AUTH_ERRORS, 403: OpenApiResponse(E, description="No FULL_ACCESS_READ.")}
WRITE_ERRORS = {
    400: OpenApiResponse(formula.FormulaValidationErrorSerializer, description="Invalid input, by field."),
    **AUTH_ERRORS,
    403: OpenApiResponse(E, description="No FULL_ACCESS_WRITE."),
    404: OpenApiResponse(E, description="Unknown calculation."),
    409: OpenApiResponse(E, description="Conflicts with stored data."),
}
GUID_PARAM = OpenApiParameter("guid", OpenApiTypes.UUID, required=True, description="The calculation's GUID.")


def _guid_from_query(request) -> object:
    query = s.CalculationGuidQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["guid"]


class CurrentUserView(FormulaAPIView):
    @extend_schema(operation_id="formula_users_current", responses={200: s.FormulaUserOutputSerializer, **AUTH_ERRORS})
    def get(self, request):
        return Response(s.user_data(request.user))


class AccessRoleView(FormulaAPIView):
    @extend_schema(
        operation_id="formula_users_access_role", responses={200: s.FormulaAccessRoleOutputSerializer, **AUTH_ERRORS}
    )
    def get(self, request):
        return Response(access.user_access_role(request.user))


def _simple(row) -> dict:
    return {"guid": str(row.guid), "name": row.name}


CATALOGS = {
    # wire name: (rows of the requesting user, item builder, documenting serializer)
    # issue 11: the requester's company only
    "users": (
        lambda actor: selectors.user_list(company_id=actor.company_id),
        s.user_data,
        s.FormulaUserOutputSerializer,
    ),
    "componentTypes": (
        lambda actor: selectors.catalog_list(models.ComponentType),
        lambda r: {**_simple(r), "isCalculated": r.is_calculated},
        s.ComponentTypeOutputSerializer,
    ),
    "components": (
        lambda actor: selectors.catalog_list(models.Component),
        lambda r: {
            **_simple(r),
            "typeID": str(r.component_type_id),
            "type_id": str(r.component_type_id),
            "isCalculated": r.is_calculated,
        },
        s.ComponentOutputSerializer,
    ),
    "componentGroups": (
        lambda actor: selectors.catalog_list(models.ComponentGroup),
        _simple,
        s.FormulaCatalogItemOutputSerializer,
    ),
    "units": (
        lambda actor: selectors.catalog_list(models.UnitOfMeasure),
        _simple,
        s.FormulaCatalogItemOutputSerializer,
    ),
    "testMethods": (
        lambda actor: selectors.catalog_list(models.TestMethod),
        _simple,
        s.FormulaCatalogItemOutputSerializer,
    ),
    "indicators": (lambda actor: selectors.indicator_list(), s.indicator_data, s.IndicatorOutputSerializer),
    "venues": (
        lambda actor: selectors.venue_list(models.Venue),
        lambda r: {**_simple(r), "main": r.is_main},
        s.VenueOutputSerializer,
    ),
    "taskTypes": (lambda actor: selectors.catalog_list(models.TaskType), _simple, s.FormulaCatalogItemOutputSerializer),
    "batchOfComponents": (
        lambda actor: selectors.catalog_list(models.ComponentBatch),
        lambda r: {**_simple(r), "componentID": "" if r.component_id is None else str(r.component_id)},
        s.ComponentBatchOutputSerializer,
    ),
    "products": (
        lambda actor: selectors.product_list(models.Product),
        lambda r: {**_simple(r), "productTypeID": str(r.product_type_id), "productType": r.product_type.name},
        s.ProductOutputSerializer,
    ),
    "productTypes": (
        lambda actor: selectors.catalog_list(models.ProductType),
        _simple,
        s.FormulaCatalogItemOutputSerializer,
    ),
    "specifications": (
        lambda actor: selectors.catalog_list(models.Specification),
        lambda r: {**_simple(r), "productID": str(r.product_id)},
        s.ProductBoundOutputSerializer,
    ),
    "normTechDoc": (
        lambda actor: selectors.catalog_list(models.NormTechDoc),
        lambda r: {**_simple(r), "productID": str(r.product_id)},
        s.ProductBoundOutputSerializer,
    ),
}


class CatalogListView(FormulaAPIView):
    """``GET /catalogs/list/<name>``: a bare JSON array, unpaginated (one query)."""

    permission_classes = [HasFormulaRead]
    catalog = ""

    def get(self, request):
        rows, build, _ = CATALOGS[self.catalog]
        return Response([build(row) for row in rows(request.user)])


def catalog_view(name: str):
    """A subclass per catalog so each operation documents its own item shape."""
    _, _, output = CATALOGS[name]

    @extend_schema(operation_id=f"formula_catalog_{name}", responses={200: output(many=True), **READ_ERRORS})
    def get(self, request):
        return CatalogListView.get(self, request)

    view = type(f"{name[0].upper()}{name[1:]}CatalogListView", (CatalogListView,), {"catalog": name, "get": get})
    return view.as_view()


class CalculationListView(FormulaAPIView):
    """``POST /calculations/list``: a read with filters, search and ordinal paging."""

    permission_classes = [HasFormulaRead]
    replica_reads = True  # a read sent as POST: it may read a replica (common.db_router)

    @extend_schema(
        operation_id="formula_calculations_list",
        request=s.CalculationListInputSerializer,
        responses={
            200: s.CalculationListOutputSerializer,
            400: OpenApiResponse(formula.FormulaValidationErrorSerializer),
            **READ_ERRORS,
        },
    )
    def post(self, request):
        data = s.CalculationListInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        queryset = selectors.calculation_search(_filters(data.validated_data))
        page = formula.OrdinalPaginator(data.validated_data)
        return Response(
            {"itemsCount": page.count(queryset), "calculations": page.rows(queryset, s.calculation_row_data)}
        )


def _filters(v: dict) -> selectors.CalculationFilters:
    start, end = v.get("create_date_start"), v.get("create_date_end")
    ntd = (v.get("normTechDocIDs") or ()) + (v.get("requirementsTemplateIDs") or ())
    return selectors.CalculationFilters(
        search=(v.get("search") or "").strip(),
        product_ids=v.get("productIDs") or (),
        specification_ids=v.get("specificationIDs") or (),
        norm_tech_doc_ids=ntd,
        user_ids=v.get("userIDs") or (),
        created_from=start[0] if start else None,
        created_before=(end[0] + timedelta(days=1)) if end and end[1] else None,
        created_until=end[0] if end and not end[1] else None,
    )


def _detail(guid) -> dict:
    calculation = selectors.calculation_detail(guid=guid)
    if calculation is None:
        raise NotFoundError("Calculation not found.", resource_key="guid")
    return s.calculation_detail_data(calculation)


HEADER = {"productID": "product", "specificationID": "specification", "normTechDocID": "norm_tech_doc"}


class CalculationWriteView(FormulaAPIView):
    """``GET`` the detail; ``POST`` creates, copies or edits (dispatch on fields, calculations.md §4.3.5)."""

    def get_permissions(self):
        return [HasFormulaRead()] if self.request.method == "GET" else [HasFormulaWrite()]

    @extend_schema(
        operation_id="formula_calculation_get",
        parameters=[GUID_PARAM],
        responses={
            200: s.CalculationDetailOutputSerializer,
            400: OpenApiResponse(formula.FormulaValidationErrorSerializer),
            404: OpenApiResponse(E),
            **READ_ERRORS,
        },
    )
    def get(self, request):
        return Response(_detail(_guid_from_query(request)))

    @extend_schema(
        operation_id="formula_calculation_write",
        # ``?guid=`` is accepted too (calculations.md §4.2 #11) but documented in the body only.
        request=s.CalculationWriteInputSerializer,
        responses={200: s.CalculationDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        query = s.CalculationOptionalGuidQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        body = s.CalculationWriteInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        calculation = calculation_write(
            user=request.user,
            guid=v.get("guid") or query.validated_data.get("guid"),
            source_guid=v.get("calculationID"),
            status=v.get("status") or v.get("calculation") or "",
            header={field: v[wire] for wire, field in HEADER.items() if wire in v},
            comment=v.get("comment"),
            components=v.get("components"),
            requirements=v.get("technicalRequirements"),
        )
        return Response(_detail(calculation.guid))


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
        guid = _guid_from_body_or_query(request)
        body = s.CalculationCommentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        calculation = calculation_comment_update(guid=guid, user=request.user, comment=body.validated_data["comment"])
        row = selectors.calculation_search(selectors.CalculationFilters()).get(pk=calculation.pk)
        return Response({"calculation": s.calculation_row_data(row)})


class CalculationDeleteView(FormulaAPIView):
    """``DELETE /calculations/delete?guid=``: 200 with an empty body."""

    permission_classes = [HasFormulaWrite]

    @extend_schema(
        operation_id="formula_calculation_delete",
        parameters=[GUID_PARAM],
        responses={200: OpenApiResponse(description="Deleted; empty body."), **WRITE_ERRORS},
    )
    def delete(self, request):
        calculation_delete(guid=_guid_from_body_or_query(request), user=request.user)
        return Response(status=200)


def _guid_from_body_or_query(request):
    """The seed puts ``guid`` in the query; a body ``guid`` is accepted too (calculations.md §4.2 #11)."""
    params = request.query_params
    if "guid" not in params and isinstance(request.data, dict) and "guid" in request.data:
        params = {"guid": request.data["guid"]}
    query = s.CalculationGuidQuerySerializer(data=params)
    query.is_valid(raise_exception=True)
    return query.validated_data["guid"]
