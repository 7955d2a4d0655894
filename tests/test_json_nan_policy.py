"""``NaN``/``Infinity`` in a JSON body (issue 13): read as null by the Datawiz API only.

The Datawiz client sends pandas' ``NaN`` for empty CSV cells (its tutorial's
``upload_shops("shops.csv")``); every other API keeps refusing the non-JSON tokens with a 400
(422 for Feecc) in its own shape, and writes nothing.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from calculations.models import Calculation
from passports.models import Unit
from routes.models import TelegramChat
from terminals.models import Shop
from tests.accounts.helpers import is_trace

pytestmark = pytest.mark.django_db

TOKENS = ["NaN", "Infinity", "-Infinity"]


def refused(token: str) -> str:
    return f"JSON parse error - Out of range float values are not JSON compliant: '{token}'"


@pytest.mark.parametrize("token", TOKENS)
def test_accounts_refuses_non_finite_tokens(api_client, demo_user, token):
    body = f'{{"username": "demo", "password": {token}}}'
    response = api_client.generic("POST", "/account/token/generation", body, content_type="application/json")
    assert response.status_code == 400
    data = response.json()
    assert is_trace(data.pop("tracedata"), operation="run_token_generation")
    assert data == {"message": refused(token), "schema_errors": []}
    assert User.objects.filter(username="demo").count() == 1


@pytest.mark.parametrize("token", TOKENS)
def test_routes_refuses_non_finite_tokens(settings, token):
    settings.ROUTES_TRUSTED_NETWORKS = ["127.0.0.0/8"]
    body = f'{{"chat_id": {token}, "title": "x"}}'
    response = APIClient().generic("POST", "/routes/telegram-chats/", body, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"message": refused(token), "extra": {}})
    assert not TelegramChat.objects.exists()


@pytest.mark.parametrize("token", TOKENS)
def test_feecc_refuses_non_finite_tokens(demo_client, token):
    body = f'{{"schema_id": "board", "internal_id": "1", "model": {token}}}'
    response = demo_client.generic("POST", "/api/v1/passports/", body, content_type="application/json")
    assert (response.status_code, response.json()) == (
        422,
        {"detail": [{"loc": ["body"], "msg": refused(token), "type": "value_error.jsondecode"}]},
    )
    assert not Unit.objects.exists()


@pytest.mark.parametrize("token", TOKENS)
def test_calculations_refuses_non_finite_tokens(demo_client, token):
    body = f'{{"name": {token}}}'
    response = demo_client.generic("POST", "/formula/calculations/write", body, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"detail": refused(token)})
    assert not Calculation.objects.exists()


@pytest.mark.parametrize("token", TOKENS)
def test_datawiz_reads_non_finite_tokens_as_null(demo_client, company, token):
    body = f'[{{"shop_id": "s1", "name": "Shop 1", "address": {token}, "open_date": {token}, "latitude": {token}}}]'
    response = demo_client.generic("POST", "/api/v1/shops/", body, content_type="application/json")
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 1})
    assert list(Shop.objects.values_list("company", "shop_id", "name", "address", "open_date", "latitude")) == [
        (company.pk, "s1", "Shop 1", "", None, None)
    ]
