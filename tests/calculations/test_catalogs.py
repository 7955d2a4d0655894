"""The 14 catalog lists and the two user endpoints, through HTTP."""

from __future__ import annotations

import pytest

from accounts.models import User
from calculations.models import ComponentGroup, Indicator, ProductType, Venue
from calculations.reference import S, X
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KEYS = {
    "users": {"guid", "name"},
    "componentTypes": {"guid", "name", "isCalculated"},
    "components": {"guid", "name", "typeID", "type_id", "isCalculated"},
    "componentGroups": {"guid", "name"},
    "units": {"guid", "name"},
    "testMethods": {"guid", "name"},
    "indicators": {
        "guid",
        "name",
        "shortName",
        "unitID",
        "unit",
        "testMethodID",
        "testMethod",
        "group",
        "type",
        "parentIndicatorID",
        "parentIndicator",
        "ordinal",
        "exclude",
        "productTypeIDs",
        "productTypes",
    },  # fmt: skip
    "venues": {"guid", "name", "main"},
    "taskTypes": {"guid", "name"},
    "batchOfComponents": {"guid", "name", "componentID"},
    "products": {"guid", "name", "productTypeID", "productType"},
    "productTypes": {"guid", "name"},
    "specifications": {"guid", "name", "productID"},
    "normTechDoc": {"guid", "name", "productID"},
}


@pytest.mark.parametrize("name", sorted(KEYS))
def test_every_catalog_answers_its_keys(name, catalog, demo_client):
    response = demo_client.get(f"/formula/catalogs/list/{name}")
    assert response.status_code == 200
    items = response.json()
    assert items
    assert all(set(item) == KEYS[name] for item in items)


def test_units_whole_body(catalog, demo_client):
    assert demo_client.get("/formula/catalogs/list/units").json() == [
        {"guid": str(X(201)), "name": "%"},
        {"guid": str(S(16)), "name": "0,1 мм"},
        {"guid": str(S(17)), "name": "°C"},
        {"guid": str(X(204)), "name": "ед."},
        {"guid": str(X(203)), "name": "мм²/с"},
        {"guid": str(X(202)), "name": "Па·с"},
        {"guid": str(S(18)), "name": "см"},
    ]


def test_products_emit_type_guid_and_name(catalog, demo_client):
    items = demo_client.get("/formula/catalogs/list/products").json()
    assert items[0] == {"guid": str(S(37)), "name": "PG 64-22", "productTypeID": str(S(801)), "productType": "PG"}
    assert [i["name"] for i in items] == ["PG 64-22", "PG 70-28", "БНД 70/100", "ПБВ 60", "ПБВ 90"]


def test_indicators_emit_both_spellings_and_empty_parents(catalog, demo_client):
    items = demo_client.get("/formula/catalogs/list/indicators").json()
    assert [i["ordinal"] for i in items] == list(range(1, 21))
    assert items[1] == {
        "guid": str(S(22)),
        "name": "Глубина проникания иглы при 25 °С",
        "shortName": "П25",
        "unitID": str(S(16)),
        "unit": str(S(16)),
        "testMethodID": str(S(19)),
        "testMethod": str(S(19)),
        "group": False,
        "type": "CHILD",
        "parentIndicatorID": str(X(401)),
        "parentIndicator": str(X(401)),
        "ordinal": 2,
        "exclude": True,
        "productTypeIDs": [str(X(601)), str(S(802))],
        "productTypes": ["БНД", "ПБВ"],
    }
    sbs = next(i for i in items if i["shortName"] == "СБС")
    assert (sbs["testMethodID"], sbs["testMethod"], sbs["parentIndicator"]) == ("", "", "")
    kv40 = next(i for i in items if i["shortName"] == "ν40")
    assert (kv40["productTypeIDs"], kv40["productTypes"]) == ([], [])


def test_components_and_batches(catalog, demo_client):
    components = demo_client.get("/formula/catalogs/list/components").json()
    bitumen = next(c for c in components if c["guid"] == str(S(7)))
    assert bitumen == {
        "guid": str(S(7)),
        "name": "Битум БНД 70/100",
        "typeID": str(S(4)),
        "type_id": str(S(4)),
        "isCalculated": True,
    }
    assert demo_client.get("/formula/catalogs/list/batchOfComponents").json() == [
        {"guid": str(X(1001)), "name": "БНД 70/100, партия 2025/118", "componentID": str(S(7))},
        {"guid": str(X(1002)), "name": "СБС, партия 2025/07", "componentID": str(X(114))},
    ]


def test_venues_main_first(catalog, demo_client):
    Venue.objects.create(name="Аналитический центр")
    assert demo_client.get("/formula/catalogs/list/venues").json() == [
        {"guid": str(S(31)), "name": "Лаборатория НИЦ", "main": True},
        {"guid": str(Venue.objects.get(name="Аналитический центр").guid), "name": "Аналитический центр", "main": False},
        {"guid": str(S(32)), "name": "Производственная площадка № 1", "main": False},
        {"guid": str(S(33)), "name": "Производственная площадка № 2", "main": False},
    ]


def test_russian_order_without_icu(demo_client):
    for name in ("Яблоко", "Ёлка", "ежевика", "Апельсин"):
        ComponentGroup.objects.create(name=name)
    names = [i["name"] for i in demo_client.get("/formula/catalogs/list/componentGroups").json()]
    assert names == ["Апельсин", "ежевика", "Ёлка", "Яблоко"]


def test_users_lists_active_users_and_authors(demo_user, viewer_user, company, demo_client):
    from calculations.services.calculations import calculation_create

    retired = UserFactory(username="retired", company=company, first_name="Иван", last_name="Бывший")
    calculation_create(author=retired)
    retired.enabled = False
    retired.save()
    UserFactory(username="gone", company=company, enabled=False)
    body = demo_client.get("/formula/catalogs/list/users").json()
    assert body == [
        {"guid": str(demo_user.guid), "name": "Test Demo"},
        {"guid": str(viewer_user.guid), "name": "Test Viewer"},
        {"guid": str(retired.guid), "name": "Иван Бывший"},
    ]


def test_users_lists_only_the_requesters_company(demo_user, viewer_user, other_user, demo_client, other_client):
    """Issue 11: another company's users (authors included) are never listed."""
    from calculations.services.calculations import calculation_create

    calculation_create(author=other_user)
    UserFactory(username="other_colleague", company=other_user.company, first_name="Анна", last_name="Чужая")
    assert demo_client.get("/formula/catalogs/list/users").json() == [
        {"guid": str(demo_user.guid), "name": "Test Demo"},
        {"guid": str(viewer_user.guid), "name": "Test Viewer"},
    ]
    assert other_client.get("/formula/catalogs/list/users").json() == [
        {"guid": str(other_user.guid), "name": "Test Other"},
        {"guid": str(User.objects.get(username="other_colleague").guid), "name": "Анна Чужая"},
    ]


@pytest.mark.parametrize("rows", [3, 30])
def test_catalog_query_count_is_fixed(rows, demo_client, django_assert_max_num_queries):
    kind = ProductType.objects.create(name="T")
    for n in range(rows):
        ComponentGroup.objects.create(name=f"Группа {n}")
        indicator = Indicator.objects.create(name=f"Показатель {n}", ordinal=n)
        indicator.product_types.add(kind)
    demo_client.get("/formula/catalogs/list/units")  # warm the per-request permission cache path
    for name in ("componentGroups", "indicators", "users"):
        # 1 token user + 2 permission lookups + 1 catalog query
        with django_assert_max_num_queries(4):
            assert demo_client.get(f"/formula/catalogs/list/{name}").status_code == 200


def test_current_user(demo_user, demo_client):
    assert demo_client.get("/formula/catalogs/users/current").json() == {
        "guid": str(demo_user.guid),
        "name": "Test Demo",
    }


def test_access_role_per_actor(demo_client, viewer_client, admin_client_api, company):
    from tests.conftest import bearer_client

    assert demo_client.get("/formula/catalogs/users/access-role").json() == {
        "guid": "00000000-0000-0000-0000-000000000999",
        "name": "Технолог",
        "actions": ["FULL_ACCESS_WRITE", "FULL_ACCESS_READ"],
    }
    assert viewer_client.get("/formula/catalogs/users/access-role").json() == {
        "guid": "00000000-0000-0000-0001-000000000998",
        "name": "Наблюдатель",
        "actions": ["FULL_ACCESS_READ"],
    }
    assert admin_client_api.get("/formula/catalogs/users/access-role").json() == {
        "guid": "",
        "name": "Администратор",
        "actions": ["FULL_ACCESS_WRITE", "FULL_ACCESS_READ"],
    }
    nobody = bearer_client(UserFactory(username="nobody", company=company))
    response = nobody.get("/formula/catalogs/users/access-role")
    assert (response.status_code, response.json()) == (200, {"guid": "", "name": "", "actions": []})
    assert nobody.get("/formula/catalogs/list/units").status_code == 403
    both = bearer_client(UserFactory(username="both", company=company, groups=["Наблюдатель", "Технолог"]))
    assert both.get("/formula/catalogs/users/access-role").json()["name"] == "Технолог"


def test_anonymous_gets_401(api_client):
    response = api_client.get("/formula/catalogs/list/units")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == "Bearer"
