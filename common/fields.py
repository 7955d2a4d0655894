"""Serializer fields every API style's input policy shares (one set of fields for five APIs).

DRF's ``CharField`` turns ``0`` into ``"0"`` and its ``IntegerField`` reads ``"1"``, ``"1.0"``
and ``true``; the originals refused those in JSON bodies. These fields refuse them, while
query strings and form bodies (all text) may still spell integers as text: the input policy
puts ``text_input=True`` in the serializer's context for them (``ApiStyle.parse_query``).
"""

from __future__ import annotations

import re

from rest_framework import serializers

_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")


class StrictCharField(serializers.CharField):
    """A string and nothing else."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """An integer and nothing else: ``"1.0"``, ``""``, ``true`` are refused.

    ``accept_text``: ``None`` (default) accepts ASCII digit text only where the input is text
    (``context["text_input"]``); ``True`` always; ``False`` never (a JSON-only API).
    """

    def __init__(self, *, accept_text: bool | None = None, **kwargs):
        self.accept_text = accept_text
        super().__init__(**kwargs)

    def _text_allowed(self) -> bool:
        if self.accept_text is None:
            return bool(self.context.get("text_input"))
        return self.accept_text

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, str):
            if not self._text_allowed() or not _INTEGER_TEXT.fullmatch(data):
                self.fail("invalid")
        elif not isinstance(data, (int, float)) or (isinstance(data, float) and not data.is_integer()):
            self.fail("invalid")
        return super().to_internal_value(data)
