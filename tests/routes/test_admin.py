"""Admin side effects (routes.md, Decision 14): role change through the shared service, actions, choices."""

import uuid

import pytest
from django.urls import reverse

from routes.models import Pizzeria, ReportRoute, ReportType, TelegramChat
from tests.routes.factories import (
    ChatRoleFactory,
    DepartmentFactory,
    PizzeriaFactory,
    RegionFactory,
    ReportRouteFactory,
    ReportTypeFactory,
    TelegramChatFactory,
)

pytestmark = pytest.mark.django_db


def test_changing_a_chats_role_in_the_admin_prunes_its_routes(admin_client, statistics_type):
    u1, u2 = PizzeriaFactory(), PizzeriaFactory()
    old = ChatRoleFactory(units=[u1, u2], report_types=[statistics_type])
    new = ChatRoleFactory(units=[u1])
    chat = TelegramChatFactory(role=old, title="Chat")
    ReportRouteFactory(report_type=statistics_type, unit=u1, telegram_chat=chat)
    ReportRouteFactory(report_type=statistics_type, unit=u2, telegram_chat=chat)
    url = reverse("admin:routes_telegramchat_change", args=[chat.pk])
    response = admin_client.post(url, {"title": "Chat", "username": "", "role": new.pk})
    assert response.status_code == 302
    chat.refresh_from_db()
    assert chat.role == new
    assert list(ReportRoute.objects.values_list("unit_id", flat=True)) == [u1.id]
    # Removing the role removes every route of the chat.
    admin_client.post(url, {"title": "Chat", "username": "", "role": ""})
    assert not ReportRoute.objects.exists()


def test_editing_only_the_title_keeps_the_routes(admin_client, statistics_type):
    unit = PizzeriaFactory()
    chat = TelegramChatFactory(role=None, title="Chat")
    ReportRouteFactory(report_type=statistics_type, unit=unit, telegram_chat=chat)
    url = reverse("admin:routes_telegramchat_change", args=[chat.pk])
    assert admin_client.post(url, {"title": "Renamed", "username": "", "role": ""}).status_code == 302
    assert TelegramChat.objects.get().title == "Renamed"
    assert ReportRoute.objects.count() == 1


def test_chats_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:routes_telegramchat_add")).status_code == 403


def test_report_types_are_activated_and_deactivated_by_actions(admin_client):
    a, b = ReportTypeFactory(is_active=False), ReportTypeFactory(is_active=False)
    url = reverse("admin:routes_reporttype_changelist")
    admin_client.post(url, {"action": "activate", "_selected_action": [a.pk, b.pk]})
    assert set(ReportType.objects.values_list("is_active", flat=True)) == {True}
    admin_client.post(url, {"action": "deactivate", "_selected_action": [a.pk]})
    assert dict(ReportType.objects.values_list("id", "is_active")) == {a.pk: False, b.pk: True}


def test_role_form_offers_only_active_non_statistics_report_types(admin_client, statistics_type):
    child = ReportTypeFactory(name="BONUS_SYSTEM", parent=statistics_type)
    inactive = ReportTypeFactory(name="OLD", is_active=False)
    regular = ReportTypeFactory(name="CANCELED_ORDERS")
    form = admin_client.get(reverse("admin:routes_chatrole_add")).context["adminform"].form
    offered = set(form.fields["report_types"].queryset)
    assert offered == {statistics_type, regular}
    assert child not in offered and inactive not in offered


def test_a_unit_is_added_with_its_dodo_id_which_is_then_read_only(admin_client):
    region, department = RegionFactory(), DepartmentFactory()
    data = {
        "id": 777,
        "name": "Москва 7",
        "uuid": str(uuid.UUID(int=7)),
        "region": region.pk,
        "department": department.pk,
        "office_manager_account_name": "om",
        "dodo_is_api_account_name": "",
    }
    assert admin_client.post(reverse("admin:routes_pizzeria_add"), data).status_code == 302
    unit = Pizzeria.objects.get()
    assert (unit.id, unit.name, unit.dodo_is_api_account_name) == (777, "Москва 7", None)
    change = admin_client.get(reverse("admin:routes_pizzeria_change", args=[777]))
    assert "id" in change.context["adminform"].readonly_fields


def test_every_routes_admin_page_answers_200_with_rows(admin_client, statistics_type):
    from django.core.management import call_command

    call_command("init_account_roles", verbosity=0)
    unit = PizzeriaFactory()
    role = ChatRoleFactory(units=[unit], report_types=[statistics_type])
    route = ReportRouteFactory(report_type=statistics_type, unit=unit, telegram_chat=TelegramChatFactory(role=role))
    objects = {
        "pizzeria": unit,
        "region": unit.region,
        "department": unit.department,
        "chatrole": role,
        "reportroute": route,
        "telegramchat": route.telegram_chat,
        "reporttype": statistics_type,
        "dodoaccountrole": None,
    }
    for model, obj in objects.items():
        changelist = reverse(f"admin:routes_{model}_changelist")
        for query in ({}, {"q": "x"}, {"q": "1"}, {"q": str(unit.uuid)}):
            assert admin_client.get(changelist, query).status_code == 200, (model, query)
        pk = obj.pk if obj is not None else 3
        assert admin_client.get(reverse(f"admin:routes_{model}_change", args=[pk])).status_code == 200, model
