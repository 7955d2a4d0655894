"""Absolute URLs of the terminals app's objects, as the Datawiz API prints them."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse


class ResourceLinks:
    """Absolute object URLs of one request, computed once (no ``reverse`` per row).

    Always the canonical form with a trailing slash, whatever suffix the request used.
    """

    def __init__(self, request):
        self.bases = {
            "terminal": request.build_absolute_uri(reverse("terminals:terminal-list")),
            "shop": request.build_absolute_uri(reverse("terminals:shop-list")),
        }

    def detail(self, resource: str, key: str) -> str:
        """The URL of the ``resource`` (``"terminal"``, ``"shop"``) whose id is ``key``."""
        return f"{self.bases[resource]}{quote(key, safe='')}/"

    def terminal(self, terminal_id: str) -> str:
        return self.detail("terminal", terminal_id)

    def shop(self, shop_id: str) -> str:
        return self.detail("shop", shop_id)
