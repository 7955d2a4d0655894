"""HTTP interface of the routes app: thin views over services and selectors."""

from common.api_styles import unit_routes
from common.drf import StyledAPIView


class RoutesAPIView(StyledAPIView):
    """Base of every routes view: errors in the unit_routes style."""

    api_style = unit_routes.STYLE
    api_tag = "routes"
