"""Run callables at the same moment in threads, for the ``test_concurrency.py`` files (issue 8, item 3).

Each callable runs in its own thread (so its own DB connection, closed at the end) after a
barrier, and its return value or exception is collected: a thread cannot fail the test itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_parallel(calls: list[Callable[[], Any]], *, timeout: float = 60) -> list[Any]:
    """Start every call together; return their results in order. Re-raises the first exception."""
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(calls))

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except BaseException as exc:  # reported by the caller's thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    if errors:
        raise errors[0]
    return results


def statuses(responses) -> list[int]:
    return [response.status_code for response in responses]
