"""The unit_routes style on its own: its paginator and its input policy, as tables."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from common.api_styles.base import QuerySetNotOrdered
from common.api_styles.unit_routes import MAX_OFFSET, STYLE, EndOfListPagination, PageQuerySerializer
from common.exceptions import RateLimitedError
from common.fields import StrictIntegerField
from routes.models import Region

factory = APIRequestFactory()
VIEW = SimpleNamespace(results_key="things")


def get(query="") -> Request:
    return Request(factory.get(f"/routes/things/{query}"))


def paginate(rows, query=""):
    paginator = EndOfListPagination()
    page = paginator.paginate_queryset(rows, get(query), view=VIEW)
    return paginator.get_paginated_response(page).data


def errors_of(call) -> dict:
    with pytest.raises(exceptions.ValidationError) as caught:
        call()
    response = STYLE.exception_handler(caught.value, {"request": None, "view": None})
    assert response.status_code == 400
    assert response.data["message"] == "Validation error"
    return response.data["extra"]["fields"]


PAGES = [
    # (rows, query, expected rows, is_end_of_list_reached)
    (150, "", range(100), False),
    (100, "", range(100), True),
    (101, "", range(100), False),
    (6, "?limit=5", range(5), False),
    (5, "?limit=5", range(5), True),
    (10, "?limit=5&offset=5", range(5, 10), True),
    (10, "?limit=3&offset=8", range(8, 10), True),
    (10, "?offset=50", range(0), True),
    (0, "", range(0), True),
    (3, "?limit=%2B2", range(2), False),
    (3, "?limit=1&unrelated=x", range(1), False),
    (3, f"?offset={MAX_OFFSET}", range(0), True),
]


@pytest.mark.parametrize(("count", "query", "expected", "is_end"), PAGES)
def test_pages_follow_limit_and_offset(count, query, expected, is_end):
    assert paginate(list(range(count)), query) == {"things": list(expected), "is_end_of_list_reached": is_end}


BAD_PAGES = [
    ("?limit=0", {"limit": ["Ensure this value is greater than or equal to 1."]}),
    ("?limit=101", {"limit": ["Ensure this value is less than or equal to 100."]}),
    ("?offset=-1", {"offset": ["Ensure this value is greater than or equal to 0."]}),
    (f"?offset={MAX_OFFSET + 1}", {"offset": [f"Ensure this value is less than or equal to {MAX_OFFSET}."]}),
    ("?limit=many", {"limit": ["A valid integer is required."]}),
    ("?limit=", {"limit": ["A valid integer is required."]}),
    ("?offset=1.0", {"offset": ["A valid integer is required."]}),
    ("?limit=true", {"limit": ["A valid integer is required."]}),
    ("?limit=%D9%A3", {"limit": ["A valid integer is required."]}),  # a non-ASCII digit
    ("?limit=1&limit=2", {"limit": ["Expected a single value."]}),
    ("?unrelated=1&unrelated=2", {"unrelated": ["Expected a single value."]}),
    (
        "?limit=true&offset=0&offset=0",
        {"offset": ["Expected a single value."], "limit": ["A valid integer is required."]},
    ),
]


@pytest.mark.parametrize(("query", "fields"), BAD_PAGES)
def test_a_bad_page_parameter_is_a_validation_error_naming_it(query, fields):
    assert errors_of(lambda: paginate([1, 2, 3], query)) == fields


def test_an_unordered_queryset_is_refused_before_any_query():
    with pytest.raises(QuerySetNotOrdered):
        paginate(Region.objects.order_by())


def test_the_page_schema_uses_the_views_results_key():
    paginator = EndOfListPagination()
    paginator.view = VIEW
    schema = paginator.get_paginated_response_schema({"type": "array", "items": {"type": "integer"}})
    assert schema["required"] == ["is_end_of_list_reached", "things"]
    assert schema["properties"]["things"] == {"type": "array", "items": {"type": "integer"}}
    assert schema["properties"]["is_end_of_list_reached"]["type"] == "boolean"


def test_the_documented_parameters_are_the_validated_bounds():
    parameters = {p["name"]: p["schema"] for p in EndOfListPagination().get_schema_operation_parameters(VIEW)}
    assert parameters == {
        "limit": {"type": "integer", "maximum": 100, "minimum": 1, "default": 100},
        "offset": {"type": "integer", "maximum": MAX_OFFSET, "minimum": 0, "format": "int64", "default": 0},
    }


# --- input policy ------------------------------------------------------------------------------


class FilteredPageSerializer(PageQuerySerializer):
    region_id = StrictIntegerField(min_value=1, required=False)
    ids = serializers.ListField(child=StrictIntegerField(), required=False)
    name = serializers.CharField(required=False, allow_blank=True)


QUERIES = [
    ("", {"limit": 100, "offset": 0}),
    ("?region_id=7", {"limit": 100, "offset": 0, "region_id": 7}),
    ("?ids=1&ids=2", {"limit": 100, "offset": 0, "ids": [1, 2]}),
    ("?name=", {"limit": 100, "offset": 0, "name": ""}),  # a blank is a value: the field decides
]


@pytest.mark.parametrize(("query", "data"), QUERIES)
def test_a_query_string_is_read_by_the_policy(query, data):
    assert dict(STYLE.parse_query(get(query), FilteredPageSerializer)) == data


BAD_QUERIES = [
    ("?region_id=1&region_id=2", {"region_id": ["Expected a single value."]}),
    ("?region_id=x", {"region_id": ["A valid integer is required."]}),
    # Page and filter errors come in one body, as the original's single query model answered.
    (
        "?limit=0&region_id=0",
        {
            "limit": ["Ensure this value is greater than or equal to 1."],
            "region_id": ["Ensure this value is greater than or equal to 1."],
        },
    ),
    ("?ids=1&ids=x", {"ids": {1: ["A valid integer is required."]}}),
]


@pytest.mark.parametrize(("query", "fields"), BAD_QUERIES)
def test_a_bad_query_string_names_every_bad_parameter(query, fields):
    assert errors_of(lambda: STYLE.parse_query(get(query), FilteredPageSerializer)) == fields


class BodySerializer(serializers.Serializer):
    report_type_id = StrictIntegerField()


def post(data, fmt) -> Request:
    request = Request(
        factory.post("/routes/x/", data, format=fmt), parsers=[JSONParser(), FormParser(), MultiPartParser()]
    )
    request.user = AnonymousUser()
    return request


def test_a_json_body_must_send_json_integers():
    assert STYLE.parse_body(post({"report_type_id": 3}, "json"), BodySerializer) == {"report_type_id": 3}
    fields = errors_of(lambda: STYLE.parse_body(post({"report_type_id": "3"}, "json"), BodySerializer))
    assert fields == {"report_type_id": ["A valid integer is required."]}


def test_a_form_body_may_spell_integers_as_text():
    assert STYLE.parse_body(post({"report_type_id": "3"}, "multipart"), BodySerializer) == {"report_type_id": 3}


def test_a_nul_in_a_path_value_is_left_to_the_view():
    # "a\x00b" names no unit: the view answers its 404, not a 400 of the path.
    STYLE.check_path({"unit_name": "a\x00b"})


def test_a_rate_limited_error_is_a_400_with_retry_after():
    exc = RateLimitedError("Too many access code attempts. Try again in 7 seconds.", retry_after=7)
    response = STYLE.exception_handler(exc, {"request": None, "view": None})
    assert (response.status_code, response.data, response["Retry-After"]) == (
        400,
        {"message": "Too many access code attempts. Try again in 7 seconds.", "extra": {"retry_after": 7}},
        "7",
    )
