"""XLSX report of 10,000 vs 100,000 rows: wall time and peak RSS, each size in its own process.

Goal: peak RSS grows by less than 100 MB whatever the row count (openpyxl write-only mode,
rows streamed from the database cursor, the file streamed back in chunks).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from bench import _django

SIZES = (10_000, 100_000)


def measure(size: int) -> dict:
    _django.setup()
    from django.conf import settings
    from rest_framework.test import APIClient

    from bench._accounts_data import PROCESS_TYPES, SERVICES, array, bench_user, insert_processes
    from common.auth import issue_access_token

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    user = bench_user(f"bench_report_{size}", timezone=0)
    # One process per day x service x process type, so the report has exactly ``size`` rows.
    insert_processes(
        user,
        count=size,
        select_sql=f"""SELECT timestamptz '2020-01-01 12:00:00+00' + ((i / 64) * interval '1 day') AS created_at,
            ({array(SERVICES)})[1 + (i / 8) %% 8] AS service,
            ({array(PROCESS_TYPES)})[1 + i %% 8] AS process_type,
            'FINISHED_IN_TIME' AS status""",
    )
    last_day = f"{2020 + (size // 64) // 366 + 1}-12-31"
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)}")
    client.get("/account/system/version")  # import everything before the baseline
    baseline = _django.peak_rss_mb()
    start = time.perf_counter()
    response = client.get("/account/report", {"from": "2020-01-01", "to": last_day})
    size_bytes = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200
    return {
        "rows": size,
        "seconds": round(elapsed, 2),
        "xlsx_mb": round(size_bytes / 2**20, 1),
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(_django.peak_rss_mb(), 1),
    }


def main() -> None:
    results = []
    for size in SIZES:
        done = subprocess.run(
            [sys.executable, "-c", f"import json, bench.accounts_report as b; print(json.dumps(b.measure({size})))"],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    for r in results:
        print(
            f"report of {r['rows']:>7,} rows: {r['seconds']:.2f} s, {r['xlsx_mb']} MB xlsx; peak RSS {r['peak_rss_mb']} MB "
            f"(baseline {r['baseline_rss_mb']} MB, growth {r['peak_rss_mb'] - r['baseline_rss_mb']:.1f} MB)"
        )
    small, large = results
    print(f"peak RSS 100k vs 10k: +{large['peak_rss_mb'] - small['peak_rss_mb']:.1f} MB (goal: < 100 MB)")


if __name__ == "__main__":
    main()
