"""An expected recovery that is a latest bound (`tracker.LATEST`), as every format shows it:
`by …`, and why the input gives no nearer time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..tracker import LATEST, UserState


def named_bound(user: UserState) -> bool:
    """Whether a user's expected recovery is a latest bound with a time to name (with no times,
    there is none)."""
    return user.bound == LATEST and user.expected_recovery is not None


def bound_reason(user: UserState) -> str:
    """Why a user's expected recovery is a latest bound (`named_bound`): its timer started
    before the input, or where its due time falls on the connector's schedule is unknown (no
    cycle's start in the input: `grep` of the user's lines)."""
    if user.full_sync_due is None:
        return "the failure is before the log"
    return "no cycle's start in the input"


def bounded(user: UserState, shown: str) -> str:
    """A shown expected recovery, as `by …` when it is a latest bound (`named_bound`)."""
    return f"by {shown}" if named_bound(user) else shown


def due_shown(user: UserState, shown: Callable[[datetime | None], str]) -> str:
    """A user's full sync due as a table shows it: `by …` where only its latest is known (its
    timer started before the input), as `timeline`, `check` and JSON's `full_sync_due_by`."""
    if user.full_sync_due is None and user.full_sync_due_by is not None:
        return f"by {shown(user.full_sync_due_by)}"
    return shown(user.full_sync_due)
