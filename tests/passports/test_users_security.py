"""Issue 11, items 2 and 6: the Feecc users API cannot take over accounts, escalate rights or
reveal other companies' usernames."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import bearer_client
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

FORBIDDEN = {"detail": "insufficient permissions for current user"}
NEW_PASSWORD = "attacker-chosen-pass-1"


def token_status(username: str, password: str, client) -> int:
    body = f"username={username}&password={password}"
    return client.post("/token", body, content_type="application/x-www-form-urlencoded").status_code


def snapshot(username: str) -> tuple:
    user = User.objects.get(username=username)
    return (user.username, user.password, user.token_version, sorted(user.groups.values_list("name", flat=True)))


@pytest.fixture
def victims(company, demo_user):
    """Users of demo_company a write-only user must not take over."""
    return {
        "vrt_admin": UserFactory(username="vrt_admin", company=company, roles=["ADMIN"]),
        "technologist": UserFactory(username="technologist", company=company, groups=("Технолог",)),
        "demo": demo_user,
    }


@pytest.fixture
def manager(company):
    """May manage users and write, but holds neither approve nor any formula right."""
    return UserFactory(username="manager", company=company, groups=("feecc_write", "feecc_manage_users"))


def test_write_only_user_cannot_create_change_or_delete_users(writer_user, victims, api_client):
    writer = bearer_client(writer_user)
    before = {name: snapshot(name) for name in [*victims, "writer"]}
    for name in victims:
        response = writer.patch(f"/api/v1/users/{name}", {"password": NEW_PASSWORD}, format="json")
        assert (response.status_code, response.json()) == (403, FORBIDDEN)
        response = writer.patch(f"/api/v1/users/{name}", {"username": f"{name}_renamed"}, format="json")
        assert (response.status_code, response.json()) == (403, FORBIDDEN)
        response = writer.delete(f"/api/v1/users/{name}")
        assert (response.status_code, response.json()) == (403, FORBIDDEN)
    # Nor can it give itself approve, or create a helper account.
    response = writer.patch("/api/v1/users/writer", {"rule_set": ["read", "write", "approve"]}, format="json")
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    response = writer.post(
        "/api/v1/users", {"username": "helper", "password": NEW_PASSWORD, "rule_set": ["read"]}, format="json"
    )
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert {name: snapshot(name) for name in [*victims, "writer"]} == before
    assert not User.objects.filter(username="helper").exists()
    for name in victims:
        assert token_status(name, NEW_PASSWORD, api_client) == 401
        assert token_status(name, TEST_PASSWORD, api_client) == 200
    assert bearer_client(writer_user).get("/api/v1/users/me").json()["user"]["rule_set"] == ["read", "write"]


def test_manager_cannot_touch_a_user_with_rights_it_lacks(manager, victims, api_client):
    client = bearer_client(manager)
    before = {name: snapshot(name) for name in victims}
    for name in victims:  # an ADMIN role, a formula group, the approve rule: rights the manager lacks
        response = client.patch(f"/api/v1/users/{name}", {"password": NEW_PASSWORD}, format="json")
        assert (response.status_code, response.json()) == (403, {"detail": f"User {name} has rights you don't have"})
        response = client.delete(f"/api/v1/users/{name}")
        assert (response.status_code, response.json()) == (403, {"detail": f"User {name} has rights you don't have"})
    assert {name: snapshot(name) for name in victims} == before
    assert token_status("vrt_admin", NEW_PASSWORD, api_client) == 401


def test_rule_set_only_grants_rules_the_actor_holds(manager, company):
    client = bearer_client(manager)
    created = client.post(
        "/api/v1/users",
        {"username": "qc_helper", "password": NEW_PASSWORD, "rule_set": ["read", "approve"]},
        format="json",
    )
    assert (created.status_code, created.json()) == (
        403,
        {"detail": "You can't grant the approve rule: you don't have it"},
    )
    assert not User.objects.filter(username="qc_helper").exists()
    for target in ("manager", "plain_user"):
        UserFactory(username="plain_user", company=company)
        before = snapshot(target)
        response = client.patch(f"/api/v1/users/{target}", {"rule_set": ["read", "write", "approve"]}, format="json")
        assert (response.status_code, response.json()) == (
            403,
            {"detail": "You can't grant the approve rule: you don't have it"},
        )
        assert snapshot(target) == before
    # Rules it holds it may grant, and a user with no more rights than its own it may manage.
    response = client.patch("/api/v1/users/plain_user", {"rule_set": ["read", "write"]}, format="json")
    assert response.json() == {"status_code": 200, "detail": "Patched user"}
    assert list(User.objects.get(username="plain_user").groups.values_list("name", flat=True)) == ["feecc_write"]
    response = client.post(
        "/api/v1/users",
        {"username": "writer_two", "password": NEW_PASSWORD, "rule_set": ["read", "write"]},
        format="json",
    )
    assert response.json() == {"status_code": 200, "detail": "Created new user"}
    assert list(User.objects.get(username="writer_two").groups.values_list("name", flat=True)) == ["feecc_write"]
    assert client.delete("/api/v1/users/writer_two").json() == {"status_code": 200, "detail": "Deleted user"}
    assert not User.objects.filter(username="writer_two").exists()


def test_demo_manages_users_of_its_company(demo_client, victims, api_client):
    # demo holds every right of a plain user and of the technologist, so it may reset them.
    response = demo_client.patch("/api/v1/users/technologist", {"password": NEW_PASSWORD}, format="json")
    assert response.json() == {"status_code": 200, "detail": "Patched user"}
    assert token_status("technologist", NEW_PASSWORD, api_client) == 200
    # The VRt ADMIN role is a right demo lacks.
    response = demo_client.patch("/api/v1/users/vrt_admin", {"password": NEW_PASSWORD}, format="json")
    assert (response.status_code, response.json()) == (403, {"detail": "User vrt_admin has rights you don't have"})


def test_the_user_role_is_no_extra_right(company):
    """Every VRt user has role USER; a manager without any role still manages plain users."""
    roleless = UserFactory(username="roleless", company=company, roles=[], groups=("feecc_manage_users",))
    UserFactory(username="plain_user", company=company)
    response = bearer_client(roleless).patch("/api/v1/users/plain_user", {"password": NEW_PASSWORD}, format="json")
    assert response.json() == {"status_code": 200, "detail": "Patched user"}
    assert User.objects.get(username="plain_user").check_password(NEW_PASSWORD)
    partner = UserFactory(username="partner", company=company, roles=["USER", "PARTNER"])
    before = snapshot("partner")
    response = bearer_client(roleless).delete("/api/v1/users/partner")
    assert (response.status_code, response.json()) == (403, {"detail": "User partner has rights you don't have"})
    assert snapshot("partner") == before and partner.pk


def test_a_disabled_user_with_more_rights_is_still_out_of_reach(manager, company):
    UserFactory(username="dormant", company=company, groups=("feecc_approve",), enabled=False)
    before = snapshot("dormant")
    response = bearer_client(manager).patch("/api/v1/users/dormant", {"password": NEW_PASSWORD}, format="json")
    assert (response.status_code, response.json()) == (403, {"detail": "User dormant has rights you don't have"})
    assert snapshot("dormant") == before


def test_taken_username_of_another_company_is_not_revealed(demo_client, other_user, viewer_user):
    response = demo_client.post("/api/v1/users", {"username": "other", "password": NEW_PASSWORD}, format="json")
    assert (response.status_code, response.json()) == (409, {"detail": "Username other is not available"})
    own = demo_client.post("/api/v1/users", {"username": "viewer", "password": NEW_PASSWORD}, format="json")
    assert (own.status_code, own.json()) == (409, {"detail": "User viewer already exists"})
    UserFactory(username="plain_user", company=viewer_user.company)
    renamed = demo_client.patch("/api/v1/users/plain_user", {"username": "other"}, format="json")
    assert (renamed.status_code, renamed.json()) == (409, {"detail": "Username other is not available"})
    assert User.objects.get(username="other").company == other_user.company
    assert User.objects.filter(username="plain_user").exists()
