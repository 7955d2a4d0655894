"""HTTP interface of the routes app: thin views over services and selectors."""

from routes.views.base import RoutesAPIView, RoutesListAPIView

__all__ = ["RoutesAPIView", "RoutesListAPIView"]
