"""Datawiz API v1 under ``/api/``: every spelling of the seed (terminals.md, Decision 3).

The DRF 2 suffix forms (``/terminals/.json``, ``/terminals/1-1/.json``, ``/terminals/1-1.json``)
come first and accept only ``json``/``api``, so an id like ``1.2`` stays an id; the seed's
slash-less forms (``GET …/terminals/CAT11``) are answered, not redirected. Suffix routes are
left out of the schema (they are spellings of the canonical ones).
"""

from django.urls import path, re_path

from terminals.views import OAuthTokenView, ShopViewSet, TerminalViewSet

app_name = "terminals"

LIST = {"get": "list", "post": "create"}
TERMINAL = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
SHOP = {"get": "retrieve"}
FORMAT = r"(?P<format>json|api)"


def views(viewset, actions, suffix):
    return viewset.as_view(actions, suffix=suffix), viewset.as_view(actions, suffix=suffix, schema=None)


terminal_list, terminal_list_alias = views(TerminalViewSet, LIST, "List")
terminal_detail, terminal_detail_alias = views(TerminalViewSet, TERMINAL, "Instance")
shop_list, shop_list_alias = views(ShopViewSet, LIST, "List")
shop_detail, shop_detail_alias = views(ShopViewSet, SHOP, "Instance")

urlpatterns = [
    re_path(rf"v1/terminals/?\.{FORMAT}/?$", terminal_list_alias, name="terminal-list-format"),
    re_path(r"v1/terminals$", terminal_list_alias, name="terminal-list-noslash"),
    path("v1/terminals/", terminal_list, name="terminal-list"),
    re_path(
        rf"v1/terminals/(?P<terminal_id>[^/]+?)/?\.{FORMAT}/?$", terminal_detail_alias, name="terminal-detail-format"
    ),
    re_path(r"v1/terminals/(?P<terminal_id>[^/]+)$", terminal_detail_alias, name="terminal-detail-noslash"),
    re_path(r"v1/terminals/(?P<terminal_id>[^/]+)/$", terminal_detail, name="terminal-detail"),
    re_path(rf"v1/shops/?\.{FORMAT}/?$", shop_list_alias, name="shop-list-format"),
    re_path(r"v1/shops$", shop_list_alias, name="shop-list-noslash"),
    path("v1/shops/", shop_list, name="shop-list"),
    re_path(rf"v1/shops/(?P<shop_id>[^/]+?)/?\.{FORMAT}/?$", shop_detail_alias, name="shop-detail-format"),
    re_path(r"v1/shops/(?P<shop_id>[^/]+)$", shop_detail_alias, name="shop-detail-noslash"),
    re_path(r"v1/shops/(?P<shop_id>[^/]+)/$", shop_detail, name="shop-detail"),
    path("o/token/", OAuthTokenView.as_view(), name="oauth-token"),
]
