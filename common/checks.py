"""``make check`` in one process (one embedded database start): DECISIONS §5."""

from __future__ import annotations

import os
import subprocess
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")
    call_command("makemigrations", check=True, dry_run=True, interactive=False)
    call_command("spectacular", validate=True, fail_on_warn=True, file=os.devnull)
    # Deploy checks with production settings and placeholder secrets, in a child process so
    # the production settings never import the embedded database wheel.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "placeholder-" + "x" * 60,
        "JWT_SIGNING_KEY": "placeholder-" + "y" * 60,
        "DATABASE_URL": "postgres://placeholder@127.0.0.1:9/placeholder",
        "ALLOWED_HOSTS": "example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=env, check=False
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
