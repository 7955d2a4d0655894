"""Authorization matrix rows of the formula API (DECISIONS §2; calculations.md §8).

Formula data is one organisation's shared data: ``other`` (another company, group "Технолог")
reads and writes like ``demo``; ``viewer`` ("Наблюдатель") only reads.
"""

from __future__ import annotations

from calculations.serializers.catalogs import CATALOGS
from calculations.services.calculations import calculation_create
from tests.authz import Row

EVERYONE = {"anonymous": 401, "demo": 200, "viewer": 200, "admin": 200, "other": 200}
WRITERS = {"anonymous": 401, "demo": 200, "viewer": 403, "admin": 200, "other": 200}

ROWS = [
    Row("GET", "/formula/catalogs/users/current", EVERYONE),
    Row("GET", "/formula/catalogs/users/access-role", EVERYONE),
    *(Row("GET", f"/formula/catalogs/list/{name}", EVERYONE) for name in CATALOGS),
    Row("POST", "/formula/calculations/list", EVERYONE, data={"search": "2025"}),
    Row("GET", "/formula/calculations/write?guid={guid}", EVERYONE),
    Row("POST", "/formula/calculations/write", WRITERS, data={"status": "NEW", "comment": "authz"}),
    Row("POST", "/formula/calculations/writeOnlist?guid={guid}", WRITERS, data={"comment": "authz"}),
    Row("DELETE", "/formula/calculations/delete?guid={guid}", WRITERS),
]

SAMPLE_VALUES = {"guid": "00000000-0000-0000-0000-000000000100"}


def setup(users) -> dict:
    calculation = calculation_create(author=users["demo"], comment="authz")
    return {"guid": str(calculation.guid)}
