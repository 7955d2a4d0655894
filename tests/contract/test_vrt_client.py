"""The published VRt.Account clients, unchanged, against this API (accounts.md, Decision 15).

Each release is installed (cached) into its own directory with ``pip install --target`` and
the spec's Recipe runs in a fresh interpreter with only that directory in front of
``sys.path``: 7.9.2527 and 7.46.3593 pin different pydantic/urllib3 and cannot share one
environment. The client validates every response itself (pydantic models).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import Process
from tests.factories import TEST_PASSWORD, UserFactory

RELEASES = ("7.46.3593", "7.9.2527")
CLIENTS_DIR = Path(settings.BASE_DIR) / ".data" / "clients"
RECIPE = Path(__file__).with_name("vrt_recipe.py")

pytestmark = pytest.mark.contract


@pytest.fixture(scope="session")
def vrt_clients() -> dict[str, Path]:
    """``{release: directory}``; installs a release only when its directory is missing."""
    found = {}
    for release in RELEASES:
        target = CLIENTS_DIR / release
        if not (target / "vrt_lss_account").is_dir():
            partial = CLIENTS_DIR / f".{release}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 "--target", str(partial), f"vrt-lss-account=={release}"],
                check=True,
                timeout=600,
            )  # fmt: skip
            shutil.rmtree(target, ignore_errors=True)
            partial.rename(target)
        found[release] = target
    return found


def run_recipe(directory: Path, host: str, username: str, password: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(directory)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(RECIPE), host, username, password],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("release", RELEASES)
def test_recipe_passes_with_the_published_client(transactional_db, live_server, vrt_clients, release):
    from django.utils import timezone

    from accounts.demo import demo_usage
    from accounts.imports import processes_import

    user = UserFactory(username="demo_user", timezone=3)
    processes_import(lines=(json.dumps(action) for action in demo_usage(user=user, now=timezone.now(), per_day=(2, 4))))
    latest = Process.objects.filter(user=user).order_by("-created_at").first()

    seen = run_recipe(vrt_clients[release], live_server.url, "demo_user", TEST_PASSWORD)

    assert seen["client"] == release
    # 7.9 keeps the JSON quotes around the token and still works (Decision 3).
    assert seen["token_quoted"] is (release == "7.9.2527")
    assert seen["roles"] == ["USER"]
    assert seen["version"] == [7, 9, settings.PROJECT_VERSION]
    assert seen["attributes"] == [["k", "v"]]
    assert seen["quota_services"] == 2
    assert seen["audit"][0] >= 1 and seen["data_bytes"] == len(bytes(latest.data.get(flow_type="INPUT").content))
    assert seen["not_found_resource_key"] is True
    assert seen["anonymous"] == 401
    user.refresh_from_db()
    assert user.email == "demo_user@example.com" and user.check_password(TEST_PASSWORD)
