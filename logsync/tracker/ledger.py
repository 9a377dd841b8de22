"""What the reconciliation of a cycle's totals (`totals`) reads of the tracker's cycle under way
(`Ledger`), and how it records a decision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .model import Moment, Restart
from .users import Seen, User

if TYPE_CHECKING:
    from .connector import ConnectorLog
    from .timers import Timers

Notified = tuple[Seen, int, bool]
"""A user notified in the cycle under way and not held back by a known timer: (user, when,
whether it may be held back since before the input)."""


class Ledger(Protocol):
    """What the reconciliation reads of the cycle under way, and how it records a decision."""

    received: dict[str, Notified]
    """The users notified since the cycle's start (or its last totals line), by key."""
    failed: dict[str, int]
    """Which of them failed: the failure lines of each."""
    notified: int
    """The notification lines since then, of users held back too."""
    held: dict[str, User]
    """Users held back since before the input (rule 2b), until received, failed or a restart
    retries them."""
    cycle_no: int
    cycle_start: int | None
    cycle_where: tuple[str, int]
    restarts: list[Restart]
    bound_cycle: Moment | None
    follow: str | None
    log: ConnectorLog
    timers: Timers

    @property
    def no_times(self) -> bool: ...

    def grown(self, key: str, found: Seen) -> User: ...

    def note(
        self, key: str | None, at: Moment, what: str, detail: str, source: str, line: int
    ) -> None: ...
