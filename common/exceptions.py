"""Domain exceptions raised by services (never DRF exceptions); each API style renders them."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A business rule refused the operation; ``status`` is the HTTP status it maps to."""

    status = 400
    default_message = "Bad request"

    def __init__(self, message: str | None = None, *, extra: dict[str, Any] | None = None, **kwargs):
        self.message = message or self.default_message
        self.extra = extra or {}
        for key, value in kwargs.items():
            setattr(self, key, value)
        super().__init__(self.message)


class NotFoundError(ApplicationError):
    status = 404
    default_message = "Not found"

    def __init__(self, message: str | None = None, *, resource_key: str | None = None, **kwargs):
        super().__init__(message, resource_key=resource_key, **kwargs)


class ConflictError(ApplicationError):
    """Already exists, wrong state, or in use."""

    status = 409
    default_message = "Conflict"


AlreadyExistsError = ConflictError


class PermissionDeniedError(ApplicationError):
    status = 403
    default_message = "Permission denied"
