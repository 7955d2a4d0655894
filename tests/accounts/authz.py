"""Authz rows of the VRt.Account API (DECISIONS §2; accounts.md, Decision 4).

Own data for every user; the VRt ``ADMIN`` (``admin``) also reads the process data of
their company; nobody reads another company's. Login, validation, system and file
operations are open.
"""

from tests.authz import Row
from tests.factories import TEST_PASSWORD

OPEN = {"anonymous": 200, "demo": 200, "viewer": 200, "admin": 200, "other": 200}
OWN = {"anonymous": 401, "demo": 200, "viewer": 200, "admin": 200, "other": 200}

ROWS = [
    Row("POST", "/account/token/generation", OPEN, data={"username": "demo", "password": TEST_PASSWORD}),
    Row("POST", "/account/token/validation", OPEN, data="x" * 20),
    Row("POST", "/account/password", OWN, data={"current_password": TEST_PASSWORD, "new_password": "authz-pass-2026!"}),
    Row("GET", "/account/info", OWN),
    Row("PUT", "/account/info", OWN, data={"specification": "Authz check"}),
    Row("GET", "/account/statistics?from=2026-11-01&to=2026-11-30", OWN),
    Row("GET", "/account/report?from=2026-11-01&to=2026-11-30", OWN),
    Row("GET", "/account/quota", OWN),
    Row("GET", "/account/audit?from=2026-11-01T00:00:00Z", OWN),
    Row(
        "GET",
        "/account/data/{demo_process}",
        {"anonymous": 401, "demo": 200, "viewer": 404, "admin": 200, "other": 404},
        note="demo's own process: its company's VRt ADMIN reads it too",
    ),
    Row(
        "GET",
        "/account/data/{other_process}",
        {"anonymous": 401, "demo": 404, "viewer": 404, "admin": 404, "other": 200},
        note="another company's process",
    ),
    Row("GET", "/account/system/check", OPEN),
    Row("GET", "/account/system/version", OPEN),
    Row("GET", "/account/file/account_en.html", OPEN),
    Row("GET", "/account/schema", OPEN),
]

SAMPLE_VALUES = {
    "demo_process": "11111111-2222-3333-4444-555555555555",
    "other_process": "11111111-2222-3333-4444-555555555556",
}


def setup(users) -> dict:
    from tests.accounts.factories import ProcessDataFactory, ProcessFactory

    demo_process = ProcessFactory(user=users["demo"])
    ProcessDataFactory(process=demo_process)
    other_process = ProcessFactory(user=users["other"])
    ProcessDataFactory(process=other_process)
    return {"demo_process": demo_process.process_code, "other_process": other_process.process_code}
