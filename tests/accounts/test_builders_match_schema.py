"""Every hand-built accounts body has exactly the fields of the serializer that documents it.

The bodies are plain dicts for speed (DECISIONS §7) while the schema comes from the output
serializers: this walks each answer, nested objects and list items too, against its
serializer, over data that fills every optional part (attributes with and without a
strategy, processes with requests and stored data, quotas, statistics).
"""

from datetime import UTC, datetime

import pytest
from rest_framework import serializers

from accounts.serializers import (
    AccountAuditResultSerializer,
    AccountCheckResultSerializer,
    AccountQuotasResultSerializer,
    AccountTokenValidationResultSerializer,
    AccountUserOutputSerializer,
    AccountUserStatisticsSerializer,
    AccountVersionResultSerializer,
)
from common.auth import issue_access_token
from tests.accounts.factories import ProcessDataFactory, ProcessFactory, ProcessRequestFactory


def shape_problems(data, field, path="$") -> list[str]:
    """Where ``data`` has a field its serializer does not declare, or lacks a required one."""
    if isinstance(field, (serializers.ListSerializer, serializers.ListField)):
        if not isinstance(data, list):
            return [f"{path}: not a list"]
        return [problem for i, item in enumerate(data) for problem in shape_problems(item, field.child, f"{path}[{i}]")]
    if isinstance(field, serializers.Serializer):
        if data is None and field.allow_null:
            return []
        if not isinstance(data, dict):
            return [f"{path}: not an object"]
        fields = field.fields
        required = {name for name, child in fields.items() if child.required}
        problems = [f"{path}.{name}: not documented" for name in sorted(set(data) - set(fields))]
        problems += [f"{path}.{name}: missing" for name in sorted(required - set(data))]
        for name in set(data) & set(fields):
            problems += shape_problems(data[name], fields[name], f"{path}.{name}")
        return problems
    return []


@pytest.fixture
def full_data(demo_user, company):
    demo_user.attributes = [{"key": "team", "value": "north"}, {"key": "depot", "value": "7", "strategy": "KEEP"}]
    demo_user.specification, demo_user.phone = "Planner", "+71112223333"
    demo_user.save()
    process = ProcessFactory(user=demo_user, created_at=datetime(2026, 11, 10, 12, tzinfo=UTC))
    ProcessRequestFactory(process=process)
    ProcessRequestFactory(process=process, operation="read_result")
    ProcessDataFactory(process=process, flow_type="INPUT")
    ProcessFactory(user=demo_user, created_at=datetime(2026, 11, 11, 12, tzinfo=UTC), status="FAILED", message="x")
    return demo_user


@pytest.mark.parametrize(
    ("method", "path", "body", "serializer"),
    [
        ("get", "/account/info", None, AccountUserOutputSerializer),
        ("put", "/account/info", {"email": "a@example.com"}, AccountUserOutputSerializer),
        ("get", "/account/quota", None, AccountQuotasResultSerializer),
        ("get", "/account/audit?from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z", None, AccountAuditResultSerializer),
        ("get", "/account/statistics?from=2026-11-01&to=2026-11-30", None, AccountUserStatisticsSerializer),
        ("get", "/account/system/check", None, AccountCheckResultSerializer),
        ("get", "/account/system/version", None, AccountVersionResultSerializer),
    ],
)
def test_answer_has_exactly_the_documented_fields(demo_client, full_data, method, path, body, serializer):
    response = getattr(demo_client, method)(path, body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data  # a shape check over an empty answer would prove nothing
    assert shape_problems(data, serializer()) == []


def test_token_validation_answer_has_exactly_the_documented_fields(api_client, full_data):
    response = api_client.post("/account/token/validation", issue_access_token(full_data), format="json")
    assert shape_problems(response.json(), AccountTokenValidationResultSerializer()) == []


def test_the_walk_finds_an_undocumented_and_a_missing_nested_field():
    body = {"base": {"services": [{"service": "UNIVERSAL", "processes": [{"process_type": "PLAN", "extra": 1}]}]}}
    assert shape_problems(body, AccountQuotasResultSerializer()) == [
        "$.base.services[0].processes[0].extra: not documented",
        "$.base.services[0].processes[0].max_concurrent_execution: missing",
        "$.base.services[0].processes[0].points_per_day: missing",
        "$.base.services[0].processes[0].points_per_request: missing",
    ]
