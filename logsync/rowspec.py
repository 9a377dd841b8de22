"""Which rows a reading wants: the kinds, the kinds whose line is kept, the messages the
health summary reads, and the cutoff (`--now`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .bounds import Cutoff

LOCATED_KINDS = frozenset(
    {
        "component_started",
        "processing_started",
        "processing_stopping",
        "certificate_wait",
        "status_message",
        "user_add_failed",
        "sync_started",
        "add_totals",
        "certificate_failed",
        "no_intune_subscription",
    }
)
"""Kinds whose line number the tracker keeps (restarts, stops, certificate waits and their
causes in sibling logs that evidence the connector's state, a user's last failure, the cycle
and totals lines that evidence an unreconciled cycle or a stall)."""


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

    @property
    def wanted(self) -> frozenset[str]:
        """The kinds of the rows: `message` exactly when some messages are picked."""
        return self.kinds | {"message"} if self.messages is not None else self.kinds - {"message"}


__all__ = ["LOCATED_KINDS", "RowSpec"]
