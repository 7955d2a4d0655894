"""``manage.py serve``: migrate, seed, then run gunicorn in front of this process's database.

The process that runs this command holds the embedded PostgreSQL (when ``DATABASE_URL``
is unset); gunicorn gets the server's URL, so its workers never start one of their own.
Ctrl-C or SIGTERM stops gunicorn, then this process exits normally and the embedded
server stops with it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

SEED_COMMANDS = ("init_account_roles", "init_report_types", "init_formula_catalogs", "seed_demo")


def seed_commands() -> tuple[str, ...]:
    """The reference-data commands always; ``seed_demo`` never with production settings (issue 11)."""
    if getattr(settings, "PRODUCTION", False):
        return tuple(name for name in SEED_COMMANDS if name != "seed_demo")
    return SEED_COMMANDS


class Command(BaseCommand):
    help = "Migrate, run the init and seed commands, then serve with gunicorn on HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--no-seed", action="store_true", help="skip the init and seed commands")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=1)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not options["no_seed"]:
            available = get_commands()
            for name in seed_commands():
                if name in available:
                    self.stdout.write(f"running {name}")
                    call_command(name)

        env = dict(os.environ)
        if not env.get("DATABASE_URL"):
            from common.embedded_pg import database_url

            env["DATABASE_URL"] = database_url(settings.DATABASES["default"])
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8000")
        base = f"http://{host}:{port}"
        self.stdout.write(
            self.style.SUCCESS(
                "\n".join(
                    [
                        f"Serving on {base}",
                        f"  API docs (Swagger UI): {base}/api/docs/   Redoc: {base}/api/redoc/",
                        f"  OpenAPI schema:        {base}/api/schema/",
                        f"  Admin:                 {base}/admin/  (admin / {settings.DEMO_PASSWORD})",
                        f"  Demo API user:         demo / {settings.DEMO_PASSWORD}",
                        f"  APIs: {base}/account  {base}/routes/  {base}/api/v1/passports  "
                        f"{base}/formula  {base}/api/v1/terminals/",
                    ]
                )
            )
        )
        sys.stdout.flush()
        child = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"],
            env=env,
            cwd=settings.BASE_DIR,
        )

        def forward(signum, frame):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)
        code = child.wait()
        self.stdout.write("gunicorn stopped; stopping the database")
        if code not in (0, -signal.SIGTERM, -signal.SIGINT):
            sys.exit(code)
