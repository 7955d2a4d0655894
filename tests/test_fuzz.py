"""Fuzzing (issues 8 and 13): schemathesis against our own OpenAPI schema, every operation of the five APIs.

Runs in-process over WSGI inside the test's transaction (so nothing leaks between tests),
once authenticated as ``demo`` (with the demo data set loaded) and once anonymously, with a
bounded number of examples per operation (``FUZZ_EXAMPLES``, default 15) so ``make test``
stays well inside CI's time. Every schemathesis check runs (``ALL_CHECKS``), none excluded:
no 5xx, status code / content type / headers / body conform, schema-valid requests are
accepted and invalid ones refused, credentials are enforced. A failure reads
``<METHOD> <path>: <code> <check>`` first. ``FUZZ_PATHS=<regex>`` focuses a local run.
"""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, date, datetime, timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, reject, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import FailureGroup

from common.auth import issue_access_token

load_all_checks()
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
# Every check schemathesis has (its CLI's `--checks all`): ``validate_response`` without
# ``checks=`` runs each registered check the config enables, and the default config enables
# them all: not_a_server_error, status_code/content_type/response_headers/response_schema
# conformance, negative_data_rejection ("invalid request accepted"), positive_data_acceptance
# ("schema-valid request refused"), missing_required_header, unsupported_method,
# allow_header_conformance, ignored_auth, use_after_free, ensure_resource_availability and
# object_level_authorization (the last three only act within stateful runs).
ALL_CHECKS = [check.__name__ for check in CHECKS.get_all() if not isinstance(check, type)]
STATS = {"examples": 0, "operations": set()}


def _call_and_validate(case, headers=None):
    """Send the case and run every check; a failure names the operation and the check first.

    The raised error's type is named after the failing checks' codes (e.g. ``ST202``), so
    Hypothesis reports distinct failures of one operation separately instead of merging them.
    """
    __tracebackhide__ = True
    if not _within_cross_field_rules(case):
        reject()
    provide = REFERENCE_PROVIDERS.get(case.operation.label)
    if provide is not None and headers and (case.meta is None or case.meta.generation.mode.is_positive):
        provide(case)
    STATS["examples"] += 1
    STATS["operations"].add(case.operation.label)
    try:
        case.call_and_validate(headers=headers)
    except FailureGroup as group:
        codes = sorted({failure.code for failure in group.exceptions})
        titles = "; ".join(sorted({f"{failure.code} {failure.title}" for failure in group.exceptions}))
        error = type("Fuzz_" + "_".join(codes), (AssertionError,), {})
        raise error(f"{case.operation.label}: {titles}\n\n{group}") from None


def _load_schema():
    """The schema drf-spectacular serves at /api/schema/, generated in-process (no database)."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.core.wsgi import get_wsgi_application
    from drf_spectacular.generators import SchemaGenerator

    spec = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder))
    loaded = schemathesis.openapi.from_dict(spec)
    loaded.app = get_wsgi_application()
    if os.environ.get("FUZZ_PATHS"):  # e.g. FUZZ_PATHS='^/routes/' to focus a local run
        loaded = loaded.include(path_regex=os.environ["FUZZ_PATHS"])
    return loaded


schema = _load_schema()


# --- rules JSON Schema cannot state --------------------------------------------------------
# A rule between two values (a period's bounds and length, a minimum below its maximum) has no
# JSON Schema form: the operation's description states it and its 400 is documented. A
# schema-valid case that breaks one is not sent (Hypothesis rejects it), so that
# positive_data_acceptance still holds every other rule of these operations to the schema.
# (Schemathesis' filter hooks would not do: its coverage phase adds explicit examples past them.)


def _parse(value, parse):
    try:
        return parse(value) if isinstance(value, str) and value else None
    except ValueError:
        return None  # not a date: a schema-level matter, left to the checks


def _statistics_period_is_valid(case) -> bool:
    """accounts statistics/report: `from` ≤ `to`, at most STATISTICS_DAYS_MAX days (view defaults)."""
    from accounts.serializers import STATISTICS_DAYS_MAX

    query = case.query or {}
    start, end = _parse(query.get("from"), date.fromisoformat), _parse(query.get("to"), date.fromisoformat)
    if start is None and end is None:
        return True  # both defaulted: the view never refuses its own defaults
    # A defaulted bound is relative to "today" in the demo user's time zone: a day of slack.
    slack = 0 if start is not None and end is not None else 1
    today = date.today()
    start = start or today.replace(day=1)
    end = end or today - timedelta(days=1)
    return start <= end - timedelta(days=slack) and (end - start).days + 1 + slack <= STATISTICS_DAYS_MAX


def _audit_period_is_valid(case) -> bool:
    """accounts audit: `from` ≤ `to` (`to` defaults to now; naive values are the user's local time)."""
    query = case.query or {}
    start = _parse(query.get("from"), datetime.fromisoformat)
    end = _parse(query.get("to"), datetime.fromisoformat)
    if start is None:
        return True  # `from` defaults to the start of `to`'s day
    end = end or datetime.now(UTC)
    # A naive value is in the user's zone: up to 14 hours from UTC either way.
    slack = timedelta(0) if (start.tzinfo is None) == (end.tzinfo is None) else timedelta(hours=14)
    start, end = (value if value.tzinfo else value.replace(tzinfo=UTC) for value in (start, end))
    return start <= end - slack


def _requirements_are_ordered(case) -> bool:
    """formula write: a technical requirement's `standardValueMax` is not below its `standardValueMin`."""
    body = case.body if isinstance(case.body, dict) else {}
    for row in body.get("technicalRequirements") or []:
        if isinstance(row, dict):
            low, high = row.get("standardValueMin"), row.get("standardValueMax")
            if isinstance(low, (int, float)) and isinstance(high, (int, float)) and high < low:
                return False
    return True


def _created_period_is_ordered(case) -> bool:
    """formula list: `create_date_start` is not after `create_date_end` (dates or date-times)."""
    body = case.body if isinstance(case.body, dict) else {}

    def moment(value):
        parsed = _parse(value, datetime.fromisoformat)
        return parsed if parsed is None or parsed.tzinfo else parsed.replace(tzinfo=UTC)

    start, end = moment(body.get("create_date_start")), moment(body.get("create_date_end"))
    # A date alone is a whole day, read in the server's zone: a day of slack.
    return start is None or end is None or start <= end - timedelta(days=1)


def _formula_references_exist(case) -> bool:
    """formula write: every ``…ID`` the body names is a row of the reference data (or a calculation).

    An unknown product, component, indicator, … is the formula API's own 400 naming the field
    (calculations.md), and no schema can list which rows exist; random UUIDs never name one.
    """
    from accounts.models import User
    from calculations.models import Calculation, CatalogEntry

    named = set()

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and key.endswith("ID") and item not in (None, ""):
                    named.add(str(item))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(case.body)
    if not named:
        return True
    known = {
        str(guid) for model in CatalogEntry.__subclasses__() for guid in model.objects.values_list("guid", flat=True)
    }
    known |= {str(guid) for guid in Calculation.objects.values_list("guid", flat=True)}
    known |= {str(guid) for guid in User.objects.values_list("guid", flat=True)}
    return named <= known


def _formula_write_mode_is_whole(case) -> bool:
    """formula write: ``guid`` (edit) and ``calculationID`` (copy) exclude each other, and COPY
    names its source (calculations.md §4.3.5: the 400s "Send either …" and "COPY needs …")."""
    body = case.body if isinstance(case.body, dict) else {}
    guid, source = body.get("guid") not in (None, ""), body.get("calculationID") not in (None, "")
    return not (guid and source) and (source or guid or body.get("calculation") != "COPY")


def _terminal_names_are_free(case) -> bool:
    """Datawiz bulk: a name is unique per shop (the original's 400 "… already exists"), and an id
    repeated in one request repeats the same item; neither is a rule a schema can state."""
    from accounts.models import User
    from terminals.models import Terminal

    items = case.body if isinstance(case.body, list) else [case.body]
    by_name, by_id = {}, {}
    for item in items:
        if not isinstance(item, dict):
            continue
        terminal_id, shop_id, name = (str(item.get(key, "")).strip() for key in ("terminal_id", "shop_id", "name"))
        if by_name.setdefault((shop_id, name), terminal_id) != terminal_id:
            return False
        if by_id.setdefault(terminal_id, item) != item:
            return False
    demo = User.objects.filter(username="demo").first()  # none in the anonymous run: a 401 anyway
    company = demo.company if demo else None
    for (shop_id, name), terminal_id in by_name.items() if company else ():
        taken = Terminal.objects.filter(company=company, shop__shop_id=shop_id, name__iexact=name)
        if taken.exclude(terminal_id=terminal_id).exists():
            return False
    return True


def _no_nul_in_free_json(case) -> bool:
    """Feecc stage ``additional_info``: free JSON, but no NUL character anywhere in it (PostgreSQL's
    jsonb cannot store ``\\u0000``; the API refuses it with its 422). A schema of a free object
    cannot reach into every nested key and value."""
    body = case.body if isinstance(case.body, dict) else {}
    return "\\u0000" not in json.dumps(body.get("additional_info"))


CROSS_FIELD_RULES = {
    "POST /api/v1/terminals/": _terminal_names_are_free,
    "PATCH /api/v1/stages/{stage_id}/": _no_nul_in_free_json,
    "POST /api/v1/stages/": _no_nul_in_free_json,
    "POST /formula/calculations/list": _created_period_is_ordered,
    "GET /account/statistics": _statistics_period_is_valid,
    "GET /account/report": _statistics_period_is_valid,
    "GET /account/audit": _audit_period_is_valid,
    "POST /formula/calculations/write": lambda case: (
        _requirements_are_ordered(case) and _formula_write_mode_is_whole(case) and _formula_references_exist(case)
    ),
}


# --- references the schema cannot know -----------------------------------------------------
# Datawiz answers a terminal naming an unknown shop with the original's 400 (terminals.md), and
# no schema can list which shops exist. Rather than send schema-valid cases bound to be refused,
# the demo company gets the shops a positive case names (inside the test's transaction), so the
# create/replace paths themselves are fuzzed.


def _provide_named_shops(case) -> None:
    from accounts.models import User
    from terminals.models import Shop

    items = case.body if isinstance(case.body, list) else [case.body]
    company = User.objects.get(username="demo").company
    for item in items:
        shop_id = item.get("shop_id") if isinstance(item, dict) else None
        if isinstance(shop_id, (int, float)) and not isinstance(shop_id, bool):
            shop_id = str(shop_id)
        if isinstance(shop_id, str) and shop_id.strip() and len(shop_id) <= 50 and "\x00" not in shop_id:
            Shop.objects.get_or_create(company=company, shop_id=shop_id, defaults={"name": "Fuzz shop"})


REFERENCE_PROVIDERS = {
    "POST /api/v1/terminals/": _provide_named_shops,
    "PUT /api/v1/terminals/{terminal_id}/": _provide_named_shops,
    "PATCH /api/v1/terminals/{terminal_id}/": _provide_named_shops,
}


def _within_cross_field_rules(case) -> bool:
    rule = CROSS_FIELD_RULES.get(case.operation.label)
    positive = case.meta is None or case.meta.generation.mode.is_positive
    return rule is None or not positive or rule(case)


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
    _call_and_validate(case, headers={"Authorization": f"Bearer {demo_token}"})


@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=max(3, EXAMPLES // 5),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_fuzz_anonymously(case):
    _call_and_validate(case)
