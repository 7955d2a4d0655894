"""Login throttling on every login endpoint (issue 8, item 5; DECISIONS §3).

The app tests pin one case each (VRt and Datawiz: per username from one client; Feecc: both
rates lowered at once). These isolate each dimension on all three endpoints: per client IP
(different usernames from one address) and per username (one username from many addresses,
whatever its letter case), that the other IP / username is not affected, and the 429 body in
each API's own shape with ``Retry-After``.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.accounts.helpers import is_trace
from tests.conftest import bearer_client
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

HIGH = "100000/minute"


@pytest.fixture
def login_rates(settings, monkeypatch):
    """``login_rates(ip=..., username=...)``: lower the login rates for this test, on a clean cache."""

    def lower(*, ip: str = HIGH, username: str = HIGH) -> None:
        rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_ip": ip, "login_username": username}
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        # DRF copies the rates into the class when it is imported; monkeypatch restores them.
        from rest_framework.throttling import SimpleRateThrottle

        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
        cache.clear()

    yield lower
    cache.clear()


def vrt_login(username, password, ip):
    return APIClient().post(
        "/account/token/generation", {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )


def feecc_login(username, password, ip):
    form = urlencode({"username": username, "password": password})
    return APIClient().post("/token", form, content_type="application/x-www-form-urlencoded", REMOTE_ADDR=ip)


def datawiz_login(username, password, ip):
    form = {"grant_type": "password", "username": username, "password": password}
    return APIClient().post("/api/o/token/", form, REMOTE_ADDR=ip)


def vrt_429(body) -> bool:
    return (
        set(body) == {"tracedata", "message"}
        and body["message"].startswith("Request was throttled")
        and is_trace(body["tracedata"], operation="run_token_generation")
    )


def detail_429(body) -> bool:
    return set(body) == {"detail"} and body["detail"].startswith("Request was throttled. Expected available in ")


ENDPOINTS = {
    # name: (login, status of a wrong password, check of the 429 body)
    "vrt": (vrt_login, 401, vrt_429),
    "feecc": (feecc_login, 401, detail_429),
    "datawiz": (datawiz_login, 400, detail_429),
}


def _assert_throttled(response, check) -> None:
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == "application/json"
    assert check(response.json()), response.json()
    assert 0 < int(response["Retry-After"]) <= 60


@pytest.mark.parametrize("api", sorted(ENDPOINTS))
def test_login_is_throttled_per_client_ip(api, demo_user, viewer_user, login_rates):
    login, wrong, check = ENDPOINTS[api]
    login_rates(ip="3/minute")
    statuses = [
        login(name, "wrong-password-1", "10.0.0.1").status_code for name in ("nobody_a", "nobody_b", "nobody_c")
    ]
    assert statuses == [wrong] * 3
    # The fourth attempt from that address is refused, even with the right password.
    _assert_throttled(login("demo", TEST_PASSWORD, "10.0.0.1"), check)
    # Another address is not affected.
    assert login("demo", TEST_PASSWORD, "10.0.0.2").status_code == 200


@pytest.mark.parametrize("api", sorted(ENDPOINTS))
def test_login_is_throttled_per_username_across_addresses(api, demo_user, viewer_user, login_rates):
    login, wrong, check = ENDPOINTS[api]
    login_rates(username="3/minute")
    statuses = [
        login(name, "wrong-password-1", f"10.0.1.{i}").status_code for i, name in enumerate(["demo", "DEMO", "Demo"])
    ]
    assert statuses == [wrong] * 3
    # The username is counted whatever the address and the letter case.
    _assert_throttled(login("demo", TEST_PASSWORD, "10.0.1.9"), check)
    # Another username from the same address is not affected.
    assert login("viewer", TEST_PASSWORD, "10.0.1.9").status_code == 200


def test_vrt_password_change_is_throttled_per_ip_with_general429(demo_user, login_rates):
    login_rates(ip="2/minute")
    client = bearer_client(demo_user)
    body = {"current_password": "wrong-password-1", "new_password": "another-pass-2026!"}
    assert [client.post("/account/password", body, format="json").status_code for _ in range(2)] == [403, 403]
    response = client.post("/account/password", {**body, "current_password": TEST_PASSWORD}, format="json")
    assert response.status_code == 429
    payload = response.json()
    assert set(payload) == {"tracedata", "message"} and payload["message"].startswith("Request was throttled")
    assert is_trace(payload["tracedata"], operation="change_password", username="demo", company="demo_company")
    demo_user.refresh_from_db()
    assert demo_user.check_password(TEST_PASSWORD)  # the throttled change did not happen


@pytest.mark.parametrize("api", sorted(ENDPOINTS))
@pytest.mark.parametrize("spelling", [" demo\t", "\u00a0Demo ", "ｄｅｍｏ"])
def test_the_username_budget_is_keyed_on_the_name_as_the_lookup_normalises_it(api, spelling, demo_user, login_rates):
    """issue 11, item 5: VRt's lookup strips the name, so ``" demo\\t"`` logged in as ``demo``
    on a fresh budget; Django's UsernameField (the admin) also applies NFKC."""
    login, wrong, check = ENDPOINTS[api]
    login_rates(username="3/minute")
    assert [login("demo", "wrong-password-1", f"10.0.2.{i}").status_code for i in range(3)] == [wrong] * 3
    _assert_throttled(login(spelling, TEST_PASSWORD, "10.0.2.9"), check)
    from common.models import ThrottleBucket

    assert list(ThrottleBucket.objects.filter(scope="login_username").values_list("ident", flat=True)) == ["demo"]


def test_a_body_that_does_not_parse_is_answered_after_the_ip_throttle(demo_user, login_rates):
    """The per-IP check runs before the body is parsed; a malformed body is still a 400 then."""
    login_rates(ip="1/minute")
    client = APIClient()
    first = client.post("/account/token/generation", "{not json", content_type="application/json")
    assert first.status_code == 400 and first.json()["message"].startswith("JSON parse error")
    second = client.post("/account/token/generation", "{not json", content_type="application/json")
    _assert_throttled(second, vrt_429)
