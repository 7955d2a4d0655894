"""The real frontend's calls (passports.md §5.1) replayed with its exact parameters on the demo data."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.demo import demo_actors_ensure
from passports import demo
from passports.models import ProductionSchema, Protocol, ProtocolStatus, Unit, UnitStatus
from tests.passports.factories import UnitFactory

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
STAGE_TIME = re.compile(r"^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$")


@pytest.fixture
def browser():
    """A client logged in like ``doGetAuthToken``: raw form body, ``keep_session`` query."""
    demo.seed(actors=demo_actors_ensure(password=settings.DEMO_PASSWORD))
    client = APIClient()
    body = f"username=demo&password={settings.DEMO_PASSWORD}&scope=&client_id=&client_secret="
    response = client.post("/token?keep_session=false", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    return client


def get(client, path):
    response = client.get(path, content_type="application/json")
    assert response.status_code == 200, (path, response.json())
    return response.json()


def test_login_then_me_gives_rule_at_index_2(browser):
    assert get(browser, "/api/v1/users/me")["user"]["rule_set"][2] == "approve"


def test_passports_page_default_reset_and_filters(browser):
    data = get(browser, "/api/v1/passports/?page=1&items=11&status=&sort_by_date=asc&status=")
    assert data["count"] == 24 and len(data["data"]) == 11
    for item in data["data"]:
        assert item["model"] and item["type"] and item["internal_id"] and item["creation_time"]
    times = [dt.datetime.fromisoformat(item["creation_time"]) for item in data["data"]]
    assert times == sorted(times, reverse=True)  # "asc" shows the newest first, as on the original
    page_3 = get(browser, "/api/v1/passports/?page=3&items=11&status=built&sort_by_date=desc&status=built")
    assert page_3["count"] == Unit.objects.filter(status="built").count() and page_3["data"] == []
    # Units made around 26 March 2022 in Moscow (the demo data is all recent).
    board = ProductionSchema.objects.get(schema_id="demo_board")
    made = {
        "day_before": dt.datetime(2022, 3, 25, 23, 30),
        "early": dt.datetime(2022, 3, 26, 1, 30),
        "late": dt.datetime(2022, 3, 26, 23, 0),
        "day_after": dt.datetime(2022, 3, 27, 2, 0),
    }
    units = {key: UnitFactory(schema=board, creation_time=when.replace(tzinfo=MSK)) for key, when in made.items()}
    # the date picker on 26 March: toISOString() of that local midnight in a Moscow browser
    picked = dt.datetime(2022, 3, 26, tzinfo=MSK)
    iso = picked.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert iso == "2022-03-25T21:00:00.000Z"
    filtered = get(
        browser,
        f"/api/v1/passports/?page=1&items=11&status=&name=Board&date={iso}&types=Boards,Sensors&sort_by_date=asc&status=",
    )
    # "asc" lists the newest first
    assert filtered["count"] == 2
    assert [item["internal_id"] for item in filtered["data"]] == [units["late"].internal_id, units["early"].internal_id]
    assert [item["creation_time"] for item in filtered["data"]] == [
        "2022-03-26T23:00:00+03:00",
        "2022-03-26T01:30:00+03:00",
    ]
    next_day = dt.datetime(2022, 3, 27, tzinfo=MSK).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    after = get(browser, f"/api/v1/passports/?page=1&items=11&name=Board&date={next_day}&types=Boards&sort_by_date=asc")
    assert [item["internal_id"] for item in after["data"]] == [units["day_after"].internal_id]
    types = get(browser, "/api/v1/passports/types")
    assert types["data"] == ["Boards", "Robots", "Sensors"]


def test_passport_page_biography_and_employee_decode(browser):
    unit = Unit.objects.filter(status=UnitStatus.BUILT).order_by("creation_time").first()
    passport = get(browser, f"/api/v1/passports/{unit.internal_id}")["passport"]
    assert isinstance(passport["biography"], list) and passport["status"] != "production"
    for stage in passport["biography"]:
        assert {"employee_name", "session_start_time", "session_end_time", "video_hashes", "id", "name"} <= set(stage)
        assert "unit_name" in stage and "parent_unit_internal_id" in stage
        assert STAGE_TIME.match(stage["session_start_time"]) and STAGE_TIME.match(stage["session_end_time"])
        assert stage["video_hashes"][0]
        decoded = browser.post("/api/v1/employees/decode", {"encoded_name": stage["employee_name"]}, format="json")
        assert decoded.status_code == 200 and decoded.json()["employee"]["name"]
    # the revision modal: JSON.stringify([stageId])
    stage_id = passport["biography"][-1]["id"]
    response = browser.post(
        f"/api/v1/passports/{unit.internal_id}/revision", f'["{stage_id}"]', content_type="application/json"
    )
    assert response.status_code == 200
    unit.refresh_from_db()
    assert unit.status == UnitStatus.REVISION


def test_qc_list_protocol_page_and_submit(browser):
    listing = get(browser, "/api/v1/tcd/protocols/?page=1&items=11&sort_by_date=asc")
    assert listing["count"] == 12
    for row in listing["data"]:
        assert {"protocol_name", "status", "creation_time", "associated_unit_id"} <= set(row)
    second = ProtocolStatus.SECOND.value
    by_status = get(browser, f"/api/v1/tcd/protocols/?page=1&items=11&name=Acceptance&status={second}&sort_by_date=asc")
    assert by_status["count"] == 3 and {row["status"] for row in by_status["data"]} == {second}

    # a built unit without a protocol: the page shows the template(s), then submits
    unit = Unit.objects.filter(status=UnitStatus.BUILT, protocol__isnull=True, schema_id="demo_robot").first()
    page = get(browser, f"/api/v1/tcd/protocols/{unit.internal_id}")
    assert page["detail"] == "Success"
    assert page["employee"]["name"] == "Anna Smirnova" and page["employee"]["position"] == "QC engineer"
    assert page["serial_number"] is None
    chosen = page["protocol"]["protocols"][0]  # two templates for robots: the client shows a selector
    chosen["rows"][0]["checked"] = True
    serial = browser.post(
        f"/api/v1/passports/{unit.internal_id}/serial?serial_number=FD-42/7", content_type="application/json"
    )
    assert serial.status_code == 200
    saved = browser.post(f"/api/v1/tcd/protocols/{unit.internal_id}", chosen, format="json")
    assert saved.status_code == 200
    again = get(browser, f"/api/v1/tcd/protocols/{unit.internal_id}")
    assert again["serial_number"] == "FD-42/7"
    displayed = again["protocol"]  # now the filled protocol, with protocol_id/status/creation_time
    assert displayed["status"] == ProtocolStatus.FIRST.value and displayed["rows"][0]["checked"] is True
    resubmit = browser.post(f"/api/v1/tcd/protocols/{unit.internal_id}", displayed, format="json")
    assert resubmit.status_code == 200
    assert Protocol.objects.get(associated_unit=unit).status == ProtocolStatus.SECOND


def test_viewer_gets_403_when_submitting_a_protocol(db):
    demo.seed(actors=demo_actors_ensure(password=settings.DEMO_PASSWORD))
    client = APIClient()
    body = f"username=viewer&password={settings.DEMO_PASSWORD}&scope=&client_id=&client_secret="
    token = client.post("/token?keep_session=true", body, content_type="application/x-www-form-urlencoded").json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")
    unit = Unit.objects.filter(protocol__isnull=True, status=UnitStatus.BUILT).first()
    page = client.get(f"/api/v1/tcd/protocols/{unit.internal_id}").json()
    template = page["protocol"].get("protocols", [page["protocol"]])[0]
    assert client.get("/api/v1/passports/types").status_code == 200  # read-only users load the type filter
    response = client.post(f"/api/v1/tcd/protocols/{unit.internal_id}", template, format="json")
    assert response.status_code == 403
    assert not Protocol.objects.filter(associated_unit=unit).exists()
