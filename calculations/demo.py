"""The calculations app's part of ``seed_demo``."""

from __future__ import annotations


def seed(*, actors) -> str:
    """Create this app's demo rows for ``actors.company`` idempotently; return a one-line summary."""
    return "nothing yet"
