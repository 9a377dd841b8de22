"""Per-user state machine (SPEC §4): who is stuck, since when, and when each will recover.

Pure: it is fed events in time order and asked for a result at `as_of`; it does no I/O, prints
nothing and never reads the clock. Memory grows with users (and daylight-saving changes), not
with the length of the log.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any, cast

from .events import CONNECTOR, STATMSG_STARTED, Event
from .times import instant_key, iso, micros, moment_time

USER_NOT_FOUND = "UserNotFound"
DEFAULT_INTERVAL = timedelta(minutes=5)
DEFAULT_FULL_SYNC_AFTER = timedelta(hours=24)
SAME_RESTART_WINDOW = timedelta(minutes=10)
"""smsexec.log and CloudUserSync.log report one restart within this window."""
GRACE_INTERVALS = 2
"""A stuck user is `overdue` once its expected recovery is this many intervals past."""
STALL_INTERVALS = 3
"""The connector has stalled when no cycle came for more than this many intervals."""
GAP_WINDOW = 4095
"""The interval is the median of the latest this many gaps between cycles (memory stays flat)."""
MAX_KEPT = 20
"""Unreconciled cycles kept as evidence (all are counted)."""

TRACKED_KINDS = frozenset(
    {
        "component_started",
        "processing_started",
        "sync_started",
        "user_add_requested",
        "user_add_failed",
        "add_totals",
        "status_message",
        "certificate_wait",
    }
)
"""The event kinds the tracker reads; the rest it ignores."""

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


@dataclass(frozen=True, slots=True)
class Restart:
    """SMS Executive (re)started the connector; the next cycle is a full sync."""

    time: datetime
    source: str
    line: int
    via: str
    """The event kind that showed it: `component_started` or `processing_started`."""
    thread_id: int | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One entry of a user's timeline."""

    time: datetime
    what: str
    """`requested`, `failed`, `added`, `restart`, `full_sync_due`, `retry_cycle`, ..."""
    detail: str
    source: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class UserState:
    """Where one user stands at `as_of` (field names follow the JSON contract).

    Its times are kept as the tracker's moments and become datetimes when read: most users of a
    large log are never shown, so their datetimes are never made.
    """

    upn: str
    state: str
    reason: str | None
    failures: int
    expected_recovery_observed: bool
    """True when the recovery cycle is in the log, False when it is predicted."""
    recovery_by: str | None
    """`timer` (the 24 h full sync), `restart` (a full sync after a restart) or `what-if`."""
    seconds_remaining: float | None
    requests: int
    skipped: int
    """Cycles that notified the user after its due time without receiving it (`received = 0`):
    evidence that the retry did not happen."""
    time_saved_s: float | None
    """With `--restart-at`: how much sooner the what-if restart frees this user."""
    failure_source: str | None
    failure_line: int | None
    """Where the last failure is logged."""
    moments: tuple[Moment | None, ...]
    """first_failure, last_failure, full_sync_due, expected_recovery, recovered_at,
    synced_at, first_seen, last_seen."""

    @property
    def first_failure(self) -> datetime | None:
        return _time(self.moments[0])

    @property
    def last_failure(self) -> datetime | None:
        return _time(self.moments[1])

    @property
    def full_sync_due(self) -> datetime | None:
        return _time(self.moments[2])

    @property
    def expected_recovery(self) -> datetime | None:
        return _time(self.moments[3])

    @property
    def recovered_at(self) -> datetime | None:
        return _time(self.moments[4])

    @property
    def synced_at(self) -> datetime | None:
        return _time(self.moments[5])

    @property
    def first_seen(self) -> datetime:
        return moment_time(*self.moments[6])  # type: ignore[misc]

    @property
    def last_seen(self) -> datetime:
        return moment_time(*self.moments[7])  # type: ignore[misc]

    @property
    def stuck(self) -> bool:
        return self.state in STUCK_STATES


@dataclass(frozen=True, slots=True)
class CycleEvidence:
    """A cycle whose totals line does not reconcile with the users it notified."""

    time: datetime
    source: str
    line: int
    """The cycle's `Starting user ... sync` line (0 when the log starts inside the cycle)."""
    totals_line: int
    received: int
    added: int
    notified: int
    """Users notified in the cycle and not held back by their timer."""


@dataclass(frozen=True, slots=True)
class Connector:
    """The connector's own state at `as_of` (SPEC §5: part of every verdict)."""

    state: str
    """`running`, `stalled`, `waiting_for_certificate` or `no_cycles`."""
    code: str | None
    """The finding code of a problem (`connector_stalled`, `certificate_missing`,
    `no_cycles`), None when running."""
    since: datetime | None
    """Since when the state holds: the last cycle (or restart) for a stall, the first
    certificate wait since the last cycle, the start of the log for no cycles."""
    last_cycle: datetime | None
    last_restart: datetime | None
    source: str = ""
    line: int = 0
    """Evidence: where the state shows in the log."""

    @property
    def ok(self) -> bool:
        return self.code is None


CONNECTOR_CODES = ("no_cycles", "certificate_missing", "connector_stalled")
"""Finding codes of a connector problem, as `--fail-on` names them."""


@dataclass
class Result:
    """Everything the tracker concluded."""

    as_of: datetime | None
    users: list[UserState]
    """The users asked for (every one unless `result` was given states or a match)."""
    cycles: int
    full_syncs: int
    restarts: list[Restart]
    interval: timedelta
    interval_observed: bool
    last_cycle: datetime | None
    first_time: datetime | None
    last_time: datetime | None
    connector: Connector
    unreconciled: list[CycleEvidence] = field(default_factory=list)
    """The first `MAX_KEPT` cycles whose counts did not reconcile."""
    unreconciled_count: int = 0
    certificate_waits: int = 0
    timeline: list[Step] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    """How many users (of those matched) are in each state, every state listed."""


Moment = tuple[int, "tzinfo | None"]
"""An instant as (microseconds since the epoch, the zone the log used): cheap to make per event.
Naive times count as UTC, like `instant_key`."""

_MICROSECOND = timedelta(microseconds=1)


def _time(moment: Moment | None) -> datetime | None:
    return None if moment is None else moment_time(*moment)


class _Seen:
    """A user the log has notified, and maybe added, but never seen fail: the few fields every
    user has. Its first failure makes it a `_User` (most users of a large log never fail, so
    they cost a third of the memory)."""

    __slots__ = ("first_seen", "last_seen", "requests", "synced_at", "upn")

    # How a user that never failed reads; these cannot be set on a _Seen.
    skipped = 0
    failing = ever_failed = False
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

    def __init__(self, upn: str, seen: int) -> None:
        self.upn = upn
        self.first_seen = self.last_seen = seen
        """Microseconds, like `synced_at` and `recovered_at`: shown, like every computed
        instant, in the offset the log used then (a moment each would cost a tuple)."""
        self.requests = 0
        self.synced_at: int | None = None


class _User(_Seen):
    """A user that has failed at least once."""

    __slots__ = (
        "due_cycle",
        "ever_failed",
        "failing",
        "failure_line",
        "failure_restarts",
        "failure_source",
        "failures",
        "first_failure",
        "full_sync_due",
        "last_failure",
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
        self.failures = 0
        self.reason = None
        self.first_failure = None
        self.last_failure = None
        self.full_sync_due = None
        """Microseconds; shown in the log's offset of that instant (rule 8)."""
        self.failure_restarts = 0
        """How many restarts the log had shown at the last failure: a later one frees the user."""
        self.due_cycle = None
        self.restart_cycle = None
        self.recovered_at = None
        self.failure_source = None
        self.failure_line = None

    @classmethod
    def grown_from(cls, seen: _Seen) -> _User:
        user = cls(seen.upn, seen.first_seen)
        user.last_seen, user.requests = seen.last_seen, seen.requests
        user.synced_at = seen.synced_at
        return user


def _key(upn: str) -> str:
    """The user's key: its UPN in lower case (the same string when it already is)."""
    if upn.islower():  # (False for a UPN with no letters: then lower() is the UPN anyway)
        return upn
    key = upn.lower()
    return upn if key == upn else key


Row = tuple[int, "tzinfo | None", str, Any, str, int]
"""What the tracker reads of one event: (microseconds, zone, kind, payload, source, line)."""
Handler = Callable[[int, "tzinfo | None", Any, str, int], None]


class Tracker:
    """Feed events in time order with `feed` (or rows with `feed_rows`), then call `result`."""

    def __init__(self, options: TrackerOptions | None = None) -> None:
        self.options = options or TrackerOptions()
        self._after = self.options.full_sync_after // _MICROSECOND
        self._users: dict[str, _Seen] = {}
        # the cycle under way: users received (notified, not held back) since its start or
        # its last totals line, and which of them failed
        self._received: dict[str, tuple[_Seen, int]] = {}
        self._failed: set[str] = set()
        self._cycle_start: int | None = None
        self._cycle_where: tuple[str, int] = ("", 0)
        self._cycles = 0
        self._full_syncs = 0
        self._restarts: list[Restart] = []
        self._restart_armed = False
        self._full_next = False
        self._awaiting_first_cycle: int | None = None
        """The last restart's instant, until its first cycle comes."""
        self._restart_delays: deque[int] = deque(maxlen=GAP_WINDOW)
        self._run_last_cycle: Moment | None = None
        self._last_cycle: Moment | None = None
        self._last_totals: int | None = None
        """The last totals line: a cycle ran, even where its start is not logged (an excerpt)."""
        self._gaps: deque[int] = deque(maxlen=GAP_WINDOW)
        self._certificate_waits = 0
        self._certificate_wait: tuple[Moment, str, int] | None = None
        """The first certificate wait since the last cycle or restart, with its line."""
        self._unreconciled: list[CycleEvidence] = []
        self._unreconciled_count = 0
        self._due_heap: list[tuple[int, int, str]] = []
        self._heap_seq = 0
        self._zones: list[tuple[int, tzinfo | None]] = []
        self._zone_keys: list[int] = []
        self._zone: object = _NO_ZONE
        self._first: Moment | None = None
        self._last: Moment | None = None
        self._follow = self.options.follow.lower() if self.options.follow else None
        self._timeline: list[Step] = []
        self.last_held_back = False
        """Whether the latest notified user was held back by its timer (rule 2)."""
        self._handlers: dict[str, Handler] = {
            "component_started": self._on_component_started,
            "processing_started": self._on_processing_started,
            "sync_started": self._on_sync_started,
            "user_add_requested": self._on_requested,
            "user_add_failed": self._on_failed,
            "add_totals": self._on_add_totals,
            "status_message": self._on_status_message,
            "certificate_wait": self._on_certificate_wait,
        }
        """The handler of each tracked kind."""

    # -- feeding ----------------------------------------------------------------------------

    def feed(self, event: Event) -> None:
        handler = self._handlers.get(event.kind)
        if handler is None or event.time is None:
            return
        time = event.time
        us = micros(time)
        zone = time.tzinfo
        if zone is not self._zone:
            self._new_zone(us, zone)
        self._last = (us, zone)
        handler(us, zone, event.data, event.source, event.line)

    def feed_rows(self, rows: Iterable[Row]) -> None:
        """Feed events already reduced to rows, in time order (kinds it does not track are
        skipped)."""
        handlers = self._handlers
        current = self._zone
        last: int | None = None
        for us, zone, kind, data, source, line in rows:
            handler = handlers.get(kind)
            if handler is None:
                continue
            if zone is not current:  # also true for the very first row
                current = zone
                self._new_zone(us, zone)
            handler(us, zone, data, source, line)
            last = us
        if last is not None:
            self._last = (last, current)  # type: ignore[assignment]

    def _new_zone(self, us: int, zone: tzinfo | None) -> None:
        self._zone = zone
        self._zones.append((us, zone))
        self._zone_keys.append(us)
        if self._first is None:
            self._first = (us, zone)

    def _failing_user(self, upn: str, seen: int) -> tuple[str, _User]:
        """The user of a failure, made a `_User` if it was a `_Seen` (also where the cycle
        under way holds it)."""
        key = _key(upn)
        found = self._users.get(key)
        if type(found) is _User:
            found.last_seen = seen
            return key, found
        if found is None:
            user = _User(upn, seen)
        else:
            user = _User.grown_from(found)
            user.last_seen = seen
            if key in self._received:
                self._received[key] = (user, self._received[key][1])
        self._users[key] = user
        return key, user

    def _note(
        self, key: str | None, at: Moment, what: str, detail: str, source: str, line: int
    ) -> None:
        if self._follow is not None and (key is None or key == self._follow):
            self._timeline.append(Step(moment_time(*at), what, detail, source, line))

    def _on_status_message(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        """smsexec.log's status message 500 for the connector is a start like the others."""
        if data.id == STATMSG_STARTED and data.status_component == CONNECTOR:
            self._started(us, zone, "status_message", data.thread_id, source, line)

    def _on_component_started(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._started(us, zone, "component_started", data.thread_id, source, line)

    def _on_certificate_wait(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._certificate_waits += 1
        if self._certificate_wait is None:
            self._certificate_wait = ((us, zone), source, line)

    def _started(
        self,
        us: int,
        zone: tzinfo | None,
        via: str,
        thread_id: int | None,
        source: str,
        line: int,
    ) -> None:
        """A start of the connector, unless another log already reported this one."""
        last = self._restarts[-1] if self._restarts else None
        if (
            last is not None
            and thread_id is not None
            and last.thread_id == thread_id
            and abs(us - micros(last.time)) <= SAME_RESTART_WINDOW // _MICROSECOND
        ):
            return
        self._restart(Restart(moment_time(us, zone), source, line, via, thread_id), us)

    def _on_processing_started(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        if self._restart_armed:
            self._restart_armed = False
            return
        self._restart(Restart(moment_time(us, zone), source, line, "processing_started"), us)
        self._restart_armed = False

    def _restart(self, restart: Restart, us: int) -> None:
        self._restarts.append(restart)
        self._restart_armed = True
        self._full_next = True
        self._awaiting_first_cycle = us
        self._received = {}
        self._failed = set()
        self._cycle_start = None
        self._run_last_cycle = None
        self._certificate_wait = None
        self._note(
            None,
            (us, restart.time.tzinfo),
            "restart",
            f"SMS_CLOUD_USERSYNC started ({restart.via})",
            restart.source,
            restart.line,
        )

    def _on_sync_started(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._cycles += 1
        if self._received:
            self._received = {}
        if self._failed:
            self._failed = set()
        self._cycle_start = us
        self._cycle_where = (source, line)
        self._certificate_wait = None
        here = (us, zone)
        previous = self._run_last_cycle
        if previous is not None and us > previous[0]:
            self._gaps.append(us - previous[0])
        if self._awaiting_first_cycle is not None:
            self._restart_delays.append(us - self._awaiting_first_cycle)
            self._awaiting_first_cycle = None
        self._run_last_cycle = self._last_cycle = here
        full_next = self._full_next
        if full_next or data.mode == "full":
            self._full_syncs += 1
        if full_next:
            self._full_next = False
            # the users whose timer still runs are those with a current entry in the heap
            for due_us, _, key in self._due_heap:
                user = cast(_User, self._users[key])  # a user with a timer has failed
                if (
                    user.failing
                    and user.full_sync_due == due_us
                    and user.restart_cycle is None
                    and us < due_us
                ):
                    user.restart_cycle = here
                    self._note(key, here, "retry_cycle", "full sync after restart", source, line)
        heap = self._due_heap
        while heap and heap[0][0] <= us:
            due_us, _, key = heapq.heappop(heap)
            user = cast(_User, self._users[key])
            # a stale entry (the timer restarted since) no longer matches the user's due time
            if user.failing and user.due_cycle is None and user.full_sync_due == due_us:
                user.due_cycle = here
                self._note(
                    key, here, "retry_cycle", "first cycle after full sync due", source, line
                )

    def _held_back(self, user: _Seen, cycle_start: int) -> bool:
        """SPEC §4 rule 2: a user whose timer still runs is notified but not received."""
        due = user.full_sync_due
        return (
            user.failing
            and due is not None
            and due > cycle_start
            and user.failure_restarts == len(self._restarts)
        )

    def _on_requested(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        upn = data.upn
        key = _key(upn)
        user = self._users.get(key)
        if user is None:
            user = self._users[key] = _Seen(upn, us)
        else:
            user.last_seen = us
        user.requests += 1
        cycle_start = self._cycle_start if self._cycle_start is not None else us
        self.last_held_back = held = user.failing and self._held_back(user, cycle_start)
        if held:
            if self._follow is not None:
                due = iso(self._localize(user.full_sync_due))  # type: ignore[arg-type]
                detail = f"notified; timer runs until {due}"
                self._note(key, (us, zone), "held_back", detail, source, line)
            return
        self._received[key] = (user, us)
        if self._follow is not None:
            detail = f"NotifyAccountAddition {upn}"
            self._note(key, (us, zone), "requested", detail, source, line)

    def _on_failed(self, us: int, zone: tzinfo | None, data: Any, source: str, line: int) -> None:
        upn, reason = data
        here = (us, zone)
        key, user = self._failing_user(upn, us)
        self._failed.add(key)
        if not user.failing:
            user.failing = True
            user.first_failure = here
            user.failures = 0
            user.recovered_at = None
        user.ever_failed = True
        user.failures += 1
        user.last_failure = here
        user.failure_source, user.failure_line = source, line
        user.failure_restarts = len(self._restarts)
        user.reason = reason
        user.due_cycle = None
        user.restart_cycle = None
        if reason == USER_NOT_FOUND:
            due = us + self._after
            user.full_sync_due = due
            self._heap_seq += 1
            heapq.heappush(self._due_heap, (due, self._heap_seq, key))
            if self._follow is not None:
                shown = iso(self._localize(due))
                self._note(
                    key, here, "failed", f"reason {reason}; full sync due {shown}", source, line
                )
        else:
            user.full_sync_due = None
            self._note(key, here, "failed", f"reason {reason} (no automatic retry)", source, line)

    def _on_add_totals(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        received = self._received
        failed = self._failed
        here = (us, zone)
        self._last_totals = us
        if data.received == len(received):
            confirmed = (
                {key: value for key, value in received.items() if key not in failed}
                if failed
                else received
            )
            if data.added >= len(confirmed):
                # The add happened with the request; the totals line only confirms it.
                for key, (user, requested_at) in confirmed.items():
                    self._confirm(key, user, requested_at, here, source, line)
            else:
                self._unreconciled_cycle(here, source, line, data, len(received))
        elif data.received == 0 and data.added == 0:
            # nobody was received: users past their due time were skipped by the connector
            others = False
            for key, (user, _) in received.items():
                if user.failing and user.reason == USER_NOT_FOUND:
                    user = cast(_User, user)  # failing: a _User
                    user.skipped += 1
                    self._note(
                        key,
                        here,
                        "skipped",
                        "notified after full sync due, not received (received = 0)",
                        source,
                        line,
                    )
                else:
                    others = True
            if others:
                self._unreconciled_cycle(here, source, line, data, len(received))
        else:
            self._unreconciled_cycle(here, source, line, data, len(received))
        if received:
            self._received = {}
        if failed:
            self._failed = set()

    def _confirm(
        self, key: str, user: _Seen, requested_at: int, here: Moment, source: str, line: int
    ) -> None:
        user.synced_at = requested_at
        if user.failing:
            user = cast(_User, user)
            user.failing = False
            user.recovered_at = requested_at
            if self._follow is not None:
                self._note(key, here, "added", "added to the cloud: recovered", source, line)
        elif self._follow is not None:
            self._note(key, here, "added", "added to the cloud", source, line)

    def _unreconciled_cycle(
        self, here: Moment, source: str, line: int, data: Any, notified: int
    ) -> None:
        """Counts that do not add up confirm nobody; the cycle is kept as evidence: its start
        line, or the totals line when the log starts inside the cycle."""
        self._unreconciled_count += 1
        detail = (
            f"cycle counts do not reconcile: received {data.received}, added {data.added}, "
            f"{notified} notified and not held back"
        )
        for key in self._received:
            self._note(key, here, "not_confirmed", detail, source, line)
        if len(self._unreconciled) < MAX_KEPT:
            start = self._cycle_start
            started = start is not None
            self._unreconciled.append(
                CycleEvidence(
                    time=moment_time(here[0] if start is None else start, here[1]),
                    source=self._cycle_where[0] if started else source,
                    line=self._cycle_where[1] if started else line,
                    totals_line=line,
                    received=data.received,
                    added=data.added,
                    notified=notified,
                )
            )

    # -- results ----------------------------------------------------------------------------

    def interval(self) -> tuple[timedelta, bool]:
        """(cycle interval, whether it was observed rather than given or defaulted)."""
        if self.options.interval is not None:
            return self.options.interval, False
        if not self._gaps:
            return DEFAULT_INTERVAL, False
        return timedelta(microseconds=_lower_median(self._gaps)), True

    def _restart_delay(self, interval: int) -> int:
        """How soon a cycle follows a restart: as the log showed before, else one interval."""
        return _lower_median(self._restart_delays) if self._restart_delays else interval

    def _localize(self, us: int) -> datetime:
        """Show a computed instant in the offset the log used then (SPEC §4 rule 8)."""
        return moment_time(*self._moment(us))

    def _moment(self, us: int) -> Moment:
        """A computed instant with the zone the log used then."""
        if not self._zones:
            return (us, None)
        index = bisect_right(self._zone_keys, us) - 1
        return (us, self._zones[max(index, 0)][1])

    def _next_cycle_at_or_after(self, when: int, interval: int) -> int:
        """The first cycle at or after `when` on the schedule of the last observed cycle."""
        last = self._run_last_cycle or self._last_cycle
        if last is None:
            return when
        return last[0] + -(-(when - last[0]) // interval) * interval

    def connector(self, as_of: int | None, interval: int) -> Connector:
        """The connector's state at `as_of` (microseconds)."""
        last_cycle = _time(self._last_cycle)
        restart = self._restarts[-1] if self._restarts else None
        last_restart = restart.time if restart is not None else None
        waiting = self._certificate_wait
        if waiting is not None:
            at, source, line = waiting
            return Connector(
                "waiting_for_certificate",
                "certificate_missing",
                moment_time(*at),
                last_cycle,
                last_restart,
                source,
                line,
            )
        if self._last_cycle is None and self._last_totals is None:
            where = (restart.source, restart.line) if restart is not None else ("", 0)
            return Connector(
                "no_cycles", "no_cycles", _time(self._first), None, last_restart, *where
            )
        reference = max(
            self._last_cycle[0] if self._last_cycle is not None else self._last_totals or 0,
            self._last_totals or 0,
        )
        since: datetime | None = last_cycle or self._localize(reference)
        if self._awaiting_first_cycle is not None and restart is not None:
            reference, since = self._awaiting_first_cycle, last_restart
        if as_of is not None and as_of - reference > STALL_INTERVALS * interval:
            return Connector("stalled", "connector_stalled", since, last_cycle, last_restart)
        return Connector("running", None, None, last_cycle, last_restart)

    def result(
        self,
        as_of: datetime | None = None,
        restart_at: datetime | None = None,
        states: Collection[str] | None = None,
        match: Callable[[str], bool] | None = None,
    ) -> Result:
        """Each user's state at `as_of`; `restart_at`: what if SMS Executive restarted then?

        Only the users whose UPN is a `match` count, and only those in `states` are listed
        (the others are only counted): a report of the stuck few out of many users builds
        nothing for the rest.
        """
        as_of = as_of if as_of is not None else _time(self._last)
        interval, observed = self.interval()
        interval_us = interval // _MICROSECOND
        pending_restart = self._restarts[-1] if self._full_next and self._restarts else None
        as_of_us = None if as_of is None else micros(as_of)
        context = _Context(
            as_of=as_of_us,
            interval=interval_us,
            pending_restart=None if pending_restart is None else micros(pending_restart.time),
            restart_delay=self._restart_delay(interval_us),
            what_if=None if restart_at is None else micros(restart_at),
        )
        counts = dict.fromkeys(STATES, 0)
        users = []
        state_of = self._state
        for user in self._users.values():
            if match is not None and not match(user.upn):
                continue
            if states is None:
                found = state_of(user, context)
            else:
                quick = _settled_state(user)
                if quick is not None and quick not in states:
                    counts[quick] += 1
                    continue
                found = state_of(user, context)
                if found.state not in states:
                    counts[found.state] += 1
                    continue
            counts[found.state] += 1
            users.append(found)
        rank = {state: index for index, state in enumerate(STATES)}
        users.sort(
            key=lambda u: (
                rank[u.state],
                u.moments[3][0] if u.moments[3] is not None else 0,
                u.upn.lower(),
            )
        )
        timeline = list(self._timeline)
        if self._follow is not None:
            followed = next((u for u in users if u.upn.lower() == self._follow), None)
            if followed is not None:
                timeline += _outlook(followed, self.options.full_sync_after)
            timeline.sort(key=lambda step: instant_key(step.time))
            timeline = _fold_held_back(timeline)
        return Result(
            as_of=as_of,
            users=users,
            cycles=self._cycles,
            full_syncs=self._full_syncs,
            restarts=list(self._restarts),
            interval=interval,
            interval_observed=observed,
            last_cycle=_time(self._last_cycle),
            first_time=_time(self._first),
            last_time=_time(self._last),
            connector=self.connector(as_of_us, interval_us),
            unreconciled=list(self._unreconciled),
            unreconciled_count=self._unreconciled_count,
            certificate_waits=self._certificate_waits,
            timeline=timeline,
            counts=counts,
        )

    def _state(self, user: _Seen, context: _Context) -> UserState:
        expected: int | None = None
        observed = False
        recovery_by: str | None = None
        saved: float | None = None
        remaining: float | None = None
        due = user.full_sync_due
        interval = context.interval
        last_failure = user.last_failure[0] if user.last_failure is not None else None
        state = _settled_state(user)
        if state is None:  # failed with UserNotFound: its timer runs
            assert due is not None  # (what _settled_state checked)
            if user.restart_cycle is not None:
                expected, observed, recovery_by = user.restart_cycle[0], True, "restart"
            elif user.due_cycle is not None:
                expected, observed, recovery_by = user.due_cycle[0], True, "timer"
            else:
                expected, recovery_by = self._next_cycle_at_or_after(due, interval), "timer"
                restart = context.pending_restart
                if restart is not None and last_failure is not None and restart >= last_failure:
                    soon = restart + context.restart_delay
                    if soon < due:
                        expected, recovery_by = soon, "restart"
            overdue = (
                context.as_of is not None
                and context.as_of >= expected + GRACE_INTERVALS * interval
            )
            what_if = context.what_if
            if what_if is not None and last_failure is not None and what_if >= last_failure:
                # a restart's full sync retries every UserNotFound user, overdue ones too
                candidate = what_if + context.restart_delay
                if overdue or (not observed and candidate < expected):
                    saved = None if overdue else (expected - candidate) / 1_000_000
                    expected, recovery_by = candidate, "what-if"
            if context.as_of is not None:
                remaining = (expected - context.as_of) / 1_000_000
            state = "overdue" if overdue else "waiting"
        return UserState(
            upn=user.upn,
            state=state,
            reason=user.reason,
            failures=user.failures,
            expected_recovery_observed=observed and recovery_by != "what-if",
            recovery_by=recovery_by,
            seconds_remaining=remaining,
            requests=user.requests,
            skipped=user.skipped,
            time_saved_s=saved,
            failure_source=user.failure_source,
            failure_line=user.failure_line,
            moments=(
                user.first_failure,
                user.last_failure,
                None if due is None else self._moment(due),
                None if expected is None else self._moment(expected),
                None if user.recovered_at is None else self._moment(user.recovered_at),
                None if user.synced_at is None else self._moment(user.synced_at),
                self._moment(user.first_seen),
                self._moment(user.last_seen),
            ),
        )


def _settled_state(user: _Seen) -> str | None:
    """The state of a user that no timer holds (None for one waiting or overdue)."""
    if user.failing:
        if user.reason == USER_NOT_FOUND and user.full_sync_due is not None:
            return None
        return "failed"
    if user.synced_at is not None:
        return "recovered" if user.ever_failed else "synced"
    return "pending"


@dataclass(frozen=True)
class _Context:
    """What every user's state is judged against, in microseconds."""

    as_of: int | None
    interval: int
    pending_restart: int | None
    restart_delay: int
    what_if: int | None


_NO_ZONE = object()


def _lower_median(values: Iterable[int]) -> int:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def timer_label(length: timedelta) -> str:
    """The timer's length as people say it: `24 h`, `90 min`, `45 s`."""
    seconds = length.total_seconds()
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"


def _fold_held_back(steps: list[Step]) -> list[Step]:
    """A run of held-back notifications (one per cycle) as one step: the first, with the count
    and the last time."""
    folded: list[Step] = []
    run: list[Step] = []
    for step in [*steps, None]:
        if step is not None and step.what == "held_back":
            run.append(step)
            continue
        if len(run) == 1:
            folded.append(run[0])
        elif run:
            first, last = run[0], run[-1]
            detail = f"{first.detail}; held back in {len(run)} cycles, the last at {iso(last.time)}"
            folded.append(Step(first.time, "held_back", detail, first.source, first.line))
        run = []
        if step is not None:
            folded.append(step)
    return folded


def _outlook(user: UserState, timer: timedelta) -> list[Step]:
    """The computed steps of a user's timeline: when its timer runs out, when it should recover."""
    steps = []
    if user.full_sync_due is not None:
        detail = f"{timer_label(timer)} timer runs out"
        steps.append(Step(user.full_sync_due, "full_sync_due", detail))
    if user.stuck and user.expected_recovery is not None:
        how = "observed cycle" if user.expected_recovery_observed else "predicted cycle"
        steps.append(
            Step(user.expected_recovery, "expected_recovery", f"{how} ({user.recovery_by})")
        )
    return steps
