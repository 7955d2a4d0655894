"""Writes and rules of the routes app; each service owns its transaction (routes.md, 2.7 and 5)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef

from common.exceptions import ConflictError, NotAllowedError, NotFoundError
from routes import reference
from routes.models import STATISTICS, ChatRole, DodoAccountRole, ReportRoute, ReportType, TelegramChat
from routes.selectors import CHAT_NOT_FOUND, NO_ROLE

_UNSET = object()


def telegram_chat_create(*, chat_id: int, type: str, title: str, username: str | None = None) -> TelegramChat:
    """Register a chat; ``type`` is ``PRIVATE`` or ``GROUP``. A known ``chat_id`` is a 409."""
    try:
        with transaction.atomic():
            return TelegramChat.objects.create(
                chat_id=chat_id, type=TelegramChat.ChatType[type], title=title, username=username
            )
    except IntegrityError as exc:
        raise ConflictError("Chat with provided chat ID already exists") from exc


def telegram_chat_update(*, chat_id: int, title: str, username=_UNSET) -> None:
    """Rename a chat; ``username`` is left as it is when not given (routes.md, Decision 8)."""
    fields = {"title": title}
    if username is not _UNSET:
        fields["username"] = username
    if not TelegramChat.objects.filter(chat_id=chat_id).update(**fields):
        raise NotFoundError(CHAT_NOT_FOUND, resource="telegram_chat")


@transaction.atomic
def telegram_chat_role_set(*, chat: TelegramChat, role: ChatRole | None) -> int:
    """Give ``chat`` a role and drop its routes to units outside that role; return how many.

    Routes whose report type the new role lacks are kept, as the original did; with no
    role every route of the chat goes. The API (access code) and the admin both use this.
    """
    chat.role = role
    chat.save(update_fields=["role"])
    routes = ReportRoute.objects.filter(telegram_chat=chat)
    if role is not None:
        routes = routes.exclude(unit__in=role.units.values("id"))
    deleted, _ = routes.delete()
    return deleted


def telegram_chat_role_set_by_access_code(*, chat_id: int, access_code: str) -> ChatRole:
    """The bot's ``PATCH /roles/users/{chat_id}/``: codes are compared exactly (case matters)."""
    chat = TelegramChat.objects.filter(chat_id=chat_id).first()
    if chat is None:
        raise NotFoundError(CHAT_NOT_FOUND, resource="telegram_chat")
    role = ChatRole.objects.filter(access_code=access_code).first()
    if role is None:
        raise NotFoundError("Role is not found", resource="role")
    telegram_chat_role_set(chat=chat, role=role)
    return role


def _braced(ids: Iterable[int]) -> str:
    return "{" + ", ".join(str(i) for i in sorted(ids)) + "}"


@transaction.atomic
def report_routes_create(
    *, report_type_id: int, chat_id: int, unit_ids: list[int], user_chat_id: int | None = None
) -> list[ReportRoute]:
    """Route one report type about ``unit_ids`` to ``chat_id`` on behalf of ``user_chat_id``.

    The checks run in the original's order, so a client sees the same first failure; the
    insert is all or nothing (one existing route refuses the whole request with a 409).
    """
    user_chat_id = chat_id if user_chat_id is None else user_chat_id
    # The lock orders this request with a concurrent role change of the chat (which updates
    # this row): either the change waits and then deletes the routes made here that fall
    # outside the new role, or this request waits and judges the units by the new role
    # (tests/routes/test_concurrency.py). Only ``role_id`` is read: a joined role
    # row would be the stale one after the wait.
    user_chat = TelegramChat.objects.select_for_update().filter(chat_id=user_chat_id).first()
    if user_chat is None:
        raise NotFoundError(CHAT_NOT_FOUND, resource="telegram_chat")
    role_id = user_chat.role_id
    if role_id is None:
        raise NotAllowedError(NO_ROLE)
    # One query answers both "does the type exist" and "is it in the role".
    in_role = (
        ReportType.objects.filter(id=report_type_id)
        .annotate(
            in_role=Exists(ChatRole.report_types.through.objects.filter(chatrole_id=role_id, reporttype=OuterRef("pk")))
        )
        .values_list("in_role", flat=True)
        .first()
    )
    if in_role is None:
        raise NotFoundError("Report type by ID is not found", resource="report_type")
    if not in_role:
        raise NotAllowedError("Permission to report type denied")
    wanted = set(unit_ids)
    # Unknown unit ids are "denied" too: the original never told them apart (routes.md, 9).
    members = ChatRole.units.through.objects.filter(chatrole_id=role_id, pizzeria_id__in=wanted)
    denied = wanted - set(members.values_list("pizzeria_id", flat=True))
    if denied:
        raise NotAllowedError(f"Permission to units {_braced(denied)} denied")
    chat = user_chat if chat_id == user_chat_id else TelegramChat.objects.filter(chat_id=chat_id).first()
    if chat is None:
        raise NotFoundError(CHAT_NOT_FOUND, resource="telegram_chat")
    routes = [
        ReportRoute(report_type_id=report_type_id, unit_id=unit_id, telegram_chat=chat) for unit_id in sorted(wanted)
    ]
    try:
        # No savepoint needed: the 409 leaves this service's transaction, which rolls back.
        return ReportRoute.objects.bulk_create(routes)
    except IntegrityError as exc:
        raise ConflictError("Unit route already exists") from exc


def report_routes_delete(*, chat_id: int, report_type_id: int, unit_ids: list[int]) -> int:
    """Delete a chat's routes of one type for ``unit_ids``; no permission check, as the original."""
    deleted, _ = ReportRoute.objects.filter(
        telegram_chat__chat_id=chat_id, report_type_id=report_type_id, unit_id__in=unit_ids
    ).delete()
    return deleted


def report_types_set_active(*, report_types, active: bool) -> int:
    return report_types.update(is_active=active)


def _reset_sequence(model) -> None:
    """After rows with explicit ids, point the id sequence past them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


@transaction.atomic
def report_types_init(*, active: bool = True) -> list[str]:
    """Insert the original's report types that are missing (by name); return the names added.

    Production ids are kept (STATISTICS=1 … WRITE_OFFS=9, the statistics children 10 … 20,
    LATE_DELIVERY_VOUCHERS=21) unless an id already belongs to another type.
    """
    existing = dict(ReportType.objects.values_list("name", "id"))
    taken_ids = set(existing.values())
    added: list[str] = []

    def add(item: reference.ReportTypeSeed, parent_id: int | None) -> None:
        if item.name in existing:
            return
        row = ReportType(name=item.name, verbose_name=item.verbose_name, parent_id=parent_id, is_active=active)
        if item.id not in taken_ids:
            row.id = item.id
        row.save(force_insert=True)
        existing[item.name] = row.id
        taken_ids.add(row.id)
        added.append(item.name)

    for item in reference.REPORT_TYPES:
        add(item, None)
    statistics_id = existing[STATISTICS]
    for item in reference.STATISTICS_REPORT_TYPES:
        add(item, statistics_id)
    _reset_sequence(ReportType)
    return added


@transaction.atomic
def account_roles_init() -> list[str]:
    """Insert the Dodo IS account roles missing by id and by name; return the names added."""
    ids = set(DodoAccountRole.objects.values_list("id", flat=True))
    names = set(DodoAccountRole.objects.values_list("name", flat=True))
    missing = [r for r in reference.ACCOUNT_ROLES if r.id not in ids and r.name not in names]
    DodoAccountRole.objects.bulk_create([DodoAccountRole(id=r.id, name=r.name) for r in missing])
    return [r.name for r in missing]
