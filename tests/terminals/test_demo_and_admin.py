"""``seed_demo``'s terminals part is idempotent; the admin lists shops and terminals."""

from __future__ import annotations

import pytest

from accounts.demo import DemoActors
from terminals import demo
from terminals.models import Shop, Terminal

pytestmark = pytest.mark.django_db


def snapshot(company):
    return (
        sorted(Shop.objects.filter(company=company).values_list("shop_id", "name", "open_date", "latitude")),
        sorted(Terminal.objects.filter(company=company).values_list("terminal_id", "shop__shop_id", "name")),
    )


def test_seed_twice_creates_nothing_twice(company, demo_user, viewer_user, admin_user):
    actors = DemoActors(company=company, demo=demo_user, viewer=viewer_user, admin=admin_user)
    assert demo.seed(actors=actors) == "shops: 3 new, 0 refreshed; terminals: 7 new, 0 refreshed"
    first = snapshot(company)
    assert demo.seed(actors=actors) == "shops: 0 new, 3 refreshed; terminals: 0 new, 7 refreshed"
    assert snapshot(company) == first
    assert len(first[0]) == 3 and len(first[1]) == 7


def test_seeded_terminal_is_served(company, demo_user, viewer_user, admin_user, demo_client):
    demo.seed(actors=DemoActors(company=company, demo=demo_user, viewer=viewer_user, admin=admin_user))
    response = demo_client.get("/api/v1/terminals/CAT11")
    assert response.json() == {
        "url": "http://testserver/api/v1/terminals/CAT11/",
        "terminal_id": "CAT11",
        "name": "Kassa 1",
        "shop_id": "3",
        "shop_url": "http://testserver/api/v1/shops/3/",
    }


def test_admin_changelists_search_and_filter(admin_client, terminals, other_terminals):
    response = admin_client.get("/admin/terminals/terminal/", {"q": "1-1"})
    assert response.status_code == 200
    assert b"1-1" in response.content and b"9-9" not in response.content
    response = admin_client.get("/admin/terminals/shop/")
    assert response.status_code == 200
    assert b"Other shop" in response.content
