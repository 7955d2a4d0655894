"""The official client's request sequence (notes 6.3) replayed over real HTTP (``live_server``)."""

from __future__ import annotations

import pytest

from terminals.models import Shop, Terminal
from tests.terminals.replay import replay

pytestmark = pytest.mark.django_db(transaction=True)


def test_client_sequence_against_live_server(live_server, demo_user, password, company, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    result = replay(live_server.url, "demo", password, run="r1")
    run = result["run"]
    assert result["log"] == [
        ("POST", "/api/v1/shops/", 201),
        ("POST", "/api/v1/terminals/", 400),
        ("POST", "/api/v1/terminals/", 201),
        ("GET", "/api/v1/terminals/?page=1", 200),
        ("GET", "/api/v1/terminals/?page=2", 200),
        ("GET", "/api/v1/shops/?page=1", 200),
    ]
    assert Shop.objects.filter(company=company, shop_id__startswith=f"{run}-").count() == 3
    rows = Terminal.objects.filter(company=company, terminal_id__startswith=f"{run}-")
    assert rows.count() == 149
    assert not rows.filter(terminal_id=f"{run}-t7").exists()
    assert rows.get(terminal_id=f"{run}-t8").shop.shop_id == f"{run}-s2"


def test_wrong_password_stops_the_client(live_server, demo_user, monkeypatch):
    from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    with pytest.raises(InvalidGrantError):
        replay(live_server.url, "demo", "wrong-password-1")
