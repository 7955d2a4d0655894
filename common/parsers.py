"""The project's JSON parsers (issue 8: bad input is a 400, never a 500)."""

from __future__ import annotations

import codecs
import json

from rest_framework import parsers
from rest_framework.exceptions import ParseError

TOO_DEEP = "JSON parse error - the document is nested too deeply."


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but a body nested too deeply for Python's decoder is a parse error.

    ``json`` raises ``RecursionError`` (not ``ValueError``) past ~1000 levels, which DRF lets
    through as a 500; ``[[[[…]]]]`` is only a few kilobytes, so any client could send it.
    ``NaN``, ``Infinity`` and ``-Infinity`` are not JSON: refused (DRF's ``STRICT_JSON``).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None


def _null(_token: str) -> None:
    return None


class NonFiniteAsNullJSONParser(JSONParser):
    """JSON where the tokens ``NaN``, ``Infinity`` and ``-Infinity`` are read as ``null``.

    The Datawiz client reads CSV files with pandas and ``json.dumps`` its records, so an empty
    cell of a numeric column arrives as ``NaN`` (issue 13). Only the Datawiz views use this
    parser; the values are then validated as any ``null``. A number literal too large for a
    float (``1e999``) is still a number, as in the strict parser.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            return json.load(codecs.getreader(encoding)(stream), parse_constant=_null)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


class LargeBodyJSONParser(parsers.BaseParser):
    """The JSON parser above for a view whose body limit is larger than the default (issue 11).

    DRF reads the body of its own ``JSONParser`` (and subclasses) through ``request.body``,
    which enforces ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (the 1 MiB default); this class is not one,
    so DRF hands it the request stream. ``ApiCommonMiddleware`` has already refused a
    ``Content-Length`` over the view's own limit (``body_limit_settings``).
    """

    media_type = "application/json"
    renderer_class = JSONParser.renderer_class
    inner = JSONParser

    def parse(self, stream, media_type=None, parser_context=None):
        return self.inner().parse(stream, media_type, parser_context)


class DatawizJSONParser(LargeBodyJSONParser):
    """The Datawiz views' JSON: ``NaN``/``Infinity`` read as null (issue 13), read from the
    stream so the bulk upserts' larger limit applies (issue 11)."""

    inner = NonFiniteAsNullJSONParser
