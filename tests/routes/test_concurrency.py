"""Races on the routes API: the final state stays consistent, no 500."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from routes.models import ReportRoute, TelegramChat
from tests.concurrency import run_parallel, statuses
from tests.routes.factories import ChatRoleFactory, PizzeriaFactory, RegionFactory, TelegramChatFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 12


def test_role_change_racing_route_creation_leaves_no_route_outside_the_final_role(trusted, statistics_type):
    region = RegionFactory()
    old_units = PizzeriaFactory.create_batch(40, region=region)
    new_units = PizzeriaFactory.create_batch(2, region=region)
    old = ChatRoleFactory(units=old_units, report_types=[statistics_type])
    new = ChatRoleFactory(units=new_units, report_types=[statistics_type])
    chat = TelegramChatFactory(chat_id=111, role=old)
    allowed = {unit.id for unit in new_units}

    for _ in range(ROUNDS):
        TelegramChat.objects.filter(pk=chat.pk).update(role=old)
        ReportRoute.objects.all().delete()
        change, create = APIClient(), APIClient()
        body = {"report_type_id": statistics_type.id, "chat_id": 111, "unit_ids": [u.id for u in old_units]}
        patched, posted = run_parallel(
            [
                lambda c=change: c.patch("/routes/roles/users/111/", {"access_code": new.access_code}, format="json"),
                lambda c=create, b=body: c.post("/routes/report-routes/", b, format="json"),
            ]
        )
        assert patched.status_code == 204
        assert posted.status_code in (201, 403), posted.content
        if posted.status_code == 403:
            assert posted.json()["message"].startswith("Permission to units {")
        assert TelegramChat.objects.get(pk=chat.pk).role_id == new.id
        assert set(ReportRoute.objects.values_list("unit_id", flat=True)) <= allowed


def test_registering_one_chat_twice_at_once_is_one_201_and_one_409(trusted):
    for chat_id in range(900, 900 + ROUNDS):
        clients = [APIClient() for _ in range(4)]
        body = {"chat_id": chat_id, "type": "PRIVATE", "title": "Twice"}
        responses = run_parallel(
            [lambda c=c, b=body: c.post("/routes/telegram-chats/", b, format="json") for c in clients]
        )
        assert sorted(statuses(responses)) == [201, 409, 409, 409]
        for response in responses:
            if response.status_code == 409:
                assert response.json() == {"message": "Chat with provided chat ID already exists", "extra": {}}
        assert TelegramChat.objects.filter(chat_id=chat_id).count() == 1


def test_overlapping_route_creations_from_two_users_are_all_or_nothing(trusted, statistics_type):
    # Two users route overlapping units to one group chat at once: each request is all or
    # nothing, the unique (type, unit, chat) makes the later one a clean 409, no deadlock.
    region = RegionFactory()
    units = PizzeriaFactory.create_batch(6, region=region)
    role = ChatRoleFactory(units=units, report_types=[statistics_type])
    TelegramChatFactory(chat_id=-100, type=TelegramChat.ChatType.GROUP)
    users = [TelegramChatFactory(chat_id=200 + n, role=role) for n in range(4)]
    for _ in range(ROUNDS // 2):
        ReportRoute.objects.all().delete()
        calls = []
        for n, user in enumerate(users):
            picked = units[n : n + 3] if n % 2 else units[n : n + 3][::-1]
            body = {
                "report_type_id": statistics_type.id,
                "chat_id": -100,
                "user_chat_id": user.chat_id,
                "unit_ids": [u.id for u in picked],
            }
            client = APIClient()
            calls.append(lambda c=client, b=body: c.post("/routes/report-routes/", b, format="json"))
        responses = run_parallel(calls)
        codes = statuses(responses)
        assert set(codes) <= {201, 409}, [r.content for r in responses]
        for response in responses:
            if response.status_code == 409:
                assert response.json() == {"message": "Unit route already exists", "extra": {}}
        stored = sorted(ReportRoute.objects.values_list("unit_id", flat=True))
        assert len(stored) == len(set(stored)) == 3 * codes.count(201)
