"""The unfiltered lists' pages, compiled once per process, answer what the ORM answers.

Each list of ``routes.selectors._PAGES``, over several windows: the rows are the ORM's rows,
and the SQL is the ORM's with the window as parameters; through HTTP, ``/units/`` pages and
the report types answer the same bodies as before, in the same number of queries.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.compiled import Window
from common.exceptions import NotFoundError
from routes import selectors
from routes.models import STATISTICS, Pizzeria, ReportRoute, ReportType, TelegramChat
from tests.compiled import fields_of, orm_and_window
from tests.routes.factories import (
    ChatRoleFactory,
    PizzeriaFactory,
    ReportRouteFactory,
    ReportTypeFactory,
    TelegramChatFactory,
)
from tests.routes.test_units import unit_body

pytestmark = pytest.mark.django_db

WINDOWS = ((0, 3), (2, 4), (0, 100), (7, 5), (40, 2))


@pytest.fixture
def rows(db):
    for _ in range(9):
        PizzeriaFactory()
    TelegramChatFactory.create_batch(4)
    statistics = ReportTypeFactory(name=STATISTICS, priority=5)
    made = [
        ReportTypeFactory(name=f"KIND_{n}", priority=n % 3, parent=statistics if n % 2 else None, is_active=n != 4)
        for n in range(7)
    ]
    return statistics, made


@pytest.mark.parametrize("select", list(selectors._PAGES), ids=lambda select: select.__name__)
def test_every_compiled_page_is_the_orm_slice_from_the_orm_sql(rows, select):
    page = selectors.page_of(select)
    assert page.count() == select().count() > 0
    for offset, limit in WINDOWS:
        with CaptureQueriesContext(connection) as expected_sql:
            expected = list(select()[offset : offset + limit])
        with CaptureQueriesContext(connection) as got_sql:
            got = page[offset : offset + limit]
        assert got == expected, (select.__name__, offset, limit)
        literal = expected_sql.captured_queries[0]["sql"] + (
            "" if offset else " OFFSET 0"
        )  # the ORM leaves out OFFSET 0
        assert got_sql.captured_queries[0]["sql"] == literal


def test_units_pages_through_http_are_every_unit_by_id_one_query_a_page(demo_client, rows):
    units = list(Pizzeria.objects.order_by("id"))
    seen = []
    for offset in (0, 4, 8):
        with CaptureQueriesContext(connection) as queries:
            response = demo_client.get("/routes/units/", {"limit": 4, "offset": offset})
        assert response.status_code == 200
        body = response.json()
        assert sum('"routes_unit"' in q["sql"] for q in queries.captured_queries) == 1
        assert body["is_end_of_list_reached"] is (offset + 4 >= len(units))
        seen += body["units"]
    assert seen == [unit_body(unit) for unit in units]


def test_report_types_through_http_leave_out_inactive_types_and_statistics_children(demo_client, rows):
    statistics, made = rows
    listed = demo_client.get("/routes/report-types/")
    children = demo_client.get("/routes/report-types/statistics/")
    assert listed.status_code == children.status_code == 200

    def body(types):
        return [{"id": t.id, "name": t.name, "verbose_name": t.verbose_name} for t in types]

    # by priority, highest first, then id; KIND_4 is inactive; odd kinds are statistics children
    assert listed.json() == {
        "report_types": body([statistics, made[2], made[0], made[6]]),
        "is_end_of_list_reached": True,
    }
    assert children.json() == {"report_types": body([made[5], made[1], made[3]]), "is_end_of_list_reached": True}


@pytest.fixture
def role(rows):
    statistics, made = rows
    role = ChatRoleFactory(units=list(Pizzeria.objects.order_by("-id")[:6]), report_types=[statistics, *made[:5]])
    ChatRoleFactory(units=list(Pizzeria.objects.order_by("id")[:2]), report_types=made[5:])  # another role
    return role


@pytest.mark.parametrize("select", list(selectors._ROLE_PAGES), ids=lambda select: select.__name__)
def test_a_role_s_compiled_pages_are_the_orm_slices_from_the_orm_sql(role, select):
    for offset, limit in WINDOWS:
        expected, got = orm_and_window(select(role.pk), Window(selectors._ROLE_PAGES[select], role.pk), offset, limit)
        assert got == expected, (select.__name__, offset, limit)
    assert Window(selectors._ROLE_PAGES[select], role.pk)[0:100]  # the role's rows, not none


def test_the_compiled_chat_lookup_is_the_orm_s_with_its_role(role):
    chats = [
        TelegramChatFactory(role=role),
        TelegramChatFactory(role=None),
        TelegramChatFactory(chat_id=-1001234567890),
    ]
    for chat in chats:
        with CaptureQueriesContext(connection) as orm:
            expected = TelegramChat.objects.select_related("role").filter(chat_id=chat.chat_id).first()
        with CaptureQueriesContext(connection) as compiled:
            got = selectors.telegram_chat_get(chat_id=chat.chat_id)
            role_of = got.role  # loaded with the chat: no query of its own
        assert [q["sql"] for q in compiled.captured_queries] == [q["sql"] for q in orm.captured_queries]
        assert fields_of(got) == fields_of(expected)
        assert fields_of(role_of) == fields_of(expected.role)
    with pytest.raises(NotFoundError):
        selectors.telegram_chat_get(chat_id=42)


def test_the_compiled_report_routes_are_the_orm_slices_from_the_orm_sql(rows):
    statistics, made = rows
    units = list(Pizzeria.objects.order_by("id")[:5])
    chats = [TelegramChatFactory(chat_id=-1001234567000 - n) for n in range(3)]
    for n, (unit, chat, kind) in enumerate(
        (unit, chat, kind) for unit in units for chat in chats for kind in (statistics, made[0])
    ):
        if n % 3:
            ReportRouteFactory(unit=unit, telegram_chat=chat, report_type=kind)
    for chat in chats:
        for kind in (statistics, made[0], made[1]):
            orm = selectors._routed_unit_ids(chat.chat_id, kind.id)
            window = selectors.report_route_pizzeria_ids(chat_id=chat.chat_id, report_type_id=kind.id)
            for offset, limit in WINDOWS:
                expected, got = orm_and_window(orm, window, offset, limit)
                assert got == expected
    routed = 0
    for unit in units:
        for kind in (statistics, made[0]):
            orm = selectors._routed_chat_ids(unit.id, kind.id)
            window = selectors.report_route_chat_ids(unit_id=unit.id, report_type_id=kind.id)
            expected, got = orm_and_window(orm, window, 0, 100)
            assert got == expected and all(type(chat_id) is int for chat_id in got)
            routed += len(got)
    assert routed == ReportRoute.objects.count() > 0


def test_the_compiled_lookups_by_name_answer_what_the_orm_answers(rows):
    statistics, made = rows
    unit = Pizzeria.objects.order_by("id").first()
    assert selectors.pizzeria_get_by_name(name=unit.name) == selectors.pizzeria_row(
        selectors.pizzeria_list().filter(name=unit.name).first()
    )
    for kind in (statistics, *made):
        orm = ReportType.objects.filter(name=kind.name, is_active=True).values(*selectors.REPORT_TYPE_FIELDS).first()
        if orm is None:  # KIND_4 is inactive
            with pytest.raises(NotFoundError):
                selectors.report_type_get_active_by_name(name=kind.name)
        else:
            assert selectors.report_type_get_active_by_name(name=kind.name) == orm
    for missing in ("no such unit", "a\x00b"):
        with pytest.raises(NotFoundError):
            selectors.pizzeria_get_by_name(name=missing)
        with pytest.raises(NotFoundError):
            selectors.report_type_get_active_by_name(name=missing)
