"""Issue 12, item 1: ``migrate`` alone gives a working server (no ``createcachetable`` step).

The test settings use a local-memory cache; these tests switch to the production cache (the
database cache of ``config.settings.base``) and rebuild its table with ``migrate`` only.
``tests/ops/test_gunicorn_deploy.py`` does the same on a fresh database through gunicorn.
"""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}}


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


def vrt_login(username, password):
    return APIClient().post(
        "/account/token/generation", {"username": username, "password": password}, format="json", REMOTE_ADDR="10.1.2.3"
    )


@pytest.fixture
def database_cache(settings):
    settings.CACHES = DATABASE_CACHE
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS django_cache")
    yield


def test_migrate_alone_creates_the_cache_table_and_logins_work(database_cache, demo_user, password):
    call_command("migrate", "common", "zero", interactive=False, stdout=io.StringIO())
    assert "django_cache" not in _tables()
    call_command("migrate", interactive=False, stdout=io.StringIO())
    assert "django_cache" in _tables()

    response = vrt_login("demo", password)
    assert response.status_code == 200, response.content
    assert response.json().count(".") == 2  # a JWT

    cache.set("issue-12", {"works": True}, 60)
    assert cache.get("issue-12") == {"works": True}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_cache WHERE cache_key LIKE %s", ["%issue-12"])
        assert cursor.fetchone()[0] == 1


def test_the_cache_table_has_django_s_layout(database_cache):
    call_command("migrate", "common", "zero", interactive=False, stdout=io.StringIO())
    call_command("migrate", "common", interactive=False, stdout=io.StringIO())
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "django_cache")}
    assert columns == {"cache_key", "value", "expires"}
    # Applying it again is a no-op (createcachetable skips an existing table).
    call_command("createcachetable", stdout=io.StringIO())
