"""The identity part of ``seed_demo``: ``demo_company`` and the users ``demo``, ``viewer``, ``admin``."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Company, User, UserRole

DEMO_COMPANY_KEY = "demo_company"
DEMO_GROUPS = ("feecc_write", "feecc_approve", "Технолог")
VIEWER_GROUPS = ("Наблюдатель",)


@dataclass(frozen=True)
class DemoActors:
    company: Company
    demo: User
    viewer: User
    admin: User


def _ensure_user(*, username: str, company: Company, password: str, groups=(), **fields) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"company": company, **fields})
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    if groups:
        user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups))
    return user


@transaction.atomic
def demo_actors_ensure(*, password: str) -> DemoActors:
    """Create (idempotently) the demo company and its three users."""
    company, _ = Company.objects.get_or_create(key=DEMO_COMPANY_KEY, defaults={"name": "Demo company"})
    demo = _ensure_user(
        username="demo",
        company=company,
        password=password,
        groups=DEMO_GROUPS,
        roles=[UserRole.USER],
        first_name="Demo",
        last_name="User",
        email="demo@example.com",
        timezone=3,
    )
    viewer = _ensure_user(
        username="viewer",
        company=company,
        password=password,
        groups=VIEWER_GROUPS,
        roles=[UserRole.USER],
        first_name="View",
        last_name="Only",
        timezone=3,
    )
    admin = _ensure_user(
        username="admin",
        company=company,
        password=password,
        roles=[UserRole.ADMIN],
        is_staff=True,
        is_superuser=True,
        timezone=3,
    )
    return DemoActors(company=company, demo=demo, viewer=viewer, admin=admin)


def seed(*, actors: DemoActors) -> str:
    """The accounts app's demo data (usage, audit, quotas): filled in by the accounts issue."""
    return "users ready"
