"""Compact ISO 8601 durations (pure; no database)."""

from datetime import timedelta

import pytest

from accounts.durations import ISO_DURATION, duration_compact, duration_parse


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(seconds=5.25), "PT5.25S"),
        (timedelta(hours=1, minutes=45), "PT1H45M"),
        (timedelta(days=2), "P2D"),
        (timedelta(days=1, hours=2, minutes=12, seconds=34.2), "P1DT2H12M34.2S"),
        (timedelta(days=12, hours=23, minutes=59, seconds=59, microseconds=123456), "P12DT23H59M59.1S"),
        (timedelta(days=123, hours=23, minutes=59, seconds=59, microseconds=5), "P123DT23H59M59S"),
        (timedelta(seconds=-3), "PT0S"),
    ],
)
def test_compact_durations_fit_the_client_pattern(value, text):
    assert duration_compact(value) == text
    assert len(text) <= 16 and ISO_DURATION.match(text)


@pytest.mark.parametrize("text", ["PT5.25S", "P1DT2H12M34.2S", "PT0S", "P3D"])
def test_parse_is_the_inverse(text):
    assert duration_compact(duration_parse(text)) == text


@pytest.mark.parametrize("text", ["00:00:01", "P", "PT", "P1DT", "PT1.1234567890S", "P12345DT23H59M59S"])
def test_parse_rejects_what_clients_reject(text):
    with pytest.raises(ValueError):
        duration_parse(text)
