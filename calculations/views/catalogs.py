"""``GET /catalogs/...``: the current user, their role and the reference catalogs."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from calculations import serializers as s
from calculations.permissions import HasFormulaRead
from calculations.serializers.catalogs import CATALOGS
from calculations.services import access
from calculations.views.base import STYLE, FormulaAPIView


class CurrentUserView(FormulaAPIView):
    @extend_schema(
        operation_id="formula_users_current",
        responses={200: s.FormulaUserOutputSerializer, **STYLE.responses(401)},
    )
    def get(self, request):
        return Response(s.user_data(request.user))


class AccessRoleView(FormulaAPIView):
    @extend_schema(
        operation_id="formula_users_access_role",
        responses={200: s.FormulaAccessRoleOutputSerializer, **STYLE.responses(401)},
    )
    def get(self, request):
        return Response(access.user_access_role(request.user))


class CatalogListView(FormulaAPIView):
    """``GET /catalogs/list/<name>``: a bare JSON array, unpaginated (one query)."""

    permission_classes = [HasFormulaRead]
    pagination_class = None
    catalog = ""

    def get(self, request):
        catalog = CATALOGS[self.catalog]
        return Response([catalog.build(row) for row in catalog.rows(request.user)])


def _catalog_view_class(name: str) -> type[CatalogListView]:
    """A subclass per catalog, so that each operation documents its own item shape."""

    @extend_schema(
        operation_id=f"formula_catalog_{name}",
        responses={200: CATALOGS[name].serializer(many=True), **STYLE.responses(401, 403)},
    )
    def get(self, request):
        return CatalogListView.get(self, request)

    return type(f"{name[0].upper()}{name[1:]}CatalogListView", (CatalogListView,), {"catalog": name, "get": get})


#: One view class per catalog, built once at import.
CATALOG_VIEWS: dict[str, type[CatalogListView]] = {name: _catalog_view_class(name) for name in CATALOGS}
