"""``common.collector.paused``: the collector off inside, back on after (also after an error),
left off where it was off; the statistics answer is built inside it."""

from __future__ import annotations

import gc

import pytest

from common import collector


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_off_inside_and_on_after(collector_on):
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # nested: the inner one leaves it to the outer
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_turns_it_back_on(collector_on):
    with pytest.raises(ZeroDivisionError), collector.paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_the_statistics_are_built_with_the_collector_off(demo_client, collector_on, monkeypatch):
    """The rows and their grouping (the ~45,000 objects of a year) are made while it is off."""
    from accounts.statistics import group_by_day
    from accounts.views import usage

    seen = []

    def grouping(rows):
        seen.append(gc.isenabled())
        return group_by_day(rows)

    monkeypatch.setattr(usage, "group_by_day", grouping)
    response = demo_client.get("/account/statistics", {"from": "2026-11-09", "to": "2026-11-10"})
    assert (response.status_code, response.json()) == (200, {"username": "demo", "dates": []})
    assert seen == [False] and gc.isenabled()
