"""``manage.py import_processes FILE.jsonl``: one audit action per line, validated, all or nothing."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from accounts.imports import ProcessImportError, processes_import


def first_problem(errors, path: str = "") -> tuple[str, str] | None:
    """The first invalid value of a line's field errors: ``("requests[1].request_code", "...")``.

    ``non_field_errors`` name the object they belong to (``"statistics"``), not themselves.
    """
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = path if key == "non_field_errors" and path else (f"{path}.{key}" if path else str(key))
            if found := first_problem(value, name):
                return found
    elif isinstance(errors, list):
        if errors and all(not isinstance(item, (dict, list)) for item in errors):
            return path, str(errors[0])
        for index, item in enumerate(errors):
            if found := first_problem(item, f"{path}[{index}]"):
                return found
    elif errors is not None:
        return path, str(errors)
    return None


def describe(exc: ProcessImportError) -> str:
    problem = first_problem(exc.fields)
    if problem is None:
        return exc.message
    field, message = problem
    return f"line {exc.line}" + (f", {field}" if field else "") + f": {message}"


class Command(BaseCommand):
    help = "Import VRt usage records (one AuditAction JSON per line); nothing is written if a line is wrong."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A JSON Lines file (UTF-8); '-' reads standard input.")

    def handle(self, *args, path: str, **options):
        try:
            if path == "-":
                summary = processes_import(lines=sys.stdin)
            else:
                with open(path, encoding="utf-8") as stream:
                    summary = processes_import(lines=stream)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8: {exc.reason}")
        except ProcessImportError as exc:
            raise CommandError(f"{describe(exc)}; nothing was imported")
        self.stdout.write(
            self.style.SUCCESS(
                f"imported {summary.processes} processes, {summary.requests} requests, {summary.data} data files"
            )
        )
