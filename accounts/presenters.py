"""Plain-dict response bodies (DECISIONS §7: lists are built without ModelSerializer)."""

from __future__ import annotations

from accounts.durations import duration_compact
from accounts.models import Process, Quota, User

DURATIONS = Process.DURATION_FIELDS


def user_info(user: User) -> dict:
    """The VRt ``User``; empty strings go out as ``null`` (clients reject ``""``), never the password."""
    return {
        "username": user.username,
        "specification": user.specification or None,
        "email": user.email or None,
        "phone": user.phone or None,
        "company_key": user.company.key,
        "enabled": user.enabled,
        "roles": list(user.roles or []),
        "timezone": user.timezone,
        "edit_date": user.edit_date.isoformat() if user.edit_date else None,
        "creation_date": user.date_joined.isoformat() if user.date_joined else None,
        "attributes": list(user.attributes or []),
    }


def audit_action(action: dict) -> dict:
    """One ``selectors.audit_page`` row → the VRt ``AuditAction``."""
    process_code = str(action["process_code"])
    info = {
        "status": action["status"],
        "message": action["message"],
        "result_version": action["result_version"],
        **{name: duration_compact(action[name]) for name in DURATIONS},
    }
    return {
        "process_code": process_code,
        "process_type": action["process_type"],
        "username": action["username"],
        "company": action["company_key"],
        "service": action["service"],
        "time": action["time"],
        "requests": [
            {
                "process_code": process_code,
                "request_code": str(request["request_code"]),
                "username": request["username"],
                "company": request["company"],
                "service": request["service"],
                "operation": request["operation"],
                "env": request["env"],
                "pod": request["pod"],
                "time": request["time_text"],
            }
            for request in action["requests"]
        ],
        "statistics": {
            "request_points_count": action["request_points_count"],
            "result_elements_count": action["result_elements_count"],
            "calculation_info": info,
        },
        "input_file_exists": action["input_file_exists"],
        "output_file_exists": action["output_file_exists"],
    }


def quotas_result(quotas: list[Quota]) -> dict:
    """Quotas ordered by service, process type → ``{"base": {"services": [...]}}``."""
    services: list[dict] = []
    for quota in quotas:
        if not services or services[-1]["service"] != quota.service:
            services.append({"service": quota.service, "processes": []})
        services[-1]["processes"].append(
            {
                "process_type": quota.process_type,
                "points_per_request": quota.points_per_request,
                "points_per_day": quota.points_per_day,
                "max_concurrent_execution": quota.max_concurrent_execution,
            }
        )
    return {"base": {"services": services}}
