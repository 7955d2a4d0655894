"""Assertions shared by the accounts tests."""

import uuid


def is_trace(trace: dict, *, operation: str, username: str = "anonymous", company: str = "unknown") -> bool:
    """A VRt tracedata of this request (UUIDs, caller, service, operation, env, pod, time)."""
    uuid.UUID(trace["process_code"])
    uuid.UUID(trace["request_code"])
    assert set(trace) == {
        "process_code",
        "request_code",
        "username",
        "company",
        "service",
        "operation",
        "env",
        "pod",
        "time",
    }
    assert (trace["username"], trace["company"], trace["service"], trace["operation"]) == (
        username,
        company,
        "ACCOUNT",
        operation,
    )
    assert len(trace["env"]) >= 2 and len(trace["pod"]) >= 2 and trace["time"]
    return True
