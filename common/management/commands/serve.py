"""``manage.py serve``: migrate, seed, then run gunicorn in front of this process's database.

The process that runs this command holds the embedded PostgreSQL (when ``DATABASE_URL``
is unset); gunicorn gets the server's URL, so its workers never start one of their own.
Ctrl-C or SIGTERM stops gunicorn, then this process exits normally and the embedded
server stops with it.

Before the slow steps it checks that gunicorn's address is free and that
the database answers, and says in one line what to change when not.
"""

from __future__ import annotations

import errno
import os
import runpy
import shutil
import signal
import socket
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection

SEED_COMMANDS = ("init_account_roles", "init_report_types", "init_formula_catalogs", "seed_demo")


def seed_commands() -> tuple[str, ...]:
    """The reference-data commands always; ``seed_demo`` never with production settings."""
    if getattr(settings, "PRODUCTION", False):
        return tuple(name for name in SEED_COMMANDS if name != "seed_demo")
    return SEED_COMMANDS


class Command(BaseCommand):
    help = "Migrate, run the init and seed commands, then serve with gunicorn on HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--no-seed", action="store_true", help="skip the init and seed commands")

    def handle(self, *args, **options):
        conf = gunicorn_settings()
        check_address_free(conf["bind"])
        check_database()
        self.stdout.write("migrating the database")
        call_command("migrate", interactive=False, verbosity=1)
        call_command("createcachetable", verbosity=0)
        self.stdout.write("collecting static files")
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
        # Demo logins exist only where seed_demo runs: never with production settings.
        demo_password = None if getattr(settings, "PRODUCTION", False) else settings.DEMO_PASSWORD
        self.stdout.write(self.style.SUCCESS(banner(conf, demo_password)))
        self.stdout.write("starting gunicorn")
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


# --- checks before the slow steps, and the banner ----------------------------


def gunicorn_settings() -> dict:
    """The values ``gunicorn.conf.py`` gives with this environment (bind, certfile, ...).

    Reading it leaves this process as it was: the file sets PROMETHEUS_MULTIPROC_DIR (and
    makes that directory) for the gunicorn master, which must make its own.
    """
    before = dict(os.environ)
    try:
        return runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    finally:
        made = os.environ.get("GUNICORN_OWN_METRICS_DIR")
        if made and made != before.get("GUNICORN_OWN_METRICS_DIR"):
            shutil.rmtree(made, ignore_errors=True)
        os.environ.clear()
        os.environ.update(before)


def split_bind(bind: str) -> tuple[str, int] | None:
    """``host:port`` or ``[v6]:port`` → (host, port); None for a Unix socket or fd bind."""
    if bind.startswith(("unix:", "fd://")):
        return None
    host, _, port = bind.rpartition(":")
    return host.strip("[]") or "0.0.0.0", int(port)


def _bind_error(host: str, port: int) -> OSError | None:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            sock.bind(address)
        except OSError as exc:
            return exc
    return None


def check_address_free(bind: str) -> None:
    """Refuse, in one line naming HOST/PORT, an address gunicorn could not listen on."""
    parsed = split_bind(bind)
    if parsed is None:
        return
    host, port = parsed
    error = _bind_error(host, port)
    if error is None:
        return
    if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
        raise CommandError(f"HOST={host} is not an address of this machine; use e.g. HOST=127.0.0.1 or HOST=0.0.0.0")
    if error.errno == errno.EACCES:
        raise CommandError(f"PORT={port} needs root on this system; use a port above 1023, e.g. PORT=8000")
    if error.errno == errno.EADDRINUSE:
        free = next((p for p in range(port + 1, min(port + 100, 65536)) if _bind_error(host, p) is None), None)
        hint = f"PORT={free} make serve" if free else "PORT=<a free port> make serve"
        raise CommandError(
            f"port {port} on {host} is already in use (another server?); stop it or choose another: {hint}"
        )
    raise CommandError(f"cannot listen on {host}:{port} ({error.strerror}); change HOST or PORT")


def redacted_database_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")
    user = netloc[0].partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[2]}"))


def check_database() -> None:
    """One line naming DATABASE_URL (password hidden) when the database does not answer."""
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        reason = " ".join(str(exc).split()).rstrip(".?") or type(exc).__name__
        url = os.environ.get("DATABASE_URL", "")
        if url:
            raise CommandError(
                f"DATABASE_URL={redacted_database_url(url)} does not answer: {reason}. "
                "Fix DATABASE_URL (postgres://user:password@host:5432/dbname) or unset it to use the "
                "embedded PostgreSQL"
            ) from None
        raise CommandError(f"the embedded PostgreSQL in .data/postgres does not answer: {reason}") from None


def banner(conf: dict, demo_password: str | None) -> str:
    """Where it listens (https:// when gunicorn has a certificate) and the demo logins (none: production)."""
    scheme = "https" if conf.get("certfile") or conf.get("keyfile") else "http"
    parsed = split_bind(conf["bind"])
    if parsed is None:
        base, where = f"{scheme}://<{conf['bind']}>", f"Serving on {conf['bind']}"
    else:
        host, port = parsed
        shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, f"[{host}]" if ":" in host else host)
        base = f"{scheme}://{shown}:{port}"
        where = f"Serving on {base}" + ("" if shown == host else f" (listening on {conf['bind']}, every interface)")
    return "\n".join(
        [
            where,
            f"  Start page:            {base}/",
            f"  API docs (Swagger UI): {base}/api/docs/   Redoc: {base}/api/redoc/",
            f"  OpenAPI schema:        {base}/api/schema/",
            f"  Admin:                 {base}/admin/"
            + (f"  (admin / {demo_password})" if demo_password else "  (create one: manage.py createsuperuser)"),
            *(
                [f"  Demo API users:        demo / {demo_password} (writes), viewer / {demo_password} (read-only)"]
                if demo_password
                else []
            ),
            f"  APIs: {base}/account  {base}/routes/  {base}/api/v1/passports  "
            f"{base}/formula  {base}/api/v1/terminals/",
        ]
    )
