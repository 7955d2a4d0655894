"""Dependencies point down (STYLE.md): ``common`` imports no app, ``accounts`` no other app, and no
app imports another app's views or serializers. Read from the source, so a lazy import inside a
function counts as much as one at the top of a module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "routes", "passports", "calculations", "terminals")


def imported_modules(package: str) -> list[tuple[str, str]]:
    """``(file, module)`` for every import statement under ``package`` (migrations excluded)."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(path.relative_to(ROOT)), node.module))
            elif isinstance(node, ast.Import):
                found.extend((str(path.relative_to(ROOT)), alias.name) for alias in node.names)
    return found


def top(module: str) -> str:
    return module.split(".", 1)[0]


def test_common_imports_no_app():
    assert [(f, m) for f, m in imported_modules("common") if top(m) in APPS] == []


def test_accounts_imports_no_other_app():
    assert [(f, m) for f, m in imported_modules("accounts") if top(m) in APPS and top(m) != "accounts"] == []


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_another_apps_views_or_serializers(app):
    crossing = [
        (f, m)
        for f, m in imported_modules(app)
        if top(m) in APPS and top(m) != app and m.split(".")[1:2] in (["views"], ["serializers"])
    ]
    assert crossing == []


def test_demo_seeders_are_every_apps_own_in_installed_apps_order(settings):
    from accounts.demo import demo_groups, demo_seeders

    assert [seeder.label for seeder in demo_seeders()] == list(APPS)
    demo, viewer = demo_groups()
    # Each group name comes from the app that defines the group (no app names another's).
    assert set(demo) == {"feecc_write", "feecc_approve", "feecc_manage_users", "Технолог"}
    assert viewer == ("Наблюдатель",)
