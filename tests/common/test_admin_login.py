"""``/admin/login/`` is throttled per client address and per username (issue 11, item 5).

From the attacker's side: N wrong passwords, then the right one is refused on the admin's own
login page (429, ``Retry-After``, a clear message) and no session is opened.
"""

from __future__ import annotations

import pytest
from django.test import Client

from common.models import ThrottleBucket
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

HIGH = "100000/minute"
LOGIN = "/admin/login/"


@pytest.fixture
def login_rates(monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    def lower(*, ip: str = HIGH, username: str = HIGH) -> None:
        rates = {**SimpleRateThrottle.THROTTLE_RATES, "login_ip": ip, "login_username": username}
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)

    return lower


def attempt(username: str, password: str, ip: str = "10.1.0.1", client: Client | None = None):
    client = client or Client(REMOTE_ADDR=ip)
    return client, client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def logged_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def assert_refused_on_the_login_page(response) -> int:
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= 60
    page = response.content.decode()
    assert '<form action="/admin/login/' in page  # the admin's own page, its form again
    assert f"Too many login attempts. Try again in {seconds} seconds." in page
    return seconds


def test_wrong_passwords_then_the_right_one_is_refused(admin_user, login_rates):
    login_rates(username="3/minute")
    for i in range(3):
        client, response = attempt("admin", "wrong-password-1", ip=f"10.1.0.{i}")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
        assert not logged_in(client)
    client, response = attempt("admin", TEST_PASSWORD, ip="10.1.0.9")
    assert_refused_on_the_login_page(response)
    assert not logged_in(client)
    bucket = ThrottleBucket.objects.get(scope="login_username", ident="admin")
    assert len(bucket.hits) == 3 and bucket.allowed is False


def test_the_admin_login_is_throttled_per_client_address(admin_user, login_rates):
    login_rates(ip="2/minute")
    assert [attempt(name, "wrong-password-1")[1].status_code for name in ("root", "boss")] == [200, 200]
    client, response = attempt("admin", TEST_PASSWORD)
    assert_refused_on_the_login_page(response)
    assert not logged_in(client)
    # Another address still logs in.
    client, response = attempt("admin", TEST_PASSWORD, ip="10.1.0.2")
    assert response.status_code == 302 and logged_in(client)


@pytest.mark.parametrize("spelling", [" admin ", "ADMIN", "ａｄｍｉｎ"])
def test_the_username_budget_is_shared_by_the_spellings_the_form_normalises(admin_user, login_rates, spelling):
    login_rates(username="2/minute")
    for i in range(2):
        attempt("admin", "wrong-password-1", ip=f"10.1.1.{i}")
    assert_refused_on_the_login_page(attempt(spelling, TEST_PASSWORD, ip="10.1.1.9")[1])


def test_a_successful_login_is_counted_too_and_other_users_are_not_affected(admin_user, demo_user, login_rates):
    login_rates(username="1/minute")
    client, response = attempt("admin", TEST_PASSWORD)
    assert response.status_code == 302 and logged_in(client)
    assert attempt("demo", "wrong-password-1")[1].status_code == 200  # its own budget


def test_deleting_the_bucket_in_the_admin_lifts_the_lockout(admin_user, login_rates, admin_client):
    login_rates(username="1/minute")
    attempt("admin", "wrong-password-1")
    assert_refused_on_the_login_page(attempt("admin", TEST_PASSWORD)[1])
    changelist = admin_client.get("/admin/common/throttlebucket/", {"q": "admin"})
    assert changelist.status_code == 200 and "login_username" in changelist.content.decode()
    bucket = ThrottleBucket.objects.get(scope="login_username", ident="admin")
    response = admin_client.post(f"/admin/common/throttlebucket/{bucket.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not ThrottleBucket.objects.filter(pk=bucket.pk).exists()
    client, response = attempt("admin", TEST_PASSWORD)
    assert response.status_code == 302 and logged_in(client)
