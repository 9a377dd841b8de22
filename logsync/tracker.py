"""Per-user state machine (SPEC §4): who is stuck, since when, and when each will recover.

Pure: it is fed events in time order and asked for a result at `as_of`; it does no I/O, prints
nothing and never reads the clock. Memory grows with users (and daylight-saving changes), not
with the length of the log.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from math import ceil

from .events import STATMSG_STARTED, Event
from .times import instant_key, iso

USER_NOT_FOUND = "UserNotFound"
DEFAULT_INTERVAL = timedelta(minutes=5)
DEFAULT_FULL_SYNC_AFTER = timedelta(hours=24)
SAME_RESTART_WINDOW = timedelta(minutes=10)
"""smsexec.log and CloudUserSync.log report one restart within this window."""

TRACKED_KINDS = frozenset(
    {
        "component_started",
        "processing_started",
        "sync_started",
        "user_add_requested",
        "user_add_failed",
        "add_totals",
        "status_message",
    }
)
"""The event kinds the tracker reads; the rest it ignores."""
CONNECTOR = "SMS_CLOUD_USERSYNC"

STATES = ("waiting", "overdue", "failed", "pending", "recovered", "synced")
STUCK_STATES = frozenset({"waiting", "overdue"})


@dataclass(frozen=True)
class TrackerOptions:
    full_sync_after: timedelta = DEFAULT_FULL_SYNC_AFTER
    """The per-user timer that a UserNotFound failure (re)starts."""
    interval: timedelta | None = None
    """Connector cycle interval; None: the median gap between cycles of a run, else 5 min."""
    follow: str | None = None
    """A UPN whose history to keep for `timeline` (case-insensitive)."""


@dataclass(frozen=True)
class Restart:
    """SMS Executive (re)started the connector; the next cycle is a full sync."""

    time: datetime
    source: str
    line: int
    via: str
    """The event kind that showed it: `component_started` or `processing_started`."""
    thread_id: int | None = None


@dataclass(frozen=True)
class Step:
    """One entry of a user's timeline."""

    time: datetime
    what: str
    """`requested`, `failed`, `added`, `restart`, `full_sync_due`, `retry_cycle`, ..."""
    detail: str
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class UserState:
    """Where one user stands at `as_of` (field names follow the JSON contract)."""

    upn: str
    state: str
    reason: str | None
    first_failure: datetime | None
    last_failure: datetime | None
    failures: int
    full_sync_due: datetime | None
    expected_recovery: datetime | None
    expected_recovery_observed: bool
    """True when the recovery cycle is in the log, False when it is predicted."""
    recovery_by: str | None
    """`timer` (the 24 h full sync), `restart` (a full sync after a restart) or `what-if`."""
    recovered_at: datetime | None
    synced_at: datetime | None
    seconds_remaining: float | None
    requests: int
    first_seen: datetime
    last_seen: datetime
    time_saved_s: float | None = None
    """With `--restart-at`: how much sooner the what-if restart frees this user."""
    failure_source: str | None = None
    failure_line: int | None = None
    """Where the last failure is logged."""

    @property
    def stuck(self) -> bool:
        return self.state in STUCK_STATES


@dataclass
class Result:
    """Everything the tracker concluded."""

    as_of: datetime | None
    users: list[UserState]
    cycles: int
    full_syncs: int
    restarts: list[Restart]
    interval: timedelta
    interval_observed: bool
    last_cycle: datetime | None
    first_time: datetime | None
    last_time: datetime | None
    timeline: list[Step] = field(default_factory=list)


@dataclass
class _User:
    upn: str
    first_seen: datetime
    last_seen: datetime
    requests: int = 0
    failing: bool = False
    ever_failed: bool = False
    awaiting: bool = False
    failures: int = 0
    reason: str | None = None
    first_failure: datetime | None = None
    last_failure: datetime | None = None
    full_sync_due: datetime | None = None
    due_cycle: datetime | None = None
    restart_cycle: datetime | None = None
    recovered_at: datetime | None = None
    synced_at: datetime | None = None
    failure_source: str | None = None
    failure_line: int | None = None


class _Cycle:
    """One connector cycle; `requested` holds the users requested since the last totals line,
    with the time of their request."""

    __slots__ = ("failed", "full", "requested", "time")

    def __init__(self, time: datetime | None) -> None:
        self.time = time
        self.full = False
        self.requested: dict[str, tuple[_User, datetime]] = {}
        self.failed: set[str] = set()


class Tracker:
    """Feed events in time order with `feed`, then call `result(as_of)`."""

    def __init__(self, options: TrackerOptions | None = None) -> None:
        self.options = options or TrackerOptions()
        self._users: dict[str, _User] = {}
        self._cycle = _Cycle(None)
        self._cycles = 0
        self._full_syncs = 0
        self._restarts: list[Restart] = []
        self._restart_armed = False
        self._full_next = False
        self._run_last_cycle: datetime | None = None
        self._run_last_key = 0.0
        self._last_cycle: datetime | None = None
        self._gaps: Counter[int] = Counter()
        self._due_heap: list[tuple[float, int, str]] = []
        self._heap_seq = 0
        self._zones: list[tuple[float, tzinfo | None]] = []
        self._zone_keys: list[float] = []
        self._first_time: datetime | None = None
        self._last_time: datetime | None = None
        self._follow = self.options.follow.lower() if self.options.follow else None
        self._timeline: list[Step] = []
        self._handlers = {
            "component_started": self._on_component_started,
            "processing_started": self._on_processing_started,
            "sync_started": self._on_sync_started,
            "user_add_requested": self._on_requested,
            "user_add_failed": self._on_failed,
            "add_totals": self._on_add_totals,
            "status_message": self._on_status_message,
        }

    # -- feeding ----------------------------------------------------------------------------

    def feed(self, event: Event) -> None:
        handler = self._handlers.get(event.kind)
        if handler is None or event.time is None:
            return
        time = event.time
        if self._first_time is None:
            self._first_time = time
        self._last_time = time
        zone = time.tzinfo
        if not self._zones or self._zones[-1][1] is not zone:
            key = instant_key(time)
            self._zones.append((key, zone))
            self._zone_keys.append(key)
        handler(event, time)

    def _user(self, key: str, upn: str, time: datetime) -> _User:
        user = self._users.get(key)
        if user is None:
            user = self._users[key] = _User(upn, time, time)
        else:
            user.last_seen = time
        return user

    def _note(
        self, key: str | None, time: datetime, what: str, detail: str, event: Event | None
    ) -> None:
        if self._follow is not None and (key is None or key == self._follow):
            source, line = (event.source, event.line) if event is not None else ("", 0)
            self._timeline.append(Step(time, what, detail, source, line))

    def _on_status_message(self, event: Event, time: datetime) -> None:
        """smsexec.log's status message 500 for the connector is a start like the others."""
        data = event.data
        if data.id == STATMSG_STARTED and data.status_component == CONNECTOR:
            self._started(event, time, data.thread_id)

    def _on_component_started(self, event: Event, time: datetime) -> None:
        self._started(event, time, event.data.thread_id)

    def _started(self, event: Event, time: datetime, thread_id: int | None) -> None:
        """A start of the connector, unless another log already reported this one."""
        last = self._restarts[-1] if self._restarts else None
        if (
            last is not None
            and thread_id is not None
            and last.thread_id == thread_id
            and abs(instant_key(time) - instant_key(last.time))
            <= SAME_RESTART_WINDOW.total_seconds()
        ):
            return
        self._restart(Restart(time, event.source, event.line, event.kind, thread_id), event)

    def _on_processing_started(self, event: Event, time: datetime) -> None:
        if self._restart_armed:
            self._restart_armed = False
            return
        self._restart(Restart(time, event.source, event.line, event.kind), event)
        self._restart_armed = False

    def _restart(self, restart: Restart, event: Event) -> None:
        self._restarts.append(restart)
        self._restart_armed = True
        self._full_next = True
        self._cycle = _Cycle(None)
        self._run_last_cycle = None
        self._note(
            None, restart.time, "restart", f"SMS_CLOUD_USERSYNC started ({restart.via})", event
        )

    def _on_sync_started(self, event: Event, time: datetime) -> None:
        self._cycles += 1
        cycle = self._cycle = _Cycle(time)
        key_now = instant_key(time)
        if self._run_last_cycle is not None:
            gap = round(key_now - self._run_last_key)
            if gap > 0:
                self._gaps[gap] += 1
        self._run_last_cycle = self._last_cycle = time
        self._run_last_key = key_now
        if self._full_next or event.data.mode == "full":
            cycle.full = True
            self._full_syncs += 1
        if self._full_next:
            self._full_next = False
            for key, user in self._users.items():
                due = user.full_sync_due
                if (
                    user.failing
                    and due is not None
                    and user.restart_cycle is None
                    and (key_now < instant_key(due))
                ):
                    user.restart_cycle = time
                    self._note(key, time, "retry_cycle", "full sync after restart", event)
        heap = self._due_heap
        while heap and heap[0][0] <= key_now:
            due_key, _, key = heapq.heappop(heap)
            user = self._users[key]
            due = user.full_sync_due
            # a stale entry (the timer restarted since) no longer matches the user's due time
            if (
                user.failing
                and due is not None
                and user.due_cycle is None
                and (instant_key(due) == due_key)
            ):
                user.due_cycle = time
                self._note(key, time, "retry_cycle", "first cycle after full sync due", event)

    def _on_requested(self, event: Event, time: datetime) -> None:
        upn = event.data.upn
        key = upn.lower()
        user = self._user(key, upn, time)
        user.requests += 1
        user.awaiting = True
        self._cycle.requested[key] = (user, time)
        if self._follow is not None:
            self._note(key, time, "requested", f"NotifyAccountAddition {upn}", event)

    def _on_failed(self, event: Event, time: datetime) -> None:
        upn, reason = event.data
        key = upn.lower()
        user = self._user(key, upn, time)
        self._cycle.failed.add(key)
        if not user.failing:
            user.failing = True
            user.first_failure = time
            user.failures = 0
            user.recovered_at = None
        user.ever_failed = True
        user.awaiting = False
        user.failures += 1
        user.last_failure = time
        user.failure_source, user.failure_line = event.source, event.line
        user.reason = reason
        user.due_cycle = None
        user.restart_cycle = None
        if reason == USER_NOT_FOUND:
            due = time + self.options.full_sync_after
            user.full_sync_due = due
            self._heap_seq += 1
            heapq.heappush(self._due_heap, (instant_key(due), self._heap_seq, key))
            if self._follow is not None:
                self._note(
                    key,
                    time,
                    "failed",
                    f"reason {reason}; full sync due {iso(self.localize(due))}",
                    event,
                )
        else:
            user.full_sync_due = None
            self._note(key, time, "failed", f"reason {reason} (no automatic retry)", event)

    def _on_add_totals(self, event: Event, time: datetime) -> None:
        cycle = self._cycle
        if not cycle.requested:
            return
        confirmed = [
            (key, user, requested_at)
            for key, (user, requested_at) in cycle.requested.items()
            if key not in cycle.failed and user.awaiting
        ]
        if confirmed and event.data.added >= len(confirmed):
            # The add happened with the request; the totals line only confirms it.
            for key, user, requested_at in confirmed:
                user.awaiting = False
                user.synced_at = requested_at
                if user.failing:
                    user.failing = False
                    user.recovered_at = requested_at
                    self._note(key, time, "added", "added to the cloud: recovered", event)
                else:
                    self._note(key, time, "added", "added to the cloud", event)
        elif confirmed:
            for key, _, _ in confirmed:
                self._note(
                    key,
                    time,
                    "not_added",
                    f"cycle added {event.data.added} of {len(confirmed)} requested",
                    event,
                )
        cycle.requested = {}
        cycle.failed = set()

    # -- results ----------------------------------------------------------------------------

    def interval(self) -> tuple[timedelta, bool]:
        """(cycle interval, whether it was observed rather than given or defaulted)."""
        if self.options.interval is not None:
            return self.options.interval, False
        total = sum(self._gaps.values())
        if not total:
            return DEFAULT_INTERVAL, False
        middle = (total - 1) // 2
        seen = 0
        for gap in sorted(self._gaps):
            seen += self._gaps[gap]
            if seen > middle:
                return timedelta(seconds=gap), True
        raise AssertionError("unreachable: the gaps were counted")

    def localize(self, value: datetime) -> datetime:
        """Show a computed instant in the offset the log used then (SPEC §4 rule 8)."""
        if value.tzinfo is None or not self._zones:
            return value
        index = bisect_right(self._zone_keys, instant_key(value)) - 1
        zone = self._zones[max(index, 0)][1]
        return value.astimezone(zone) if zone is not None else value

    def _next_cycle_at_or_after(self, when: datetime, interval: timedelta) -> datetime:
        """The first cycle at or after `when` on the schedule of the last observed cycle."""
        last = self._run_last_cycle or self._last_cycle
        if last is None or (last.tzinfo is None) != (when.tzinfo is None):
            return when
        steps = ceil((instant_key(when) - instant_key(last)) / interval.total_seconds())
        return last + steps * interval

    def result(self, as_of: datetime | None = None, restart_at: datetime | None = None) -> Result:
        """Each user's state at `as_of`; `restart_at`: what if SMS Executive restarted then?"""
        as_of = as_of if as_of is not None else self._last_time
        interval, observed = self.interval()
        pending_restart = self._restarts[-1] if self._full_next and self._restarts else None
        users = [
            self._state(user, as_of, interval, pending_restart, restart_at)
            for user in self._users.values()
        ]
        rank = {state: index for index, state in enumerate(STATES)}
        users.sort(
            key=lambda u: (
                rank[u.state],
                instant_key(u.expected_recovery) if u.expected_recovery else 0.0,
                u.upn.lower(),
            )
        )
        timeline = list(self._timeline)
        if self._follow is not None:
            followed = next((u for u in users if u.upn.lower() == self._follow), None)
            if followed is not None:
                timeline += _outlook(followed)
            timeline.sort(key=lambda step: instant_key(step.time))
        return Result(
            as_of=as_of,
            users=users,
            cycles=self._cycles,
            full_syncs=self._full_syncs,
            restarts=list(self._restarts),
            interval=interval,
            interval_observed=observed,
            last_cycle=self._last_cycle,
            first_time=self._first_time,
            last_time=self._last_time,
            timeline=timeline,
        )

    def _state(
        self,
        user: _User,
        as_of: datetime | None,
        interval: timedelta,
        pending_restart: Restart | None,
        what_if: datetime | None,
    ) -> UserState:
        expected: datetime | None = None
        observed = False
        recovery_by: str | None = None
        saved: float | None = None
        remaining: float | None = None
        due = self.localize(user.full_sync_due) if user.full_sync_due is not None else None
        if user.failing and user.reason == USER_NOT_FOUND and due is not None:
            if user.restart_cycle is not None:
                expected, observed, recovery_by = user.restart_cycle, True, "restart"
            elif user.due_cycle is not None:
                expected, observed, recovery_by = user.due_cycle, True, "timer"
            else:
                expected, recovery_by = self._next_cycle_at_or_after(due, interval), "timer"
                if (
                    pending_restart is not None
                    and user.last_failure is not None
                    and instant_key(pending_restart.time) >= instant_key(user.last_failure)
                ):
                    soon = pending_restart.time + interval
                    if instant_key(soon) < instant_key(due):
                        expected, recovery_by = soon, "restart"
            expected = self.localize(expected)
            if (
                what_if is not None
                and user.last_failure is not None
                and not observed
                and instant_key(what_if) >= instant_key(user.last_failure)
            ):
                candidate = self.localize(self._next_cycle_at_or_after(what_if, interval))
                if instant_key(candidate) < instant_key(expected):
                    saved = instant_key(expected) - instant_key(candidate)
                    expected, recovery_by = candidate, "what-if"
            if as_of is not None:
                remaining = instant_key(expected) - instant_key(as_of)
                limit = remaining + 2 * interval.total_seconds()
                state = "waiting" if limit > 0 else "overdue"
            else:
                state = "waiting"
        elif user.failing:
            state = "failed"
        elif user.synced_at is not None:
            state = "recovered" if user.ever_failed else "synced"
        else:
            state = "pending"
        return UserState(
            upn=user.upn,
            state=state,
            reason=user.reason,
            first_failure=user.first_failure,
            last_failure=user.last_failure,
            failures=user.failures,
            full_sync_due=due,
            expected_recovery=expected,
            expected_recovery_observed=observed,
            recovery_by=recovery_by,
            recovered_at=user.recovered_at,
            synced_at=user.synced_at,
            seconds_remaining=remaining,
            requests=user.requests,
            first_seen=user.first_seen,
            last_seen=user.last_seen,
            failure_source=user.failure_source,
            failure_line=user.failure_line,
            time_saved_s=saved,
        )


def _outlook(user: UserState) -> list[Step]:
    """The computed steps of a user's timeline: when its timer runs out, when it should recover."""
    steps = []
    if user.full_sync_due is not None:
        steps.append(Step(user.full_sync_due, "full_sync_due", "24 h timer runs out"))
    if user.stuck and user.expected_recovery is not None:
        how = "observed cycle" if user.expected_recovery_observed else "predicted cycle"
        steps.append(
            Step(user.expected_recovery, "expected_recovery", f"{how} ({user.recovery_by})")
        )
    return steps
