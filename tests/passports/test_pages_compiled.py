"""The unfiltered passports list, compiled once per order, answers what the ORM answers.

``selectors.unit_page`` without a filter is a ``Window`` over SQL compiled once per process:
over several windows and both orders its rows are ``unit_rows`` of ``unit_list`` (the unit's
listed columns with its schema's and parent schema's), its SQL is the ORM's with the window as
parameters, and its count the ORM's count. Through HTTP the pages answer the same bodies in at most two unit queries; a filter still reads
``unit_list``'s queryset.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from common.compiled import Window
from passports import selectors
from passports.models import Unit, UnitStatus
from tests.compiled import fields_of, orm_and_window
from tests.passports.conftest import passport_body
from tests.passports.factories import UnitFactory

pytestmark = pytest.mark.django_db

WINDOWS = ((0, 3), (2, 4), (0, 100), (7, 5), (40, 2))
T0 = dt.datetime(2023, 7, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def units(schemas):
    kinds = ("board", "sensor", "composite")
    statuses = (UnitStatus.BUILT, UnitStatus.PRODUCTION, UnitStatus.FINALIZED)
    # two units share a creation time, so the id breaks the tie in both orders
    return [
        UnitFactory(
            schema=schemas[kinds[n % 3]], status=statuses[n % 3], creation_time=T0 + dt.timedelta(hours=n // 2 * 2)
        )
        for n in range(10)
    ]


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_window_is_the_orm_slice_from_the_orm_sql(units, order):
    page = selectors.unit_page(sort_by_date=order, status=None, name="", date=None, types=[])
    assert isinstance(page, Window)
    with CaptureQueriesContext(connection) as expected_count:
        assert page.count() == selectors.unit_list(sort_by_date=order).count() == len(units)
    rows = selectors.unit_rows(selectors.unit_list(sort_by_date=order))
    for offset, limit in WINDOWS:
        expected, got = orm_and_window(rows, page, offset, limit)
        assert got == expected, (order, offset, limit)
    with CaptureQueriesContext(connection) as got_count:
        page.count()
    assert [q["sql"] for q in got_count.captured_queries] == [q["sql"] for q in expected_count.captured_queries[-1:]]


def test_a_row_is_what_the_unit_its_schema_and_parent_show(units):
    """``unit_rows``: the unit's listed columns, its schema's type and name, its parent's name."""
    rows = {row["internal_id"]: row for row in selectors.unit_rows(selectors.unit_list())}
    assert len(rows) == len(units) and any(row["parent_unit_name"] for row in rows.values())
    for unit in Unit.objects.select_related("schema__parent_schema"):
        parent = unit.schema.parent_schema
        assert rows[unit.internal_id] == {
            **{name: getattr(unit, name) for name in selectors.UNIT_ROW_FIELDS},
            "schema_type": unit.schema.schema_type,
            "schema_unit_name": unit.schema.unit_name,
            "parent_unit_name": parent.unit_name if parent else None,
        }


def test_a_filter_reads_the_orm_queryset(units):
    for filters in (
        {"status": "built"},
        {"name": "board"},
        {"types": ["Board"]},
        {"date": (T0, T0 + dt.timedelta(days=1))},
    ):
        page = selectors.unit_page(sort_by_date="desc", **filters)
        assert isinstance(page, QuerySet)
        assert list(page) == list(selectors.unit_rows(selectors.unit_list(sort_by_date="desc", **filters)))


@pytest.mark.parametrize(("order", "newest_first"), [("asc", True), ("desc", False)])
def test_pages_through_http_are_every_unit_in_order_in_two_unit_queries(demo_client, units, order, newest_first):
    ordered = sorted(Unit.objects.all(), key=lambda u: (u.creation_time, u.id), reverse=newest_first)
    seen = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            response = demo_client.get(
                "/api/v1/passports/", {"page": page, "items": 4, "sort_by_date": order, "status": ""}
            )
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == len(units) and body["status_code"] == 200 and body["detail"] == "Success"
        full = len(body["data"]) == 4  # a page short of full tells the count without a query
        assert sum('"passports_unit"' in q["sql"] for q in queries.captured_queries) == (2 if full else 1)
        seen += body["data"]
    assert seen == [passport_body(unit) for unit in ordered]
    filtered = demo_client.get("/api/v1/passports/", {"status": "built", "sort_by_date": order})
    assert filtered.json()["data"] == [passport_body(u) for u in ordered if u.status == UnitStatus.BUILT]


@pytest.mark.parametrize("size", [3, 30])
def test_the_unfiltered_list_runs_constant_queries_whatever_the_page_size(
    demo_client, schemas, django_assert_num_queries, size
):
    UnitFactory.create_batch(size, schema=schemas["board"])
    with django_assert_num_queries(3):  # the token's user, the page, the count (the page is full)
        response = demo_client.get("/api/v1/passports/", {"items": size})
    assert response.json()["count"] == len(response.json()["data"]) == size


def test_the_compiled_detail_lookups_are_the_orm_s(units):
    """Units (with their schema and parent), stages, schemas and employees by their ids: the
    ORM's ``.first()`` instances, from the ORM's SQL; an unknown id is the app's 404."""
    from common.exceptions import NotFoundError
    from passports.models import Employee, ProductionSchema, ProductionStage
    from tests.passports.factories import EmployeeFactory, StageFactory

    for n, unit in enumerate(units[:4]):
        for m in range(3):
            StageFactory(parent_unit=unit, number=(n + m) % 2, name=f"stage {n}.{m}")
    EmployeeFactory.create_batch(3)
    cases = [
        (
            lambda key: selectors.unit_get(internal_id=key),
            Unit.objects.select_related("schema__parent_schema"),
            "internal_id",
        ),
        (lambda key: selectors.stage_get(stage_id=key), ProductionStage.objects, "stage_id"),
        (lambda key: selectors.schema_get(schema_id=key), ProductionSchema.objects, "schema_id"),
        (lambda key: selectors.employee_get(rfid_card_id=key), Employee.objects, "rfid_card_id"),
        (lambda key: selectors.employee_decode(passport_code=key), Employee.objects, "passport_code"),
    ]
    for get, manager, field in cases:
        keys = list(manager.values_list(field, flat=True))
        assert keys
        for key in keys:
            with CaptureQueriesContext(connection) as orm:
                expected = manager.filter(**{field: key}).first()
            with CaptureQueriesContext(connection) as compiled:
                got = get(key)
            assert [q["sql"] for q in compiled.captured_queries] == [q["sql"] for q in orm.captured_queries]
            assert fields_of(got) == fields_of(expected)
            if field == "internal_id":
                assert fields_of(got.schema) == fields_of(expected.schema)
                assert fields_of(got.schema.parent_schema) == fields_of(expected.schema.parent_schema)
        with pytest.raises(NotFoundError):
            get("no-such-id")
    for unit in units[:5]:  # four with three stages, one with none
        detail = selectors.unit_get(internal_id=unit.internal_id, with_biography=True)
        order = ProductionStage.objects.filter(parent_unit=unit).order_by("number", "creation_time", "id")
        assert [fields_of(s) for s in detail.biography] == [fields_of(s) for s in order]
        assert len(detail.biography) == (3 if unit in units[:4] else 0)
        with CaptureQueriesContext(connection) as parent:
            assert all(s.parent_unit is detail for s in detail.biography)
        assert parent.captured_queries == []


def test_the_compiled_employee_of_a_user_and_protocol_of_a_unit_are_the_orm_s(units):
    from accounts.models import User
    from passports.models import Employee, EmployeeLink, Protocol
    from tests.passports.factories import EmployeeFactory, ProtocolFactory

    linked, unlinked = User.objects.create(username="linked"), User.objects.create(username="unlinked")
    EmployeeLink.objects.create(user=linked, employee=EmployeeFactory())
    EmployeeFactory()
    for user in (linked, unlinked):
        expected = Employee.objects.filter(user_links__user=user).first()
        assert fields_of(selectors.employee_of_user(user)) == fields_of(expected)
    assert selectors.employee_of_user(unlinked) is None and selectors.employee_of_user(linked) is not None
    for unit in units[:3]:
        ProtocolFactory(associated_unit=unit)
    for unit in units:
        expected = Protocol.objects.filter(associated_unit_id=unit.internal_id).first()
        got = selectors.protocol_of_unit(internal_id=unit.internal_id)
        assert fields_of(got) == fields_of(expected)
        if got is not None:
            with CaptureQueriesContext(connection) as joined:
                assert fields_of(got.associated_unit) == fields_of(Unit.objects.get(pk=unit.pk))
            assert len(joined.captured_queries) == 1  # only the expected unit's own read
    assert sum(selectors.protocol_of_unit(internal_id=unit.internal_id) is not None for unit in units) == 3
    assert selectors.protocol_of_unit(internal_id="no-such-unit") is None


def test_the_compiled_user_lookup_is_the_orm_s_and_stays_in_the_actor_s_company(demo_user):
    """``feecc_user_get``: the ORM's ``.first()`` instance from the ORM's SQL; a user of
    another company, an unknown name and an actor without a company are the app's 404."""
    from accounts.models import Company, User
    from common.exceptions import NotFoundError

    other = Company.objects.create(key="other_company", name="Other company")
    User.objects.create(username="colleague", company=demo_user.company)
    User.objects.create(username="stranger", company=other)
    for username in ("demo", "colleague"):
        with CaptureQueriesContext(connection) as orm:
            expected = User.objects.filter(username=username, company_id=demo_user.company_id).first()
        with CaptureQueriesContext(connection) as compiled:
            got = selectors.feecc_user_get(actor=demo_user, username=username)
        assert [q["sql"] for q in compiled.captured_queries] == [q["sql"] for q in orm.captured_queries]
        assert fields_of(got) == fields_of(expected) and got.username == username
    for actor, username in ((demo_user, "stranger"), (demo_user, "nobody"), (User(username="homeless"), "demo")):
        with pytest.raises(NotFoundError):
            selectors.feecc_user_get(actor=actor, username=username)


def test_a_row_presents_the_body_the_unit_presents(units):
    """``PassportRowOutputSerializer`` on a row is ``PassportOutputSerializer`` on the unit, key
    for key and in the same order (the list's body, and what the schema documents)."""
    from common.drf import representation
    from passports.serializers import PassportOutputSerializer, PassportRowOutputSerializer

    rows = {row["internal_id"]: row for row in selectors.unit_rows(selectors.unit_list())}
    for unit in Unit.objects.select_related("schema__parent_schema"):
        from_row = representation(PassportRowOutputSerializer)(rows[unit.internal_id])
        from_unit = representation(PassportOutputSerializer)(unit)
        assert list(from_row.items()) == list(from_unit.items())


LISTS = [
    ("/api/v1/stages", {}, "stage_list", {"with_employee_names": False}, "ProductionStageOutputSerializer"),
    (
        "/api/v1/stages",
        {"decode_employees": "true"},
        "stage_list",
        {"with_employee_names": True},
        "ProductionStageNamedOutputSerializer",
    ),
    ("/api/v1/schemas", {}, "schema_list", {}, "ProductionSchemaOutputSerializer"),
    ("/api/v1/employees", {}, "employee_list", {}, "EmployeeOutputSerializer"),
    ("/api/v1/tcd/protocols", {}, "protocol_list", {"sort_by_date": "desc"}, "ProtocolOutputSerializer"),
    (
        "/api/v1/tcd/protocols",
        {"sort_by_date": "asc"},
        "protocol_list",
        {"sort_by_date": "asc"},
        "ProtocolOutputSerializer",
    ),
]


@pytest.fixture
def catalogue(units):
    from tests.passports.factories import EmployeeFactory, ProtocolFactory, StageFactory

    employees = EmployeeFactory.create_batch(4)
    for n, unit in enumerate(units):
        StageFactory(parent_unit=unit, employee_name=employees[n % 4].passport_code if n % 3 else "someone")
    for unit in units[:7]:
        ProtocolFactory(associated_unit=unit)


@pytest.mark.parametrize(("path", "query", "selector", "arguments", "serializer"), LISTS)
def test_the_unfiltered_passports_lists_are_the_orm_pages_from_compiled_sql(
    demo_client, catalogue, path, query, selector, arguments, serializer
):
    """``page_values_of``: each page is the ORM's ``.values()`` page, presented by the same
    serializer, in two queries after the token's (the page, the count when the page is full),
    whatever the page size."""
    from common import presenters
    from common.drf import representation
    from passports import serializers as s

    present = representation(getattr(s, serializer))
    rows = getattr(selectors, selector)(**arguments).values(*presenters.columns(getattr(s, serializer)))
    total = rows.count()
    assert total >= 4
    for items, page in ((3, 1), (3, 2), (100, 1), (4, 3)):
        with CaptureQueriesContext(connection) as queries:
            response = demo_client.get(path, {**query, "items": items, "page": page})
        assert response.status_code == 200, response.content
        body = response.json()
        expected = [present(row) for row in rows[(page - 1) * items : page * items]]
        assert (body["count"], body["data"]) == (total, json_roundtrip(expected))
        counted = len(expected) in (0, items)  # a page neither full nor empty tells its count
        assert len(queries) == (3 if counted else 2)  # the token's user, the page, the count


def json_roundtrip(value):
    import json

    from rest_framework.renderers import JSONRenderer

    return json.loads(JSONRenderer().render(value))


def test_a_filtered_protocol_list_reads_the_orm_queryset(demo_client, catalogue):
    from passports.models import Protocol

    serial = Protocol.objects.order_by("id").first().associated_unit.serial_number or ""
    response = demo_client.get("/api/v1/tcd/protocols", {"name": serial[:4] or "x", "items": 100})
    assert response.status_code == 200
    expected = selectors.protocol_list(name=serial[:4] or "x")
    assert [row["protocol_id"] for row in response.json()["data"]] == [p.protocol_id for p in expected]


def test_the_compiled_types_and_pending_ids_are_the_orm_s_from_the_orm_sql(units):
    """``unit_types`` and ``protocol_pending_ids`` (with its threshold as the parameter)."""
    from passports.models import ProductionSchema, Protocol, ProtocolStatus
    from tests.passports.factories import ProtocolFactory, SchemaFactory

    SchemaFactory(schema_type="Testing")  # never listed
    statuses = (ProtocolStatus.FIRST, ProtocolStatus.SECOND, ProtocolStatus.FIRST, "Протокол утверждён")
    for n, unit in enumerate(units[:8]):
        ProtocolFactory(associated_unit=unit, status=statuses[n % 4], creation_time=T0 + dt.timedelta(days=n))
    with CaptureQueriesContext(connection) as orm:
        expected = list(
            ProductionSchema.objects.exclude(schema_type="Testing")
            .order_by("schema_type")
            .values_list("schema_type", flat=True)
            .distinct()
        )
    with CaptureQueriesContext(connection) as compiled:
        assert selectors.unit_types() == expected and expected
    assert [q["sql"] for q in compiled.captured_queries] == [q["sql"] for q in orm.captured_queries]
    for days in (0, 3, 5, 30):
        now = T0 + dt.timedelta(days=days)
        threshold = selectors.pending_threshold(now)
        with CaptureQueriesContext(connection) as orm:
            expected = list(
                Protocol.objects.filter(
                    creation_time__lte=threshold, status__in=[ProtocolStatus.FIRST, ProtocolStatus.SECOND]
                )
                .order_by("creation_time", "id")
                .values_list("protocol_id", flat=True)
            )
        with CaptureQueriesContext(connection) as compiled:
            assert selectors.protocol_pending_ids(now=now) == expected
        assert [q["sql"] for q in compiled.captured_queries] == [q["sql"] for q in orm.captured_queries]
    assert len(selectors.protocol_pending_ids(now=T0 + dt.timedelta(days=30))) == 6
