"""POST /formula/calculations/list: filters, alias, dates, paging and search."""

from __future__ import annotations

import datetime as dt

import pytest

from calculations.models import Calculation
from calculations.reference import S, X
from calculations.services.calculations import calculation_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/formula/calculations/list"
UTC = dt.UTC


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def calcs(catalog, demo_user, company):
    """Four calculations like the demo set, plus one by another author."""
    petrov = UserFactory(username="petrov", company=company, first_name="Петр", last_name="Петров")
    made = {
        "pg": calculation_create(
            author=demo_user, create_date=at(2025, 7, 14, 14, 5, 16), comment="Подбор PG 64-22 из БНД 50/70",
            header={"product": S(37), "specification": S(40), "norm_tech_doc": S(48)},
        ),
        "pbv": calculation_create(
            author=demo_user, create_date=at(2025, 7, 15, 9, 30), comment="ПБВ 60 на концентрате СБС 9 %",
            header={"product": S(38), "specification": X(701), "norm_tech_doc": X(801)},
        ),
        "classic": calculation_create(
            author=petrov, create_date=at(2025, 7, 20, 7, 0), comment="Классическая рецептура полимерно-битумного вяжущего",
            header={"product": S(38), "specification": X(702), "norm_tech_doc": X(801)},
        ),
        "bnd": calculation_create(
            author=demo_user, create_date=at(2025, 7, 29, 12, 0), comment="Компаундирование битумов",
            header={"product": S(39)},
        ),
    }  # fmt: skip
    return made, petrov


def numbers(response) -> list[str]:
    return [row["number"] for row in response.json()["calculations"]]


def test_whole_body_and_order(calcs, demo_client, demo_user):
    (made, _) = calcs
    response = demo_client.post(URL, {"defaultQuantity": 2}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "itemsCount": 4,
        "calculations": [
            {
                "guid": str(made["bnd"].guid), "userID": str(demo_user.guid), "user": str(demo_user.guid),
                "number": "2025-0004", "create_date": "2025-07-29T12:00:00Z", "comment": "Компаундирование битумов",
                "product": "БНД 70/100", "specification": "", "normTechDoc": "", "requirementsTemplate": "",
            },
            {
                "guid": str(made["classic"].guid), "userID": str(calcs[1].guid), "user": str(calcs[1].guid),
                "number": "2025-0003", "create_date": "2025-07-20T07:00:00Z",
                "comment": "Классическая рецептура полимерно-битумного вяжущего", "product": "ПБВ 60",
                "specification": "Дороги III–IV категории", "normTechDoc": "ГОСТ Р 52056-2003",
                "requirementsTemplate": "ГОСТ Р 52056-2003",
            },
        ],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({}, ["2025-0004", "2025-0003", "2025-0002", "2025-0001"]),
        ({"productIDs": [str(S(38))]}, ["2025-0003", "2025-0002"]),
        ({"productIDs": str(S(37))}, ["2025-0001"]),
        ({"productIDs": []}, ["2025-0004", "2025-0003", "2025-0002", "2025-0001"]),
        ({"productIDs": None, "search": ""}, ["2025-0004", "2025-0003", "2025-0002", "2025-0001"]),
        ({"specificationIDs": [str(X(702)), str(S(40))]}, ["2025-0003", "2025-0001"]),
        ({"normTechDocIDs": [str(X(801))]}, ["2025-0003", "2025-0002"]),
        ({"requirementsTemplateIDs": [str(S(48))]}, ["2025-0001"]),
        (
            {"normTechDocIDs": [str(X(801))], "requirementsTemplateIDs": [str(S(48))]},
            ["2025-0003", "2025-0002", "2025-0001"],
        ),
        ({"productIDs": [str(S(38))], "specificationIDs": [str(X(701))]}, ["2025-0002"]),
        ({"productIDs": [str(S(12345))]}, []),
        ({"create_date_start": "2025-07-15", "create_date_end": "2025-07-20"}, ["2025-0003", "2025-0002"]),
        (
            {"create_date_start": "2025-07-15T09:30:00Z", "create_date_end": "2025-07-20T07:00:00Z"},
            ["2025-0003", "2025-0002"],
        ),
        ({"create_date_start": "2025-07-15T09:30:01Z"}, ["2025-0004", "2025-0003"]),
        ({"create_date_end": "2025-07-14"}, ["2025-0001"]),
        # 2025-07-29T12:00Z is 15:00 in Moscow: a naive bound is read in TIME_ZONE.
        ({"create_date_start": "2025-07-29T15:00:00"}, ["2025-0004"]),
        ({"create_date_start": "2025-07-29T15:00:01"}, []),
        # Far-off bounds are clamped to 1900 … 9000 instead of overflowing.
        (
            {"create_date_start": "0001-01-01", "create_date_end": "9999-12-31"},
            ["2025-0004", "2025-0003", "2025-0002", "2025-0001"],
        ),
        (
            {"create_date_start": "0001-01-01T00:00:00+14:00", "create_date_end": "9999-12-31T23:59:59-12:00"},
            ["2025-0004", "2025-0003", "2025-0002", "2025-0001"],
        ),
        ({"create_date_end": "1899-12-31"}, []),
        (
            {"create_date_start": "", "create_date_end": None, "userIDs": ""},
            ["2025-0004", "2025-0003", "2025-0002", "2025-0001"],
        ),
    ],
)
def test_filters(calcs, demo_client, payload, expected):
    response = demo_client.post(URL, payload, format="json")
    assert response.status_code == 200, response.json()
    assert numbers(response) == expected
    assert response.json()["itemsCount"] == len(expected)


def test_user_filter(calcs, demo_client):
    _, petrov = calcs
    assert numbers(demo_client.post(URL, {"userIDs": [str(petrov.guid)]}, format="json")) == ["2025-0003"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("0001", ["2025-0001"]),
        ("пбв", ["2025-0003", "2025-0002"]),
        ("сбс", ["2025-0002"]),
        ("ПБВ 60", ["2025-0003", "2025-0002"]),
        ("битум", ["2025-0004", "2025-0003"]),  # "битумного": substring, which full text misses
        ("битумов", ["2025-0004"]),
        ("битумы", ["2025-0004"]),  # morphology: full text, which substring misses
        ("Петров", ["2025-0003"]),
        ("концентрате 2025", ["2025-0002"]),
        ("концентрате 0001", []),
        ("ГОСТ Р 58400", ["2025-0001"]),
        ("100%_", []),
    ],
)
def test_search(calcs, demo_client, search, expected):
    response = demo_client.post(URL, {"search": f"  {search} "}, format="json")
    assert response.status_code == 200
    assert numbers(response) == expected


@pytest.mark.parametrize(("current", "offset"), [(0, 0), (1, 0), (21, 20), (41, 40), (None, 0)])
def test_paging_maps_ordinals_to_offsets(demo_user, demo_client, current, offset):
    for n in range(45):
        calculation_create(author=demo_user, create_date=at(2025, 1, 1) + dt.timedelta(hours=n))
    ordered = list(Calculation.objects.order_by("-create_date").values_list("number", flat=True))
    response = demo_client.post(URL, {"currentQuantity": current, "defaultQuantity": 20}, format="json")
    assert response.json()["itemsCount"] == 45
    assert numbers(response) == ordered[offset : offset + 20]


def test_page_size_zero_and_default(demo_user, demo_client):
    for _ in range(22):
        calculation_create(author=demo_user)
    assert demo_client.post(URL, {"defaultQuantity": 0}, format="json").json() == {"itemsCount": 22, "calculations": []}
    assert len(demo_client.post(URL, {}, format="json").json()["calculations"]) == 20


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"currentQuantity": -1}, {"currentQuantity": ["Ensure this value is greater than or equal to 0."]}),
        ({"defaultQuantity": 1001}, {"defaultQuantity": ["Ensure this value is less than or equal to 1000."]}),
        ({"currentQuantity": "x"}, {"currentQuantity": ["A valid integer is required."]}),
        (
            {"create_date_start": "2025-07-20", "create_date_end": "2025-07-15"},
            {"create_date_start": ["Must not be after create_date_end."]},
        ),
        (
            {"create_date_end": "yesterday"},
            {"create_date_end": ["Use an ISO 8601 date or date-time, e.g. 2025-07-14 or 2025-07-14T14:05:16Z."]},
        ),  # fmt: skip
        ({"productIDs": ["nope"]}, {"productIDs": ["Must be a list of valid UUIDs."]}),
        ({"productIDs": 5}, {"productIDs": ["Must be a list of valid UUIDs."]}),
        (
            {"create_date_end": "вчера"},
            {"create_date_end": ["Use an ISO 8601 date or date-time, e.g. 2025-07-14 or 2025-07-14T14:05:16Z."]},
        ),  # fmt: skip
        ({"search": 0}, {"search": ["Not a valid string."]}),
        ({"search": "x" * 201}, {"search": ["Ensure this field has no more than 200 characters."]}),
    ],
)
def test_bad_input_is_400(demo_client, payload, errors):
    response = demo_client.post(URL, payload, format="json")
    assert (response.status_code, response.json()) == (400, errors)


@pytest.mark.parametrize(("rows", "size"), [(3, 1), (60, 50)])
def test_query_count_is_fixed(catalog, demo_user, demo_client, django_assert_max_num_queries, rows, size):
    for n in range(rows):
        calculation_create(author=demo_user, header={"product": S(38), "specification": X(701)}, comment=f"№{n}")
    demo_client.post(URL, {}, format="json")
    # token user + 2 permission lookups + count + page
    with django_assert_max_num_queries(5):
        response = demo_client.post(URL, {"defaultQuantity": size, "search": "ПБВ"}, format="json")
    assert len(response.json()["calculations"]) == size
