"""Project-wide fixtures: the five actors of DECISIONS §2 and API clients for them."""

from __future__ import annotations

import pytest

# DRF binds SimpleRateThrottle.THROTTLE_RATES when this module is first imported: import it now,
# with the test settings' rates, not inside a test that has just overridden REST_FRAMEWORK
# (its monkeypatch would then "restore" the lowered rates for every later test).
import rest_framework.throttling  # noqa: F401
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from rest_framework.test import APIClient

from accounts.demo import demo_groups
from common.auth import issue_access_token
from tests.factories import TEST_PASSWORD, CompanyFactory, UserFactory

ACTORS = ("anonymous", "demo", "viewer", "admin", "other")
# The groups each app gives the demo user and the viewer (accounts.demo.demo_seeders).
DEMO_GROUPS, VIEWER_GROUPS = demo_groups()


@pytest.fixture
def company(db):
    return CompanyFactory(key="demo_company", name="Demo company")


@pytest.fixture
def other_company(db):
    return CompanyFactory(key="other_company", name="Other company")


@pytest.fixture
def demo_user(company):
    return UserFactory(username="demo", company=company, groups=DEMO_GROUPS)


@pytest.fixture
def viewer_user(company):
    return UserFactory(username="viewer", company=company, groups=VIEWER_GROUPS)


@pytest.fixture
def admin_user(company):
    return UserFactory(username="admin", company=company, is_staff=True, is_superuser=True, roles=["ADMIN"])


@pytest.fixture
def other_user(other_company):
    return UserFactory(username="other", company=other_company, groups=DEMO_GROUPS)


@pytest.fixture
def writer_user(company):
    """Issue 11: a Feecc user of ``demo_company`` with the write rule only (no approve, no users)."""
    return UserFactory(username="writer", company=company, groups=("feecc_write",))


@pytest.fixture
def password():
    return TEST_PASSWORD


def bearer_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)}")
    return client


@pytest.fixture
def api_client():
    """An anonymous client."""
    return APIClient()


@pytest.fixture
def demo_client(demo_user):
    return bearer_client(demo_user)


@pytest.fixture
def viewer_client(viewer_user):
    return bearer_client(viewer_user)


@pytest.fixture
def admin_client_api(admin_user):
    return bearer_client(admin_user)


@pytest.fixture
def other_client(other_user):
    return bearer_client(other_user)


@pytest.fixture
def actor_client(request):
    """``actor_client(name)`` → an APIClient authenticated as that actor (or anonymous)."""

    def make(name: str) -> APIClient:
        if name == "anonymous":
            return APIClient()
        fixture = {
            "demo": "demo_user",
            "viewer": "viewer_user",
            "admin": "admin_user",
            "other": "other_user",
            "writer": "writer_user",
        }[name]
        return bearer_client(request.getfixturevalue(fixture))

    return make


@pytest.fixture
def database_down(monkeypatch):
    """Call it to make every query fail as with the database unreachable (``OperationalError``)."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    def switch_off():
        monkeypatch.setattr(CursorWrapper, "execute", refuse)
        monkeypatch.setattr(CursorWrapper, "executemany", refuse)

    return switch_off
