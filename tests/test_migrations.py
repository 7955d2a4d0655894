"""Migrations are complete and the identity commands work."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_no_missing_migrations():
    call_command("makemigrations", check=True, dry_run=True, interactive=False, stdout=io.StringIO())


def test_createsuperuser_puts_the_user_in_the_default_company(settings):
    call_command(
        "createsuperuser", interactive=False, username="root_user", email="root@example.com", stdout=io.StringIO()
    )
    user = User.objects.get(username="root_user")
    assert user.is_superuser and user.company.key == settings.DEFAULT_COMPANY_KEY


def test_seed_demo_is_idempotent(settings):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    users = {u.username: u for u in User.objects.filter(company__key="demo_company")}
    assert {"demo", "viewer", "admin"} <= set(users)
    assert users["admin"].is_superuser and users["admin"].check_password(settings.DEMO_PASSWORD)
    assert users["demo"].check_password(settings.DEMO_PASSWORD)
    assert sorted(users["demo"].groups.values_list("name", flat=True)) == sorted(
        ["feecc_write", "feecc_approve", "feecc_manage_users", "Технолог"]  # the users API has a right of its own
    )
