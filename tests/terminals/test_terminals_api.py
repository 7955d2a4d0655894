"""``/api/v1/terminals/``: every command of the seed, with its status and whole body."""

from __future__ import annotations

import pytest

from terminals.models import Terminal
from tests.terminals.helpers import BASE, row

pytestmark = pytest.mark.django_db


def stored(company):
    return sorted(Terminal.objects.filter(company=company).values_list("terminal_id", "shop__shop_id", "name"))


FIELDS = {
    "url": {"type": "field", "required": False, "read_only": True},
    "terminal_id": {"type": "string", "required": True, "read_only": False, "max_length": 50},
    "name": {"type": "string", "required": True, "read_only": False, "label": "name", "max_length": 100},
    "shop_id": {"type": "string", "required": True, "read_only": False, "max_length": 50},
    "shop_url": {"type": "field", "required": False, "read_only": True},
}
RENDERS = ["application/json", "text/html"]
PARSES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]


def test_list_page_of_two_has_absolute_next_keeping_parameters(demo_client, terminals):
    response = demo_client.get("/api/v1/terminals/?format=json&page_size=2")
    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "next": f"{BASE}/terminals/?format=json&page=2&page_size=2",
        "previous": None,
        "results": [row("1-1", "Kassa 1", "1"), row("1-2", "Kassa 2", "1")],
    }
    assert set(response["Allow"].split(", ")) == {"GET", "POST", "HEAD", "OPTIONS"}
    assert "Accept" in response["Vary"]
    second = demo_client.get(response.json()["next"])
    assert second.json() == {
        "count": 3,
        "next": None,
        "previous": f"{BASE}/terminals/?format=json&page_size=2",
        "results": [row("2-1", "Kassa 1", "2")],
    }


def test_empty_collection_with_slash_dot_json_suffix(demo_client, terminals):
    response = demo_client.get("/api/v1/terminals/.json/?search=unknown-shop_id")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    "path", ["/api/v1/terminals/.json", "/api/v1/terminals.json", "/api/v1/terminals.json/", "/api/v1/terminals"]
)
def test_every_list_spelling_answers_the_list(demo_client, terminals, path):
    response = demo_client.get(path)
    assert (response.status_code, response.json()) == (
        200,
        {
            "count": 3,
            "next": None,
            "previous": None,
            "results": [row("1-1", "Kassa 1", "1"), row("1-2", "Kassa 2", "1"), row("2-1", "Kassa 1", "2")],
        },
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/terminals/1-1/",
        "/api/v1/terminals/1-1/.json",
        "/api/v1/terminals/1-1.json",
        "/api/v1/terminals/1-1.json/",
        "/api/v1/terminals/1-1/.json/",
        "/api/v1/terminals/1-1",
        "/api/v1/terminals/1-1/?format=json",
    ],
)
def test_every_detail_spelling_answers_the_object(demo_client, terminals, path):
    response = demo_client.get(path)
    assert response.status_code == 200
    assert response.json() == row("1-1", "Kassa 1", "1")
    assert set(response["Allow"].split(", ")) == {"GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/terminals/?format=api",
        "/api/v1/terminals/.api",
        "/api/v1/terminals/1-1/.api",
        "/api/v1/terminals/1-1.api",
    ],
)
def test_browsable_api_renders_html(demo_client, terminals, path):
    response = demo_client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"Kassa 1" in response.content


def test_unknown_format_is_not_found(demo_client, terminals):
    response = demo_client.get("/api/v1/terminals/?format=xml")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found"})


def test_ids_with_dots_are_ids_not_suffixes(demo_client, shops, company):
    response = demo_client.post(
        "/api/v1/terminals/", {"terminal_id": "1.2", "shop_id": "1", "name": "Dot"}, format="json"
    )
    assert response.status_code == 201
    assert response["Location"] == f"{BASE}/terminals/1.2/"
    for path in (
        "/api/v1/terminals/1.2/",
        "/api/v1/terminals/1.2",
        "/api/v1/terminals/1.2.json",
        "/api/v1/terminals/1.2/.json",
    ):
        got = demo_client.get(path)
        assert (path, got.status_code, got.json()) == (path, 200, row("1.2", "Dot", "1"))
    assert demo_client.get("/api/v1/terminals/1.json").json() == {"detail": "Not found"}


def test_missing_terminal_is_not_found_without_full_stop(demo_client, terminals):
    response = demo_client.get("/api/v1/terminals/CAT11/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found"})


def test_head_answers_headers_only(demo_client, terminals):
    for path in ("/api/v1/terminals/", "/api/v1/terminals/1-1/"):
        response = demo_client.head(path)
        assert response.status_code == 200
        assert response.content == b""


def test_options_list_is_the_seeds_body(demo_client):
    response = demo_client.options("/api/v1/terminals/")
    assert response.status_code == 200
    assert response.json() == {
        "name": "Terminal List",
        "description": "Terminals",
        "renders": RENDERS,
        "parses": PARSES,
        "actions": {"POST": FIELDS},
    }


def test_options_detail_is_the_seeds_body(demo_client, terminals):
    response = demo_client.options("/api/v1/terminals/1-1/")
    assert response.status_code == 200
    assert response.json() == {
        "name": "Terminal Instance",
        "description": "my Terminal doc",
        "renders": RENDERS,
        "parses": PARSES,
        "actions": {"PUT": FIELDS},
    }


def test_single_post_inserts_with_location(demo_client, terminals, company):
    response = demo_client.post(
        "/api/v1/terminals/.json", {"terminal_id": "1-4", "shop_id": "1", "name": "New terminal"}, format="json"
    )
    assert response.status_code == 201
    assert response.json() == {"updated": 0, "inserted": 1}
    assert response["Location"] == f"{BASE}/terminals/1-4/"
    assert ("1-4", "1", "New terminal") in stored(company)


def test_single_post_of_existing_id_replaces_it(demo_client, terminals, company):
    response = demo_client.post(
        "/api/v1/terminals/?format=json", {"terminal_id": "1-1", "shop_id": "2", "name": "Moved"}, format="json"
    )
    assert (response.status_code, response.json()) == (201, {"updated": 1, "inserted": 0})
    assert response["Location"] == f"{BASE}/terminals/1-1/"
    assert stored(company) == [("1-1", "2", "Moved"), ("1-2", "1", "Kassa 2"), ("2-1", "2", "Kassa 1")]


def test_form_encoded_post_works(demo_client, shops, company):
    response = demo_client.post("/api/v1/terminals/", {"terminal_id": "F1", "shop_id": "1", "name": "Form"})
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 1})
    assert stored(company) == [("F1", "1", "Form")]


@pytest.mark.parametrize("name", ["", "   ", None])
def test_blank_name_is_required_and_nothing_written(demo_client, terminals, company, name):
    before = stored(company)
    response = demo_client.post(
        "/api/v1/terminals/", {"terminal_id": "1-9", "shop_id": "1", "name": name}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"name": ["This field is required."]})
    assert stored(company) == before


def test_bulk_post_inserts_and_has_no_location(demo_client, terminals, company):
    items = [
        {"terminal_id": "1-4", "shop_id": "1", "name": "Terminal 4"},
        {"terminal_id": "2-1", "shop_id": "2", "name": "Kassa 1"},
        {"terminal_id": "2-2", "shop_id": "2", "name": "Kassa 2"},
    ]
    response = demo_client.post("/api/v1/terminals/.json", items, format="json")
    assert (response.status_code, response.json()) == (201, {"updated": 1, "inserted": 2})
    assert "Location" not in response
    assert stored(company) == [
        ("1-1", "1", "Kassa 1"),
        ("1-2", "1", "Kassa 2"),
        ("1-4", "1", "Terminal 4"),
        ("2-1", "2", "Kassa 1"),
        ("2-2", "2", "Kassa 2"),
    ]


def test_bulk_error_is_a_list_per_item_and_nothing_is_written(demo_client, terminals, company):
    before = stored(company)
    items = [
        {"terminal_id": "1-4", "shop_id": "1", "name": "Terminal 4"},
        {"terminal_id": "2-1", "shop_id": "33", "name": "Kassa 1"},
        {"terminal_id": "2-2", "shop_id": "2", "name": "Kassa 2"},
    ]
    response = demo_client.post("/api/v1/terminals/", items, format="json")
    assert (response.status_code, response.json()) == (400, [{}, {"shop_id": ["Shop with id=33 does not exist"]}, {}])
    assert stored(company) == before


def test_bulk_of_one_is_still_a_list(demo_client, shops):
    response = demo_client.post("/api/v1/terminals/", [{"terminal_id": "x", "shop_id": "1"}], format="json")
    assert (response.status_code, response.json()) == (400, [{"name": ["This field is required."]}])
    ok = demo_client.post("/api/v1/terminals/", [{"terminal_id": "x", "shop_id": "1", "name": "X"}], format="json")
    assert (ok.status_code, ok.json(), "Location" in ok) == (201, {"updated": 0, "inserted": 1}, False)


def test_every_field_error_is_reported(demo_client, shops):
    items = [
        "not an object",
        {"terminal_id": "x" * 51, "shop_id": ["1"], "name": "n" * 101},
        {"terminal_id": "a/b", "shop_id": "1", "name": "bad\x00name"},
        {"terminal_id": True, "shop_id": {"a": 1}, "name": 5},
    ]
    response = demo_client.post("/api/v1/terminals/", items, format="json")
    assert response.status_code == 400
    assert response.json() == [
        {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]},
        {
            "terminal_id": ["Ensure this field has no more than 50 characters."],
            "shop_id": ["Not a valid string."],
            "name": ["Ensure this field has no more than 100 characters."],
        },
        {"terminal_id": ["Must not contain a slash."], "name": ["Null characters are not allowed."]},
        {"terminal_id": ["Not a valid string."], "shop_id": ["Not a valid string."]},
    ]


def test_numeric_ids_are_stored_as_strings(demo_client, shops, company):
    response = demo_client.post(
        "/api/v1/terminals/", [{"terminal_id": 34, "shop_id": 1, "name": "Numeric"}], format="json"
    )
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 1})
    assert stored(company) == [("34", "1", "Numeric")]


def test_duplicate_terminal_id_in_one_bulk_is_an_error_at_the_later_index(demo_client, shops, company):
    items = [
        {"terminal_id": "d", "shop_id": "1", "name": "A"},
        {"terminal_id": "e", "shop_id": "1", "name": "B"},
        {"terminal_id": "d", "shop_id": "2", "name": "C"},
    ]
    response = demo_client.post("/api/v1/terminals/", items, format="json")
    assert (response.status_code, response.json()) == (
        400,
        [{}, {}, {"terminal_id": ["Duplicate terminal_id in this request."]}],
    )
    assert stored(company) == []


def test_same_name_twice_in_one_shop_in_one_bulk_is_an_error(demo_client, shops, company):
    items = [{"terminal_id": "a", "shop_id": "1", "name": "Same"}, {"terminal_id": "b", "shop_id": "1", "name": "Same"}]
    response = demo_client.post("/api/v1/terminals/", items, format="json")
    assert (response.status_code, response.json()) == (
        400,
        [{}, {"non_field_errors": ["Terminal with this Shop and Name already exists."]}],
    )
    assert stored(company) == []


def test_name_taken_by_a_terminal_not_in_the_request_is_an_error(demo_client, terminals, company):
    before = stored(company)
    response = demo_client.post(
        "/api/v1/terminals/", {"terminal_id": "1-9", "shop_id": "1", "name": "Kassa 2"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["Terminal with this Shop and Name already exists."]},
    )
    assert stored(company) == before


def test_names_are_judged_on_the_final_state_so_a_swap_works(demo_client, terminals, company):
    items = [
        {"terminal_id": "1-1", "shop_id": "1", "name": "Kassa 2"},
        {"terminal_id": "1-2", "shop_id": "1", "name": "Kassa 1"},
    ]
    response = demo_client.post("/api/v1/terminals/", items, format="json")
    assert (response.status_code, response.json()) == (201, {"updated": 2, "inserted": 0})
    assert stored(company) == [("1-1", "1", "Kassa 2"), ("1-2", "1", "Kassa 1"), ("2-1", "2", "Kassa 1")]


def test_name_freed_by_a_move_in_the_same_bulk_can_be_taken(demo_client, terminals, company):
    items = [
        {"terminal_id": "1-2", "shop_id": "3", "name": "Kassa 2"},
        {"terminal_id": "1-7", "shop_id": "1", "name": "Kassa 2"},
    ]
    response = demo_client.post("/api/v1/terminals/", items, format="json")
    assert (response.status_code, response.json()) == (201, {"updated": 1, "inserted": 1})
    assert ("1-7", "1", "Kassa 2") in stored(company)
    assert ("1-2", "3", "Kassa 2") in stored(company)


@pytest.mark.parametrize("body", ["[1, 2", "{"])
def test_malformed_json_is_a_400(demo_client, body):
    response = demo_client.post("/api/v1/terminals/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_too_many_items_is_a_400(demo_client, shops, settings):
    items = [{"terminal_id": str(i), "shop_id": "1", "name": str(i)} for i in range(10_001)]
    response = demo_client.post("/api/v1/terminals/", items, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["Ensure this field has no more than 10000 elements."]},
    )
