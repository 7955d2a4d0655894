"""``/api/v1/terminals/{terminal_id}/``: PUT (rename keeps links), PATCH, DELETE (409 when in use)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models

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


@pytest.fixture
def receipts():
    """A receipt model that PROTECTs its terminal, as the original's receipts do; its table
    exists only in this test's transaction, and the model leaves the registry afterwards."""

    class Receipt(models.Model):
        terminal = models.ForeignKey(Terminal, on_delete=models.PROTECT)

        class Meta:
            app_label = "terminals"

        def __str__(self):
            return f"receipt of {self.terminal_id}"

    with connection.schema_editor() as editor:
        editor.create_model(Receipt)
    yield Receipt
    del apps.all_models["terminals"]["receipt"]
    apps.clear_cache()


def test_delete_of_a_terminal_in_use_is_a_409_and_keeps_it(demo_client, terminals, company, receipts):
    receipts.objects.create(terminal=Terminal.objects.get(company=company, terminal_id="1-2"))
    response = demo_client.delete("/api/v1/terminals/1-2/")
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Нельзя удалить терминал, который используется в чеках"},
    )
    assert Terminal.objects.filter(company=company, terminal_id="1-2").exists()
    assert demo_client.delete("/api/v1/terminals/1-1/").status_code == 204  # not referenced


def test_no_slash_write_is_answered_not_redirected(demo_client, terminals):
    response = demo_client.patch("/api/v1/terminals/1-2", {"name": "No slash"}, format="json")
    assert (response.status_code, response.json()) == (200, row("1-2", "No slash", "1"))


@pytest.fixture
def concurrent_writer():
    """Every write of a terminal meets a unique violation, as when another transaction committed
    a clashing row after this request's checks (the checks cannot see it coming)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_clash() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE unique_violation USING MESSAGE = 'duplicate key value'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_clash BEFORE INSERT OR UPDATE ON terminals_terminal"
            " FOR EACH ROW EXECUTE FUNCTION test_clash()"
        )


def test_a_constraint_violation_from_a_concurrent_writer_is_a_409(demo_client, terminals, concurrent_writer):
    response = demo_client.post(
        "/api/v1/terminals/", [{"terminal_id": "n", "shop_id": "1", "name": "N"}], format="json"
    )
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "The data changed while this request was processed; send it again."},
    )
