"""Who may call the routes API (routes.md, Decision 13) and how access-code guesses are slowed."""

from __future__ import annotations

import logging
import math

from django.conf import settings
from rest_framework.permissions import BasePermission

from common.exceptions import RateLimitedError
from common.networks import address_in, networks
from common.throttling import CountedRateThrottle

logger = logging.getLogger(__name__)


def is_trusted_address(address: str | None) -> bool:
    """Is ``address`` inside a network of ``settings.ROUTES_TRUSTED_NETWORKS``?"""
    allowed = networks("ROUTES_TRUSTED_NETWORKS", tuple(getattr(settings, "ROUTES_TRUSTED_NETWORKS", ()) or ()))
    return bool(allowed) and address_in(address, allowed)


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


class AccessCodeClientThrottle(CountedRateThrottle):
    """Access-code attempts per client address (routes.md, Decision 10).

    A client inside ``ROUTES_TRUSTED_NETWORKS`` is the operator's own bot, one address for all
    its chats: it is counted at its own, much higher ``access_code_trusted`` rate, so one
    guessing user cannot lock every chat out (the per-chat throttle still holds for each chat).
    """

    scope = "access_code"
    trusted_scope = "access_code_trusted"

    def allow_request(self, request, view) -> bool:
        if is_trusted_address(request.META.get("REMOTE_ADDR")):
            self.scope = self.trusted_scope
            self.rate = self.get_rate()
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def ident(self, request, view) -> str | None:
        return f"client:{self.get_ident(request)}"


class AccessCodeChatThrottle(CountedRateThrottle):
    """Access-code attempts per target chat, whatever the client: one chat cannot be brute-forced."""

    scope = "access_code"

    def ident(self, request, view) -> str | None:
        chat_id = view.kwargs.get("chat_id")
        return None if chat_id is None else f"chat:{chat_id}"


ACCESS_CODE_THROTTLES = [AccessCodeClientThrottle, AccessCodeChatThrottle]


def access_code_throttled(wait: float | None) -> RateLimitedError:
    """A throttled access-code attempt, in whole seconds (at least one)."""
    seconds = max(math.ceil(wait or 1), 1)
    return RateLimitedError(f"Too many access code attempts. Try again in {seconds} seconds.", retry_after=seconds)
