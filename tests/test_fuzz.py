"""Fuzzing (issue 8): schemathesis against our own OpenAPI schema, every operation of the five APIs.

Runs in-process over WSGI inside the test's transaction (so nothing leaks between tests),
once authenticated as ``demo`` (with the demo data set loaded) and once anonymously, with a
bounded number of examples per operation (``FUZZ_EXAMPLES``, default 15) so ``make test``
stays well inside CI's time. Checks: no 5xx, and every response conforms to the documented
schema (status code, content type, body).
"""

from __future__ import annotations

import io
import os

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from common.auth import issue_access_token

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


def _load_schema():
    """The schema drf-spectacular serves at /api/schema/, generated in-process (no database)."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.core.wsgi import get_wsgi_application
    from drf_spectacular.generators import SchemaGenerator

    spec = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder))
    loaded = schemathesis.openapi.from_dict(spec)
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()


@pytest.fixture(autouse=True)
def _in_test_transaction(db, settings):
    """Keep the WSGI calls inside the test's transaction: Django's request signals would close it."""
    settings.ROUTES_TRUSTED_NETWORKS = []
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo_token(db):
    call_command("seed_demo", stdout=io.StringIO())
    from accounts.models import User

    return issue_access_token(User.objects.get(username="demo"))


@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_fuzz_as_demo_user(case, demo_token):
    response = case.call(headers={"Authorization": f"Bearer {demo_token}"})
    case.validate_response(response, checks=CHECKS)


@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=max(3, EXAMPLES // 5),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_fuzz_anonymously(case):
    response = case.call()
    case.validate_response(response, checks=CHECKS)
