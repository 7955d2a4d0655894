"""The five APIs' JSON renderer: DRF's ``JSONRenderer`` bytes, written by orjson where it can.

Clients of the original APIs compare bodies byte for byte, so the rule is byte identity with
DRF's renderer under the project's settings (``tests/test_json_renderer.py`` pins it over every
GET endpoint's demo data and a table of awkward values). orjson writes most values exactly as
``json.dumps`` with DRF's encoder does, but not all of them:

* floats: orjson spells ``1e-05`` as ``0.00001`` and ``1e+16`` as ``1e16``, and writes ``NaN`` as
  ``null`` where DRF refuses it; every float (and every Decimal, which DRF writes as a float) is
  therefore written by Python's ``float.__repr__``, the spelling ``json`` uses, as an
  ``orjson.Fragment``;
* datetimes: orjson drops the seconds of a UTC offset such as ``+02:30:17``, so date, time and
  datetime values go through DRF's encoder (``OPT_PASSTHROUGH_DATETIME``);
* a dict subclass with its own ``items()`` (``OrderedDict``, as DRF's paginators answer): json
  writes that order, orjson the dict storage's, so it is copied in its ``items()`` order;
* enums, dataclasses, generators and objects only DRF's encoder knows how to walk: the whole body is rendered by
  DRF's renderer. So is any body orjson refuses (a key that is not a string, an integer beyond
  64 bits, nesting deeper than 254), an indented body (``Accept: ...; indent=2``, the
  browsable API) and a project that turns ``UNICODE_JSON``/``COMPACT_JSON`` off.

A presenter that builds a large list from typed database columns (strings, integers, booleans,
nulls: no float can be in it) may hand it over as a ``PlainList``: the walk that looks for floats
skips it (a year of statistics: 20,440 rows, 10 ms of walking for nothing). Under the tests
(``settings.JSON_VERIFY_PLAIN_LISTS``) every ``PlainList`` is walked anyway and the answer fails
if it holds anything but those leaves, so a presenter that breaks the promise is caught.

A body falls back before anything in it has been consumed: the values handed to orjson's
``default`` are all re-readable (a ``QuerySet`` keeps its result cache), so the slow path sees
the same data and raises the same error DRF would (``NaN``, a circular reference, a timezone-aware
``time``).
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import enum
import ipaddress
import math
import uuid

import orjson
from django.conf import settings
from django.db.models.query import QuerySet
from django.utils.functional import Promise
from rest_framework import renderers

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

# How the walk treats a value of a given type (computed once per type, see ``_classify``).
_LEAF, _FLOAT, _DICT, _MAPPING, _SEQ, _SLOW = range(6)

# Values orjson writes itself exactly as DRF's encoder does, or hands to ``default`` (which is
# DRF's encoder's ``default``): neither side reads them twice.
_DEFAULT_HANDLED = (
    decimal.Decimal,
    uuid.UUID,
    datetime.date,  # datetime.datetime is a subclass
    datetime.time,
    datetime.timedelta,
    bytes,
    ipaddress.IPv4Address,
    ipaddress.IPv6Address,
    ipaddress.IPv4Network,
    ipaddress.IPv6Network,
    ipaddress.IPv4Interface,
    ipaddress.IPv6Interface,
    Promise,
    QuerySet,
)

_KIND: dict[type, int] = {
    str: _LEAF,
    int: _LEAF,
    bool: _LEAF,
    type(None): _LEAF,
    float: _FLOAT,
    dict: _DICT,
    list: _SEQ,
}


def _classify(kind: type) -> int:
    if issubclass(kind, enum.Enum):
        return _SLOW  # orjson writes an enum's value, DRF's encoder its str/int/float content
    if issubclass(kind, float):
        return _FLOAT
    if issubclass(kind, (str, int)):
        return _LEAF
    if issubclass(kind, dict):
        # json reads a dict subclass through its .items() (an OrderedDict's own order), orjson
        # reads the dict's storage: such a mapping is copied in its .items() order
        return _DICT if kind.items is dict.items else _MAPPING
    if issubclass(kind, (list, tuple)):
        return _SEQ
    if issubclass(kind, _DEFAULT_HANDLED):
        return _LEAF
    return _SLOW


class PlainList(list):
    """A list of dicts and lists whose leaves are only ``str``, ``int``, ``bool`` and ``None``.

    orjson and DRF's encoder write it as a list; the renderer's walk takes it as a leaf.
    """


_KIND[PlainList] = _LEAF


class _Slow(Exception):
    """The body needs DRF's renderer."""


def _float(value: float) -> orjson.Fragment:
    if not math.isfinite(value):
        raise _Slow  # DRF answers it with its own ValueError (STRICT_JSON), or writes NaN
    return orjson.Fragment(float.__repr__(value))


def _fix(value):
    """``value`` itself, or a copy where every float is a Fragment in json's spelling."""
    kinds = _KIND
    kind = kinds.get(type(value))
    if kind is None:
        kind = kinds[type(value)] = _classify(type(value))
    if kind == _LEAF:
        return value
    if kind == _MAPPING:
        return _fix(dict(value.items()))
    if kind == _DICT:
        copy = None
        for key, item in value.items():
            if kinds.get(type(item)) == _LEAF:
                continue
            fixed = _fix(item)
            if fixed is not item:
                if copy is None:
                    copy = dict(value)
                copy[key] = fixed
        return value if copy is None else copy
    if kind == _SEQ:
        copy = None
        for index, item in enumerate(value):
            if kinds.get(type(item)) == _LEAF:
                continue
            fixed = _fix(item)
            if fixed is not item:
                if copy is None:
                    copy = list(value)
                copy[index] = fixed
        return value if copy is None else copy
    if kind == _FLOAT:
        return _float(value)
    raise _Slow


class JSONRenderer(renderers.JSONRenderer):
    """DRF's ``JSONRenderer``, byte for byte, at orjson's speed for the bodies it can write."""

    _encoder = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.ensure_ascii or not self.compact or self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        if settings.JSON_VERIFY_PLAIN_LISTS:
            with contextlib.suppress(RecursionError):  # a circular body: DRF's error follows
                _verify_plain_lists(data)
        try:
            body = orjson.dumps(_fix(data), default=self._default, option=_OPTIONS)
        except (_Slow, orjson.JSONEncodeError, RecursionError):
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80" in body:  # DRF escapes U+2028 and U+2029 for JavaScript's sake
            body = body.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")
        return body

    def _default(self, value):
        if isinstance(value, decimal.Decimal):
            return _float(float(value))  # as DRF's encoder: a Decimal is written as a float
        if not isinstance(value, _DEFAULT_HANDLED):
            raise _Slow
        encoder = self._encoder
        if encoder is None:
            encoder = self._encoder = self.encoder_class()
        return _fix(encoder.default(value))


_PLAIN_LEAVES = (str, int, bool, type(None))


def _verify_plain_lists(value, inside: bool = False) -> None:
    """Raise ``TypeError`` if a ``PlainList`` in ``value`` holds another leaf than ``_PLAIN_LEAVES``."""
    inside = inside or type(value) is PlainList
    if type(value) in (dict, PlainList, list):
        for item in value.values() if type(value) is dict else value:
            _verify_plain_lists(item, inside)
    elif inside and type(value) not in _PLAIN_LEAVES:
        raise TypeError(f"a PlainList holds {type(value).__name__} {value!r}")
