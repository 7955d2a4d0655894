"""Employees, Feecc users, POST /token, GET /api/v1/status and CORS."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from passports.models import Employee, EmployeeLink
from tests.factories import TEST_PASSWORD, UserFactory
from tests.passports.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def employee_body(employee) -> dict:
    return {
        "rfid_card_id": employee.rfid_card_id,
        "name": employee.name,
        "position": employee.position,
        "passport_code": employee.passport_code,
    }


# --- employees ------------------------------------------------------------------------------


def test_create_employee_computes_passport_code(demo_client):
    body = {"rfid_card_id": "1111", "name": "Ivan Petrov", "position": "Assembler"}
    response = demo_client.post("/api/v1/employees/", body, format="json")
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Created new employee"}
    employee = Employee.objects.get()
    assert employee.passport_code == hashlib.sha256(b"1111 Ivan Petrov Assembler").hexdigest()
    duplicate = demo_client.post("/api/v1/employees", body, format="json")
    assert (duplicate.status_code, duplicate.json()) == (409, {"detail": "Employee with card id 1111 already exists"})
    invalid = demo_client.post("/api/v1/employees", {"rfid_card_id": "2"}, format="json")
    assert invalid.status_code == 422
    assert [item["loc"] for item in invalid.json()["detail"]] == [["body", "name"], ["body", "position"]]
    assert Employee.objects.count() == 1


def test_list_get_and_decode_employees(viewer_client):
    first, second = EmployeeFactory(), EmployeeFactory()
    assert viewer_client.get("/api/v1/employees?items=1&page=2").json() == {
        "status_code": 200,
        "detail": "Success",
        "count": 2,
        "data": [employee_body(second)],
    }
    assert viewer_client.get(f"/api/v1/employees/{first.rfid_card_id}").json() == {
        "status_code": 200,
        "detail": "Success",
        "employee": employee_body(first),
    }
    decoded = viewer_client.post("/api/v1/employees/decode", {"encoded_name": second.passport_code}, format="json")
    assert decoded.json() == {"status_code": 200, "detail": "Success", "employee": employee_body(second)}
    miss = viewer_client.post("/api/v1/employees/decode/", {"encoded_name": "abc"}, format="json")
    assert (miss.status_code, miss.json()) == (404, {"detail": "Employee with code abc not found"})
    none = viewer_client.get("/api/v1/employees/nope/")
    assert (none.status_code, none.json()) == (404, {"detail": "Employee with id nope not found"})


@pytest.mark.parametrize("size", [3, 30])
def test_employee_list_constant_queries(viewer_client, django_assert_max_num_queries, size):
    EmployeeFactory.create_batch(size)
    with django_assert_max_num_queries(3):
        assert len(viewer_client.get("/api/v1/employees?items=100").json()["data"]) == size


def test_patch_recomputes_code_and_delete(demo_client, viewer_client):
    employee = EmployeeFactory(rfid_card_id="77", name="Old", position="P")
    assert viewer_client.patch("/api/v1/employees/77", {"name": "X"}, format="json").status_code == 403
    response = demo_client.patch("/api/v1/employees/77", {"name": "New"}, format="json")
    assert response.json() == {"status_code": 200, "detail": "Successfully patched employee"}
    employee.refresh_from_db()
    assert employee.passport_code == hashlib.sha256(b"77 New P").hexdigest()
    deleted = demo_client.delete("/api/v1/employees/77")
    assert deleted.json() == {"status_code": 200, "detail": "Removed employee with card id 77"}
    assert not Employee.objects.exists()
    assert demo_client.delete("/api/v1/employees/77").status_code == 404


# --- users ------------------------------------------------------------------------------------


def test_me_returns_rule_set_in_canonical_order_and_employee(demo_client, demo_user, viewer_client):
    employee = EmployeeFactory()
    EmployeeLink.objects.create(user=demo_user, employee=employee)
    assert demo_client.get("/api/v1/users/me").json() == {
        "status_code": 200,
        "detail": "Success",
        "user": {
            "username": "demo",
            "rule_set": ["read", "write", "approve"],
            "associated_employee": employee.rfid_card_id,
        },
        "associated_employee": employee_body(employee),
    }
    assert viewer_client.get("/api/v1/users/me/").json()["user"] == {
        "username": "viewer",
        "rule_set": ["read"],
        "associated_employee": None,
    }


def test_superuser_has_every_rule(admin_client_api):
    assert admin_client_api.get("/api/v1/users/me").json()["user"]["rule_set"] == ["read", "write", "approve"]


def test_get_user_is_fenced_by_company(demo_client, other_client, viewer_user):
    assert demo_client.get("/api/v1/users/viewer").json() == {
        "status_code": 200,
        "detail": "Success",
        "user": {"username": "viewer", "rule_set": ["read"], "associated_employee": None},
        "associated_employee": None,
    }
    response = other_client.get("/api/v1/users/viewer")
    assert (response.status_code, response.json()) == (
        404,
        {"status_code": 404, "detail": "Not found", "user": None, "associated_employee": None},
    )


def test_create_user_joins_callers_company_with_rules(demo_client, demo_user):
    employee = EmployeeFactory()
    body = {
        "username": "qc_user",
        "password": "long-enough-pass-1",
        "rule_set": ["read", "approve"],
        "associated_employee": employee.rfid_card_id,
    }
    response = demo_client.post("/api/v1/users/", body, format="json")
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Created new user"}
    user = User.objects.get(username="qc_user")
    assert user.company_id == demo_user.company_id and user.roles == ["USER"]
    assert sorted(user.groups.values_list("name", flat=True)) == ["feecc_approve"]
    assert user.check_password("long-enough-pass-1")
    assert demo_client.get("/api/v1/users/qc_user").json()["user"] == {
        "username": "qc_user",
        "rule_set": ["read", "approve"],
        "associated_employee": employee.rfid_card_id,
    }


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"username": "abc", "password": "long-enough-pass-1"}, ["body", "username"]),
        ({"username": "bad name", "password": "long-enough-pass-1"}, ["body", "username"]),
        ({"username": "good_name", "password": "short"}, ["body", "password"]),
        ({"username": "good_name", "password": "long-enough-pass-1", "rule_set": ["root"]}, ["body", "rule_set", 0]),
        ({"password": "long-enough-pass-1"}, ["body", "username"]),
    ],
)
def test_create_user_validation(demo_client, body, loc):
    response = demo_client.post("/api/v1/users", body, format="json")
    assert response.status_code == 422
    assert loc in [item["loc"] for item in response.json()["detail"]]
    assert not User.objects.filter(username="good_name").exists()


def test_duplicate_username_is_409(demo_client, viewer_user):
    response = demo_client.post(
        "/api/v1/users", {"username": "viewer", "password": "long-enough-pass-1"}, format="json"
    )
    assert (response.status_code, response.json()) == (409, {"detail": "User viewer already exists"})


def test_patch_user_changes_rules_and_password(demo_client, viewer_user):
    old_version = viewer_user.token_version
    response = demo_client.patch(
        "/api/v1/users/viewer", {"rule_set": ["read", "write"], "password": "another-long-pass-2"}, format="json"
    )
    assert response.json() == {"status_code": 200, "detail": "Patched user"}
    viewer_user.refresh_from_db()
    assert viewer_user.check_password("another-long-pass-2") and viewer_user.token_version == old_version + 1
    assert list(viewer_user.groups.values_list("name", flat=True).order_by("name")) == ["feecc_write", "Наблюдатель"]


def test_user_writes_are_fenced(demo_client, other_client, admin_user, viewer_user):
    # staff/superusers and other companies' users are out of reach of the Feecc users API
    for client, name in ((demo_client, "admin"), (other_client, "viewer")):
        response = client.patch(f"/api/v1/users/{name}", {"rule_set": ["read"]}, format="json")
        assert response.status_code == 404
        assert client.delete(f"/api/v1/users/{name}").status_code == 404
    assert User.objects.filter(username__in=["admin", "viewer"]).count() == 2


def test_delete_user(demo_client, company):
    UserFactory(username="temp_user", company=company)
    response = demo_client.delete("/api/v1/users/temp_user/")
    assert response.json() == {"status_code": 200, "detail": "Deleted user"}
    assert not User.objects.filter(username="temp_user").exists()


def test_viewer_cannot_write_users(viewer_client):
    response = viewer_client.post(
        "/api/v1/users", {"username": "abcd", "password": "long-enough-pass-1"}, format="json"
    )
    assert response.status_code == 403


# --- token, status, CORS ----------------------------------------------------------------------


def login(client, query="", **form):
    data = "&".join(f"{key}={value}" for key, value in form.items())
    return client.post(f"/token{query}", data, content_type="application/x-www-form-urlencoded")


def test_token_like_the_frontend(demo_user):
    client = APIClient()
    response = login(
        client, "?keep_session=false", username="demo", password=TEST_PASSWORD, scope="", client_id="", client_secret=""
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type"} and body["token_type"] == "bearer"
    token = AccessToken(body["access_token"])
    assert token["exp"] - token["iat"] == 3600
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert client.get("/api/v1/users/me").json()["user"]["username"] == "demo"


def test_token_keep_session_default_is_1024_hours(demo_user):
    response = login(APIClient(), "/", username="demo", password=TEST_PASSWORD)
    token = AccessToken(response.json()["access_token"])
    assert token["exp"] - token["iat"] == 1024 * 3600


def test_token_failures(demo_user):
    client = APIClient()
    wrong = login(client, username="demo", password="nope")
    assert (wrong.status_code, wrong.json()) == (401, {"detail": "Incorrect username or password"})
    assert wrong["WWW-Authenticate"] == "Bearer"
    unknown = login(client, username="ghost", password="nope")
    assert unknown.json() == {"detail": "Incorrect username or password"}
    demo_user.enabled = False
    demo_user.save()
    assert login(client, username="demo", password=TEST_PASSWORD).status_code == 401
    missing = client.post("/token", {}, format="json")
    assert missing.status_code == 422
    assert missing.json() == {
        "detail": [
            {"loc": ["body", "username"], "msg": "field required", "type": "value_error.missing"},
            {"loc": ["body", "password"], "msg": "field required", "type": "value_error.missing"},
        ]
    }
    bad_flag = login(client, "?keep_session=maybe", username="demo", password="x")
    assert bad_flag.status_code == 422 and bad_flag.json()["detail"][0]["loc"] == ["query", "keep_session"]
    grant = login(client, username="demo", password="x", grant_type="client_credentials")
    assert grant.json()["detail"][0]["loc"] == ["body", "grant_type"]


def test_token_is_throttled(demo_user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login_ip": "2/minute", "login_username": "2/minute", "access_code": "2/minute"},
    }
    cache.clear()
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        client = APIClient()
        codes = [login(client, username="demo", password="nope").status_code for _ in range(3)]
        assert codes == [401, 401, 429]
        response = login(client, username="demo", password="nope")
        assert response.json()["detail"].startswith("Request was throttled")
        assert "Retry-After" in response
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
        cache.clear()


def test_status_needs_no_token(api_client):
    for path in ("/api/v1/status", "/api/v1/status/"):
        response = api_client.get(path)
        assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_cors_preflight_from_allowed_origin(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:3000"]
    response = api_client.options(
        "/api/v1/passports/",
        HTTP_ORIGIN="http://localhost:3000",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert "GET" in response["Access-Control-Allow-Methods"]
    other = api_client.options(
        "/api/v1/passports/", HTTP_ORIGIN="http://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "Access-Control-Allow-Origin" not in other
