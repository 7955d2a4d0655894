"""The official client's request sequence (notes 6.3) replayed over real HTTP (``live_server``)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from terminals.models import Shop, Terminal
from tests.terminals.helpers import shop
from tests.terminals.replay import Client, csv_chunks, replay

pytestmark = pytest.mark.django_db(transaction=True)


def test_client_sequence_against_live_server(live_server, demo_user, password, company, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    result = replay(live_server.url, "demo", password, run="r1")
    run = result["run"]
    assert result["log"] == [
        ("POST", "/api/v1/shops/", 201),
        ("POST", "/api/v1/terminals/", 400),
        ("POST", "/api/v1/terminals/", 201),
        ("GET", "/api/v1/terminals/?page=1", 200),
        ("GET", "/api/v1/terminals/?page=2", 200),
        ("GET", "/api/v1/shops/?page=1", 200),
    ]
    assert Shop.objects.filter(company=company, shop_id__startswith=f"{run}-").count() == 3
    rows = Terminal.objects.filter(company=company, terminal_id__startswith=f"{run}-")
    assert rows.count() == 149
    assert not rows.filter(terminal_id=f"{run}-t7").exists()
    assert rows.get(terminal_id=f"{run}-t8").shop.shop_id == f"{run}-s2"


def test_wrong_password_stops_the_client(live_server, demo_user, monkeypatch):
    from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    with pytest.raises(InvalidGrantError):
        replay(live_server.url, "demo", "wrong-password-1")


# --- what the client really sends ---------------------------------------------------------

SHOP_COLUMNS = ["shop_id", "name", "address", "open_date", "group_id", "format_id"]
TERMINAL_COLUMNS = ["terminal_id", "shop_id", "name"]
REQUIRED = ["This field is required."]


@pytest.fixture
def client(live_server, demo_user, password, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    client = Client(live_server.url, "demo", password)
    yield client
    client.session.close()  # else a kept-alive connection holds the server thread (and its database session)


def live(body, live_server):
    """A body the ``helpers`` build for the test client, with the live server's URLs."""
    return json.loads(json.dumps(body).replace("http://testserver", live_server.url))


def stored_terminals(company) -> set[tuple[str, str, str]]:
    return set(Terminal.objects.filter(company=company).values_list("terminal_id", "shop__shop_id", "name"))


def test_shops_csv_with_empty_cells_is_stored(client, live_server, company, tmp_path):
    # The tutorial's layout: four columns of six, the address all empty, one opening date.
    path = tmp_path / "shops.csv"
    path.write_text(
        "shop_id;name;address;open_date\ns-1;Shop №01;;\ns-2;Shop №02;;2015-03-01\ns-3;Shop №03;;\n", encoding="utf8"
    )
    chunks = csv_chunks(path, SHOP_COLUMNS)
    sent = json.dumps(chunks[0])
    assert sent.count("NaN") == 9 and sent.count("null") == 2  # address, group, format; two open dates
    assert client.upload("shops", chunks) == []
    assert client.log == [("POST", "/api/v1/shops/", 201)]
    assert list(
        Shop.objects.filter(company=company)
        .order_by("shop_id")
        .values_list("shop_id", "name", "address", "open_date", "group_id", "format_id")
    ) == [
        ("s-1", "Shop №01", "", None, None, None),
        ("s-2", "Shop №02", "", dt.date(2015, 3, 1), None, None),
        ("s-3", "Shop №03", "", None, None, None),
    ]
    assert client.pages("shops") == live(
        [shop("s-1", "Shop №01"), shop("s-2", "Shop №02", open_date="2015-03-01"), shop("s-3", "Shop №03")],
        live_server,
    )


def test_retry_after_repeated_faults_stores_exactly_the_valid_items(client, company):
    assert client.upload("shops", [{"shop_id": f"s{n}", "name": f"Shop {n}"} for n in range(10)]) == []
    late = ["Shop with id=late does not exist"]
    # chunk 1: two tills of a shop not uploaded yet; chunk 2: two blank names (one null);
    # chunk 3: an exact repeat, two conflicting duplicates, and two names taken in one shop
    first = [{"terminal_id": f"a{i}", "shop_id": f"s{i % 10}", "name": f"Kassa a{i}"} for i in range(2000)]
    first[10]["shop_id"] = first[20]["shop_id"] = "late"
    second = [{"terminal_id": f"b{i}", "shop_id": f"s{i % 10}", "name": f"Kassa b{i}"} for i in range(2000)]
    second[5]["name"], second[6]["name"] = "", None
    repeat = {"terminal_id": "c1", "shop_id": "s1", "name": "Kassa c1"}
    third = [
        repeat,
        dict(repeat),
        {"terminal_id": "c1", "shop_id": "s1", "name": "Other"},
        {"terminal_id": "c1", "shop_id": "s2", "name": "Kassa c1"},
        {"terminal_id": "c2", "shop_id": "s3", "name": "Shared"},
        {"terminal_id": "c3", "shop_id": "s3", "name": "Shared"},
        {"terminal_id": "c4", "shop_id": "s3", "name": "Shared"},
        {"terminal_id": "c5", "shop_id": "s4", "name": "Kassa c5"},
    ]
    failures = client.upload("terminals", first + second + third)

    assert [status for status, _ in client.retries] == [201, 201, 201]
    assert [answer for _, answer in client.retries] == [
        {"updated": 0, "inserted": 1998},
        {"updated": 0, "inserted": 1998},
        {"updated": 0, "inserted": 3},
    ]
    valid = [*first[:10], *first[11:20], *first[21:], *second[:5], *second[7:], repeat, third[4], third[7]]
    assert stored_terminals(company) == {(t["terminal_id"], t["shop_id"], t["name"]) for t in valid}
    assert Terminal.objects.filter(company=company).count() == 1998 + 1998 + 3
    dup, taken = ["Duplicate terminal_id in this request."], ["Terminal with this Shop and Name already exists."]
    refused = [[{} for _ in range(2000)], [{} for _ in range(2000)], [{} for _ in range(8)]]
    refused[0][10], refused[0][20] = {"shop_id": late, "index": 10}, {"shop_id": late, "index": 20}
    refused[1][5], refused[1][6] = {"name": REQUIRED, "index": 5}, {"name": REQUIRED, "index": 6}
    refused[2][2], refused[2][3] = {"terminal_id": dup, "index": 2}, {"terminal_id": dup, "index": 3}
    refused[2][5], refused[2][6] = {"non_field_errors": taken, "index": 5}, {"non_field_errors": taken, "index": 6}
    assert client.refusals == refused
    assert failures == [
        [{"shop_id": late, "index": 10}, {"shop_id": late, "index": 20}],
        [{"name": REQUIRED, "index": 5}, {"name": REQUIRED, "index": 6}],
        [
            {"terminal_id": dup, "index": 2},
            {"terminal_id": dup, "index": 3},
            {"non_field_errors": taken, "index": 5},
            {"non_field_errors": taken, "index": 6},
        ],
    ]


def test_terminals_csv_with_repeated_faults(client, company, tmp_path):
    client.upload("shops", [{"shop_id": "s1", "name": "Shop 1"}, {"shop_id": "s2", "name": "Shop 2"}])
    lines = ["terminal_id;shop_id;name"]
    lines += [f"t{i};s{1 + i % 2};РРО № {i}" for i in range(50)]
    lines[3] = "t2;s1;"  # blank names: None in a text column
    lines[4] = "t3;s2;"
    lines[8] = "t7;nowhere;РРО № 7"
    lines[9] = "t8;nowhere;РРО № 8"
    path = tmp_path / "terminals.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf8")
    failures = client.upload("terminals", csv_chunks(path, TERMINAL_COLUMNS))
    assert client.log[-2:] == [("POST", "/api/v1/terminals/", 400), ("POST", "/api/v1/terminals/", 201)]
    assert stored_terminals(company) == {
        (f"t{i}", f"s{1 + i % 2}", f"РРО № {i}") for i in range(50) if i not in (2, 3, 7, 8)
    }
    nowhere = ["Shop with id=nowhere does not exist"]
    assert failures == [
        [
            {"name": REQUIRED, "index": 2},
            {"name": REQUIRED, "index": 3},
            {"shop_id": nowhere, "index": 7},
            {"shop_id": nowhere, "index": 8},
        ]
    ]
