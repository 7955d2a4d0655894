"""Body size limits (issue 11, item 4): 1 MiB by default, 4 MiB for the Datawiz bulk upserts,
checked on ``Content-Length`` before anything reads the body; a 413 in each API's shape."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from common.parsers import JSONParser
from terminals.models import Terminal
from terminals.services import shops_upsert
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024


def flat_objects(size: int) -> str:
    """``[{},{},…]`` of exactly ``size`` bytes: the cheapest body to send, the dearest to parse."""
    count = (size - 1) // 3
    body = "[" + ",".join(["{}"] * count) + "]"
    return body + " " * (size - len(body))


@pytest.fixture
def parsing_forbidden(monkeypatch):
    """Any JSON parse fails the test: an oversized body must be refused before it is read."""

    def refuse(self, stream, media_type=None, parser_context=None):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(JSONParser, "parse", refuse)


def test_the_default_limit_is_one_mebibyte():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == MIB
    assert settings.DATAWIZ_UPLOAD_MAX_MEMORY_SIZE == 4 * MIB


def test_an_anonymous_19_mb_body_to_token_validation_is_refused_unparsed(parsing_forbidden):
    """The measured attack: ~480 MB of parsed objects kept by the worker."""
    response = APIClient().post("/account/token/validation", flat_objects(19 * 10**6), content_type="application/json")
    assert response.status_code == 413
    body = response.json()
    assert set(body) == {"tracedata", "message"} and body["message"] == "Request body is too large."
    assert body["tracedata"]["operation"] == "run_token_validation"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/account/token/generation", None),  # VRt: checked below
        ("/token", {"detail": "Request body is too large."}),
        ("/api/o/token/", {"detail": "Request body is too large."}),
        ("/routes/roles/users/1/", {"message": "Request body is too large.", "extra": {}}),
        ("/formula/calculations/write", {"detail": "Request body is too large."}),
        ("/api/v1/passports", {"detail": "Request body is too large."}),
    ],
)
def test_one_byte_over_the_default_limit_is_a_413_before_parsing_or_throttling(path, expected, parsing_forbidden):
    from common.models import ThrottleBucket

    response = APIClient().post(path, flat_objects(MIB + 1), content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    if expected is None:
        assert response.json()["message"] == "Request body is too large."
    else:
        assert response.json() == expected
    assert not ThrottleBucket.objects.exists()  # refused before the login throttles counted it


def test_a_body_at_the_default_limit_is_read(api_client):
    response = api_client.post("/account/token/validation", flat_objects(MIB), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"] == "Validation error"


def _max_chunk(shop_id: str, count: int = 2000) -> list[dict]:
    """The official client's chunk (2000 items) with every field at its maximum length, in
    Cyrillic: ``json.dumps`` (requests' ``json=``) escapes each letter to 6 bytes."""
    return [
        {"terminal_id": "т" * 45 + f"{n:05d}", "shop_id": shop_id, "name": "к" * 95 + f"{n:05d}"} for n in range(count)
    ]


def test_the_clients_largest_bulk_chunk_fits_the_datawiz_limit(demo_user, company):
    shop_id = "м" * 50
    shops_upsert(company=company, items=[{"shop_id": shop_id, "name": "Shop"}])
    body = json.dumps(_max_chunk(shop_id))
    assert 2 * MIB < len(body) < 4 * MIB
    response = bearer_client(demo_user).post("/api/v1/terminals/", body, content_type="application/json")
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 2000})
    assert Terminal.objects.filter(company=company).count() == 2000


def test_a_bulk_body_over_the_datawiz_limit_is_a_413_and_writes_nothing(demo_user, company, parsing_forbidden):
    shop_id = "м" * 50
    shops_upsert(company=company, items=[{"shop_id": shop_id, "name": "Shop"}])
    body = json.dumps(_max_chunk(shop_id, 3600))
    assert len(body) > 4 * MIB
    for path in ("/api/v1/terminals/", "/api/v1/shops/", "/api/v1/terminals.json", "/api/v1/terminals"):
        response = bearer_client(demo_user).post(path, body, content_type="application/json")
        assert (response.status_code, response.json()) == (413, {"detail": "Request body is too large."}), path
    assert not Terminal.objects.exists()


def test_the_larger_limit_is_only_for_the_bulk_post(demo_user, company):
    body = json.dumps({"terminal_id": "1-1", "shop_id": "1", "name": "Kassa 1", "pad": "x" * MIB})
    response = bearer_client(demo_user).put("/api/v1/terminals/1-1/", body, content_type="application/json")
    assert (response.status_code, response.json()) == (413, {"detail": "Request body is too large."})
    # Other APIs keep the 1 MIB default for the same body.
    response = bearer_client(demo_user).post("/formula/calculations/write", body, content_type="application/json")
    assert (response.status_code, response.json()) == (413, {"detail": "Request body is too large."})
