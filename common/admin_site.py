"""The admin site: its login is throttled like every API login.

Per client address and per username (``LOGIN_THROTTLE_RATE``), counted atomically in
``ThrottleBucket`` by the same throttles as the API logins. A refused attempt never reaches
``authenticate()``: the login page answers 429 with ``Retry-After`` and says why.
"""

from __future__ import annotations

import math

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from common.throttling import LOGIN_THROTTLES, first_refusal


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": "Too many login attempts. Try again in %(seconds)s seconds.",
    }

    def clean(self):
        wait = first_refusal([throttle() for throttle in LOGIN_THROTTLES], self.request)
        if wait is not None:
            seconds = max(math.ceil(wait), 1)
            self.request.login_throttled_for = seconds
            raise ValidationError(self.error_messages["throttled"], code="throttled", params={"seconds": seconds})
        return super().clean()


class ProjectAdminSite(admin.AdminSite):
    login_form = ThrottledAdminAuthenticationForm

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        seconds = getattr(request, "login_throttled_for", None)
        if seconds is not None:
            response.status_code = 429
            response["Retry-After"] = str(seconds)
        return response
