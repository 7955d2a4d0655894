"""The project's JSON parser (issue 8: bad input is a 400, never a 500)."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but a body nested too deeply for Python's decoder is a parse error.

    ``json`` raises ``RecursionError`` (not ``ValueError``) past ~1000 levels, which DRF lets
    through as a 500; ``[[[[…]]]]`` is only a few kilobytes, so any client could send it.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None


class LargeBodyJSONParser(parsers.BaseParser):
    """The JSON parser above for a view whose body limit is larger than the default (issue 11).

    DRF reads the body of its own ``JSONParser`` (and subclasses) through ``request.body``,
    which enforces ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (the 1 MiB default); this class is not one,
    so DRF hands it the request stream. ``ApiCommonMiddleware`` has already refused a
    ``Content-Length`` over the view's own limit (``body_limit_settings``).
    """

    media_type = "application/json"
    renderer_class = JSONParser.renderer_class

    def parse(self, stream, media_type=None, parser_context=None):
        return JSONParser().parse(stream, media_type, parser_context)
