"""``/api/v1/terminals/{terminal_id}/``: PUT (rename keeps links), PATCH, DELETE (409 when in use)."""

from __future__ import annotations

import pytest

from terminals import services
from terminals.models import Terminal
from tests.terminals.helpers import row

pytestmark = pytest.mark.django_db


def test_put_renames_in_place_and_the_old_url_is_gone(demo_client, terminals, company):
    pk = Terminal.objects.get(company=company, terminal_id="1-1").pk
    response = demo_client.put(
        "/api/v1/terminals/1-1/.json", {"terminal_id": "1-100", "name": "Another Name", "shop_id": "1"}, format="json"
    )
    assert (response.status_code, response.json()) == (200, row("1-100", "Another Name", "1"))
    renamed = Terminal.objects.get(company=company, terminal_id="1-100")
    assert (renamed.pk, renamed.name, renamed.shop.shop_id) == (pk, "Another Name", "1")
    assert demo_client.get("/api/v1/terminals/1-1/").json() == {"detail": "Not found"}
    assert demo_client.get("/api/v1/terminals/1-100/").json() == row("1-100", "Another Name", "1")


def test_put_onto_an_existing_id_is_refused(demo_client, terminals, company):
    response = demo_client.put(
        "/api/v1/terminals/1-1/", {"terminal_id": "1-2", "name": "X", "shop_id": "1"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"terminal_id": ["Terminal with this Terminal id already exists."]},
    )
    assert Terminal.objects.get(company=company, terminal_id="1-1").name == "Kassa 1"


def test_put_needs_every_field(demo_client, terminals):
    response = demo_client.put("/api/v1/terminals/1-1/", {"terminal_id": "1-1", "name": ""}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"shop_id": ["This field is required."], "name": ["This field is required."]},
    )


def test_put_to_an_unknown_shop_names_it(demo_client, terminals):
    response = demo_client.put(
        "/api/v1/terminals/1-1/", {"terminal_id": "1-1", "name": "K", "shop_id": "33"}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"shop_id": ["Shop with id=33 does not exist"]})


def test_put_with_a_name_taken_in_the_shop_is_refused(demo_client, terminals):
    response = demo_client.put(
        "/api/v1/terminals/1-1/", {"terminal_id": "1-1", "name": "Kassa 2", "shop_id": "1"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["Terminal with this Shop and Name already exists."]},
    )


def test_put_on_a_missing_id_is_not_found(demo_client, terminals, company):
    response = demo_client.put(
        "/api/v1/terminals/nope/", {"terminal_id": "nope", "name": "N", "shop_id": "1"}, format="json"
    )
    assert (response.status_code, response.json()) == (404, {"detail": "Not found"})
    assert not Terminal.objects.filter(terminal_id="nope").exists()


def test_put_with_a_list_body_is_a_clear_400(demo_client, terminals):
    response = demo_client.put("/api/v1/terminals/1-1/", [], format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
    )


def test_patch_changes_one_field(demo_client, terminals, company):
    response = demo_client.patch("/api/v1/terminals/1-2/.json", {"name": "Terminal #100"}, format="json")
    assert (response.status_code, response.json()) == (200, row("1-2", "Terminal #100", "1"))
    assert Terminal.objects.get(company=company, terminal_id="1-2").name == "Terminal #100"


def test_patch_can_move_and_rename(demo_client, terminals, company):
    response = demo_client.patch("/api/v1/terminals/1-2/", {"terminal_id": "3-1", "shop_id": "3"}, format="json")
    assert (response.status_code, response.json()) == (200, row("3-1", "Kassa 2", "3"))


def test_patch_blank_name_is_required(demo_client, terminals):
    response = demo_client.patch("/api/v1/terminals/1-2/", {"name": " "}, format="json")
    assert (response.status_code, response.json()) == (400, {"name": ["This field is required."]})


def test_delete_answers_204_and_removes_the_row(demo_client, terminals, company):
    response = demo_client.delete("/api/v1/terminals/1-2/")
    assert response.status_code == 204
    assert response.content == b""
    assert not Terminal.objects.filter(company=company, terminal_id="1-2").exists()
    assert demo_client.delete("/api/v1/terminals/1-2/").json() == {"detail": "Not found"}


def test_delete_of_a_terminal_in_use_is_a_409_and_keeps_it(demo_client, terminals, company, monkeypatch):
    calls = []

    def in_use(terminal):
        calls.append(terminal.terminal_id)
        return True

    monkeypatch.setattr(services, "terminal_in_use", in_use)
    response = demo_client.delete("/api/v1/terminals/1-2/")
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Нельзя удалить терминал, который используется в чеках"},
    )
    assert calls == ["1-2"]
    assert Terminal.objects.filter(company=company, terminal_id="1-2").exists()


def test_terminal_in_use_is_false_without_references(terminals, company):
    assert services.terminal_in_use(Terminal.objects.get(company=company, terminal_id="1-1")) is False


def test_no_slash_write_is_answered_not_redirected(demo_client, terminals):
    response = demo_client.patch("/api/v1/terminals/1-2", {"name": "No slash"}, format="json")
    assert (response.status_code, response.json()) == (200, row("1-2", "No slash", "1"))


def test_a_constraint_violation_from_a_concurrent_writer_is_a_409(demo_client, terminals, company, monkeypatch):
    from django.db import IntegrityError

    def racing(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "terminal_upsert_sql", racing)
    response = demo_client.post(
        "/api/v1/terminals/", [{"terminal_id": "n", "shop_id": "1", "name": "N"}], format="json"
    )
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "The data changed while this request was processed; send it again."},
    )
