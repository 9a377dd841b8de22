"""Which rows a reading wants: the kinds, the kinds whose line is kept, the messages the
health summary reads, and the cutoff (`--now`)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from .bounds import Cutoff

if TYPE_CHECKING:
    from .tracker import Row

LOCATED_KINDS = frozenset(
    {
        "component_started",
        "processing_started",
        "processing_stopping",
        "certificate_wait",
        "status_message",
        "user_add_failed",
        "sync_started",
        "remove_totals",
        "users_removed",
        "add_totals",
        "certificate_failed",
        "no_intune_subscription",
    }
)
"""Kinds whose line number the tracker keeps (restarts, stops, certificate waits and their
causes in sibling logs that evidence the connector's state, a user's last failure, the cycle
and totals lines that evidence an unreconciled cycle or a stall, the removal lines where an
input holds no cycle's start). Only the notifications, of which there are many, are left."""


class RowSpec(NamedTuple):
    """Which rows a reading wants."""

    kinds: frozenset[str]
    """Kinds of the catalogue; `message` rows are those `messages` picks."""
    located: frozenset[str] = LOCATED_KINDS
    """Kinds whose rows carry their line number (the others have 0)."""
    messages: Callable[[str], bool] | None = None
    """Which messages of no known kind become `message` rows, with their text as the payload
    (the health summary's evidence of failing syncs); None: none."""
    cutoff: Cutoff | None = None
    after_start: frozenset[str] = frozenset()
    """Kinds whose rows are left out where they follow a cycle's start (`sync_started`) or each
    other among the rows of a chunk: the removal lines, which the tracker reads only where an
    excerpt leaves the cycle's start out (`CycleTotals.opens`), and which every cycle logs."""

    @property
    def wanted(self) -> frozenset[str]:
        """The kinds of the rows: `message` exactly when some messages are picked."""
        return self.kinds | {"message"} if self.messages is not None else self.kinds - {"message"}

    @property
    def openings(self) -> frozenset[str] | None:
        """The `after_start` kinds the rows hold, where they hold cycle starts too; else None."""
        kinds = self.wanted
        opening = self.after_start & kinds
        return opening if opening and "sync_started" in kinds else None


def after_start_left_out(rows: list[Row], openings: frozenset[str] | None) -> list[Row]:
    """`rows` without those of `openings` that follow a cycle's start or one of them (see
    `RowSpec.after_start`; the native scanner leaves them out as it reads)."""
    if openings is None:
        return rows
    return left_out_at(rows, openings_after_start(list(map(itemgetter(2), rows)), openings))


def openings_after_start(kinds: list[str], openings: frozenset[str]) -> list[int]:
    """The places in `kinds` (of rows in order) of the rows of `openings` that follow a cycle's
    start or one of them: looked for at the speed of C (`list.index`), as they are few."""
    found = []
    for kind in openings:
        at = -1
        while True:
            try:
                at = kinds.index(kind, at + 1)
            except ValueError:
                break
            if at and (kinds[at - 1] == "sync_started" or kinds[at - 1] in openings):
                found.append(at)
    return found


def left_out_at(items: list[Any], places: list[int]) -> list[Any]:
    """`items` without those at `places`."""
    if not places:
        return items
    keep = [True] * len(items)
    for place in places:
        keep[place] = False
    return list(compress(items, keep))


__all__ = [
    "LOCATED_KINDS",
    "RowSpec",
    "after_start_left_out",
    "left_out_at",
    "openings_after_start",
]
