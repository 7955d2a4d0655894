"""Access through Django permissions (calculations.md, Decision 3): no role, read-only, write."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from calculations.models import AccessRole
from calculations.services.calculations import calculation_create
from tests.calculations.helpers import snapshot
from tests.conftest import bearer_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READS = [
    ("get", "/formula/catalogs/list/units", None),
    ("get", "/formula/catalogs/list/users", None),
    ("post", "/formula/calculations/list", {}),
    ("get", "/formula/calculations/write?guid={guid}", None),
]
WRITES = [
    ("post", "/formula/calculations/write", {}),
    ("post", "/formula/calculations/writeOnlist?guid={guid}", {"comment": "x"}),
    ("delete", "/formula/calculations/delete?guid={guid}", None),
]


def _call(client, method, path, data, guid):
    return getattr(client, method)(path.format(guid=guid), data, format="json")


def test_groups_exist_with_permissions_after_migrate():
    technologist = Group.objects.get(name="Технолог")
    observer = Group.objects.get(name="Наблюдатель")
    assert set(technologist.permissions.values_list("codename", flat=True)) == {
        "view_calculation",
        "change_calculation",
    }
    assert set(observer.permissions.values_list("codename", flat=True)) == {"view_calculation"}
    assert str(AccessRole.objects.get(group=technologist).guid) == "00000000-0000-0000-0000-000000000999"
    call_command("init_formula_catalogs")  # idempotent: ensures the same groups again
    assert Group.objects.filter(name__in=["Технолог", "Наблюдатель"]).count() == 2
    assert AccessRole.objects.count() == 2


def test_a_user_without_a_role_reads_nothing_and_writes_nothing(company, demo_user):
    calculation = calculation_create(author=demo_user)
    client = bearer_client(UserFactory(username="norole", company=company))
    before = snapshot()
    for method, path, data in READS + WRITES:
        response = _call(client, method, path, data, calculation.guid)
        assert (response.status_code, response.json()) == (
            403,
            {"detail": "You do not have permission to perform this action."},
        ), path
    assert snapshot() == before
    assert client.get("/formula/catalogs/users/current").status_code == 200


def test_read_only_user_reads_but_cannot_write(viewer_client, demo_user):
    calculation = calculation_create(author=demo_user)
    for method, path, data in READS:
        assert _call(viewer_client, method, path, data, calculation.guid).status_code == 200, path
    before = snapshot()
    for method, path, data in WRITES:
        assert _call(viewer_client, method, path, data, calculation.guid).status_code == 403, path
    assert snapshot() == before


def test_permission_granted_directly_counts(company, demo_user):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="direct", company=company)
    user.user_permissions.add(Permission.objects.get(codename="change_calculation"))
    client = bearer_client(user)
    assert client.post("/formula/calculations/write", {}, format="json").status_code == 200
    assert client.post("/formula/calculations/list", {}, format="json").status_code == 200  # write implies read
    assert client.get("/formula/catalogs/users/access-role").json() == {
        "guid": "",
        "name": "",
        "actions": ["FULL_ACCESS_WRITE", "FULL_ACCESS_READ"],
    }


def test_anonymous_gets_401_everywhere(api_client, demo_user):
    calculation = calculation_create(author=demo_user)
    paths = [("get", "/formula/catalogs/users/current", None), ("get", "/formula/catalogs/users/access-role", None)]
    for method, path, data in paths + READS + WRITES:
        response = _call(api_client, method, path, data, calculation.guid)
        assert response.status_code == 401, path
        assert response["WWW-Authenticate"] == "Bearer"


def test_unknown_path_and_method_answer_json(demo_client):
    missing = demo_client.get("/formula/calculations/nope")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not found."})
    wrong = demo_client.put("/formula/calculations/list", {}, format="json")
    assert (wrong.status_code, wrong.json()) == (405, {"detail": 'Method "PUT" not allowed.'})
