"""HTTP interface of the calculations app: thin views over services and selectors.

``base`` holds the base view; permissions are in ``calculations.permissions``, response
builders in ``calculations.serializers``.
"""

from calculations.views.base import FormulaAPIView
from calculations.views.calculations import (
    CalculationDeleteView,
    CalculationDetailWriteView,
    CalculationListView,
    CalculationWriteOnListView,
)
from calculations.views.catalogs import CATALOG_VIEWS, AccessRoleView, CatalogListView, CurrentUserView

__all__ = [
    "CATALOG_VIEWS",
    "AccessRoleView",
    "CalculationDeleteView",
    "CalculationDetailWriteView",
    "CalculationListView",
    "CalculationWriteOnListView",
    "CatalogListView",
    "CurrentUserView",
    "FormulaAPIView",
]
