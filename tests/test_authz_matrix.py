"""One test per endpoint × actor (DECISIONS §2), and a check that no API URL lacks a row."""

from __future__ import annotations

import importlib
from collections import defaultdict

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.authz import EXTRA_ACTORS, Row

APPS = ("accounts", "routes", "passports", "calculations", "terminals")

pytestmark = pytest.mark.django_db


def _modules():
    for app in APPS:
        try:
            yield app, importlib.import_module(f"tests.{app}.authz")
        except ModuleNotFoundError:
            continue


def _cases():
    for app, module in _modules():
        for row in module.ROWS:
            for actor in row.actors:
                yield pytest.param(app, row, actor, id=f"{app}:{row.id}:{actor}")


@pytest.mark.parametrize(("app", "row", "actor"), list(_cases()))
def test_authz(app, row: Row, actor, request, actor_client):
    module = importlib.import_module(f"tests.{app}.authz")
    users = {
        "anonymous": None,
        "demo": request.getfixturevalue("demo_user"),
        "viewer": request.getfixturevalue("viewer_user"),
        "admin": request.getfixturevalue("admin_user"),
        "other": request.getfixturevalue("other_user"),
        **{extra: request.getfixturevalue(f"{extra}_user") for extra in EXTRA_ACTORS if extra in row.expected},
    }
    values = module.setup(users) if hasattr(module, "setup") else {}
    client = actor_client(actor)
    path = row.path.format(**values)
    data = row.data(values) if callable(row.data) else row.data
    kwargs = {"format": row.format} if row.format and data is not None else {}
    response = getattr(client, row.method.lower())(path, data, **kwargs, **row.headers)
    assert response.status_code == row.expected[actor], (
        f"{row.id} as {actor}: {response.status_code} {getattr(response, 'content', b'')[:300]!r}"
    )


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _api_routes():
    resolver = get_resolver()
    for route, pattern in _patterns(resolver):
        module = getattr(pattern.callback, "__module__", "")
        app = module.split(".")[0]
        if app in APPS:
            yield app, route, pattern


def test_every_api_url_has_a_row_for_every_actor():
    covered: set[tuple[str, str]] = set()
    for app, module in _modules():
        for row in module.ROWS:
            # Rows use ``{placeholders}``; fill them with SAMPLE_VALUES (default "1") to resolve.
            values = defaultdict(lambda: "1", getattr(module, "SAMPLE_VALUES", {}))
            sample = row.path.format_map(values)
            try:
                match = resolve(sample.split("?")[0])
            except Exception:
                match = None
            if match is not None:
                covered.add((app, match.route))
    missing = sorted(f"{app}: {route}" for app, route, _ in _api_routes() if (app, route) not in covered)
    assert not missing, "API URLs without an authz row:\n" + "\n".join(missing)
