"""``manage.py import_processes FILE.jsonl``: one audit action per line, validated, all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.imports import processes_import
from common.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Import VRt usage records (one AuditAction JSON per line); nothing is written if a line is wrong."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A JSON Lines file (UTF-8); '-' reads standard input.")

    def handle(self, *args, path: str, **options):
        try:
            if path == "-":
                import sys

                summary = processes_import(lines=sys.stdin)
            else:
                with open(path, encoding="utf-8") as stream:
                    summary = processes_import(lines=stream)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8: {exc.reason}")
        except ApplicationError as exc:
            raise CommandError(f"{exc.message}; nothing was imported")
        self.stdout.write(
            self.style.SUCCESS(
                f"imported {summary.processes} processes, {summary.requests} requests, {summary.data} data files"
            )
        )
