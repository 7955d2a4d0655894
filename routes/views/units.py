"""``/units/…``: units, regions and departments (routes.md, notes 2.4)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from routes import selectors
from routes.serializers import (
    DepartmentPageOutputSerializer,
    RegionPageOutputSerializer,
    UnitOutputSerializer,
    UnitPageOutputSerializer,
)
from routes.views.base import LIMIT_OFFSET_PARAMETERS, RoutesAPIView, RoutesListAPIView, errors


class UnitListView(RoutesListAPIView):
    """``GET /units/``: every unit, a page at a time."""

    results_key = "units"

    @extend_schema(
        operation_id="routes_units_list",
        summary="All units, ordered by id",
        parameters=LIMIT_OFFSET_PARAMETERS,
        responses={200: UnitPageOutputSerializer, **errors(400)},
    )
    def get(self, request):
        return self.paginated(selectors.unit_list(), self.validated_query(), transform=selectors.unit_as_output)


class UnitByNameView(RoutesAPIView):
    """``GET /units/name/{unit_name}/``: one unit by its exact, case-sensitive name."""

    @extend_schema(
        operation_id="routes_units_by_name",
        summary="A unit by its exact name",
        responses={200: UnitOutputSerializer, **errors(404)},
    )
    def get(self, request, unit_name: str):
        return Response(selectors.unit_get_by_name(name=unit_name))


class RegionListView(RoutesListAPIView):
    """``GET /units/regions/``: every region, with or without units."""

    results_key = "regions"

    @extend_schema(
        operation_id="routes_regions_list",
        summary="All regions (with or without units), ordered by id",
        parameters=LIMIT_OFFSET_PARAMETERS,
        responses={200: RegionPageOutputSerializer, **errors(400)},
    )
    def get(self, request):
        return self.paginated(selectors.region_list(), self.validated_query())


class DepartmentListView(RoutesListAPIView):
    """``GET /units/departments/``: every department (undocumented in the README, kept)."""

    results_key = "departments"

    @extend_schema(
        operation_id="routes_departments_list",
        summary="All departments, ordered by id",
        parameters=LIMIT_OFFSET_PARAMETERS,
        responses={200: DepartmentPageOutputSerializer, **errors(400)},
    )
    def get(self, request):
        return self.paginated(selectors.department_list(), self.validated_query())
