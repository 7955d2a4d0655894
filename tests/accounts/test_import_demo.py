"""``import_processes`` (all or nothing, errors naming the line) and the demo month."""

import base64
import json
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.demo import demo_actors_ensure
from accounts.demo import seed as seed_accounts
from accounts.models import CalculationStatus, Process, ProcessData, ProcessRequest, Quota

pytestmark = pytest.mark.django_db


def action(username="demo", company="demo_company", **changes) -> dict:
    code = str(uuid.uuid4())
    line = {
        "process_code": code,
        "process_type": "PLAN",
        "username": username,
        "company": company,
        "service": "UNIVERSAL",
        "time": "2026-11-10T10:00:00+03:00",
        "requests": [
            {
                "process_code": code,
                "request_code": str(uuid.uuid4()),
                "username": username,
                "company": company,
                "service": "UNIVERSAL",
                "operation": "run_planning",
                "env": "prod",
                "pod": "pod-7",
                "time": "2026-11-10T10:00:00+03:00",
            }
        ],
        "statistics": {
            "request_points_count": 12,
            "result_elements_count": 3,
            "calculation_info": {
                "status": "FINISHED_IN_TIME",
                "result_version": 2,
                "preparing_time": "PT0.5S",
                "business_validation_time": "PT1S",
                "math_validation_time": "PT1S",
                "waiting_time": "PT2M",
                "calculation_time": "PT1H45M",
            },
        },
        "unique_points_count": 9,
        "input_data": base64.b64encode(b"input").decode(),
    }
    line.update(changes)
    return line


def write(tmp_path, lines) -> str:
    path = tmp_path / "processes.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return str(path)


def test_import_writes_processes_requests_and_data(tmp_path, demo_user, demo_client):
    first, second = action(), action(output_data=base64.b64encode(b"out").decode())
    out = StringIO()
    call_command("import_processes", write(tmp_path, [first, "", second]), stdout=out)
    assert "imported 2 processes, 2 requests, 3 data files" in out.getvalue()
    process = Process.objects.get(process_code=first["process_code"])
    assert (process.user, process.company, process.request_points_count, process.unique_points_count) == (
        demo_user,
        demo_user.company,
        12,
        9,
    )
    assert process.calculation_time.total_seconds() == 6300
    body = demo_client.get("/account/audit", {"from": "2026-11-10T00:00:00Z", "to": "2026-11-11T00:00:00Z"}).json()
    info = body["actions"][0]["statistics"]["calculation_info"]
    assert (info["calculation_time"], info["waiting_time"], info["preparing_time"]) == ("PT1H45M", "PT2M", "PT0.5S")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        (action(service="REGISTRY"), 'line 2, service: "REGISTRY" is not a valid choice.'),
        (action(username="ghost"), "line 2, username: no user 'ghost'"),
        (action(company="other_company"), "line 2, company: user 'demo' belongs to 'demo_company'"),
        (action(input_data="***"), "line 2, input_data: Not valid base64."),
        (
            {**action(), "statistics": {**action()["statistics"], "calculation_info": {**action()["statistics"]["calculation_info"], "waiting_time": "00:00:01"}}},
            "line 2, statistics.calculation_info.waiting_time: '00:00:01' is not an ISO 8601 duration",
        ),
    ],
)  # fmt: skip
def test_a_bad_line_imports_nothing_and_is_named(tmp_path, demo_user, other_user, bad, message):
    with pytest.raises(CommandError) as error:
        call_command("import_processes", write(tmp_path, [action(), bad]))
    assert str(error.value).startswith(message)
    assert str(error.value).endswith("; nothing was imported")
    assert (Process.objects.count(), ProcessRequest.objects.count(), ProcessData.objects.count()) == (0, 0, 0)


def test_repeated_or_existing_process_codes_are_refused(tmp_path, demo_user):
    line = action()
    with pytest.raises(CommandError, match="line 2, process_code: repeated in the file"):
        call_command("import_processes", write(tmp_path, [line, line]))
    call_command("import_processes", write(tmp_path, [line]), stdout=StringIO())
    with pytest.raises(CommandError, match=f"line 1, process_code: process {line['process_code']} already exists"):
        call_command("import_processes", write(tmp_path, [line]))
    assert Process.objects.count() == 1


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_processes", str(tmp_path / "nope.jsonl"))


def test_demo_seed_is_a_believable_idempotent_month(settings):
    actors = demo_actors_ensure(password=settings.DEMO_PASSWORD)
    seed_accounts(actors=actors)
    counts = (
        Process.objects.count(),
        ProcessRequest.objects.count(),
        ProcessData.objects.count(),
        Quota.objects.count(),
    )
    seed_accounts(actors=demo_actors_ensure(password=settings.DEMO_PASSWORD))
    assert (
        Process.objects.count(),
        ProcessRequest.objects.count(),
        ProcessData.objects.count(),
        Quota.objects.count(),
    ) == counts
    demo = Process.objects.filter(user=actors.demo)
    assert demo.count() >= 90
    assert set(demo.values_list("status", flat=True)) == set(CalculationStatus.values)
    assert set(demo.values_list("service", flat=True)) == {"UNIVERSAL", "ROUTING"}
    assert set(demo.values_list("process_type", flat=True)) <= {"PLAN", "TRACE", "VALIDATE", "CONVERT"}
    assert len(set(demo.values_list("process_type", flat=True))) >= 3
    latest = demo.order_by("-created_at").first()
    assert latest.data.filter(flow_type="INPUT").exists()
    assert ProcessData.objects.filter(flow_type="OUTPUT").exists()
    assert Quota.objects.filter(company=actors.company).exists()
