"""The parts every API style shares (common/api_styles/base.py): how a domain error's status and
headers are chosen, the one error pipeline, the input policy and the paginators' ordering guard.
Each style's own shapes are tested in tests/common/test_style_<style>.py."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from rest_framework import exceptions, serializers
from rest_framework.test import APIRequestFactory

from common import exceptions as domain
from common.api_styles.base import (
    ApiStyle,
    InputPolicy,
    QuerySetNotOrdered,
    auth_headers,
    ensure_ordered,
    status_of,
)
from common.fields import StrictCharField, StrictIntegerField


class EchoStyle(ApiStyle):
    """A style whose body is ``{"error": <class name>, "message": ...}``."""

    name = "echo"
    prefixes = ("/echo/",)

    def body(self, exc, status, context):
        return {"error": type(exc).__name__, "message": str(getattr(exc, "message", exc))}


class LastWinsStyle(EchoStyle):
    input_policy = InputPolicy(repeated="last", blank="absent", refuse_nul_in_path=True)


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (domain.ApplicationError("x"), 400),
        (domain.FieldErrors({"name": ["bad"]}), 400),
        (domain.ItemErrors([{}, {"name": ["bad"]}]), 400),
        (domain.NotFoundError("x", resource="thing"), 404),
        (domain.ConflictError("x"), 409),
        (domain.NotAllowedError("x"), 403),
        (domain.InvalidCredentialsError(), 401),
        (domain.RateLimitedError(retry_after=3), 429),
        (domain.UpstreamError(), 502),
        (exceptions.NotFound(), 404),
        (exceptions.Throttled(4), 429),
    ],
)
def test_each_error_class_has_its_status(exc, status):
    assert status_of(exc) == status


def test_a_style_may_answer_a_domain_error_with_another_status():
    class Quiet(EchoStyle):
        statuses = {**EchoStyle.statuses, domain.RateLimitedError: 400}

    answer = Quiet().answer(domain.RateLimitedError("slow down", retry_after=7), {"request": None, "view": None})
    assert (answer.status, answer.body, dict(answer.headers)) == (
        400,
        {"error": "RateLimitedError", "message": "slow down"},
        {"Retry-After": "7"},
    )


@pytest.mark.parametrize(
    ("exc", "headers"),
    [
        (exceptions.NotAuthenticated(), {"WWW-Authenticate": "Bearer"}),
        (exceptions.AuthenticationFailed(), {"WWW-Authenticate": "Bearer"}),
        (domain.InvalidCredentialsError(), {"WWW-Authenticate": "Bearer"}),
        (exceptions.Throttled(2.2), {"Retry-After": "3"}),  # DRF rounds a wait up
        (domain.RateLimitedError(retry_after=5), {"Retry-After": "5"}),
        (domain.NotFoundError(), {}),
    ],
)
def test_refused_logins_and_throttles_carry_their_headers(exc, headers):
    assert auth_headers(exc) == headers


def test_domain_errors_carry_no_wire_attributes():
    exc = domain.FieldErrors({"product": ["Unknown product."]})
    assert (exc.fields, str(exc)) == ({"product": ["Unknown product."]}, "Invalid input.")
    assert not hasattr(exc, "body") and not hasattr(exc, "auth_header")


def test_the_pipeline_answers_normalized_exceptions_and_leaves_bugs_to_handler500():
    style = EchoStyle()
    response = style.exception_handler(domain.ConflictError("taken"), {"request": None, "view": None})
    assert (response.status_code, response.data) == (409, {"error": "ConflictError", "message": "taken"})
    assert style.exception_handler(KeyError("bug"), {"request": None, "view": None}) is None


def test_json_answer_outside_drf_is_the_same_shape():
    response = EchoStyle().page_not_found(APIRequestFactory().get("/echo/nowhere"))
    assert (response.status_code, response.content) == (404, b'{"error": "NotFound", "message": "Not found."}')


class PageQuery(serializers.Serializer):
    limit = StrictIntegerField(required=False, min_value=1)
    name = StrictCharField(required=False)
    ids = serializers.ListField(child=StrictIntegerField(), required=False)


@pytest.mark.parametrize(
    ("style", "query", "data", "errors"),
    [
        (EchoStyle(), "limit=1&limit=2", {}, {"limit": ["Expected a single value."]}),
        (LastWinsStyle(), "limit=1&limit=2", {"limit": "2"}, {}),
        (EchoStyle(), "ids=1&ids=2", {"ids": ["1", "2"]}, {}),
        (LastWinsStyle(), "ids=1&ids=2", {"ids": ["1", "2"]}, {}),
        (EchoStyle(), "name=", {"name": ""}, {}),
        (LastWinsStyle(), "name=", {}, {}),
    ],
)
def test_query_data_follows_the_policy(style, query, data, errors):
    assert style.query_data(QueryDict(query), PageQuery) == (data, errors)


def test_parse_query_reads_text_integers_and_names_every_bad_parameter():
    request = APIRequestFactory().get("/echo/", {"limit": "7"})
    from rest_framework.request import Request

    assert EchoStyle().parse_query(Request(request), PageQuery) == {"limit": 7}
    bad = Request(APIRequestFactory().get("/echo/?limit=1.0&name=a&name=b"))
    with pytest.raises(exceptions.ValidationError) as caught:
        EchoStyle().parse_query(bad, PageQuery)
    assert caught.value.detail == {"name": ["Expected a single value."], "limit": ["A valid integer is required."]}


@pytest.mark.parametrize(
    ("accept_text", "text_input", "value", "valid"),
    [
        (None, True, "12", True),
        (None, False, "12", False),
        (True, False, "12", True),
        (False, True, "12", False),
        (None, True, "1.0", False),
        (None, True, " 1", False),
        (None, True, "١", False),  # another script's digit
        (None, False, 12, True),
        (None, False, 12.0, True),
        (None, False, 12.5, False),
        (None, False, True, False),
    ],
)
def test_strict_integer_field_reads_text_only_where_the_policy_says(accept_text, text_input, value, valid):
    class One(serializers.Serializer):
        n = StrictIntegerField(accept_text=accept_text)

    assert One(data={"n": value}, context={"text_input": text_input}).is_valid() is valid


@pytest.mark.parametrize(("value", "valid"), [("a", True), (0, False), (True, False), (None, False), (["a"], False)])
def test_strict_char_field_takes_strings_only(value, valid):
    class One(serializers.Serializer):
        s = StrictCharField()

    assert One(data={"s": value}).is_valid() is valid


def test_nul_in_a_path_value_is_refused_only_where_the_policy_says():
    EchoStyle().check_path({"pk": "a\x00b"})
    with pytest.raises(exceptions.ValidationError) as caught:
        LastWinsStyle().check_path({"pk": "a\x00b", "other": "fine"})
    assert caught.value.detail == {"pk": ["Null characters are not allowed."]}


@pytest.mark.django_db
def test_an_unordered_queryset_is_refused_by_the_paginators_guard():
    from django.contrib.auth.models import Group

    ensure_ordered(Group.objects.order_by("name"))
    ensure_ordered(Group.objects.order_by("name").values("name"))
    ensure_ordered([1, 2, 3])
    with pytest.raises(QuerySetNotOrdered):
        ensure_ordered(Group.objects.all())


def test_responses_lists_the_asked_codes_and_those_always_documented():
    from drf_spectacular.utils import OpenApiResponse

    class Documented(EchoStyle):
        error_responses = {code: OpenApiResponse(description=str(code)) for code in (400, 401, 404)}
        always_documented = (401,)

    assert list(Documented().responses(404, 400)) == [400, 401, 404]


def test_a_style_or_paginator_without_its_part_cannot_be_made():
    from common.api_styles.base import StylePagination

    class NoBody(ApiStyle):
        name = "nobody"

    class NoPage(StylePagination):
        pass

    with pytest.raises(TypeError, match="body"):
        NoBody()
    with pytest.raises(TypeError, match="page"):
        NoPage()
