"""Per-user tracking (SPEC §4): who is stuck, since when, and when each will recover.

`rules` reads the rows (per-user records, cycles, restarts, users held back since before the
input); `outlook` draws the conclusions at `as_of` (states, expected recoveries, the connector);
`model` holds what they conclude and the constants of the rules.
"""

from .model import (
    AWAITING_TOTALS,
    CONNECTOR_CODES,
    DEFAULT_FULL_SYNC_AFTER,
    DEFAULT_INTERVAL,
    GAP_WINDOW,
    GRACE_INTERVALS,
    LATEST,
    MAX_KEPT,
    SAME_RESTART_WINDOW,
    STALL_INTERVALS,
    STATES,
    STUCK_STATES,
    TRACKED_KINDS,
    UNDETERMINED,
    USER_NOT_FOUND,
    Connector,
    CycleEvidence,
    Moment,
    Restart,
    Result,
    Row,
    Step,
    TrackerOptions,
    UserState,
    timer_label,
)
from .rules import Observer, Tracker, _key

__all__ = [
    "AWAITING_TOTALS",
    "CONNECTOR_CODES",
    "DEFAULT_FULL_SYNC_AFTER",
    "DEFAULT_INTERVAL",
    "GAP_WINDOW",
    "GRACE_INTERVALS",
    "LATEST",
    "MAX_KEPT",
    "SAME_RESTART_WINDOW",
    "STALL_INTERVALS",
    "STATES",
    "STUCK_STATES",
    "TRACKED_KINDS",
    "UNDETERMINED",
    "USER_NOT_FOUND",
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
    "_key",
    "timer_label",
]
