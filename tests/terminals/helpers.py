"""Expected bodies shared by the terminals tests (absolute URLs as the test client sees them)."""

BASE = "http://testserver/api/v1"


def row(terminal_id, name, shop_id):
    """A terminal as the API renders it."""
    return {
        "url": f"{BASE}/terminals/{terminal_id}/",
        "terminal_id": terminal_id,
        "name": name,
        "shop_id": shop_id,
        "shop_url": f"{BASE}/shops/{shop_id}/",
    }


def shop(shop_id, name, **extra):
    """A shop as the API renders it (optional fields empty unless given)."""
    return {
        "url": f"{BASE}/shops/{shop_id}/",
        "shop_id": shop_id,
        "name": name,
        "address": "",
        "open_date": None,
        "longitude": None,
        "latitude": None,
        "format_id": None,
        "group_id": None,
        **extra,
    }
