"""Info read/update, quotas, system check/version/file (accounts.md, Decisions 10, 11, 13)."""

import pytest
from django.db import OperationalError

from accounts.models import DEFAULT_QUOTAS, Company, Quota, User
from tests.accounts.factories import QuotaFactory
from tests.accounts.helpers import is_trace

INFO = "/account/info"


def info_of(user: User) -> dict:
    return {
        "username": user.username,
        "specification": user.specification,
        "email": user.email,
        "phone": user.phone,
        "company_key": user.company.key,
        "enabled": True,
        "roles": list(user.roles),
        "timezone": user.timezone,
        "edit_date": user.edit_date.isoformat(),
        "creation_date": user.date_joined.isoformat(),
        "attributes": user.attributes,
    }


@pytest.mark.django_db
def test_read_info_is_the_callers_user_without_password(demo_client, demo_user):
    response = demo_client.get(INFO)
    assert response.status_code == 200
    assert response.json() == info_of(demo_user)
    assert response.json()["email"] is None and "password" not in response.json()


@pytest.mark.django_db
def test_update_info_absent_keeps_null_clears_attributes_replace(demo_client, demo_user):
    User.objects.filter(pk=demo_user.pk).update(
        specification="Planner", phone="+71112223333", attributes=[{"key": "old", "value": "1"}]
    )
    before = User.objects.get(pk=demo_user.pk).edit_date
    response = demo_client.put(
        INFO,
        {
            "email": "demo@example.com",
            "phone": None,
            "attributes": [{"key": "k", "value": "v", "strategy": "LASTMILE_REF_TIME"}],
        },
        format="json",
    )
    assert response.status_code == 200
    demo_user.refresh_from_db()
    assert (demo_user.specification, demo_user.email, demo_user.phone) == ("Planner", "demo@example.com", None)
    assert demo_user.attributes == [{"key": "k", "value": "v", "strategy": "LASTMILE_REF_TIME"}]
    assert demo_user.edit_date > before
    assert response.json() == info_of(demo_user)


@pytest.mark.django_db
def test_update_info_ignores_read_only_fields(demo_client, demo_user):
    response = demo_client.put(
        INFO, {"username": "hacker", "company_key": "other", "roles": ["ADMIN"], "enabled": False}, format="json"
    )
    assert response.status_code == 200
    demo_user.refresh_from_db()
    assert (demo_user.username, demo_user.company.key, demo_user.roles, demo_user.enabled) == (
        "demo",
        "demo_company",
        ["USER"],
        True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "entity"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"phone": "12345"}, "phone"),
        ({"specification": "x"}, "specification"),
        ({"attributes": [{"key": "", "value": "v"}]}, "attributes.0.key"),
        ({"attributes": [{"key": "k"}]}, "attributes.0.value"),
        ({"attributes": [{"key": "k", "value": "x" * 2001}]}, "attributes.0.value"),
        ({"attributes": [{"key": "k", "value": "v"}] * 2}, "attributes"),
        ({"attributes": [{"key": f"k{i}", "value": "v"} for i in range(251)]}, "attributes"),
        ({"attributes": "nope"}, "attributes"),
        ({"attributes": [None, {"key": "k", "value": "v"}]}, "attributes.0"),
    ],
)
def test_invalid_info_is_general400_and_writes_nothing(demo_client, demo_user, data, entity):
    before = User.objects.values().get(pk=demo_user.pk)
    response = demo_client.put(INFO, data, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Validation error"
    assert [error["entity"] for error in body["schema_errors"]] == [entity]
    assert is_trace(body["tracedata"], operation="update_info", username="demo", company="demo_company")
    assert User.objects.values().get(pk=demo_user.pk) == before


@pytest.mark.django_db
def test_info_needs_a_token(api_client):
    response = api_client.get(INFO)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body == {"tracedata": body["tracedata"], "message": "Authentication credentials were not provided."}


# --- quota -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_new_company_gets_default_quotas_grouped_by_service(demo_client, company):
    assert Quota.objects.filter(company=company).count() == len(DEFAULT_QUOTAS)
    Quota.objects.filter(company=company, service="ROUTING").delete()
    QuotaFactory(company=company, service="ROUTING", process_type="MATRIX", points_per_day=7)
    response = demo_client.get("/account/quota")
    assert response.status_code == 200
    assert response.json() == {
        "base": {
            "services": [
                {
                    "service": "ROUTING",
                    "processes": [
                        {
                            "process_type": "MATRIX",
                            "points_per_request": 100,
                            "points_per_day": 7,
                            "max_concurrent_execution": 2,
                        }
                    ],
                },
                {
                    "service": "UNIVERSAL",
                    "processes": [
                        {
                            "process_type": p,
                            "points_per_request": 5000,
                            "points_per_day": d,
                            "max_concurrent_execution": c,
                        }
                        for p, d, c in (("PLAN", 100000, 4), ("TRACE", 50000, 2), ("VALIDATE", 100000, 4))
                    ],
                },
            ]
        }
    }


@pytest.mark.django_db
def test_a_company_without_quotas_reads_the_defaults(demo_client, company):
    Quota.objects.filter(company=company).delete()
    services = demo_client.get("/account/quota").json()["base"]["services"]
    assert [(s["service"], [p["process_type"] for p in s["processes"]]) for s in services] == [
        ("ROUTING", ["CONVERT", "PLAN", "VALIDATE"]),
        ("UNIVERSAL", ["PLAN", "TRACE", "VALIDATE"]),
    ]
    assert not Quota.objects.filter(company=company).exists()


@pytest.mark.django_db
def test_quota_query_count_is_fixed(demo_client, company, django_assert_num_queries):
    Quota.objects.filter(company=company).delete()
    for process_type in ("PLAN", "TRACE", "MATRIX"):
        QuotaFactory(company=company, process_type=process_type)
    with django_assert_num_queries(2):  # token user, quotas
        assert len(demo_client.get("/account/quota").json()["base"]["services"][0]["processes"]) == 3
    for service in ("ROUTING", "STUDIO", "PACKER"):
        for process_type in (
            "NOTRACE",
            "TRACE",
            "PLAN",
            "CONVERT",
            "VALIDATE",
            "ROUTE",
            "MATRIX",
            "ACTUALIZE",
            "TRACE",
        ):
            QuotaFactory(company=company, service=service, process_type=process_type)
    with django_assert_num_queries(2):
        services = demo_client.get("/account/quota").json()["base"]["services"]
    assert sum(len(s["processes"]) for s in services) == 3 + 3 * 8


@pytest.mark.django_db
def test_quotas_are_per_company(other_client, other_company):
    Quota.objects.filter(company=other_company).exclude(service="UNIVERSAL", process_type="PLAN").delete()
    QuotaFactory(company=Company.objects.get(key="other_company"), service="UNIVERSAL", process_type="PLAN")
    services = other_client.get("/account/quota").json()["base"]["services"]
    assert [(s["service"], [p["process_type"] for p in s["processes"]]) for s in services] == [("UNIVERSAL", ["PLAN"])]


# --- system ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_reports_health_without_a_token(api_client):
    response = api_client.get("/account/system/check")
    assert (response.status_code, response.json()) == (200, {"health": 1.0})


@pytest.mark.django_db
def test_check_is_zero_not_500_when_the_database_fails(api_client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("database is down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = api_client.get("/account/system/check")
    assert (response.status_code, response.json()) == (200, {"health": 0.0})


def test_version_has_a_string_build(client, settings):
    response = client.get("/account/system/version")
    assert (response.status_code, response.json()) == (200, {"major": 7, "minor": 9, "build": settings.PROJECT_VERSION})


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "lang"), [("account_en.html", "en"), ("account_ru.html", "ru")])
def test_documentation_file_is_an_offline_redoc_page(api_client, name, lang):
    response = api_client.get(f"/account/file/{name}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in page
    assert 'Redoc.init("/account/schema"' in page
    assert "https://" not in page and "fonts.googleapis" not in page


@pytest.mark.django_db
def test_account_schema_has_only_the_account_operations(api_client):
    response = api_client.get("/account/schema", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    assert paths == {
        "/account/token/generation",
        "/account/token/validation",
        "/account/password",
        "/account/info",
        "/account/statistics",
        "/account/report",
        "/account/quota",
        "/account/audit",
        "/account/data/{process_code}",
        "/account/system/check",
        "/account/system/version",
        "/account/file/{filename}",
    }


@pytest.mark.django_db
def test_unknown_documentation_file_is_general404(api_client):
    response = api_client.get("/account/file/account_zz.html")
    assert response.status_code == 404
    body = response.json()
    assert body == {"resource_key": "account_zz.html", "detail": {"tracedata": body["detail"]["tracedata"]}}
    assert is_trace(body["detail"]["tracedata"], operation="file")


@pytest.mark.django_db
def test_unknown_account_path_is_general404(api_client):
    response = api_client.post("/account/info/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["resource_key"] is None and "tracedata" in response.json()["detail"]
