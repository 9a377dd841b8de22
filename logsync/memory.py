"""The cyclic garbage collector, kept out of the way while many objects that make no cycles are
made: the rows and users of a large log, the states of its users. Each collection walks every
object kept so far, so on a log of many users it costs more than the work it interrupts."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fewer_collections() -> Iterator[None]:
    """No collection while rows are fed: they make no cycles (reference counting frees them),
    and each collection walked all users kept so far. At the end, what was kept moves to the
    oldest generation (`gc.freeze` then `gc.unfreeze`, which walk nothing): the collections of
    the young generations after it do not walk it either, and a full one still can (a log of
    182,000 users: 10 % faster than with the threshold of young collections raised). Objects
    a caller froze (a server before it forks) stay frozen: the move is then left out."""
    enabled = gc.isenabled()
    own_freeze = gc.get_freeze_count() == 0  # (else the caller froze objects: they stay so)
    gc.disable()
    try:
        yield
    finally:
        if own_freeze:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


@contextmanager
def no_collections() -> Iterator[None]:
    """No collection while users' states are concluded: that makes no cycles, and its objects
    are freed by reference counting as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
