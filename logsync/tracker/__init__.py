"""Per-user tracking (SPEC §4): who is stuck, since when, and when each will recover.

`rules` reads the rows into the tracker's parts: the users (`users`), their full sync timers
(`timers`), the connector's log (`connector`: restarts, cycles, interval, state) and the
reconciliation of cycle totals (`totals`); `outlook` draws the conclusions at `as_of` (states,
expected recoveries); `model` holds what they conclude and the constants of the rules.
"""

from typing import TYPE_CHECKING, Any

from .model import (
    AWAITING_TOTALS,
    CONNECTOR_CODES,
    CYCLE_OPENINGS,
    DEFAULT_FULL_SYNC_AFTER,
    DEFAULT_INTERVAL,
    FINDING_STATES,
    GAP_WINDOW,
    GRACE_INTERVALS,
    LATEST,
    MAX_CAUSES,
    MAX_KEPT,
    RETRY_UNSEEN,
    SAME_RESTART_WINDOW,
    SHARED_NAME,
    STALL_INTERVALS,
    STATES,
    STUCK_STATES,
    TRACKED_KINDS,
    UNDETERMINED,
    USER_NOT_FOUND,
    Cause,
    Connector,
    CycleEvidence,
    Moment,
    Restart,
    Result,
    Row,
    Step,
    TrackerOptions,
    UserState,
    ZoneTable,
    cause_text,
    timer_label,
    unnamed_words,
)
from .users import user_key as _key

if TYPE_CHECKING:
    from .model import Observer
    from .rules import Tracker


def __getattr__(name: str) -> Any:
    """The tracker itself, imported when first used: its results and constants are enough
    for the command line to start."""
    if name == "Observer":
        from .model import Observer

        return Observer
    if name == "Tracker":
        from .rules import Tracker

        return Tracker
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "AWAITING_TOTALS",
    "CONNECTOR_CODES",
    "CYCLE_OPENINGS",
    "DEFAULT_FULL_SYNC_AFTER",
    "DEFAULT_INTERVAL",
    "FINDING_STATES",
    "GAP_WINDOW",
    "GRACE_INTERVALS",
    "LATEST",
    "MAX_CAUSES",
    "MAX_KEPT",
    "RETRY_UNSEEN",
    "SAME_RESTART_WINDOW",
    "SHARED_NAME",
    "STALL_INTERVALS",
    "STATES",
    "STUCK_STATES",
    "TRACKED_KINDS",
    "UNDETERMINED",
    "USER_NOT_FOUND",
    "Cause",
    "Connector",
    "CycleEvidence",
    "Moment",
    "Observer",
    "Restart",
    "Result",
    "Row",
    "Step",
    "Tracker",
    "TrackerOptions",
    "UserState",
    "ZoneTable",
    "_key",
    "cause_text",
    "timer_label",
    "unnamed_words",
]
