"""Python's cyclic garbage collector held off while a request builds a large acyclic body.

A year of statistics is ~20,000 rows turned into ~45,000 tuples, dicts and lists, all alive
until the answer is written. Each 700 allocations start a young-generation collection that
walks what is alive and promotes it, and the promoted structure soon triggers a full one: about
65 collections per answer, 25–40 ms of a ~30 ms answer on a 2-core machine
(``bench/accounts_statistics.py``). Those rows hold no reference cycles, so reference counting
frees them anyway; ``paused()`` disables the collector for the building and enables it again
after, and a later collection (the next request's) finds any cycle made meanwhile.

The switch is process-wide: in a threaded worker another thread's request runs without
collections for those milliseconds too, and one ``paused()`` ending while another runs
re-enables it early (only speed is at stake, never memory: a cycle waits for the next
collection). Where the collector is already off (a test, an operator's choice), it is left
off.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
