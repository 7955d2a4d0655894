"""Every GET list and detail endpoint of the five APIs against its floor, in one run.

``ours``: the median of ``FLOORS_REPEAT`` (default 25) requests through Django's whole stack
(middleware, authentication, DRF, the renderer), in-process, at 100 rows per page. ``floor``:
the endpoint's data query alone (the captured query that returns the most rows, executed raw,
its rows turned into dicts as ``.values()`` would) plus orjson encoding the same body's values,
no HTTP stack. ``ratio`` = ours / floor; ``queries``: our SQL queries per request. ``drf json``:
the same request rendered by DRF's ``JSONRenderer`` (the encoder before ``common.renderers``),
measured interleaved with ours, so the renderer's share is visible in one run on a busy machine;
the two bodies are asserted byte-equal.

The data are the demo data (``seed_demo``) widened to a few hundred rows per list by copying demo
rows (unique columns made unique), in a database of its own (``bench_floors``), created once.
Run: ``.venv/bin/python -m bench.floors`` (``FLOORS_REPEAT=5`` for a quick look).
"""

from __future__ import annotations

import logging
import os
import statistics
import time
import uuid

import orjson

ROWS = 300  # per list, so that a page of 100 is a full page
REPEAT = int(os.environ.get("FLOORS_REPEAT", "25"))


def connection_name() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


def _copies(model, count: int, *, change=None, keep=(), **filters) -> None:
    """Copy rows of ``model`` (matching ``filters``) until ``count`` exist; unique columns made unique."""
    existing = model.objects.filter(**filters)
    missing = count - existing.count()
    if -missing > count:  # left by other runs in this database: the lists' COUNTs read them all
        print(
            f"note: {model.__name__} has {count - missing:,} rows where this bench seeds {count:,}; "
            f"its figures are for those rows (drop the database {connection_name()!r} for the seeded sizes)"
        )
    sources = list(existing.order_by("pk")[:20])
    if missing <= 0 or not sources:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    together = {name for constraint in model._meta.total_unique_constraints for name in constraint.fields}
    unique = [f for f in fields if (f.unique or f.name in together) and not f.is_relation and f.name not in keep]
    pk_kind = model._meta.pk.get_internal_type()
    explicit_pk = "AutoField" not in pk_kind and "IntegerField" in pk_kind
    next_pk = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1 if explicit_pk else 0
    stamp = uuid.uuid4().hex[:6]
    rows = []
    for i in range(missing):
        source = sources[i % len(sources)]
        row = model(**{f.attname: getattr(source, f.attname) for f in fields})
        if explicit_pk:
            row.pk = next_pk + i
        elif pk_kind == "UUIDField":
            row.pk = uuid.uuid4()
        for field in unique:
            value = getattr(row, field.attname)
            kind = field.get_internal_type()
            if kind == "UUIDField":
                setattr(row, field.attname, uuid.uuid4())
            elif "IntegerField" in kind:
                sign = -1 if value and value < 0 else 1
                setattr(row, field.attname, value + sign * (10_000_000 + i))
            elif isinstance(value, str):
                suffix = f"~{stamp}{i}"
                setattr(row, field.attname, value[: field.max_length - len(suffix)] + suffix)
        if change:
            change(row, i)
        rows.append(row)
    model.objects.bulk_create(rows, batch_size=500)


def seed() -> None:
    from django.core.management import call_command
    from django.db import transaction

    with transaction.atomic():
        _seed(call_command)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _seed(call_command) -> None:
    from accounts.models import Company, Process, User

    call_command("seed_demo", verbosity=0)
    company = Company.objects.get(key="demo_company")

    import routes.models as r

    _copies(r.Pizzeria, ROWS)
    _copies(r.Region, 120)
    _copies(r.Department, 120)
    _copies(r.TelegramChat, ROWS)
    role = r.ChatRole.objects.filter(chats__chat_id=100000001).first()
    if role is not None and role.units.count() < 100:
        role.units.add(*r.Pizzeria.objects.order_by("id").values_list("id", flat=True)[:150])
    chat = r.TelegramChat.objects.get(chat_id=100000001)
    statistics_type = r.ReportType.objects.get(name="STATISTICS")
    r.ReportRoute.objects.bulk_create(
        [
            r.ReportRoute(report_type=statistics_type, unit_id=unit_id, telegram_chat=chat)
            for unit_id in r.Pizzeria.objects.order_by("id").values_list("id", flat=True)[:150]
        ],
        ignore_conflicts=True,
    )

    import passports.models as p

    _copies(p.ProductionSchema, 120)
    _copies(p.ProductionStage, ROWS)
    _copies(p.Employee, 120)
    units_before = set(p.Unit.objects.values_list("internal_id", flat=True))
    _copies(p.Unit, ROWS)
    if p.Protocol.objects.count() < 120:
        free = [u for u in p.Unit.objects.exclude(protocol__isnull=False).values_list("internal_id", flat=True)]
        free = [u for u in free if u not in units_before] or free
        targets = iter(free)
        _copies(p.Protocol, 120, change=lambda row, i: setattr(row, "associated_unit_id", next(targets)))
    for i in range(120 - User.objects.filter(company=company).count()):
        User.objects.create_user(username=f"bench_user_{i}", company=company, password=None)

    import calculations.models as c

    base = 100_000 + c.Calculation.objects.count()

    def renumber(row, i):
        row.seq = base + i
        row.number = f"{row.year % 100:02d}-{row.seq}"

    _copies(c.Calculation, ROWS, change=renumber, keep=("year", "seq"), author__company=company)
    _copies(c.Product, 120)
    _copies(c.Component, 120)
    _copies(c.Indicator, 120)

    import terminals.models as t

    _copies(t.Shop, ROWS, company=company)
    _copies(t.Terminal, ROWS, company=company)

    demo = User.objects.get(username="demo")
    if Process.objects.filter(user=demo).count() < ROWS:
        _copies(Process, ROWS, user=demo)


def endpoints() -> list[tuple[str, str, str, dict]]:
    """(label, method, path, body) of every list and detail GET, with a real key for each detail."""
    import calculations.models as c
    import passports.models as p
    import routes.models as r
    import terminals.models as t
    from accounts.models import Process

    unit = r.Pizzeria.objects.order_by("id").first()
    chat = 100000001
    statistics_type = r.ReportType.objects.get(name="STATISTICS")
    passport = p.Unit.objects.order_by("creation_time", "id").first()
    protocol = p.Protocol.objects.order_by("creation_time", "id").first()
    employee = p.Employee.objects.order_by("id").first()
    schema = p.ProductionSchema.objects.order_by("id").first()
    stage = p.ProductionStage.objects.order_by("id").first()
    calculation = c.Calculation.objects.filter(author__company__key="demo_company").order_by("pk").first()
    shop = t.Shop.objects.filter(company__key="demo_company").order_by("id").first()
    terminal = t.Terminal.objects.filter(company__key="demo_company").order_by("id").first()
    first = Process.objects.filter(user__username="demo").order_by("created_at").values_list("created_at", flat=True)
    start = first.first().date().isoformat() if first.first() else "2020-01-01"
    return [
        ("routes units", "GET", "/routes/units/?limit=100", {}),
        ("routes unit by name", "GET", f"/routes/units/name/{unit.name}/", {}),
        ("routes regions", "GET", "/routes/units/regions/?limit=100", {}),
        ("routes departments", "GET", "/routes/units/departments/?limit=100", {}),
        ("routes chats", "GET", "/routes/telegram-chats/?limit=100", {}),
        ("routes chat detail", "GET", f"/routes/telegram-chats/{chat}/", {}),
        ("routes chat types", "GET", "/routes/telegram-chats/chat-types/", {}),
        ("routes report types", "GET", "/routes/report-types/", {}),
        ("routes report types statistics", "GET", "/routes/report-types/statistics/", {}),
        ("routes report type by name", "GET", "/routes/report-types/names/STATISTICS/", {}),
        (
            "routes report-route units",
            "GET",
            f"/routes/report-routes/units/?report_type_id={statistics_type.id}&chat_id={chat}&limit=100",
            {},
        ),
        (
            "routes report-route chats",
            "GET",
            f"/routes/report-routes/telegram-chats/?report_type_id={statistics_type.id}&unit_id={unit.id}&limit=100",
            {},
        ),
        ("routes role units", "GET", f"/routes/roles/users/{chat}/units/?limit=100", {}),
        ("routes role regions", "GET", f"/routes/roles/users/{chat}/regions/", {}),
        ("routes role report types", "GET", f"/routes/roles/users/{chat}/report-types/", {}),
        ("passports list", "GET", "/api/v1/passports/?items=100", {}),
        ("passports detail", "GET", f"/api/v1/passports/{passport.internal_id}", {}),
        ("passports types", "GET", "/api/v1/passports/types", {}),
        ("passports protocols", "GET", "/api/v1/tcd/protocols?items=100", {}),
        ("passports protocol detail", "GET", f"/api/v1/tcd/protocols/{protocol.associated_unit_id}", {}),
        ("passports protocol types", "GET", "/api/v1/tcd/protocols/types", {}),
        ("passports protocols pending", "GET", "/api/v1/tcd/protocols/pending?items=100", {}),
        ("passports employees", "GET", "/api/v1/employees?items=100", {}),
        ("passports employee detail", "GET", f"/api/v1/employees/{employee.rfid_card_id}", {}),
        ("passports schemas", "GET", "/api/v1/schemas?items=100", {}),
        ("passports schema detail", "GET", f"/api/v1/schemas/{schema.schema_id}", {}),
        ("passports stages", "GET", "/api/v1/stages?items=100", {}),
        ("passports stage detail", "GET", f"/api/v1/stages/{stage.stage_id}", {}),
        ("passports user me", "GET", "/api/v1/users/me", {}),
        ("passports user detail", "GET", "/api/v1/users/demo", {}),
        (
            "formula calculations list",
            "POST",
            "/formula/calculations/list",
            {"currentQuantity": 1, "defaultQuantity": 100},
        ),
        ("formula calculation detail", "GET", f"/formula/calculations/write?guid={calculation.guid}", {}),
        ("formula current user", "GET", "/formula/catalogs/users/current", {}),
        ("formula catalog users", "GET", "/formula/catalogs/list/users", {}),
        ("formula catalog products", "GET", "/formula/catalogs/list/products", {}),
        ("formula catalog components", "GET", "/formula/catalogs/list/components", {}),
        ("formula catalog indicators", "GET", "/formula/catalogs/list/indicators", {}),
        ("datawiz shops", "GET", "/api/v1/shops/?page_size=100", {}),
        ("datawiz shop detail", "GET", f"/api/v1/shops/{shop.shop_id}/", {}),
        ("datawiz terminals", "GET", "/api/v1/terminals/?page_size=100", {}),
        ("datawiz terminal detail", "GET", f"/api/v1/terminals/{terminal.terminal_id}/", {}),
        ("accounts audit", "GET", f"/account/audit?from={start}T00:00:00&limit=100", {}),
        ("accounts statistics", "GET", f"/account/statistics?from={start}", {}),
        ("accounts info", "GET", "/account/info", {}),
    ]


def _medians_ms(calls: list, repeat: int) -> list[float]:
    """Median of each call, the calls interleaved so that a busy moment of the machine hits all."""
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for call, times in zip(calls, samples, strict=True):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) * 1000 for times in samples]


def _data_query(captured: list[dict]) -> tuple[str, int]:
    """The captured SELECT that returns the most rows (the later one on a tie): the page's query."""
    from django.db import connection

    best, best_rows = None, -1
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or "django_session" in sql:
                continue
            cursor.execute(sql)
            rows = len(cursor.fetchall())
            if rows >= best_rows:
                best, best_rows = sql, rows
    return best, best_rows


def main() -> int:
    from bench._django import setup

    setup("bench_floors")
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.renderers import JSONRenderer as DRFRenderer
    from rest_framework.settings import api_settings
    from rest_framework.test import APIClient

    from accounts.models import User
    from common.auth import issue_access_token

    logging.getLogger("django.request").setLevel(logging.ERROR)
    settings.ROUTES_TRUSTED_NETWORKS = ["127.0.0.0/8"]
    started = time.perf_counter()
    seed()
    client = APIClient(SERVER_NAME="localhost", REMOTE_ADDR="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(User.objects.get(username='demo'))}")
    # Every view reads its renderers from this one list (no view sets its own): swapping its
    # first entry measures the same request with DRF's renderer, in the same run.
    renderers = api_settings.DEFAULT_RENDERER_CLASSES
    project = renderers[0]
    print(
        f"floors: median of {REPEAT} requests per endpoint, seeded in {time.perf_counter() - started:.0f} s; "
        f"ours = {project.__module__}.{project.__name__}, 'drf json' = the same request with "
        "rest_framework.renderers.JSONRenderer"
    )
    header = (
        f"{'endpoint':32s} {'items':>5s} {'ours ms':>8s} {'floor ms':>8s} {'ratio':>6s} {'queries':>7s}"
        f" {'drf json ms':>11s} {'ratio':>6s}"
    )
    print(header)
    print("-" * len(header))
    ratios, before, failed, overhead = [], [], [], []
    for label, method, path, body in endpoints():

        def request(method=method, path=path, body=body):
            if method == "POST":
                return client.post(path, body, format="json")
            return client.get(path)

        def request_drf(request=request):
            renderers[0] = DRFRenderer
            try:
                return request()
            finally:
                renderers[0] = project

        request()
        with CaptureQueriesContext(connection) as ctx:
            response = request()
        captured = list(ctx.captured_queries)  # the next request's request_started empties the log
        queries = len(captured)
        if response.status_code != 200:
            failed.append(label)
            print(f"{label:32s} {response.status_code}: {response.content[:80]!r}")
            continue
        drf_response = request_drf()
        assert type(drf_response.accepted_renderer) is DRFRenderer, label  # the swap took effect
        assert drf_response.content == response.content, label
        plain = orjson.loads(response.content)
        lists = [v for v in (plain.values() if isinstance(plain, dict) else [plain]) if isinstance(v, list)]
        items = len(lists[0]) if lists else 1
        sql, _ = _data_query(captured)

        def floor(sql=sql, plain=plain):
            with connection.cursor() as cursor:
                cursor.execute(sql)
                names = [column.name for column in cursor.description]
                [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            orjson.dumps(plain)

        ours_ms, floor_ms, drf_ms = _medians_ms([request, floor, request_drf], REPEAT)
        ratios.append((ours_ms / floor_ms, label))
        overhead.append(ours_ms - floor_ms)
        before.append(drf_ms / floor_ms)
        print(
            f"{label:32s} {items:>5d} {ours_ms:>8.2f} {floor_ms:>8.2f} {ours_ms / floor_ms:>6.1f} {queries:>7d}"
            f" {drf_ms:>11.2f} {drf_ms / floor_ms:>6.1f}"
        )
    above = sorted((r for r in ratios if r[0] > 1.5), reverse=True)
    print(
        f"summary: {len(ratios)} endpoints, median ratio {statistics.median(r for r, _ in ratios):.1f} "
        f"(with DRF's renderer {statistics.median(before):.1f}), {len(above)} above 1.5x of their floor"
        + (f" (worst: {', '.join(f'{name} {r:.1f}x' for r, name in above[:5])})" if above else "")
        + f"; the cheapest request costs {min(overhead):.2f} ms over its floor (the stack: middleware, "
        "token, permission)"
        + (f"; NOT 200: {', '.join(failed)}" if failed else "")
        + f"; {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
