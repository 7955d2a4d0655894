"""Login throttles (DECISIONS §3): per client IP and per username, counted in the shared cache."""

from __future__ import annotations

import hashlib

from rest_framework.throttling import SimpleRateThrottle


class LoginIPThrottle(SimpleRateThrottle):
    scope = "login_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginUsernameThrottle(SimpleRateThrottle):
    """Counts attempts per username, whatever the client (form or JSON body)."""

    scope = "login_username"

    def get_cache_key(self, request, view):
        try:
            data = request.data
        except Exception:  # a malformed body is the view's to report
            return None
        username = data.get("username") if hasattr(data, "get") else None
        if not isinstance(username, str) or not username:
            return None
        # Hashed: a username may hold any character, and cache keys must stay portable.
        ident = hashlib.sha256(username.lower().encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


LOGIN_THROTTLES = [LoginIPThrottle, LoginUsernameThrottle]
