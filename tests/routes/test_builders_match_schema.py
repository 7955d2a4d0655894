"""Every row the routes API builds by hand has exactly the fields of the serializer documenting it.

The selectors answer ``.values()`` dicts (or tuples named once) for speed; the output
serializers only document them. Over the demo data, each endpoint's rows must carry exactly
the documented fields, with values the documenting serializer accepts.
"""

import pytest
from django.urls import resolve

from routes import demo
from routes.serializers import (
    DepartmentOutputSerializer,
    RegionOutputSerializer,
    ReportTypeOutputSerializer,
    RoleUnitOutputSerializer,
    TelegramChatListItemOutputSerializer,
    TelegramChatOutputSerializer,
    UnitOutputSerializer,
)
from routes.urls import urlpatterns
from routes.views.base import RoutesListAPIView

pytestmark = pytest.mark.django_db

USER = demo.CHATS[0][0]  # a demo chat with the widest role

PAGES = [
    ("/routes/units/", "units", UnitOutputSerializer),
    ("/routes/units/regions/", "regions", RegionOutputSerializer),
    ("/routes/units/departments/", "departments", DepartmentOutputSerializer),
    ("/routes/telegram-chats/", "telegram_chats", TelegramChatListItemOutputSerializer),
    ("/routes/report-types/", "report_types", ReportTypeOutputSerializer),
    ("/routes/report-types/statistics/", "report_types", ReportTypeOutputSerializer),
    (f"/routes/roles/users/{USER}/units/", "units", RoleUnitOutputSerializer),
    (f"/routes/roles/users/{USER}/regions/", "regions", RegionOutputSerializer),
    (f"/routes/roles/users/{USER}/report-types/", "report_types", ReportTypeOutputSerializer),
]
OBJECTS = [
    (f"/routes/units/name/{demo.UNITS[0][1]}/", UnitOutputSerializer),
    ("/routes/report-types/names/STATISTICS/", ReportTypeOutputSerializer),
    (f"/routes/telegram-chats/{USER}/", TelegramChatOutputSerializer),
]


@pytest.fixture
def demo_data(db):
    demo.seed(actors=None)


def assert_documented(row: dict, serializer_class) -> None:
    assert list(row) == list(serializer_class().fields), row
    serializer = serializer_class(data=row)
    assert serializer.is_valid(), (row, serializer.errors)


@pytest.mark.parametrize(("path", "key", "serializer_class"), PAGES)
def test_each_page_row_has_exactly_the_documented_fields(bot, demo_data, path, key, serializer_class):
    body = bot.get(path).json()
    assert body[key], f"the demo data leaves {path} empty: nothing was checked"
    for row in body[key]:
        assert_documented(row, serializer_class)


@pytest.mark.parametrize(("path", "serializer_class"), OBJECTS)
def test_each_object_has_exactly_the_documented_fields(bot, demo_data, path, serializer_class):
    response = bot.get(path)
    assert response.status_code == 200, response.content
    assert_documented(response.json(), serializer_class)


def test_the_table_covers_every_list_view():
    covered = {resolve(path).func.view_class for path, _, _ in PAGES}
    lists = {p.callback.view_class for p in urlpatterns if issubclass(p.callback.view_class, RoutesListAPIView)}
    # The id lists answer bare integers (no row shape); the README aliases are subclasses.
    shapeless = {resolve("/routes/report-routes/units/").func.view_class}
    shapeless.add(resolve("/routes/report-routes/telegram-chats/").func.view_class)
    missing = {view for view in lists - shapeless if not any(issubclass(view, known) for known in covered)}
    assert not missing
