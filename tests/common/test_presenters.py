"""``common.presenters.plan`` presents a row exactly as DRF's ``to_representation`` does.

(a) awkward rows through one serializer of every kind of field, answers and errors compared;
(b) every GET endpoint over the demo data, answered with planned presenters and again with
DRF's own ``to_representation``: the bodies are equal.
"""

from __future__ import annotations

import collections
import datetime as dt
import enum
import types

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from common import drf, presenters
from passports.serializers import PassportOutputSerializer
from tests.test_json_renderer import QUERIES, _get_paths, _keys, demo  # noqa: F401 (demo: a fixture)


class Kind(enum.StrEnum):
    A = "a"


class Level(enum.IntEnum):
    HIGH = 3


class Row(types.SimpleNamespace):
    def method(self):
        return "called"


class Missing:
    @property
    def related(self):
        raise ObjectDoesNotExist


class AwkwardSerializer(serializers.Serializer):
    text = serializers.CharField()
    number = serializers.IntegerField()
    flag = serializers.BooleanField(allow_null=True)
    when = serializers.DateTimeField()
    nested = serializers.CharField(source="inner.name")
    whole = serializers.SerializerMethodField()
    words = serializers.ListField(child=serializers.CharField(), allow_null=True)
    optional = serializers.CharField(required=False)
    defaulted = serializers.CharField(default="d")
    nullable = serializers.CharField(allow_null=True)

    def get_whole(self, obj) -> str:
        return type(obj).__name__


class GroupsSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(read_only=True)
    name = serializers.CharField(source="group.name")


def _row(**changes):
    base = {
        "text": "t",
        "number": 1,
        "flag": True,
        "when": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "inner": {"name": "n"},
        "words": ["a", "b"],
        "optional": "o",
        "defaulted": "x",
        "nullable": None,
    }
    return {**base, **changes}


# name: (row, read by DRF's own to_representation: the planned steps do not decide it)
ROWS = {
    "plain dict": (_row(), False),
    "object": (Row(**_row()), False),
    "nested object": (Row(**_row(inner=Row(name="n"))), False),
    "str subclass": (_row(text=Kind.A, inner={"name": Kind.A}), False),
    "int subclass and bool as number": (_row(number=Level.HIGH, flag=0), False),
    "bool in an integer field": (_row(number=True), False),
    "number as text": (_row(text=5, number="7"), False),
    "text flags": (_row(flag="true"), False),
    "null flag as text": (_row(flag="null"), False),
    "null everywhere": (_row(text=None, number=None, flag=None, when=None, words=None, inner={"name": None}), False),
    "a list with a null": (_row(words=[None, "c"]), False),
    "missing optional": ({k: v for k, v in _row().items() if k != "optional"}, False),
    "missing defaulted": ({k: v for k, v in _row().items() if k != "defaulted"}, False),
    "missing nullable": ({k: v for k, v in _row().items() if k != "nullable"}, False),
    "an object without the nullable attribute": (Row(**{k: v for k, v in _row().items() if k != "nullable"}), False),
    "a missing required key": ({k: v for k, v in _row().items() if k != "text"}, True),
    "a missing nested key": (_row(inner={}), True),
    "a callable attribute": (Row(**_row(text=Row().method)), True),
    "a callable nested attribute": (Row(**_row(inner=Row(name=lambda: "late"))), True),
}


def _answer(present, row):
    try:
        return "ok", repr(list(present(row).items()))  # repr: True is not 1, "1" is not 1
    except Exception as exc:  # the same error, type and message
        return type(exc), str(exc)


@pytest.mark.parametrize("name", ROWS)
def test_a_planned_row_is_drf_s_row(name):
    row, falls_back = ROWS[name]
    serializer = AwkwardSerializer()
    own = serializer.to_representation
    fallbacks = []
    serializer.to_representation = lambda instance: fallbacks.append(instance) or own(instance)
    planned = presenters.plan(serializer)
    assert planned is not None
    assert _answer(planned, row) == _answer(AwkwardSerializer().to_representation, row)
    assert len(fallbacks) == (1 if falls_back else 0)


def test_a_missing_key_of_a_field_with_a_callable_default_is_read_by_drf():
    class Stamped(serializers.Serializer):
        stamp = serializers.CharField(default=lambda: "late")

    own = Stamped().to_representation
    serializer = Stamped()
    fallbacks = []
    serializer.to_representation = lambda instance: fallbacks.append(instance) or own(instance)
    assert presenters.plan(serializer)({}) == own({}) == {"stamp": "late"}
    assert fallbacks == [{}]


class NestingSerializer(serializers.Serializer):
    many = AwkwardSerializer(many=True, allow_null=True)
    one = AwkwardSerializer(allow_null=True)


@pytest.mark.parametrize("name", ROWS)
def test_nested_serializers_are_planned_and_present_as_drf_presents_them(name):
    """A nested serializer and a list of them (``many=True``) are planned too: an item the planned
    steps do not decide is presented by the nested serializer's own ``to_representation``."""
    row, _ = ROWS[name]
    planned = presenters.plan(NestingSerializer())
    for outer in ({"many": [_row(), row, row], "one": row}, {"many": None, "one": None}, {"many": [], "one": _row()}):
        assert _answer(planned, outer) == _answer(NestingSerializer().to_representation, outer)


def test_a_plain_nested_row_is_not_handed_to_drf():
    serializer = NestingSerializer()
    calls = []
    for nested in (serializer.fields["many"].child, serializer.fields["one"]):
        own = nested.to_representation
        nested.to_representation = lambda instance, own=own: calls.append(instance) or own(instance)
    planned = presenters.plan(serializer)
    assert planned({"many": [_row(), _row()], "one": _row()}) == NestingSerializer().to_representation(
        {"many": [_row(), _row()], "one": _row()}
    )
    assert calls == []
    with pytest.raises(KeyError):  # a missing nested key: handed to DRF, which raises
        planned({"many": [_row(inner={})], "one": None})
    assert len(calls) == 2  # the nested item by the child, then (the outer row falling back) again


@pytest.mark.django_db
def test_a_nested_list_of_a_manager_reads_its_rows():
    class Permissions(serializers.Serializer):
        names = PermissionSerializer(many=True, source="permissions")

    group = Group.objects.create(name="g")
    group.permissions.set(Permission.objects.order_by("pk")[:3])
    planned = presenters.plan(Permissions())
    assert planned(group) == Permissions().to_representation(group)
    assert len(planned(group)["names"]) == 3


class PermissionSerializer(serializers.Serializer):
    codename = serializers.CharField()


@pytest.mark.django_db
def test_a_related_field_is_asked_through_its_own_get_attribute():
    group = Group.objects.create(name="g")
    rows = [types.SimpleNamespace(group=group), types.SimpleNamespace(group=None)]
    planned = presenters.plan(GroupsSerializer())
    assert planned(rows[0]) == {"group": group.pk, "name": "g"}  # the PKOnlyObject's pk
    for row in rows:  # no group: the nested source fails alike
        assert _answer(planned, row) == _answer(GroupsSerializer().to_representation, row)


def test_an_object_that_does_not_exist_reads_as_drf_reads_it():
    class Related(serializers.Serializer):
        related = serializers.CharField(allow_null=True)

    assert presenters.plan(Related())(Missing()) == Related().to_representation(Missing()) == {"related": None}


def test_a_serializer_with_its_own_to_representation_is_not_planned():
    class Own(serializers.Serializer):
        a = serializers.CharField()

        def to_representation(self, instance):
            return {"own": True}

    assert presenters.plan(Own()) is None
    assert drf.representation(Own)({"a": "x"}) == {"own": True}


def test_the_project_s_presenters_are_planned():
    assert not isinstance(drf.representation(PassportOutputSerializer), types.MethodType)


@pytest.mark.django_db
def test_every_get_endpoint_answers_the_same_body_with_drf_s_to_representation(demo, monkeypatch):  # noqa: F811
    keys = _keys()
    urls = []
    for template in _get_paths():
        query = QUERIES.get(template, "").format(**keys)
        path = template.format(**keys)
        urls.append(f"{path}?{query}" if query else path)

    def bodies():
        drf.representation.cache_clear()
        try:
            answers = {url: demo.get(url, HTTP_ACCEPT="application/json") for url in urls}
            # streamed bodies (the XLSX report, files) are not presented by serializers, and an
            # error's body holds a fresh trace id
            return {
                url: (r.status_code, None if r.streaming or r.status_code != 200 else r.content)
                for url, r in answers.items()
            }
        finally:
            drf.representation.cache_clear()

    planned = bodies()
    monkeypatch.setattr(presenters, "plan", lambda serializer: None)
    unplanned = bodies()
    assert planned == unplanned
    # not vacuous: most of them answer data
    assert collections.Counter(status for status, _ in planned.values())[200] >= 40


class PlainRowSerializer(serializers.Serializer):
    text = serializers.CharField()
    number = serializers.IntegerField(required=False)
    flag = serializers.BooleanField(allow_null=True)
    key = serializers.UUIDField()
    when = serializers.DateTimeField()
    day = serializers.DateField()
    words = serializers.ListField(child=serializers.CharField(), allow_null=True)
    defaulted = serializers.CharField(default="d")


class PlainNestingSerializer(serializers.Serializer):
    name = serializers.CharField()
    one = PlainRowSerializer()
    many = PlainRowSerializer(many=True)


def _with(**fields) -> type[serializers.Serializer]:
    return type("Variant", (PlainRowSerializer,), fields)


@pytest.mark.parametrize(
    ("serializer_class", "plain"),
    [
        (PlainRowSerializer, True),
        (PlainNestingSerializer, True),
        (_with(share=serializers.FloatField()), False),  # a float must be spelt as json spells it
        (_with(amount=serializers.DecimalField(max_digits=5, decimal_places=2)), False),
        (_with(raw=serializers.DateTimeField(format=None)), False),  # the datetime itself
        (_with(blob=serializers.JSONField()), False),
        (_with(whole=serializers.SerializerMethodField()), False),  # a method may give anything
        (_with(half=serializers.FloatField(default=0.5, required=False)), False),
        (_with(shares=serializers.ListField(child=serializers.FloatField())), False),
        (_with(group=serializers.PrimaryKeyRelatedField(read_only=True)), False),
        (type("Nests", (PlainNestingSerializer,), {"more": AwkwardSerializer(many=True)}), False),
    ],
)
def test_a_plan_is_plain_only_when_every_leaf_is_text_a_number_a_flag_or_null(serializer_class, plain):
    assert presenters.plan(serializer_class()).plain is plain


def test_a_plain_plan_s_bodies_hold_only_plain_leaves():
    from common.renderers import _verify_plain_lists

    row = {
        "text": "t",
        "flag": None,
        "key": "6f1c0e1e-27a4-4a0e-9b5e-0c0a5f1f4c55",
        "when": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "day": dt.date(2026, 1, 2),
        "words": ["a", None],
    }
    present = presenters.plan(PlainNestingSerializer())
    body = present({"name": "n", "one": row, "many": [row, {**row, "number": 7, "defaulted": "x"}]})
    assert body["one"] == {**{k: v for k, v in row.items() if k not in ("when", "day")}, "when": "2026-01-02T06:04:05+03:00",
                           "day": "2026-01-02", "defaulted": "d"}  # fmt: skip
    _verify_plain_lists(drf.PlainList([body]))  # raises on a leaf of another type


def test_a_proxy_row_is_read_as_what_it_wraps_each_time():
    """A lazy object is read by key when it wraps a mapping and by attribute when it wraps an
    object, as DRF reads it (the per-type shortcut is not taken for proxies)."""
    from django.utils.functional import SimpleLazyObject

    present = presenters.plan(_with()())
    row = {
        "text": "t",
        "flag": True,
        "key": "6f1c0e1e-27a4-4a0e-9b5e-0c0a5f1f4c55",
        "when": None,
        "day": None,
        "words": None,
    }
    serializer = _with()()
    for wrapped in (row, types.SimpleNamespace(**row), row):
        lazy = SimpleLazyObject(lambda wrapped=wrapped: wrapped)
        assert present(lazy) == serializer.to_representation(lazy) == present(wrapped)
