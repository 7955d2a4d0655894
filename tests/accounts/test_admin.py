"""The admin pages of the usage records, with objects (accounts.md, Decision 14)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Process, ProcessData
from tests.accounts.factories import ProcessDataFactory, ProcessFactory, ProcessRequestFactory, QuotaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def test_process_change_page_shows_requests_and_data_inline(staff, demo_user):
    process = ProcessFactory(user=demo_user)
    ProcessRequestFactory(process=process, operation="run_planning")
    ProcessDataFactory(process=process, content=b"12345")
    response = staff.get(reverse("admin:accounts_process_change", args=[process.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "run_planning" in page
    assert re.search(r'<td class="field-size">\s*<p>5</p>', page)


@pytest.mark.parametrize("model", ["process", "processrequest", "processdata", "quota"])
def test_changelists_search_and_filter(staff, demo_user, model):
    process = ProcessFactory(user=demo_user)
    ProcessRequestFactory(process=process)
    ProcessDataFactory(process=process)
    QuotaFactory(company=demo_user.company, process_type="MATRIX")
    url = reverse(f"admin:accounts_{model}_changelist")
    assert staff.get(url, {"q": "demo"}).status_code == 200
    assert (
        staff.get(url, {"service": "UNIVERSAL"} if model != "processdata" else {"flow_type": "INPUT"}).status_code
        == 200
    )


def test_adding_a_process_bills_the_users_company(staff, demo_user):
    response = staff.post(
        reverse("admin:accounts_process_add"),
        {
            "process_code": "11111111-2222-3333-4444-555555555555",
            "user": demo_user.pk,
            "service": "ROUTING",
            "process_type": "PLAN",
            "created_at_0": "2026-11-10",
            "created_at_1": "10:00:00",
            "status": "FINISHED_IN_TIME",
            "unique_points_count": 3,
            "result_version": 1,
            **{f: "0" for f in ("preparing_time", "business_validation_time", "math_validation_time", "waiting_time", "calculation_time", "postprocessing_time")},
            "requests-TOTAL_FORMS": 0, "requests-INITIAL_FORMS": 0,
            "data-TOTAL_FORMS": 0, "data-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    process = Process.objects.get(process_code="11111111-2222-3333-4444-555555555555")
    assert process.company_id == demo_user.company_id


def test_uploading_process_data(staff, demo_user):
    process = ProcessFactory(user=demo_user)
    response = staff.post(
        reverse("admin:accounts_processdata_add"),
        {
            "process": process.pk,
            "flow_type": "OUTPUT",
            "flow_stage": "RAW",
            "upload": SimpleUploadedFile("r.json", b"{}"),
        },
    )
    assert response.status_code == 302
    assert bytes(ProcessData.objects.get(process=process, flow_type="OUTPUT").content) == b"{}"
