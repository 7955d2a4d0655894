"""The authorization matrix's vocabulary (tests/test_authz_matrix.py).

Each app declares, in ``tests/<app>/authz.py``:

* ``ROWS``: a list of :class:`Row` — one per endpoint (method + concrete path), with the
  expected status for **every** actor of DECISIONS §2;
* ``setup(actors) -> dict``: creates the objects the paths need (``actors`` maps actor name
  to user; ``None`` for anonymous) and returns the values that fill the ``{placeholders}``
  of ``Row.path``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ACTORS = ("anonymous", "demo", "viewer", "admin", "other")
# Optional actors a row may add to its expectations (tested only where a row names them).
# ``writer``: a user of demo_company with Feecc's write rule only (issue 11).
EXTRA_ACTORS = ("writer",)


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    expected: dict[str, int]
    data: Any = None
    format: str | None = "json"
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self) -> None:
        missing = set(ACTORS) - set(self.expected)
        if missing:
            raise ValueError(f"{self.method} {self.path}: no expectation for {sorted(missing)}")
        unknown = set(self.expected) - set(ACTORS) - set(EXTRA_ACTORS)
        if unknown:
            raise ValueError(f"{self.method} {self.path}: unknown actors {sorted(unknown)}")

    @property
    def actors(self) -> tuple[str, ...]:
        return ACTORS + tuple(actor for actor in EXTRA_ACTORS if actor in self.expected)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"
