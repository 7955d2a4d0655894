"""Compact ISO 8601 durations for VRt clients (pure; no ORM).

The clients accept ``^P(?!$)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d{1,9})?S)?)?$`` of at most
16 characters; Django's ``duration_iso_string`` (``P0DT00H00M01.500000S``) is too long.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

MAX_LENGTH = 16
ISO_DURATION = re.compile(r"^P(?!$)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,9})?)S)?)?$")


@lru_cache(maxsize=4096)  # an audit page repeats few distinct durations (6 per action)
def duration_compact(value: timedelta) -> str:
    """``timedelta(seconds=5.25)`` → ``PT5.25S``; zero → ``PT0S``; fractions trimmed to fit 16 chars."""
    if value < timedelta(0):
        value = timedelta(0)
    days = value.days
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    micro = value.microseconds
    head = f"P{days}D" if days else "P"
    clock = ""
    if hours:
        clock += f"{hours}H"
    if minutes:
        clock += f"{minutes}M"
    for digits in (6, 5, 4, 3, 2, 1, 0):
        fraction = f"{micro / 1_000_000:.{digits}f}"[1:].rstrip("0").rstrip(".") if digits and micro else ""
        sec = f"{seconds}{fraction}S" if (seconds or fraction) else ""
        text = head + ("T" + clock + sec if clock or sec else "")
        if text == "P":
            text = "PT0S"
        if len(text) <= MAX_LENGTH:
            return text
    return text  # pragma: no cover - days < 10**6 always fit without a fraction


def duration_parse(text: str) -> timedelta:
    """The inverse of :func:`duration_compact` for any duration the clients accept."""
    match = ISO_DURATION.match(text or "")
    if not match or len(text) > MAX_LENGTH:
        raise ValueError(f"{text!r} is not an ISO 8601 duration like PT1H45M or PT5.25S (at most 16 characters)")
    days, hours, minutes, seconds = match.groups()
    return timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0), seconds=float(seconds or 0))
