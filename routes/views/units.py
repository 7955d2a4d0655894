"""``/units/…``: units, regions and departments (routes.md, notes 2.4)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from common.api_styles.unit_routes import STYLE
from routes import selectors
from routes.serializers import DepartmentOutputSerializer, RegionOutputSerializer, UnitOutputSerializer
from routes.views.base import RoutesAPIView, RoutesListAPIView


class PizzeriaListView(RoutesListAPIView):
    """``GET /units/``: every unit, a page at a time."""

    results_key = "units"

    @extend_schema(
        operation_id="routes_units_list",
        summary="All units, ordered by id",
        responses={200: UnitOutputSerializer(many=True), **STYLE.responses(400)},
    )
    def get(self, request):
        return self.page(selectors.page_of(selectors.pizzeria_list), selectors.pizzeria_row)


class PizzeriaByNameView(RoutesAPIView):
    """``GET /units/name/{unit_name}/``: one unit by its exact, case-sensitive name."""

    @extend_schema(
        operation_id="routes_units_by_name",
        summary="A unit by its exact name",
        responses={200: UnitOutputSerializer, **STYLE.responses(404)},
    )
    def get(self, request, unit_name: str):
        return Response(selectors.pizzeria_get_by_name(name=unit_name))


class RegionListView(RoutesListAPIView):
    """``GET /units/regions/``: every region, with or without units."""

    results_key = "regions"

    @extend_schema(
        operation_id="routes_regions_list",
        summary="All regions (with or without units), ordered by id",
        responses={200: RegionOutputSerializer(many=True), **STYLE.responses(400)},
    )
    def get(self, request):
        return self.page(selectors.page_of(selectors.region_list))


class DepartmentListView(RoutesListAPIView):
    """``GET /units/departments/``: every department (undocumented in the README, kept)."""

    results_key = "departments"

    @extend_schema(
        operation_id="routes_departments_list",
        summary="All departments, ordered by id",
        responses={200: DepartmentOutputSerializer(many=True), **STYLE.responses(400)},
    )
    def get(self, request):
        return self.page(selectors.page_of(selectors.department_list))
