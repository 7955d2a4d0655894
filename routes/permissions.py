"""Who may call the routes API (routes.md, Decision 13) and how access-code guesses are slowed."""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"ROUTES_TRUSTED_NETWORKS: {exc}") from exc


def is_trusted_address(address: str | None) -> bool:
    """Is ``address`` inside a network of ``settings.ROUTES_TRUSTED_NETWORKS``?"""
    networks = _networks(tuple(getattr(settings, "ROUTES_TRUSTED_NETWORKS", ()) or ()))
    if not networks or not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    # An IPv4 client seen through an IPv6 socket arrives as ::ffff:a.b.c.d.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks)


class IsAuthenticatedOrTrustedNetwork(BasePermission):
    """A valid Bearer token (or session) from anywhere, or no credentials from a trusted network.

    The original had no authentication and its clients send none; they keep working from
    inside the operator's network. ``REMOTE_ADDR`` is the socket peer, never a header the
    client controls.
    """

    def has_permission(self, request, view) -> bool:
        if request.user and request.user.is_authenticated:
            return True
        return is_trusted_address(request.META.get("REMOTE_ADDR"))


class AccessCodeClientThrottle(SimpleRateThrottle):
    """Access-code attempts per client address (routes.md, Decision 10)."""

    scope = "access_code"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": f"client:{self.get_ident(request)}"}


class AccessCodeChatThrottle(SimpleRateThrottle):
    """Access-code attempts per target chat, whatever the client: one chat cannot be brute-forced."""

    scope = "access_code"

    def get_cache_key(self, request, view):
        chat_id = view.kwargs.get("chat_id")
        if chat_id is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"chat:{chat_id}"}


ACCESS_CODE_THROTTLES = [AccessCodeClientThrottle, AccessCodeChatThrottle]
