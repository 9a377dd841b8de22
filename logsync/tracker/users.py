"""The users' records (SPEC §4): what the log showed of each user, and the state it settles in.

A `Seen` is a user the log notified but never saw fail; its first failure (or being held back
since before the input) makes it a `User`. The rules in `rules` and `totals` write them;
`outlook` reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import cast

from ..times import MICROSECOND
from .model import USER_NOT_FOUND, Moment

OFF_SCHEDULE_US = 10_000_000
"""How far from a whole number of intervals after its last notification a held-back user may be
notified again and still be on the cycles' schedule (a cycle lasts a few seconds; its users are
named in the same order every time)."""


class Seen:
    """A user the log has notified, and maybe added, but never seen fail: the few fields every
    user has. Its first failure (or being held back) makes it a `User` (most users of a large
    log never fail, so they cost a third of the memory)."""

    __slots__ = ("cycle", "first_seen", "last_seen", "requests", "synced_at", "upn")

    # How a user that never failed reads; these cannot be set on a Seen.
    skipped = 0
    failing = ever_failed = before_input = False
    failures = 0
    reason: str | None = None
    first_failure: Moment | None = None
    last_failure: Moment | None = None
    full_sync_due: int | None = None
    failure_restarts = 0
    due_cycle: Moment | None = None
    restart_cycle: Moment | None = None
    recovered_at: int | None = None
    failure_source: str | None = None
    failure_line: int | None = None
    held_in = 0

    def __init__(self, upn: str, seen: int) -> None:
        self.upn = upn
        self.first_seen = self.last_seen = seen
        """Microseconds, like `synced_at` and `recovered_at`: shown, like every computed
        instant, in the offset the log used then (a moment each would cost a tuple)."""
        self.requests = 0
        self.synced_at: int | None = None
        self.cycle = 0
        """The number of the cycle that last notified the user."""


class User(Seen):
    """A user that has failed at least once, or was held back since before the input."""

    __slots__ = (
        "before_input",
        "due_cycle",
        "ever_failed",
        "failed_by",
        "failing",
        "failure_line",
        "failure_restarts",
        "failure_source",
        "failures",
        "first_failure",
        "full_sync_due",
        "held_in",
        "last_failure",
        "maybe_retried",
        "reason",
        "recovered_at",
        "restart_cycle",
        "skipped",
    )

    def __init__(self, upn: str, seen: int) -> None:
        super().__init__(upn, seen)
        self.skipped = 0
        """Cycles that notified the user after its due time but did not receive it."""
        self.failing = self.ever_failed = False
        self.before_input = False
        """The failing run began before the input (rule 2b): its first failure is unknown. A
        failing user with no reason is held back with no failure in the input at all."""
        self.failed_by: int | None = None
        """Of a user held back by a failure the input does not show, where that failure may lie
        in the input (first notified after its first whole cycle, or in a cycle whose counts
        show a failed add no line names): the totals line of the cycle that held it, which the
        failure came before (None: before the input's first record). Its expected retry is
        bound by it until a cycle at the input's own bound passes it over (`skipped`): then,
        as if held back since before the input, it is overdue once that is past (the gate
        fails where one of the users may be)."""
        self.failures = 0
        self.reason = None
        self.first_failure = None
        self.last_failure = None
        self.full_sync_due = None
        """Microseconds; shown in the log's offset of that instant (rule 8)."""
        self.failure_restarts = 0
        """How many restarts the log had shown at the last failure (or when the user was first
        seen held back): a later one frees the user."""
        self.due_cycle = None
        self.restart_cycle = None
        self.recovered_at = None
        self.failure_source = None
        self.failure_line = None
        self.held_in = 0
        """The number of the last cycle whose counts left no room for the user (held back
        there, or skipped): not added in it, whether notified again or not."""
        self.maybe_retried: int | None = None
        """The totals line of a cycle that named the user while its timer ran and received
        more users than the input names outside running timers, or the notification of a cycle
        off the schedule (`off_schedule`): a full sync (a restart the input does not show) may
        have retried it there, unless it is named again, or fails, after."""

    def off_schedule(
        self, before: int, us: int, interval: timedelta, cycle_off: bool = False
    ) -> str | None:
        """Named at `us` while its timer holds it back, in a cycle whose start the input leaves
        out (a search of its lines), or that follows one whose totals it leaves out (lines are
        left out before its start), after a notification at `before` that also came after its
        last failure: more than `OFF_SCHEDULE_US` from a whole number of `interval`s later (the
        cycles between may be left out: `grep -C`), that cycle is off the schedule of the
        cycles before it, as the first cycle after a restart is (SMS
        Executive restarted in the lines left out): a full sync may have retried it there
        (`maybe_retried`). So may a cycle whose removal lines begin it off the schedule of the
        cycle before it (`cycle_off`, see `Openings.begins`), after its failure's cycle too. Its
        timeline's words for that, or None."""
        failed = self.last_failure
        off = cycle_off or off_the_schedule(us - before, interval // MICROSECOND)
        if not off or failed is None or (before <= failed[0] and not cycle_off):
            return None
        self.maybe_retried = us
        return (
            "notified off the cycles' schedule, whose start lines the input leaves out: SMS "
            "Executive may have restarted there, and this cycle be a full sync that retried it"
        )

    @classmethod
    def grown_from(cls, seen: Seen) -> User:
        user = cls(seen.upn, seen.first_seen)
        user.last_seen, user.requests = seen.last_seen, seen.requests
        user.synced_at, user.cycle = seen.synced_at, seen.cycle
        return user


class Users(dict[str, Seen]):
    """Every user read, by key (`user_key`)."""

    def upns(self) -> list[str]:
        """Every user read so far, as first spelled."""
        return [user.upn for user in self.values()]

    def added_domains(self) -> set[str]:
        """The UPN suffixes (case-folded) of the users the connector added, at once or after
        failing (`synced_at` is set either way): suffixes Azure AD holds."""
        suffixes = {  # (as written: case-folded once each, as each character folds alone)
            user.upn.rpartition("@")[2] for user in self.values() if user.synced_at is not None
        }
        return {suffix.casefold() for suffix in suffixes}


def off_the_schedule(gap: int, every: int) -> bool:
    """Whether a time `gap` microseconds after another is more than `OFF_SCHEDULE_US` from a
    whole number (one at least) of intervals (`every`) after it."""
    return abs(gap - max(1, round(gap / every)) * every) > OFF_SCHEDULE_US


def user_key(upn: str) -> str:
    """The user's key: its UPN in lower case (the same string when it already is)."""
    if upn.islower():  # (False for a UPN with no letters: then lower() is the UPN anyway)
        return upn
    key = upn.lower()
    return upn if key == upn else key


def timer_runs(user: Seen, cycle_start: int, restarts: int, no_times: bool) -> bool:
    """SPEC §4 rule 2: a failed user whose timer still runs at the cycle that started at
    `cycle_start`, with no restart since its failure (`restarts`: how many the log has shown),
    is notified but not received. In an input with no times (`no_times`) whether a timer still
    runs is unknown: never taken to."""
    due = user.full_sync_due
    return (
        due is not None
        and due > cycle_start
        and user.failure_restarts == restarts
        and not no_times
    )


def held_unknown(user: Seen) -> bool:
    """Held back since before the input, by a timer whose failure is not in the log, or has no
    time (see `failed_before`)."""
    return user.failing and user.full_sync_due is None and user.reason in _TIMED_BY_UNKNOWN


_TIMED_BY_UNKNOWN = (None, USER_NOT_FOUND)
"""The reasons of a failing user with no due time whose timer runs: none (held back, its
failure not in the input) or UserNotFound (its failure has no time: `failed_before`)."""


def failed_before(
    users: Iterable[tuple[str, Seen]], held: dict[str, User], restarts: int
) -> None:
    """Times begin after lines with none (an excerpt that begins under a date line it leaves
    out): those came earlier, by how much is unknown. A user they leave failing with
    UserNotFound (or held back) is held back since before the input (rule 2b, `held`): its
    timer ran from a time unknown, so it runs out by the input's first time plus the timer,
    and only a restart from then on (the log has shown `restarts` before) retries it."""
    for key, user in users:
        if user.failing and user.reason in _TIMED_BY_UNKNOWN:
            user = cast(User, user)
            user.before_input = True
            user.first_failure = user.full_sync_due = None
            user.due_cycle = user.restart_cycle = None
            user.failure_restarts = restarts
            held[key] = user


def settled_state(user: Seen) -> str | None:
    """The state of a user that no timer holds (None for one waiting or overdue)."""
    if user.failing:
        if user.reason in _TIMED_BY_UNKNOWN:  # a timer runs (since before the input: rule 2b)
            return None
        return "failed"
    if user.synced_at is not None:
        return "recovered" if user.ever_failed else "synced"
    return "pending"
