"""``import_processes``: audit actions from JSON Lines into usage records, all or nothing (Decision 5)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from rest_framework import serializers

from accounts.durations import duration_parse
from accounts.models import (
    COUNT_MAX,
    VERSION_MAX,
    CalculationStatus,
    FlowStage,
    FlowType,
    Process,
    ProcessData,
    ProcessRequest,
    ProcessType,
    Service,
    User,
)
from common.exceptions import FieldErrors

COUNT = {"min_value": 0, "max_value": COUNT_MAX}
WORD = r"^\w+$"


class ImportDurationField(serializers.CharField):
    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return duration_parse(text)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc))


class ImportBase64Field(serializers.CharField):
    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Not valid base64.")


class ImportTracedataSerializer(serializers.Serializer):
    request_code = serializers.UUIDField()
    username = serializers.RegexField(WORD, min_length=2, max_length=256)
    company = serializers.RegexField(WORD, min_length=3, max_length=256)
    service = serializers.ChoiceField(choices=Service.choices)
    operation = serializers.RegexField(WORD, min_length=3, max_length=256)
    env = serializers.RegexField(r"^\S+$", min_length=2, max_length=256)
    pod = serializers.RegexField(r"^\S+$", min_length=2, max_length=256)
    time = serializers.DateTimeField()


class ImportCalculationInfoSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CalculationStatus.choices)
    message = serializers.CharField(max_length=10000, allow_null=True, required=False, allow_blank=True)
    result_version = serializers.IntegerField(min_value=0, max_value=VERSION_MAX)
    preparing_time = ImportDurationField()
    business_validation_time = ImportDurationField()
    math_validation_time = ImportDurationField()
    waiting_time = ImportDurationField()
    calculation_time = ImportDurationField()
    postprocessing_time = ImportDurationField(required=False)


class ImportStatisticsSerializer(serializers.Serializer):
    request_points_count = serializers.IntegerField(allow_null=True, **COUNT)
    result_elements_count = serializers.IntegerField(allow_null=True, **COUNT)
    calculation_info = ImportCalculationInfoSerializer()


class ImportActionSerializer(serializers.Serializer):
    """One line: an ``AuditAction`` plus ``unique_points_count`` and base64 ``input_data``/``output_data``."""

    process_code = serializers.UUIDField()
    process_type = serializers.ChoiceField(choices=ProcessType.choices)
    username = serializers.CharField(min_length=2, max_length=256)
    company = serializers.CharField(min_length=3, max_length=256)
    service = serializers.ChoiceField(choices=Service.choices)
    time = serializers.DateTimeField()
    requests = ImportTracedataSerializer(many=True)
    statistics = ImportStatisticsSerializer()
    unique_points_count = serializers.IntegerField(default=0, **COUNT)
    input_data = ImportBase64Field(required=False, trim_whitespace=False)
    output_data = ImportBase64Field(required=False, trim_whitespace=False)


class ProcessImportError(FieldErrors):
    """Line ``line`` of the file is wrong, so nothing was imported.

    ``fields`` are the line's invalid values by field (nested as the line is, a list field
    with one entry per item); a line that is not JSON at all has none, only ``message``.
    """

    def __init__(self, line: int, fields: dict | None = None, message: str | None = None):
        self.line = line
        super().__init__(fields or {}, message or f"line {line}: invalid values")


@dataclass(frozen=True)
class ImportSummary:
    processes: int
    requests: int
    data: int


def _request_error(line: int, index: int, message: str) -> ProcessImportError:
    return ProcessImportError(line, {"requests": [*([{}] * index), {"request_code": [message]}]})


def processes_import(*, lines: Iterable[str]) -> ImportSummary:
    """Validate every line first, then write everything in one transaction (or nothing)."""
    actions: list[tuple[int, dict]] = []
    seen_processes: set = set()
    seen_requests: set = set()
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProcessImportError(number, message=f"line {number}: not valid JSON ({exc.msg})")
        serializer = ImportActionSerializer(data=raw)
        if not serializer.is_valid():
            raise ProcessImportError(number, serializer.errors)
        action = serializer.validated_data
        if action["process_code"] in seen_processes:
            raise ProcessImportError(number, {"process_code": ["repeated in the file"]})
        seen_processes.add(action["process_code"])
        for index, request in enumerate(action["requests"]):
            if request["request_code"] in seen_requests:
                raise _request_error(number, index, "repeated in the file")
            seen_requests.add(request["request_code"])
        actions.append((number, action))

    users = {
        user.username: user
        for user in User.objects.select_related("company").filter(username__in={a["username"] for _, a in actions})
    }
    taken = set(Process.objects.filter(process_code__in=seen_processes).values_list("process_code", flat=True))
    taken_requests = set(
        ProcessRequest.objects.filter(request_code__in=seen_requests).values_list("request_code", flat=True)
    )
    for number, action in actions:
        user = users.get(action["username"])
        if user is None:
            raise ProcessImportError(number, {"username": [f"no user {action['username']!r}"]})
        if user.company.key != action["company"]:
            raise ProcessImportError(number, {"company": [f"user {user.username!r} belongs to {user.company.key!r}"]})
        if action["process_code"] in taken:
            raise ProcessImportError(number, {"process_code": [f"process {action['process_code']} already exists"]})
        for index, request in enumerate(action["requests"]):
            if request["request_code"] in taken_requests:
                raise _request_error(number, index, "already exists")
    return _write(actions, users)


@transaction.atomic
def _write(actions: list[tuple[int, dict]], users: dict[str, User]) -> ImportSummary:
    processes, requests, data = [], [], []
    for _, action in actions:
        user = users[action["username"]]
        info = action["statistics"]["calculation_info"]
        process = Process(
            process_code=action["process_code"],
            user=user,
            company_id=user.company_id,
            service=action["service"],
            process_type=action["process_type"],
            created_at=action["time"],
            status=info["status"],
            message=info.get("message") or None,
            request_points_count=action["statistics"]["request_points_count"],
            result_elements_count=action["statistics"]["result_elements_count"],
            unique_points_count=action["unique_points_count"],
            result_version=info["result_version"],
            **{name: info[name] for name in Process.DURATION_FIELDS if name in info},
        )
        processes.append(process)
        requests.extend(ProcessRequest(process=process, **request) for request in action["requests"])
        for key, flow in (("input_data", FlowType.INPUT), ("output_data", FlowType.OUTPUT)):
            if key in action:
                data.append(ProcessData(process=process, flow_type=flow, flow_stage=FlowStage.RAW, content=action[key]))
    Process.objects.bulk_create(processes, batch_size=1000)
    ProcessRequest.objects.bulk_create(requests, batch_size=1000)
    ProcessData.objects.bulk_create(data, batch_size=200)
    return ImportSummary(processes=len(processes), requests=len(requests), data=len(data))
