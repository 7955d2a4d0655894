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
from routes.models import STATISTICS, Pizzeria, TelegramChat
from tests.compiled import fields_of, orm_and_window
from tests.routes.factories import ChatRoleFactory, PizzeriaFactory, ReportTypeFactory, TelegramChatFactory
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
