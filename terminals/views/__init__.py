"""HTTP interface of the terminals app: thin views over services and selectors."""

from terminals.views.base import DatawizAPIView, DatawizViewSet
from terminals.views.oauth import OAuthTokenView
from terminals.views.shops import ShopViewSet
from terminals.views.terminals import TerminalViewSet

__all__ = ["DatawizAPIView", "DatawizViewSet", "OAuthTokenView", "ShopViewSet", "TerminalViewSet"]
