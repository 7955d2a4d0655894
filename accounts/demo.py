"""The identity part of ``seed_demo``: ``demo_company`` and the users ``demo``, ``viewer``, ``admin``.

Every app that has demo data has a ``<app>.demo`` module with ``seed(*, actors) -> str`` and,
when the demo users need its groups, ``DEMO_GROUPS`` (for ``demo``) and ``VIEWER_GROUPS`` (for
``viewer``). ``demo_seeders()`` finds them in ``INSTALLED_APPS`` order, as the admin finds each
app's ``admin`` module, so accounts knows no other app by name (dependencies point down).
"""

from __future__ import annotations

import base64
import importlib
import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from accounts.models import Company, Process, User, UserRole
from accounts.services import company_get_or_create

DEMO_COMPANY_KEY = "demo_company"


@dataclass(frozen=True)
class DemoSeeder:
    """One app's part of the demo data set."""

    label: str
    seed: object  # ``seed(*, actors: DemoActors) -> str``
    demo_groups: tuple[str, ...]
    viewer_groups: tuple[str, ...]


def demo_seeders() -> list[DemoSeeder]:
    """Each installed app's ``demo`` module that defines ``seed``, in ``INSTALLED_APPS`` order."""
    seeders = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "demo"):
            continue
        module = importlib.import_module(f"{config.name}.demo")
        if callable(getattr(module, "seed", None)):
            seeders.append(
                DemoSeeder(
                    label=config.label,
                    seed=module.seed,
                    demo_groups=tuple(getattr(module, "DEMO_GROUPS", ())),
                    viewer_groups=tuple(getattr(module, "VIEWER_GROUPS", ())),
                )
            )
    return seeders


def demo_groups() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The groups of the demo user and of the viewer, as the apps that define them declare."""
    seeders = demo_seeders()
    demo = tuple(name for seeder in seeders for name in seeder.demo_groups)
    viewer = tuple(name for seeder in seeders for name in seeder.viewer_groups)
    return demo, viewer


@dataclass(frozen=True)
class DemoActors:
    company: Company
    demo: User
    viewer: User
    admin: User


def _ensure_user(*, username: str, company: Company, password: str, groups=(), **fields) -> User:
    """Create the demo user when missing; a user that exists is returned untouched:
    its password, groups and flags are the operator's, never reset by a later seed."""
    user, created = User.objects.get_or_create(username=username, defaults={"company": company, **fields})
    if created:
        user.set_password(password)
        user.save()
        if groups:
            user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups))
    return user


def demo_data_present() -> bool:
    """Whether a database already holds the demo data set (its company exists)."""
    return Company.objects.filter(key=DEMO_COMPANY_KEY).exists()


@transaction.atomic
def demo_actors_ensure(*, password: str) -> DemoActors:
    """Create the demo company and those of its three users that are missing."""
    demo_user_groups, viewer_groups = demo_groups()
    company, _ = company_get_or_create(key=DEMO_COMPANY_KEY, name="Demo company")
    demo = _ensure_user(
        username="demo",
        company=company,
        password=password,
        groups=demo_user_groups,
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
        groups=viewer_groups,
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
    """A month of believable VRt usage (audit, stored data) and the company's quotas; idempotent."""
    from accounts.imports import processes_import
    from accounts.services import company_quotas_ensure

    company_quotas_ensure(company=actors.company)
    now = timezone.now()
    actions = [
        *demo_usage(user=actors.demo, now=now, per_day=(3, 8)),
        *demo_usage(user=actors.viewer, now=now, per_day=(0, 2)),
        *demo_usage(user=actors.admin, now=now, per_day=(0, 1)),
    ]
    existing = set(
        str(code)
        for code in Process.objects.filter(process_code__in=[a["process_code"] for a in actions]).values_list(
            "process_code", flat=True
        )
    )
    fresh = [action for action in actions if action["process_code"] not in existing]
    summary = processes_import(lines=(json.dumps(action) for action in fresh))
    return f"{summary.processes} processes added ({len(actions)} in the demo month), quotas ready"


# Operations a client calls on each service (the tracedata rows of an audit action).
_OPERATIONS = {
    "UNIVERSAL": {
        "PLAN": ("run_planning", "read_result"),
        "TRACE": ("run_trace",),
        "VALIDATE": ("run_validation",),
        "CONVERT": ("run_convert",),
    },
    "ROUTING": {
        "PLAN": ("run_routing", "read_result"),
        "VALIDATE": ("run_validation",),
        "CONVERT": ("run_convert",),
        "TRACE": ("run_trace",),
    },
}
# Mostly finished in time; every status appears (Decision 5).
_STATUSES = (
    ["FINISHED_IN_TIME"] * 14
    + ["FINISHED_OUT_OF_TIME"] * 2
    + ["CANCELED", "CANCELED_BY_TIMEOUT", "CANCELED_BY_QUOTA", "FAILED"]
)
_NAMESPACE = uuid.UUID("6f1c2a52-4f43-4a55-9a55-0c1de0a0d2b1")


def _duration(seconds: float) -> str:
    from accounts.durations import duration_compact

    return duration_compact(timedelta(seconds=round(seconds, 3)))


def demo_usage(*, user: User, now, per_day: tuple[int, int], days: int = 30) -> list[dict]:
    """The user's processes of the last ``days`` days as import lines (deterministic per date)."""
    zone = dt_timezone(timedelta(hours=user.timezone))
    today = now.astimezone(zone).date()
    actions = []
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        rng = random.Random(f"{user.username}:{day.isoformat()}")
        count = rng.randint(*per_day)
        for index in range(count):
            start = datetime.combine(day, datetime.min.time(), tzinfo=zone) + timedelta(
                hours=rng.randint(9, 18), minutes=rng.randint(0, 59), seconds=rng.randint(0, 59)
            )
            if start >= now:
                continue
            actions.append(_demo_action(user=user, rng=rng, start=start, key=f"{user.username}:{day}:{index}"))
    # The latest process is a fresh one still running, so today's audit shows live states too.
    if actions and user.username == "demo":
        latest = max(actions, key=lambda a: a["time"])
        latest["statistics"]["calculation_info"]["status"] = "IN_PROGRESS"
        latest.pop("output_data", None)
        second = sorted(actions, key=lambda a: a["time"])[-2] if len(actions) > 1 else None
        if second is not None:
            second["statistics"]["calculation_info"]["status"] = "WAITING"
            second.pop("output_data", None)
    return actions


def _demo_action(*, user: User, rng: random.Random, start, key: str) -> dict:
    service = rng.choice(("UNIVERSAL", "UNIVERSAL", "ROUTING"))
    process_type = rng.choice(("PLAN", "PLAN", "PLAN", "VALIDATE", "TRACE", "CONVERT"))
    status = rng.choice(_STATUSES)
    points = rng.randint(20, 600) if service == "UNIVERSAL" else rng.randint(50, 2500)
    unique = max(1, int(points * rng.uniform(0.6, 1.0)))
    finished = status.startswith("FINISHED")
    elements = (points // rng.randint(8, 25) if service == "UNIVERSAL" else points * 2) if finished else None
    calculation = rng.uniform(0.5, 240) if finished else 0
    waiting = rng.uniform(0, 30) if status != "CANCELED_BY_TIMEOUT" else 600.0
    process_code = str(uuid.uuid5(_NAMESPACE, key))
    requests = []
    at = start
    for operation in _OPERATIONS[service][process_type]:
        requests.append(
            {
                "request_code": str(uuid.uuid5(_NAMESPACE, f"{key}:{operation}")),
                "username": user.username,
                "company": user.company.key,
                "service": service,
                "operation": operation,
                "env": "demo",
                "pod": f"vrt-{service.lower()}-7c9f4",
                "time": at.isoformat(),
            }
        )
        at += timedelta(seconds=calculation + waiting + 1)
    payload = {"process_code": process_code, "points": [{"key": f"p{i}"} for i in range(min(points, 20))]}
    action = {
        "process_code": process_code,
        "process_type": process_type,
        "username": user.username,
        "company": user.company.key,
        "service": service,
        "time": start.isoformat(),
        "requests": requests,
        "statistics": {
            "request_points_count": points,
            "result_elements_count": elements,
            "calculation_info": {
                "status": status,
                "message": None if finished else f"Process {status.lower().replace('_', ' ')}.",
                "result_version": 1 if finished else 0,
                "preparing_time": _duration(rng.uniform(0.01, 0.5)),
                "business_validation_time": _duration(rng.uniform(0.01, 1.5)),
                "math_validation_time": _duration(rng.uniform(0.01, 2.0)),
                "waiting_time": _duration(waiting),
                "calculation_time": _duration(calculation),
                "postprocessing_time": _duration(rng.uniform(0, 0.3) if finished else 0),
            },
        },
        "unique_points_count": unique,
        "input_data": base64.b64encode(json.dumps(payload).encode()).decode(),
    }
    if finished:
        result = {"process_code": process_code, "trips": elements, "status": status}
        action["output_data"] = base64.b64encode(json.dumps(result).encode()).decode()
    return action
