"""Fixtures of the calculations tests: the reference catalog of §9 and helpers."""

from __future__ import annotations

import pytest

from calculations.reference import S, X
from calculations.services.catalogs import formula_catalogs_ensure

__all__ = ["S", "X"]


@pytest.fixture
def catalog(db):
    """The reference catalog (calculations.md §9)."""
    formula_catalogs_ensure()


@pytest.fixture
def write(demo_client):
    """POST /formula/calculations/write as demo; returns (status, body)."""

    def post(payload, **extra):
        response = demo_client.post("/formula/calculations/write", payload, format="json", **extra)
        return response.status_code, response.json()

    return post
