"""An output serializer's ``to_representation`` with DRF's per-field machinery worked out once.

DRF presents a row field by field: ``field.get_attribute`` (the source path, each step
checked for a ``Mapping``, for a callable to call and for a missing attribute), then ``None``
or ``field.to_representation``. For a plain ``Serializer`` of a hundred rows with seventeen
fields that is most of a list request's Python time (a passports page: ~2 ms of ~8). ``plan``
does the same steps with what can be decided once per field decided once:

* a field whose class keeps DRF's own ``get_attribute`` reads its ``source_attrs`` directly
  (a ``Mapping`` by key, anything else by attribute; ``source="*"`` is the row itself);
  any other field (a related field, a ``HiddenField``…) is asked through its own
  ``get_attribute``, ``SkipField`` and ``PKOnlyObject`` handled as DRF does;
* ``CharField`` and ``IntegerField`` write a ``str`` or an ``int`` as it is (``str(value)`` and
  ``int(value)`` of those are the value), ``BooleanField`` a ``bool``; every other value and
  field goes through the field's ``to_representation``, but a nested serializer (and a list of them,
  ``many=True``) is planned too.

A missing key or attribute gives what DRF gives for it (the field's default, ``None`` for a
nullable field, no key for an optional one: ``_when_missing``). A row whose reading needs anything
else (the error of a required field, a callable value, which
DRF calls or not by its signature, a related object that does not exist) is presented again, whole, by DRF's own
``to_representation``, which then gives the answer (or raises the error) DRF gives. A
serializer that overrides ``to_representation`` is not planned. ``tests/common/test_presenters.py``
compares both over every output serializer presented this way and a table of awkward rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.manager import BaseManager
from rest_framework import fields as drf_fields
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings


class _Slow(Exception):
    """The row needs DRF's own ``to_representation``."""


def _identity_for(field: serializers.Field, kind: type) -> Callable[[Any], Any]:
    convert = field.to_representation

    def present(value):
        return value if type(value) is kind else convert(value)

    return present


def _converter(field: serializers.Field) -> Callable[[Any], Any]:
    method = type(field).to_representation
    if method is drf_fields.CharField.to_representation:
        return _identity_for(field, str)
    if method is drf_fields.IntegerField.to_representation:
        return _identity_for(field, int)
    if method is drf_fields.BooleanField.to_representation:
        return _identity_for(field, bool)
    if method is serializers.ListSerializer.to_representation:
        child = plan(field.child) if isinstance(field.child, serializers.Serializer) else None
        if child is not None:
            return _list_of(child)
    elif isinstance(field, serializers.Serializer):
        nested = plan(field)
        if nested is not None:
            return nested
    return field.to_representation


def _list_of(child: Callable[[Any], dict]) -> Callable[[Any], list]:
    """``ListSerializer.to_representation`` with its child's planned steps."""

    def present(data):
        return [child(item) for item in (data.all() if isinstance(data, BaseManager) else data)]

    present.plain = getattr(child, "plain", False)
    return present


_STRING_OR_INT = (
    drf_fields.CharField.to_representation,
    drf_fields.IntegerField.to_representation,
    drf_fields.BooleanField.to_representation,
    drf_fields.UUIDField.to_representation,
)
_FORMATTED = {
    drf_fields.DateTimeField.to_representation: "DATETIME_FORMAT",
    drf_fields.DateField.to_representation: "DATE_FORMAT",
}


def _gives_plain(field: serializers.Field, convert: Callable) -> bool:
    """Whether ``field``'s step (``convert``) only gives ``str``, ``int``, ``bool`` or ``None``
    (or dicts and lists of those): DRF's own ``to_representation`` of a string, integer,
    boolean or UUID field, of a date or datetime field with an output format (``str``), a
    ``ListField`` of one of those, or a planned nested serializer that is plain itself."""
    if getattr(convert, "plain", False):
        return True
    method = type(field).to_representation
    if method in _STRING_OR_INT:
        return True
    if method in _FORMATTED:
        return getattr(field, "format", getattr(api_settings, _FORMATTED[method])) is not None
    if method is drf_fields.ListField.to_representation:
        return _gives_plain(field.child, field.child.to_representation)
    return False


_SKIP = ("skip",)

#: Whether a row of a type is read by key (a ``Mapping``, as DRF reads it) or by attribute,
#: decided once per type: ``isinstance(row, Mapping)`` is an ABC check on every field of every
#: row of an instance page.
_BY_KEY: dict[type, bool] = {dict: True}


def _when_missing(field: serializers.Field) -> tuple | None:
    """What DRF's ``Field.get_attribute`` gives for a missing key or attribute: ``(default,)``,
    ``(None,)`` for a nullable field, ``_SKIP`` for an optional one (left out), or ``None`` when
    DRF's own steps must say (a callable default, a partial serializer, the error of a required
    field)."""
    if field.default is not drf_fields.empty:
        if callable(field.default) or getattr(field.root, "partial", False):
            return None
        return (field.default,)
    if field.allow_null:
        return (None,)
    if not field.required:
        return _SKIP
    return None


def plan(serializer: serializers.Serializer) -> Callable[[Any], dict] | None:
    """A function presenting a row as ``serializer.to_representation`` does, or ``None``."""
    if type(serializer).to_representation is not serializers.Serializer.to_representation:
        return None
    steps = []
    gives_plain = True
    for field in serializer._readable_fields:
        plain = type(field).get_attribute is drf_fields.Field.get_attribute
        missing = _when_missing(field) if plain else None
        convert = _converter(field)
        steps.append((field.field_name, tuple(field.source_attrs) if plain else None, missing, field, convert))
        gives_plain = gives_plain and plain and _gives_plain(field, convert)  # a default is converted too
    slow = serializer.to_representation

    def present(instance) -> dict:
        ret = {}
        try:
            for name, attrs, missing, field, convert in steps:
                if attrs is None:
                    try:
                        value = field.get_attribute(instance)
                    except SkipField:
                        continue
                    if (value.pk if isinstance(value, PKOnlyObject) else value) is None:
                        ret[name] = None
                        continue
                else:
                    value = instance
                    try:
                        for attr in attrs:
                            kind = type(value)
                            by_key = _BY_KEY.get(kind)
                            if by_key is None:
                                by_key = isinstance(value, Mapping)
                                if value.__class__ is kind:  # not a proxy (a lazy object): its type says
                                    _BY_KEY[kind] = by_key
                            value = value[attr] if by_key else getattr(value, attr)
                            if callable(value):  # DRF decides whether to call it
                                raise _Slow
                    except (KeyError, AttributeError):
                        if missing is None:
                            raise _Slow from None
                        if missing is _SKIP:
                            continue
                        value = missing[0]
                    if value is None:
                        ret[name] = None
                        continue
                ret[name] = convert(value)
        except (_Slow, KeyError, AttributeError, ObjectDoesNotExist):
            return slow(instance)
        return ret

    # Its rows hold only ``str``, ``int``, ``bool`` and ``None`` leaves: a page of them may be a
    # ``common.renderers.PlainList`` (``StyledViewMixin.page``), which the renderer need not walk.
    present.plain = gives_plain
    return present


@cache
def columns(serializer_class: type[serializers.Serializer]) -> tuple[str, ...]:
    """What ``serializer_class`` reads of a row, for ``queryset.values(*columns(...))``.

    A ``.values()`` row is a dict, which DRF's fields (and ``plan``) read by key where they read
    a model instance's attribute: the same body, without building an instance per row (for a
    page of 100 stages, most of the request). Each readable field must read one column or
    annotation (a ``source`` without dots); a ``SerializerMethodField`` is given the dict (its
    method must read nothing of the row, as the stages' always-null fields). Anything else
    is a ``TypeError``: that serializer presents instances.
    """
    names = []
    for field in serializer_class()._readable_fields:
        if isinstance(field, serializers.SerializerMethodField):
            continue
        if field.source == "*" or len(field.source_attrs) != 1:
            raise TypeError(f"{serializer_class.__name__}.{field.field_name} does not read one column")
        names.append(field.source_attrs[0])
    return tuple(names)
