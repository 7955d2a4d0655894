"""The routes app's part of ``seed_demo``: regions, units, chats, roles with access codes, routes."""

from __future__ import annotations

import uuid

from django.db import transaction

from routes import services
from routes.models import ChatRole, Department, Pizzeria, Region, ReportRoute, ReportType, TelegramChat

# Stable UUIDs so a second run finds the same rows (uuid5 of the unit's name).
_NAMESPACE = uuid.UUID("6f1f1f5e-3c55-4c55-9a57-2a0c4f1d2b7e")

DEPARTMENT = (1, "Demo franchisee")
REGIONS = ("Москва 1", "Москва 2", "Калуга")
UNITS = (
    # (Dodo IS id, name, region)
    (101, "Москва 1-1", "Москва 1"),
    (102, "Москва 1-2", "Москва 1"),
    (103, "Москва 1-3", "Москва 1"),
    (201, "Москва 2-1", "Москва 2"),
    (202, "Москва 2-2", "Москва 2"),
    (301, "Калуга-1", "Калуга"),
)
ROLES = (
    # (access code, name, unit ids, report type names)
    (
        "demo-territory-manager",
        "Территориальный управляющий",
        [101, 102, 103, 201, 202, 301],
        ["STATISTICS", "CANCELED_ORDERS", "INGREDIENTS_STOP_SALES", "PIZZERIA_STOP_SALES", "WRITE_OFFS"],
    ),
    ("demo-moscow-1-manager", "Управляющий Москва 1", [101, 102, 103], ["STATISTICS", "CANCELED_ORDERS"]),
)
CHATS = (
    # (chat id, type, title, username, access code)
    (100000001, "PRIVATE", "Анна Управляющая", "demo_anna", "demo-territory-manager"),
    (100000002, "PRIVATE", "Борис Менеджер", "demo_boris", "demo-moscow-1-manager"),
    (-1001000000001, "GROUP", "Отчёты Москва 1", None, None),
)
ROUTES = (
    # (report type, destination chat, user chat, unit ids)
    ("STATISTICS", -1001000000001, 100000001, [101, 102, 103]),
    ("CANCELED_ORDERS", 100000001, 100000001, [101, 201, 301]),
    ("CANCELED_ORDERS", 100000002, 100000002, [102]),
)


def _unit_uuid(name: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, name)


@transaction.atomic
def seed(*, actors) -> str:
    """Create this app's demo rows idempotently (run twice, nothing duplicated); return a summary."""
    services.report_types_init()
    department, _ = Department.objects.get_or_create(
        id=DEPARTMENT[0], defaults={"name": DEPARTMENT[1], "uuid": _unit_uuid(DEPARTMENT[1])}
    )
    regions = {name: Region.objects.get_or_create(name=name)[0] for name in REGIONS}
    for unit_id, name, region in UNITS:
        Pizzeria.objects.get_or_create(
            id=unit_id,
            defaults={
                "name": name,
                "uuid": _unit_uuid(name),
                "region": regions[region],
                "department": department,
                "office_manager_account_name": f"om_{unit_id}",
                "dodo_is_api_account_name": f"api_{unit_id}",
            },
        )
    types = dict(ReportType.objects.values_list("name", "id"))
    roles = {}
    for code, name, unit_ids, type_names in ROLES:
        role, _ = ChatRole.objects.get_or_create(access_code=code, defaults={"name": name})
        role.units.add(*unit_ids)
        role.report_types.add(*(types[n] for n in type_names))
        roles[code] = role
    for chat_id, chat_type, title, username, code in CHATS:
        chat = TelegramChat.objects.filter(chat_id=chat_id).first()
        if chat is None:
            chat = services.telegram_chat_create(chat_id=chat_id, type=chat_type, title=title, username=username)
        if code and chat.role_id != roles[code].id:
            services.telegram_chat_role_set(chat=chat, role=roles[code])
    added = 0
    for type_name, chat_id, user_chat_id, unit_ids in ROUTES:
        present = set(
            ReportRoute.objects.filter(report_type_id=types[type_name], telegram_chat__chat_id=chat_id).values_list(
                "unit_id", flat=True
            )
        )
        missing = [u for u in unit_ids if u not in present]
        if missing:
            services.report_routes_create(
                report_type_id=types[type_name], chat_id=chat_id, user_chat_id=user_chat_id, unit_ids=missing
            )
            added += len(missing)
    return (
        f"{len(REGIONS)} regions, {len(UNITS)} units, {len(ROLES)} roles, {len(CHATS)} chats; "
        f"{added} routes added; access codes: {', '.join(code for code, *_ in ROLES)}"
    )
