"""Bulk usage records for the accounts benchmarks, generated inside PostgreSQL (set-based)."""

from __future__ import annotations

SERVICES = ["UNIVERSAL", "ROUTING", "ACCOUNT", "ADMIN", "STUDIO", "MONITOR", "PACKER", "AGRO"]
PROCESS_TYPES = ["NOTRACE", "TRACE", "PLAN", "ACTUALIZE", "CONVERT", "VALIDATE", "ROUTE", "MATRIX"]
STATUSES = ["FINISHED_IN_TIME"] * 6 + ["FINISHED_OUT_OF_TIME", "FAILED", "CANCELED", "IN_PROGRESS"]


def bench_user(username: str, *, timezone: int = 3):
    from accounts.models import Company, User

    company, _ = Company.objects.get_or_create(key="bench_company", defaults={"name": "Bench"})
    user, _ = User.objects.get_or_create(username=username, defaults={"company": company, "timezone": timezone})
    return user


def insert_processes(user, *, count: int, select_sql: str, params: dict | None = None) -> int:
    """Insert ``count`` processes for ``user`` unless they are there; ``select_sql`` gives per ``i``
    the columns ``created_at, service, process_type, status``."""
    from django.db import connection

    from accounts.models import Process

    existing = Process.objects.filter(user=user).count()
    if existing == count:
        return 0
    Process.objects.filter(user=user).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO accounts_process (process_code, user_id, company_id, service, process_type, created_at,
                status, request_points_count, result_elements_count, unique_points_count, result_version,
                preparing_time, business_validation_time, math_validation_time, waiting_time, calculation_time,
                postprocessing_time)
            SELECT gen_random_uuid(), %(user)s, %(company)s, g.service, g.process_type, g.created_at, g.status,
                   10 + (i %% 90), 1 + (i %% 7), 8 + (i %% 80), 1,
                   interval '0.2 s', interval '0.5 s', interval '0.7 s', interval '3 s', interval '42 s', interval '0 s'
            FROM generate_series(0, %(count)s - 1) AS i, LATERAL ({select_sql}) AS g
            """,
            {"user": user.pk, "company": user.company_id, "count": count, **(params or {})},
        )
        cursor.execute("VACUUM ANALYZE accounts_process")
        cursor.execute("VACUUM ANALYZE accounts_processusage")  # the rollup the triggers filled
    return count


def array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"
