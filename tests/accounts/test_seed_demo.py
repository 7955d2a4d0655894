"""Issue 11, item 1: ``seed_demo`` seeds a database once, never resets an operator's users, and
never runs with production settings (nor does ``manage.py serve`` run it there)."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from accounts.models import Company, User
from calculations.models import Calculation
from terminals.models import Shop, Terminal

pytestmark = pytest.mark.django_db

OPERATOR_PASSWORD = "operator-chosen-secret-77"


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def feecc_login(username: str, password: str) -> int:
    body = f"username={username}&password={password}"
    return APIClient().post("/token", body, content_type="application/x-www-form-urlencoded").status_code


def user_state(username: str) -> tuple:
    user = User.objects.get(username=username)
    return (
        user.password,
        user.token_version,
        sorted(user.groups.values_list("name", flat=True)),
        user.is_staff,
        user.is_superuser,
        user.enabled,
        user.roles,
    )


def operator_changes(demo_password: str) -> None:
    """What an operator does after the first start: new admin password, fewer rights for demo."""
    admin = User.objects.get(username="admin")
    admin.set_password(OPERATOR_PASSWORD)
    admin.save()
    demo = User.objects.get(username="demo")
    demo.groups.remove(Group.objects.get(name="feecc_approve"))
    viewer = User.objects.get(username="viewer")
    viewer.enabled = False
    viewer.save()


def test_a_second_seed_changes_nothing_and_says_so(settings):
    first = seed()
    assert "demo data ready: users demo, viewer, admin" in first
    assert feecc_login("admin", settings.DEMO_PASSWORD) == 200
    operator_changes(settings.DEMO_PASSWORD)
    demo_client = APIClient()
    demo_client.credentials(
        HTTP_AUTHORIZATION="Bearer "
        + APIClient().post("/token", f"username=demo&password={settings.DEMO_PASSWORD}",
                           content_type="application/x-www-form-urlencoded").json()["access_token"]
    )  # fmt: skip
    # The operator also edits a demo terminal and deletes a demo calculation through the APIs.
    edited = demo_client.patch("/api/v1/terminals/1-1/", {"name": "Касса у входа"}, format="json")
    assert edited.status_code == 200
    guid = str(Calculation.objects.order_by("number").first().guid)
    assert demo_client.delete(f"/formula/calculations/delete?guid={guid}").status_code == 200
    before = {name: user_state(name) for name in ("demo", "viewer", "admin")}
    counts = (User.objects.count(), Calculation.objects.count(), Shop.objects.count(), Terminal.objects.count())

    second = seed()

    assert second == (
        "demo data already seeded (company demo_company exists): nothing changed. "
        "Run `manage.py seed_demo --reset` to seed it again.\n"
    )
    assert {name: user_state(name) for name in ("demo", "viewer", "admin")} == before
    assert (User.objects.count(), Calculation.objects.count(), Shop.objects.count(), Terminal.objects.count()) == counts
    assert Terminal.objects.get(terminal_id="1-1").name == "Касса у входа"
    assert not Calculation.objects.filter(guid=guid).exists()
    # The public demo password is no way into the operator's admin account.
    assert feecc_login("admin", settings.DEMO_PASSWORD) == 401
    assert feecc_login("admin", OPERATOR_PASSWORD) == 200


def test_reset_reseeds_demo_rows_but_never_an_existing_users_password_groups_or_flags(settings):
    seed()
    operator_changes(settings.DEMO_PASSWORD)
    Terminal.objects.filter(terminal_id="1-1").update(name="Касса у входа")
    Shop.objects.filter(shop_id="1").update(name="Переименован")
    deleted = Calculation.objects.order_by("number").first()
    guid, last_number = deleted.guid, Calculation.objects.order_by("-number").first().number
    deleted.delete()
    before = {name: user_state(name) for name in ("demo", "viewer", "admin")}

    out = seed("--reset")

    assert "demo data ready: users demo, viewer, admin" in out
    assert {name: user_state(name) for name in ("demo", "viewer", "admin")} == before
    assert User.objects.get(username="admin").check_password(OPERATOR_PASSWORD)
    assert "feecc_approve" not in User.objects.get(username="demo").groups.values_list("name", flat=True)
    assert not User.objects.get(username="viewer").enabled
    # Demo rows go back to their demo values; the deleted calculation comes back.
    assert Terminal.objects.get(terminal_id="1-1").name == "Kassa 1"
    assert Shop.objects.get(shop_id="1").name == "Магазин №1"
    restored = Calculation.objects.get(guid=guid)
    assert restored.number > last_number


def test_first_seed_leaves_an_operators_existing_user_alone(settings):
    operator_company = Company.objects.create(key="acme", name="Acme")
    admin = User(username="admin", company=operator_company, is_staff=False, is_superuser=False, roles=["USER"])
    admin.set_password(OPERATOR_PASSWORD)
    admin.save()
    before = user_state("admin")

    seed()

    assert user_state("admin") == before
    assert User.objects.get(username="admin").company == operator_company
    assert feecc_login("admin", settings.DEMO_PASSWORD) == 401
    assert User.objects.get(username="demo").check_password(settings.DEMO_PASSWORD)


def test_reference_users_keep_their_groups_on_reset():
    seed()
    petrov = User.objects.get(username="petrov")
    petrov.groups.clear()
    seed("--reset")
    assert list(petrov.groups.values_list("name", flat=True)) == []


def test_production_settings_refuse_and_create_nothing(settings):
    settings.PRODUCTION = True
    for args in ((), ("--reset",)):
        with pytest.raises(CommandError) as refused:
            seed(*args)
        assert str(refused.value) == (
            "seed_demo refuses to run with production settings (config.settings.production): the demo users "
            "have a public password. Create real users with `manage.py createsuperuser`."
        )
    assert not Company.objects.filter(key="demo_company").exists()
    assert not User.objects.filter(username__in=["demo", "viewer", "admin"]).exists()


def test_production_refusal_is_one_clear_line_for_the_operator():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "placeholder-" + "x" * 60,
        "JWT_SIGNING_KEY": "placeholder-" + "y" * 60,
        # Nothing listens there: the refusal comes before any database access.
        "DATABASE_URL": "postgres://placeholder@127.0.0.1:9/placeholder",
        "ALLOWED_HOSTS": "api.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "CommandError: seed_demo refuses to run with production settings (config.settings.production): the demo "
        "users have a public password. Create real users with `manage.py createsuperuser`."
    )


class _FakeGunicorn:
    def __init__(self, *args, **kwargs):
        pass

    def poll(self):
        return 0

    def wait(self):
        return 0


@pytest.mark.parametrize(
    ("production", "seeded"),
    [
        (True, ["init_account_roles", "init_report_types", "init_formula_catalogs"]),
        (False, ["init_account_roles", "init_report_types", "init_formula_catalogs", "seed_demo"]),
    ],
)
def test_serve_runs_seed_demo_only_outside_production(settings, monkeypatch, production, seeded):
    from common.management.commands import serve

    settings.PRODUCTION = production
    ran = []
    monkeypatch.setattr(serve, "call_command", lambda name, *args, **kwargs: ran.append(name))
    monkeypatch.setattr(serve.subprocess, "Popen", _FakeGunicorn)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)
    with socket.socket() as probe:  # a port nothing listens on, for serve's port check
        probe.bind(("127.0.0.1", 0))
        monkeypatch.setenv("PORT", str(probe.getsockname()[1]))
    out = io.StringIO()
    call_command("serve", stdout=out)
    assert ran == ["migrate", "createcachetable", "collectstatic", *seeded]
    # The banner names the demo logins only where they are seeded.
    assert (settings.DEMO_PASSWORD in out.getvalue()) is (not production)
    assert ("viewer /" in out.getvalue()) is (not production)
