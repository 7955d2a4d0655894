"""Set Django up for a benchmark on its own database (``bench`` on the embedded server by default)."""

from __future__ import annotations

import os


def setup(database: str = "bench") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    if not os.environ.get("DATABASE_URL"):
        os.environ["EMBEDDED_DATABASE_NAME"] = database
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    freeze_like_a_worker()


def freeze_like_a_worker() -> None:
    """What a gunicorn worker does before its first request (gunicorn.conf.py: URLconf imported,
    then ``gc.freeze()``), so that in-process timings see the same garbage collector: without
    it every other 2,001-action audit page paid a full collection of the startup objects."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
    gc.freeze()


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
