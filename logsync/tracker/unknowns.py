"""What an input that leaves lines out (a search, an excerpt, a log cut where a failure or a
retry would be) can and cannot say of a user (SPEC §4 rules 2b and 5): the `pending` reasons
where the outcome is not in the input.

Functions of a tracker that has read the rows (`Tracked`); nothing here changes it.
"""

from __future__ import annotations

from typing import Protocol

from .connector import ConnectorLog
from .history import History
from .ledger import Notified
from .model import (
    AWAITING_TOTALS,
    RETRY_UNSEEN,
    STALL_INTERVALS,
    UNDETERMINED,
    Moment,
    TrackerOptions,
    ZoneTable,
)
from .totals import CycleTotals
from .users import Seen, Users, held_unknown, off_the_schedule


class Tracked(Protocol):
    """What the conclusions read of a tracker that has read rows."""

    options: TrackerOptions
    after: int
    users: Users
    received: dict[str, Notified]
    log: ConnectorLog
    totals: CycleTotals
    zone_table: ZoneTable
    start: int | None
    cycle_no: int
    bound_cycle: Moment | None
    latest: Moment | None

    @property
    def no_times(self) -> bool: ...
    follow: str | None
    history: History


def overdue_or_unseen(
    tracker: Tracked,
    expected: int,
    due: int | None,
    every: int,
    latest: int | None = None,
    named: int | None = None,
) -> tuple[str, str | None]:
    """A user past its `due` time, no retry logged since `expected` (the first cycle after it
    that the input shows; where the input shows no cycle's start, the due time itself, and
    `latest` one interval after it: see `outlook._next_cycle`): overdue, unless the input has
    no cycle line, leaves lines out after `expected` (`grep -C`), or after its due time where a
    cycle of the schedule (`every`) may lie between them, left out, or was not heard then
    (`ConnectorLog.unheard`), or a cycle since received more users than it names (`findstr`):
    the retry may be there unseen. So it may where its failure is in the input, it was last
    named (`named`) before its own due time, and the cycles shown leave a cycle of the
    schedule out between that time and `expected`, in a silence too short to be a stall (a
    longer one is the connector down, or `unheard`), `expected` keeping the schedule of its
    last cycle (a whole number of intervals after it: a cycle cut out of a log keeps it, a
    connector late moves it): a retried user is named, and one added there is named in no
    later cycle, as an overdue one is not either."""
    room = tracker.totals.room_at
    hidden = due is not None and expected - every > due + every // 4  # (a cycle's time between)
    since = due if hidden and due is not None else expected
    unseen = not tracker.log.cycles_logged() or left_out_after(tracker, since)
    if hidden and named is not None and named < due:  # type: ignore[operator]
        kept = not off_the_schedule(expected - named, every)
        unseen |= kept and expected - due <= STALL_INTERVALS * every  # type: ignore[operator]
    unseen |= retry_in_silence(tracker, due, expected if latest is None else latest)
    if unseen or (room is not None and room >= expected):
        return "pending", RETRY_UNSEEN
    return "overdue", None


def retry_in_silence(tracker: Tracked, due: int | None, retry_by: int, room: int = 0) -> bool:
    """Whether a user's `due` time lies in a silence of the connector that ends by `retry_by`
    (the cycle expected to retry it, or the latest), `room` before its end at least (a cycle's
    interval: one of the schedule would lie between): its retry may be in the silence, unseen
    (`ConnectorLog.unheard`)."""
    unheard = tracker.log.unheard
    return unheard is not None and due is not None and due + room < unheard[1] <= retry_by


def held_since_within(tracker: Tracked, user: Seen) -> bool:
    """Whether a user held back by a failure the input does not show (a search that kept no
    failure line) was first notified after a whole cycle of the input: held back since then,
    not since before the input (a user held back is notified in every cycle)."""
    first = tracker.totals.first_complete
    return first is not None and user.first_seen > first


def why_pending(tracker: Tracked, key: str, user: Seen) -> str | None:
    """Why a user requested with no outcome is `pending`: its cycle's counts cannot say whether
    it was held back, or it was named in a cycle whose totals the input does not hold: awaiting
    them, unless it may be held back since before the input (no whole cycle nor restart of the
    input came before it: a user held back is named in every cycle, see `Notified`)."""
    if key in tracker.totals.undecided:
        return UNDETERMINED
    named = tracker.received.get(key)
    if named is None:
        return None
    return UNDETERMINED if named[2] else AWAITING_TOTALS


def left_out_before(tracker: Tracked, us: int) -> bool:
    """Whether the input leaves lines out somewhere before `us` (see `CycleTotals.gaps`), or
    may where the connector was not heard (`ConnectorLog.unheard`)."""
    gaps, unheard = tracker.totals.gaps, tracker.log.unheard
    if unheard is not None and unheard[0] < us:
        return True
    return gaps is not None and gaps[0] is not None and gaps[0] < us


def left_out_after(tracker: Tracked, us: int) -> bool:
    """Whether the input leaves lines out somewhere after `us`, or may (as above), or `us` is
    past the end of a rotated log that no input goes on from (`CycleTotals.unfollowed`)."""
    gaps, unheard = tracker.totals.gaps, tracker.log.unheard
    if unheard is not None and unheard[1] > us:
        return True
    unfollowed = tracker.totals.unfollowed
    if unfollowed is not None and us >= unfollowed:
        return True
    return gaps is not None and (gaps[1] is None or gaps[1] > us)


def passed_over_unseen(tracker: Tracked, user: Seen) -> bool:
    """Whether a user held back since before the input, whose timer may so run out in any
    cycle, was not named in a cycle of the input that ended (the next began) after its last
    notification, nor retried by a restart: a user held back is named in every cycle, and one
    retried is named too, so the input leaves out that cycle's line about it, which may be
    its retry (a complete cycle that does not name it decides, and sets its `due_cycle` where
    it passed the user over: see `CycleTotals._released_by_absence`)."""
    return (
        held_unknown(user)
        and user.due_cycle is None
        and user.restart_cycle is None
        and user.cycle < tracker.cycle_no - 1
    )
