"""A new company is stored with exactly the default quotas, whichever way it is created (Decision 10)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import DEFAULT_QUOTAS, Company, Quota, User
from accounts.services import company_get_or_create, company_quotas_ensure

pytestmark = pytest.mark.django_db

EXPECTED = sorted(
    (str(service), str(process_type), per_request, per_day, concurrency)
    for service, process_type, per_request, per_day, concurrency in DEFAULT_QUOTAS
)


def stored(company) -> list[tuple]:
    return sorted(
        Quota.objects.filter(company=company).values_list(
            "service", "process_type", "points_per_request", "points_per_day", "max_concurrent_execution"
        )
    )


def test_company_added_in_the_admin_has_exactly_the_default_quotas(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:accounts_company_add"), {"key": "acme_corp", "name": "Acme"})
    assert response.status_code == 302
    assert stored(Company.objects.get(key="acme_corp")) == EXPECTED


def test_company_changed_in_the_admin_keeps_its_edited_quotas(client, admin_user):
    company, _ = company_get_or_create(key="acme_corp", name="Acme")
    Quota.objects.filter(company=company, service="ROUTING").delete()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_company_change", args=[company.pk]), {"key": "acme_corp", "name": "A"}
    )
    assert response.status_code == 302
    assert [row[0] for row in stored(company)] == ["UNIVERSAL"] * 3


def test_service_creates_the_quotas_once_and_ensure_only_adds_what_is_missing():
    company, created = company_get_or_create(key="acme_corp", name="Acme")
    assert created and stored(company) == EXPECTED
    assert company_get_or_create(key="acme_corp") == (company, False)
    Quota.objects.filter(company=company, service="UNIVERSAL", process_type="PLAN").update(points_per_day=7)
    Quota.objects.filter(company=company, service="ROUTING").delete()
    assert company_quotas_ensure(company=company) == 3
    assert company_quotas_ensure(company=company) == 0
    assert Quota.objects.get(company=company, service="UNIVERSAL", process_type="PLAN").points_per_day == 7


@override_settings(DEFAULT_COMPANY_KEY="fallback_co")
def test_a_user_created_without_a_company_joins_the_default_one_with_its_quotas():
    user = User.objects.create_user("no_company_user", password="long-enough-password")
    assert user.company.key == "fallback_co"
    assert stored(user.company) == EXPECTED


def test_a_plain_model_save_stores_no_quotas_without_the_service():
    # Only the service and the admin store quotas: no signal does it behind a bare save.
    company = Company.objects.create(key="bare_company")
    assert stored(company) == []
