"""Domain errors raised by services and selectors (never DRF exceptions).

They say *what* went wrong in the domain's own names and carry no HTTP status, body or
header: each API style (``common/api_styles``) decides how to answer them. A service can
therefore be called from the admin or a management command and its error still makes sense
there (``str(exc)`` is the message; ``FieldErrors.fields`` names model fields).

| error | meaning | typical answer |
|---|---|---|
| ``ApplicationError`` | a business rule refused the operation | 400 |
| ``FieldErrors`` | named input values are invalid | 400 (Feecc 422) |
| ``ItemErrors`` | items of a bulk input are invalid, one entry per item | 400 |
| ``NotFoundError`` | the thing the operation is about does not exist | 404 |
| ``ConflictError`` | already exists, wrong state, in use | 409 |
| ``NotAllowedError`` | this actor may not do this | 403 |
| ``InvalidCredentialsError`` | a login with unknown or wrong credentials | 401 |
| ``RateLimitedError`` | too many attempts; try again after ``retry_after`` s | 429 (routes: 400) |
| ``UpstreamError`` | an external system the operation needs failed | 502 |
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class ApplicationError(Exception):
    """A business rule refused the operation."""

    default_message = "The operation was refused."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class FieldErrors(ApplicationError):
    """Invalid input values, by field: ``{"product": ["Unknown product."]}``.

    Keys are the domain's (model field) names; a style renames them to the API's wire names.
    A value is a list of messages, or for a list field one entry per item (``{}`` when the
    item is valid): ``{"components": [{}, {"component": ["Unknown component."]}]}``.
    """

    default_message = "Invalid input."

    def __init__(self, fields: Mapping[str, Any], message: str | None = None):
        self.fields = dict(fields)
        super().__init__(message)


class ItemErrors(ApplicationError):
    """Invalid items of a bulk input: one dict of field errors per input item, ``{}`` if valid."""

    default_message = "Invalid items."

    def __init__(self, items: Sequence[Mapping[str, Any]], message: str | None = None):
        self.items = [dict(item) for item in items]
        super().__init__(message)


class NotFoundError(ApplicationError):
    """The object the operation is about does not exist.

    ``resource`` names what was looked for in domain terms (``"passport"``, ``"telegram_chat"``);
    ``key`` is the value that was looked up, when the answer should say it.
    """

    default_message = "Not found"

    def __init__(self, message: str | None = None, *, resource: str | None = None, key: Any = None):
        self.resource = resource
        self.key = key
        super().__init__(message)


class ConflictError(ApplicationError):
    """Already exists, wrong state, or in use."""

    default_message = "Conflict"


class NotAllowedError(ApplicationError):
    """The actor may not do this (its role, its company, or the object's state forbids it)."""

    default_message = "Permission denied"


class InvalidCredentialsError(ApplicationError):
    """A login with an unknown user or a wrong password."""

    default_message = "Invalid username or password."


class RateLimitedError(ApplicationError):
    """Too many attempts: the caller may try again after ``retry_after`` seconds."""

    default_message = "Too many attempts."

    def __init__(self, message: str | None = None, *, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)


class UpstreamError(ApplicationError):
    """An external system the operation depends on failed (a publisher, a queue)."""

    default_message = "An external service failed."
