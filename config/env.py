"""The one place that reads the environment (django-environ) and the local data folder."""

from __future__ import annotations

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")


def local_secret(name: str) -> str:
    """Return ``name`` from the environment, else from ``.data/secrets.env``.

    Outside production a missing secret is generated once and kept in the git-ignored
    ``.data/secrets.env``, so ``make serve`` works with no configuration and tokens survive
    a restart. Production settings never call this.
    """
    value = env.str(name, default="")
    if value:
        return value
    DATA_DIR.mkdir(exist_ok=True)
    path = DATA_DIR / "secrets.env"
    stored: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, sep, val = line.partition("=")
            if sep:
                stored[key.strip()] = val.strip()
    if name not in stored:
        stored[name] = secrets.token_urlsafe(48)
        path.write_text("".join(f"{k}={v}\n" for k, v in stored.items()))
        path.chmod(0o600)
    return stored[name]
