#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A configuration mistake (a missing secret, a wrong DATABASE_URL): one line, no traceback.
        if "--traceback" in sys.argv:
            raise
        sys.exit(f"error: {exc}")
    except KeyboardInterrupt:
        # Ctrl-C before gunicorn runs (migrate, seeding): the next start carries on from there.
        sys.exit("interrupted")


if __name__ == "__main__":
    main()
