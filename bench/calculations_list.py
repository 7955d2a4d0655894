"""List + search over 10,000 calculations: latency and SQL queries per request (issue 6).

Goal: a constant number of queries whatever the page size and a list page under 50 ms.
Run: ``.venv/bin/python -m bench.calculations_list`` (uses the separate ``bench`` database).
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from bench import _django

TOTAL = 10_000
SCENARIOS = [
    ("first page, 20 rows", {}),
    ("page 50 of 20 rows", {"currentQuantity": 981, "defaultQuantity": 20}),
    ("100 rows", {"defaultQuantity": 100}),
    ("filter product", {"productIDs": ["00000000-0000-0000-0000-000000000038"]}),
    ("search '0001'", {"search": "0001"}),
    ("search 'пбв'", {"search": "пбв"}),
    ("search 'битумов' (full text)", {"search": "битумов"}),
    ("search 'ПБВ 60 концентрат'", {"search": "ПБВ 60 концентрат"}),
    ("dates + search", {"create_date_start": "2025-03-01", "create_date_end": "2025-06-30", "search": "битум"}),
]


def seed() -> object:
    from django.db import transaction
    from django.utils import timezone

    from accounts.demo import demo_actors_ensure
    from calculations import reference as ref
    from calculations.models import Calculation, CalculationNumberCounter
    from calculations.services.access import formula_roles_ensure
    from calculations.services.catalogs import formula_catalogs_ensure

    formula_roles_ensure()
    formula_catalogs_ensure()
    actors = demo_actors_ensure(password="bench-password-2026")
    if Calculation.objects.filter(year=2025).count() >= TOTAL:
        return actors.demo
    comments = [
        "Подбор PG 64-22 из БНД 50/70 и БНД 70/100",
        "ПБВ 60 на концентрате СБС 9 %",
        "Классическая рецептура полимерно-битумного вяжущего",
        "Компаундирование битумов 70/100 + 100/130",
    ]
    headers = [
        (ref.S(37), ref.S(40), ref.S(48)),
        (ref.S(38), ref.X(701), ref.X(801)),
        (ref.S(38), ref.X(702), ref.X(801)),
        (ref.S(39), ref.X(705), ref.X(802)),
    ]
    start = timezone.now().replace(year=2025, month=1, day=1)
    rows = []
    for seq in range(1, TOTAL + 1):
        product, spec, ntd = headers[seq % 4]
        rows.append(
            Calculation(
                year=2025,
                seq=seq,
                number=f"2025-{seq:04d}",
                author=actors.demo if seq % 3 else actors.viewer,
                create_date=start + timedelta(minutes=50 * seq),
                comment=f"{comments[seq % 4]} № {seq}",
                product_id=product,
                specification_id=spec,
                norm_tech_doc_id=ntd,
            )  # fmt: skip
        )
    with transaction.atomic():
        Calculation.objects.filter(year=2025).delete()
        Calculation.objects.bulk_create(rows, batch_size=2000)
        CalculationNumberCounter.objects.update_or_create(year=2025, defaults={"last_value": TOTAL})
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a live database
    return actors.demo


def main() -> None:
    _django.setup()
    from datetime import timedelta as td

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from common.auth import issue_access_token

    user = seed()
    client = APIClient(SERVER_NAME="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user, td(hours=1))}")
    print(f"{TOTAL} calculations; median / p95 of 30 requests (in-process, DRF + PostgreSQL)")
    print(f"{'scenario':34} {'items':>6} {'rows':>5} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, payload in SCENARIOS:
        times = []
        for _ in range(30):
            began = time.perf_counter()
            response = client.post("/formula/calculations/list", payload, format="json")
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.content
        with CaptureQueriesContext(connection) as captured:
            body = client.post("/formula/calculations/list", payload, format="json").json()
        times.sort()
        print(
            f"{name:34} {body['itemsCount']:>6} {len(body['calculations']):>5} {statistics.median(times):>10.1f} "
            f"{times[int(len(times) * 0.95) - 1]:>8.1f} {len(captured):>8}"
        )
    print(f"peak RSS {_django.peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
