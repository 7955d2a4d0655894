"""The formula style on its own: error bodies, field-error renaming, the ordinal paginator."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from calculations.serializers import CalculationListInputSerializer, CalculationWriteInputSerializer
from common.api_styles.base import QuerySetNotOrdered
from common.api_styles.formula import STYLE, OrdinalPagination
from common.exceptions import FieldErrors, NotAllowedError, NotFoundError

pytestmark = pytest.mark.django_db


def handle(exc, view=None):
    request = APIRequestFactory().get("/")
    request.user = AnonymousUser()
    response = STYLE.exception_handler(exc, {"request": request, "view": view})
    return response.status_code, response.data


HANDLER_TABLE = [
    (exceptions.ValidationError({"name": ["This field is required."]}), 400, {"name": ["This field is required."]}),
    (DjangoValidationError({"name": "Bad."}), 400, {"name": ["Bad."]}),
    (NotFoundError("Calculation not found."), 404, {"detail": "Calculation not found."}),
    # Without a view that read a body, field errors keep the names they were raised with.
    (FieldErrors({"productID": ["Unknown."]}), 400, {"productID": ["Unknown."]}),
    (
        NotAllowedError("Only the author may change this calculation."),
        403,
        {"detail": "Only the author may change this calculation."},
    ),  # fmt: skip
    (exceptions.NotAuthenticated(), 401, {"detail": "Authentication credentials were not provided."}),
    (exceptions.PermissionDenied(), 403, {"detail": "You do not have permission to perform this action."}),
]


@pytest.mark.parametrize(("exc", "status", "body"), HANDLER_TABLE)
def test_formula_handler_table(exc, status, body):
    assert handle(exc) == (status, body)


WRITE_VIEW = SimpleNamespace(body_serializer_class=CalculationWriteInputSerializer)

RENAMING_TABLE = [
    ({"product": ["m"]}, {"productID": ["m"]}),
    ({"norm_tech_doc": ["m"], "specification": ["n"]}, {"normTechDocID": ["m"], "specificationID": ["n"]}),
    ({"source_guid": ["m"]}, {"calculationID": ["m"]}),
    ({"comment": ["m"]}, {"comment": ["m"]}),  # the same name on both sides
    (
        {"components": [{}, {"component": ["m"], "component_type": ["n"], "mass_percent_max": ["o"]}]},
        {"components": [{}, {"componentID": ["m"], "componentTypeID": ["n"], "massPercentMax": ["o"]}]},
    ),
    (
        {"components": [{"indicators": [{}, {"indicator": ["m"]}]}]},
        {"components": [{"indicators": [{}, {"indicatorID": ["m"]}]}]},
    ),
    (
        {"technical_requirements": [{"standard_value_max": ["m"]}, {"indicator": ["n"]}]},
        {"technicalRequirements": [{"standardValueMax": ["m"]}, {"indicatorID": ["n"]}]},
    ),
    ({"unmapped": ["m"]}, {"unmapped": ["m"]}),
]


@pytest.mark.parametrize(("fields", "body"), RENAMING_TABLE)
def test_field_errors_answer_the_wire_names_of_the_view_body(fields, body):
    assert handle(FieldErrors(fields), WRITE_VIEW) == (400, body)


@pytest.fixture
def groups(db):
    Group.objects.bulk_create(Group(name=f"g{n:02d}") for n in range(1, 26))
    return Group.objects.filter(name__startswith="g").order_by("name")


PAGE_TABLE = [
    # (page parameters, offset, limit, names of the page, queries: the page, and a count
    # unless the page shows the end of the list)
    ({}, 0, 20, [f"g{n:02d}" for n in range(1, 21)], 2),
    ({"currentQuantity": 0, "defaultQuantity": 3}, 0, 3, ["g01", "g02", "g03"], 2),
    ({"currentQuantity": 1, "defaultQuantity": 3}, 0, 3, ["g01", "g02", "g03"], 2),
    ({"currentQuantity": 21, "defaultQuantity": 20}, 20, 20, ["g21", "g22", "g23", "g24", "g25"], 1),
    ({"currentQuantity": None, "defaultQuantity": None}, 0, 20, [f"g{n:02d}" for n in range(1, 21)], 2),
    ({"currentQuantity": 5, "defaultQuantity": 0}, 4, 0, [], 1),  # 0: the count only
    ({"currentQuantity": 100, "defaultQuantity": 5}, 99, 5, [], 2),  # past the end
]


@pytest.mark.parametrize(("params", "offset", "limit", "names", "queries"), PAGE_TABLE)
def test_ordinal_paginator_table(groups, django_assert_num_queries, params, offset, limit, names, queries):
    paginator = OrdinalPagination()
    view = SimpleNamespace(validated_body=params, results_key="groups")
    with django_assert_num_queries(queries):
        rows = paginator.paginate_queryset(groups, APIRequestFactory().post("/"), view=view)
    assert (paginator.offset, paginator.limit) == (offset, limit)
    response = paginator.get_paginated_response([g.name for g in rows])
    assert response.data == {"itemsCount": 25, "groups": names}


def test_ordinal_paginator_refuses_an_unordered_queryset(groups):
    view = SimpleNamespace(validated_body={}, results_key="groups")
    with pytest.raises(QuerySetNotOrdered):
        OrdinalPagination().paginate_queryset(Group.objects.all(), APIRequestFactory().post("/"), view=view)


def test_page_parameters_are_documented_by_the_list_body():
    fields = CalculationListInputSerializer().fields
    assert {"currentQuantity", "defaultQuantity"} <= set(fields)
    assert OrdinalPagination().get_schema_operation_parameters(None) == []
