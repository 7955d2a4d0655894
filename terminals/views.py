"""HTTP interface of the terminals app: thin views over services and selectors."""

from common.api_styles import datawiz
from common.drf import StyledAPIView


class DatawizAPIView(StyledAPIView):
    """Base of every terminals view: errors in the datawiz style."""

    api_style = datawiz.STYLE
    api_tag = "terminals"
