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
  field goes through the field's ``to_representation``.

A row whose reading needs anything else (a missing attribute or key, a callable value, which
DRF calls or not by its signature, a related object that does not exist) is presented again, whole, by DRF's own
``to_representation``, which then gives the answer (or raises the error) DRF gives. A
serializer that overrides ``to_representation`` is not planned. ``tests/common/test_presenters.py``
compares both over every output serializer presented this way and a table of awkward rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import fields as drf_fields
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject


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
    return field.to_representation


def plan(serializer: serializers.Serializer) -> Callable[[Any], dict] | None:
    """A function presenting a row as ``serializer.to_representation`` does, or ``None``."""
    if type(serializer).to_representation is not serializers.Serializer.to_representation:
        return None
    steps = []
    for field in serializer._readable_fields:
        plain = type(field).get_attribute is drf_fields.Field.get_attribute
        steps.append((field.field_name, tuple(field.source_attrs) if plain else None, field, _converter(field)))
    slow = serializer.to_representation

    def present(instance) -> dict:
        ret = {}
        try:
            for name, attrs, field, convert in steps:
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
                    for attr in attrs:
                        value = value[attr] if isinstance(value, Mapping) else getattr(value, attr)
                        if callable(value):  # DRF decides whether to call it
                            raise _Slow
                    if value is None:
                        ret[name] = None
                        continue
                ret[name] = convert(value)
        except (_Slow, KeyError, AttributeError, ObjectDoesNotExist):
            return slow(instance)
        return ret

    return present
