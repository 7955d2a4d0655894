"""Who gets in (routes.md, Decision 13) and the trailing-slash rule (Decision 15)."""

import pytest
from rest_framework.test import APIClient

from routes.models import TelegramChat
from routes.permissions import is_trusted_address
from tests.routes.factories import PizzeriaFactory

pytestmark = pytest.mark.django_db

UNAUTHENTICATED = {"message": "Authentication credentials were not provided.", "extra": {}}


def test_anonymous_outside_the_trusted_networks_gets_a_401_with_a_bearer_challenge(settings):
    settings.ROUTES_TRUSTED_NETWORKS = ["10.0.0.0/8"]
    response = APIClient().get("/routes/units/", REMOTE_ADDR="192.168.1.5")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == UNAUTHENTICATED


def test_by_default_no_network_is_trusted(api_client):
    response = api_client.get("/routes/units/")
    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)
    response = api_client.post(
        "/routes/telegram-chats/", {"chat_id": 1, "type": "PRIVATE", "title": "x"}, format="json"
    )
    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)
    assert not TelegramChat.objects.exists()


def test_anonymous_inside_a_trusted_network_is_let_in(settings):
    settings.ROUTES_TRUSTED_NETWORKS = ["10.1.0.0/16", "2001:db8::/32"]
    PizzeriaFactory(id=5)
    for address in ("10.1.2.3", "2001:db8::7", "::ffff:10.1.0.1"):
        response = APIClient().get("/routes/units/", REMOTE_ADDR=address)
        assert response.status_code == 200, address
        assert [u["id"] for u in response.json()["units"]] == [5]
    assert APIClient().get("/routes/units/", REMOTE_ADDR="10.2.0.1").status_code == 401


def test_a_forwarded_header_does_not_make_a_client_trusted(settings):
    settings.ROUTES_TRUSTED_NETWORKS = ["127.0.0.0/8"]
    response = APIClient().get("/routes/units/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 401


def test_a_bearer_token_is_let_in_from_anywhere(demo_client):
    response = demo_client.get("/routes/units/", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert response.json() == {"units": [], "is_end_of_list_reached": True}


def test_a_bad_token_is_a_401_even_from_a_trusted_network(settings):
    settings.ROUTES_TRUSTED_NETWORKS = ["127.0.0.0/8"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = client.get("/routes/units/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"message": "Token is invalid or expired.", "extra": {}}


def test_is_trusted_address_edge_cases(settings):
    settings.ROUTES_TRUSTED_NETWORKS = ["192.0.2.0/24"]
    assert is_trusted_address("192.0.2.200")
    assert not is_trusted_address("192.0.3.1")
    assert not is_trusted_address("")
    assert not is_trusted_address("not-an-ip")
    settings.ROUTES_TRUSTED_NETWORKS = []
    assert not is_trusted_address("192.0.2.200")


def test_get_without_the_trailing_slash_is_a_301_to_the_slashed_url(bot):
    response = bot.get("/routes/units?limit=5")
    assert response.status_code == 301
    assert response["Location"] == "/routes/units/?limit=5"
    assert bot.head("/routes/report-types/names/STATISTICS").status_code == 301


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_without_the_trailing_slash_is_a_json_404_not_a_redirect(bot, method):
    response = getattr(bot, method)("/routes/roles/users/1", {"access_code": "x"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "extra": {}}


def test_unknown_paths_under_the_prefix_are_json_404s(bot):
    for path in ("/routes/nope/", "/routes/telegram-chats/abc/", "/routes/roles/users/1.5/units/"):
        response = bot.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"message": "Not found.", "extra": {}}
