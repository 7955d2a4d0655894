"""Integrity lives in the database too: the routes constraints refuse bad rows by themselves."""

import pytest
from django.db import IntegrityError, transaction

from routes.models import ChatRole, Pizzeria, ReportRoute, TelegramChat
from tests.routes.factories import (
    DepartmentFactory,
    PizzeriaFactory,
    RegionFactory,
    ReportRouteFactory,
    ReportTypeFactory,
    TelegramChatFactory,
)

pytestmark = pytest.mark.django_db


def refused(constraint: str, create) -> None:
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        create()
    assert constraint in str(info.value)


def test_a_route_is_unique_per_type_unit_and_chat():
    route = ReportRouteFactory()
    refused(
        "routes_reportroute_unique_route",
        lambda: ReportRoute.objects.create(
            report_type=route.report_type, unit=route.unit, telegram_chat=route.telegram_chat
        ),
    )


def test_unit_ids_are_positive_and_names_unique():
    region, department = RegionFactory(), DepartmentFactory()
    refused("routes_unit_id_positive", lambda: PizzeriaFactory(id=0, region=region, department=department))
    PizzeriaFactory(name="Москва 1-1", region=region, department=department)
    refused("routes_unit_name_key", lambda: PizzeriaFactory(name="Москва 1-1", region=region, department=department))


def test_access_codes_are_unique_and_not_blank():
    ChatRole.objects.create(name="A", access_code="code")
    refused("routes_chatrole_access_code_key", lambda: ChatRole.objects.create(name="B", access_code="code"))
    refused("routes_chatrole_access_code_not_blank", lambda: ChatRole.objects.create(name="C", access_code=""))


def test_chat_ids_are_unique_and_types_known():
    TelegramChatFactory(chat_id=5)
    refused("routes_telegramchat_chat_id_key", lambda: TelegramChatFactory(chat_id=5))
    refused("routes_telegramchat_type_valid", lambda: TelegramChatFactory(chat_id=6, type=3))


def test_a_report_type_is_not_its_own_parent():
    report_type = ReportTypeFactory()
    report_type.parent_id = report_type.id
    refused("routes_reporttype_not_own_parent", report_type.save)


def test_deleting_a_unit_deletes_its_routes_and_a_role_only_unlinks_chats():
    route = ReportRouteFactory()
    chat = route.telegram_chat
    chat.role = ChatRole.objects.create(name="R", access_code="r")
    chat.save()
    Pizzeria.objects.filter(pk=route.unit_id).delete()
    assert not ReportRoute.objects.exists()
    ChatRole.objects.all().delete()
    assert TelegramChat.objects.get().role is None
