"""The datawiz style on its own: its paginator and how it renders domain errors (no views)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from common.api_styles.base import QuerySetNotOrdered
from common.api_styles.datawiz import STYLE, DatawizPagination, OAuthError
from common.exceptions import ConflictError, FieldErrors, ItemErrors, NotFoundError
from terminals.models import Terminal

ROWS = list(range(1, 251))  # an ordered sequence of 250 rows
URL = "http://testserver/api/v1/terminals/"


def get(query: str = "") -> Request:
    return Request(APIRequestFactory().get(f"/api/v1/terminals/{query}"))


def page_of(query: str = "", rows=ROWS):
    paginator = DatawizPagination()
    results = paginator.paginate_queryset(rows, get(query))
    return paginator.get_paginated_response(results).data


def answer(exc, request=None):
    request = request or get()
    request.user = AnonymousUser()
    response = STYLE.exception_handler(exc, {"request": request, "view": None})
    return response.status_code, response.data


# --- the paginator ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first", "size", "next_link", "previous_link"),
    [
        ("", 1, 100, f"{URL}?page=2", None),
        ("?page=&page_size=", 1, 100, f"{URL}?page=2&page_size=", None),
        ("?page=2", 101, 100, f"{URL}?page=3", URL),
        ("?page=3", 201, 50, None, f"{URL}?page=2"),
        ("?page_size=1000", 1, 250, None, None),
        ("?page_size=1&page=250", 250, 1, None, f"{URL}?page=249&page_size=1"),
        ("?page=1&page=2", 101, 100, f"{URL}?page=3", URL),  # the last repeated value wins
        ("?page=03", 201, 50, None, f"{URL}?page=2"),
        ("?page=%2B2", 101, 100, f"{URL}?page=3", URL),  # a sign, as DRF 2's int() read it
        # links keep every other parameter (sorted, as DRF writes them)
        (
            "?search=a&page=2&page_size=10&ordering=-name",
            11,
            10,
            f"{URL}?ordering=-name&page=3&page_size=10&search=a",
            f"{URL}?ordering=-name&page_size=10&search=a",
        ),
    ],
)
def test_page_and_page_size_select_the_rows(query, first, size, next_link, previous_link):
    body = page_of(query)
    assert (body["count"], body["results"][0], len(body["results"])) == (250, first, size)
    assert (body["next"], body["previous"]) == (next_link, previous_link)


def test_a_page_is_the_seeds_envelope_in_order():
    assert list(page_of("?page_size=2")) == ["count", "next", "previous", "results"]


def test_an_empty_list_is_one_empty_page():
    assert page_of(rows=[]) == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("?page=x", {"page": ["A valid integer is required."]}),
        ("?page=1.0", {"page": ["A valid integer is required."]}),
        ("?page=%205", {"page": ["A valid integer is required."]}),
        ("?page=%D9%A5", {"page": ["A valid integer is required."]}),
        ("?page=0", {"page": ["Ensure this value is greater than or equal to 1."]}),
        ("?page=-1", {"page": ["Ensure this value is greater than or equal to 1."]}),
        ("?page_size=0", {"page_size": ["Ensure this value is greater than or equal to 1."]}),
        ("?page_size=1001", {"page_size": ["Ensure this value is less than or equal to 1000."]}),
        ("?page_size=ten", {"page_size": ["A valid integer is required."]}),
    ],
)
def test_a_malformed_parameter_is_a_400_naming_it(query, errors):
    with pytest.raises(exceptions.ValidationError) as raised:
        page_of(query)
    assert answer(raised.value) == (400, errors)


@pytest.mark.parametrize("query", ["?page=4", "?page=2&page_size=1000", "?page=99999999999"])
def test_a_page_past_the_end_is_the_404_body(query):
    with pytest.raises(exceptions.NotFound) as raised:
        page_of(query)
    assert answer(raised.value) == (404, {"detail": "Not found"})


def test_an_unordered_queryset_is_refused():
    with pytest.raises(QuerySetNotOrdered):
        page_of(rows=Terminal.objects.order_by())


def test_the_documented_parameters_are_the_paginators_bounds():
    page, size = DatawizPagination().get_schema_operation_parameters(view=None)
    assert (page["name"], size["name"]) == ("page", "page_size")
    assert size["schema"]["oneOf"][0] == {"type": "integer", "minimum": 1, "maximum": DatawizPagination.max_page_size}


# --- error rendering ----------------------------------------------------------------------


def posted(body, *, form: bool = False) -> Request:
    factory = APIRequestFactory()
    if form:
        raw = factory.post("/api/v1/terminals/", urlencode(body), content_type="application/x-www-form-urlencoded")
        return Request(raw, parsers=[FormParser()])
    raw = factory.post("/api/v1/terminals/", json.dumps(body), content_type="application/json")
    return Request(raw, parsers=[JSONParser()])


NAME = {"name": ["This field is required."]}
SHOP = {"shop_id": ["Shop with id=33 does not exist"]}


@pytest.mark.parametrize(
    ("exc", "request_body", "status", "body"),
    [
        (ItemErrors([NAME]), {"name": ""}, 400, NAME),
        (ItemErrors([NAME]), [{"name": ""}], 400, [NAME]),
        (ItemErrors([{}, NAME, SHOP]), [{}, {}, {}], 400, [{}, NAME, SHOP]),
        # equal entries name their item: the client finds failed items by equality
        (ItemErrors([SHOP, {}, SHOP]), [{}, {}, {}], 400, [{**SHOP, "index": 0}, {}, {**SHOP, "index": 2}]),
        (ItemErrors([SHOP]), {"shop_id": "33"}, 400, SHOP),
        (FieldErrors({"terminal_id": ["Terminal with this Terminal id already exists."]}), {}, 400,
         {"terminal_id": ["Terminal with this Terminal id already exists."]}),
        (FieldErrors({"non_field_errors": ["x"]}), [{}], 400, {"non_field_errors": ["x"]}),
        (NotFoundError(), None, 404, {"detail": "Not found"}),
        (exceptions.NotFound(), None, 404, {"detail": "Not found"}),
        (ConflictError("Нельзя удалить терминал, который используется в чеках"), None, 409,
         {"detail": "Нельзя удалить терминал, который используется в чеках"}),
        (OAuthError("invalid_grant", "Invalid credentials given."), None, 400,
         {"error": "invalid_grant", "error_description": "Invalid credentials given."}),
        (exceptions.ValidationError([{}, NAME]), [{}, {}], 400, [{}, NAME]),
    ],
)  # fmt: skip
def test_errors_are_rendered_for_what_was_posted(exc, request_body, status, body):
    request = get() if request_body is None else posted(request_body)
    assert answer(exc, request) == (status, body)


def test_item_errors_of_a_form_are_the_single_items_dict():
    assert answer(ItemErrors([NAME]), posted({"name": ""}, form=True)) == (400, NAME)


def test_pages_outside_drf_keep_the_shape():
    request = APIRequestFactory().get("/api/v1/terminals/nowhere/x/")
    not_found, failed = STYLE.page_not_found(request), STYLE.server_error(request)
    assert (not_found.status_code, json.loads(not_found.content)) == (404, {"detail": "Not found"})
    assert (failed.status_code, json.loads(failed.content)) == (500, {"detail": "Internal server error"})
