"""Pausing the cyclic garbage collector around bulk allocation.

Loading a pack, building its study graph and reading the cache allocate
millions of small objects and free almost none; every collection pass the
allocator triggers walks the whole heap for nothing, which doubles or triples
the time (measured in kg.bench).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block, restoring its previous state after.

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
