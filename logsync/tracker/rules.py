"""The rules that consume rows (SPEC §4 rules 1-3 and 2b): per-user records, cycles, restarts.

Pure: it is fed rows in time order and does no I/O, prints nothing and never reads the clock;
`outlook` draws the conclusions at `as_of`. Memory grows with users (and daylight-saving
changes), not with the length of the log.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Protocol, cast

from ..events import CONNECTOR, STATMSG_STARTED, STATMSG_STOPPING, Event
from ..sources import SITE_COMPONENT_LOG, base_name
from ..times import iso, micros, moment_time
from .model import (
    GAP_WINDOW,
    MAX_CAUSES,
    MAX_KEPT,
    SAME_RESTART_WINDOW,
    USER_NOT_FOUND,
    CycleEvidence,
    Moment,
    Restart,
    Result,
    Row,
    Step,
    TrackerOptions,
    ZoneTable,
)

if TYPE_CHECKING:
    from .model import Connector

_MICROSECOND = timedelta(microseconds=1)


class Observer(Protocol):
    """What a tracker tells an observer (the health summary): each batch of rows it reads,
    after reading it, with whether each notification (`user_add_requested` row) of the batch,
    in order, was held back."""

    def rows(self, rows: list[Row], held_back: list[bool]) -> None: ...


class _Seen:
    """A user the log has notified, and maybe added, but never seen fail: the few fields every
    user has. Its first failure (or being held back) makes it a `_User` (most users of a large
    log never fail, so they cost a third of the memory)."""

    __slots__ = ("cycle", "first_seen", "last_seen", "requests", "synced_at", "upn")

    # How a user that never failed reads; these cannot be set on a _Seen.
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

    def __init__(self, upn: str, seen: int) -> None:
        self.upn = upn
        self.first_seen = self.last_seen = seen
        """Microseconds, like `synced_at` and `recovered_at`: shown, like every computed
        instant, in the offset the log used then (a moment each would cost a tuple)."""
        self.requests = 0
        self.synced_at: int | None = None
        self.cycle = 0
        """The number of the cycle that last notified the user."""


class _User(_Seen):
    """A user that has failed at least once, or was held back since before the input."""

    __slots__ = (
        "before_input",
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
        self.before_input = False
        """The failing run began before the input (rule 2b): its first failure is unknown. A
        failing user with no reason is held back with no failure in the input at all."""
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

    @classmethod
    def grown_from(cls, seen: _Seen) -> _User:
        user = cls(seen.upn, seen.first_seen)
        user.last_seen, user.requests = seen.last_seen, seen.requests
        user.synced_at, user.cycle = seen.synced_at, seen.cycle
        return user


def _key(upn: str) -> str:
    """The user's key: its UPN in lower case (the same string when it already is)."""
    if upn.islower():  # (False for a UPN with no letters: then lower() is the UPN anyway)
        return upn
    key = upn.lower()
    return upn if key == upn else key


def _install_error(status: Any, source: str) -> bool:
    """Whether a status message is an error of the connector's installation: an error status
    message for the connector in sitecomp.log (Site Component Manager installs components)."""
    return (
        status.sev == "E"
        and status.status_component == CONNECTOR
        and base_name(source).lower() == SITE_COMPONENT_LOG
    )


def held_unknown(user: _Seen) -> bool:
    """Held back since before the input, by a timer whose failure is not in the log."""
    return user.failing and user.reason is None


Handler = Callable[[int, "tzinfo | None", Any, str, int], None]
Notified = tuple[_Seen, int, bool]
"""A user notified in the cycle under way and not held back by a known timer: (user, when,
whether it may be held back since before the input)."""


class Tracker:
    """Feed rows in time order with `feed_rows` (or events with `feed`), then call `result`."""

    def __init__(self, options: TrackerOptions | None = None) -> None:
        self.options = options or TrackerOptions()
        self._after = self.options.full_sync_after // _MICROSECOND
        self._users: dict[str, _Seen] = {}
        # the cycle under way: users notified and not held back by a known timer since its
        # start or its last totals line, and which of them failed
        self._received: dict[str, Notified] = {}
        self._failed: set[str] = set()
        self._cycle_start: int | None = None
        self._cycle_where: tuple[str, int] = ("", 0)
        self._cycle_no = 0
        """Numbers the cycles (and restarts): a user's `cycle` says when it was last notified."""
        self._previous_complete: int | None = None
        """The number of the run's last cycle whose start and totals are both in the input."""
        self._full_sync = False
        """The cycle under way is a restart's full sync: nobody is held back in it."""
        self._held: dict[str, _User] = {}
        """Users held back since before the input (rule 2b), until received, failed or a
        restart retries them."""
        self._undecided: dict[str, tuple[_Seen, int]] = {}
        """Users of the last cycle whose counts could not say who was received; the next
        complete cycle tells, by whom it notifies again."""
        self._undecided_at: tuple[int, Moment, str, int] | None = None
        """The undecided cycle's start, totals and the totals' line."""
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
        self._last_cycle_where: tuple[str, int] = ("", 0)
        self._last_totals: int | None = None
        """The last totals line: a cycle ran, even where its start is not logged (an excerpt)."""
        self._last_totals_where: tuple[str, int] = ("", 0)
        self._gaps: deque[int] = deque(maxlen=GAP_WINDOW)
        self._certificate_waits = 0
        self._certificate_wait: tuple[Moment, str, int] | None = None
        """The first certificate wait since the last cycle or restart, with its line."""
        self._stopped: tuple[Moment, str, int] | None = None
        """The connector's last word that it is stopping, until a start or a cycle."""
        self._causes: list[tuple[int, tzinfo | None, str, str, int, int]] = []
        """(instant, zone, kind, source, line, status ID) of the records of sibling logs that
        may say why the connector is in trouble, since its last cycle: whatever order they
        come in, a cycle leaves out those before it."""
        self._unreconciled: list[CycleEvidence] = []
        self._unreconciled_count = 0
        self._due_heap: list[tuple[int, str]] = []
        """(due time, user key) of every timer started (a restarted timer leaves a stale
        entry, which no longer matches the user's due time)."""
        self._zone_keys: list[int] = []
        self._zone_list: list[tzinfo | None] = []
        self.zone_table = ZoneTable(self._zone_keys, self._zone_list)
        """The zones the log used, from when (for showing computed instants)."""
        self._zone: object = _NO_ZONE
        self._first: Moment | None = None
        self._first_where: tuple[str, int] = ("", 0)
        self._start: int | None = None
        """The instant of the input's first record (`begin`), else of the first row."""
        self._bound_cycle: Moment | None = None
        """The first cycle at or after the latest due time of users held back since before
        the input (the input's first record + the timer)."""
        self._last: Moment | None = None
        """The latest row read (not the last: threads write a few milliseconds out of order)."""
        self._follow = self.options.follow.lower() if self.options.follow else None
        self._timeline: list[Step] = []
        self.first_tries: list[str] = []
        """Users that failed with UserNotFound on their first try (notified once, then failed):
        found by user discovery before DirSync had put them in Azure AD."""
        self.observer: Observer | None = None
        self._held_back: list[bool] | None = None
        """For the observer: whether each notification of the batch was (most likely) held
        back (rules 2 and 2b)."""
        self._handlers: dict[str, Handler] = {
            "component_started": self._on_component_started,
            "processing_started": self._on_processing_started,
            "processing_stopping": self._on_processing_stopping,
            "sync_started": self._on_sync_started,
            "user_add_requested": self._on_requested,
            "user_add_failed": self._on_failed,
            "add_totals": self._on_add_totals,
            "status_message": self._on_status_message,
            "certificate_wait": self._on_certificate_wait,
            "certificate_failed": self._on_certificate_failed,
            "no_intune_subscription": self._on_no_intune_subscription,
        }
        """The handler of each tracked kind."""

    # -- feeding ----------------------------------------------------------------------------

    def begin(self, first_record: datetime | None) -> None:
        """Where the input starts: the time of its first record of any kind (a user held back
        since before the input failed before it). Without it, the first row's time."""
        if first_record is not None and self._start is None:
            self._start = micros(first_record)

    def feed(self, event: Event) -> None:
        """Read one event (an adapter over `feed_rows`)."""
        if event.time is not None:
            time = event.time
            self.feed_rows(
                [(micros(time), time.tzinfo, event.kind, event.data, event.source, event.line)]
            )

    def feed_rows(self, rows: Iterable[Row]) -> None:
        """Read rows in time order (kinds it does not track are skipped)."""
        handlers = self._handlers
        current = self._zone
        observer = self.observer
        if observer is not None:
            if not isinstance(rows, list):
                rows = list(rows)
            self._held_back = []
        latest = self._last
        latest_us = -(1 << 62) if latest is None else latest[0]
        for us, zone, kind, data, source, line in rows:
            handler = handlers.get(kind)
            if handler is None:
                continue
            if zone is not current:  # also true for the very first row
                current = zone
                self._new_zone(us, zone, source, line)
            handler(us, zone, data, source, line)
            if us >= latest_us:  # threads write a few milliseconds out of order
                latest_us = us
                latest = (us, zone)
        self._last = latest
        if observer is not None:
            assert self._held_back is not None
            observer.rows(rows, self._held_back)  # type: ignore[arg-type]
            self._held_back = None

    def _new_zone(self, us: int, zone: tzinfo | None, source: str, line: int) -> None:
        self._zone = zone
        self._zone_list.append(zone)
        self._zone_keys.append(us)
        if self._first is None:
            self._first = (us, zone)
            if self._start is None:
                self._start = us
        if line and not self._first_where[0]:
            self._first_where = (source, line)

    def _grown(self, key: str, found: _Seen) -> _User:
        """A user's record made a `_User`, also where the cycle under way holds it."""
        if type(found) is _User:
            return found
        user = _User.grown_from(found)
        self._users[key] = user
        if key in self._received:
            _, when, uncertain = self._received[key]
            self._received[key] = (user, when, uncertain)
        if key in self._undecided:
            self._undecided[key] = (user, self._undecided[key][1])
        return user

    def _note(
        self, key: str | None, at: Moment, what: str, detail: str, source: str, line: int
    ) -> None:
        if self._follow is not None and (key is None or key == self._follow):
            self._timeline.append(Step(moment_time(*at), what, detail, source, line))

    # -- the connector ----------------------------------------------------------------------

    def _on_status_message(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        """smsexec.log's status messages 500 and 501 for the connector: a start, a stop."""
        if data.status_component != CONNECTOR:
            return
        if data.id == STATMSG_STARTED:
            self._started(us, zone, "status_message", data.thread_id, source, line)
        elif data.id == STATMSG_STOPPING:
            self._stopped = ((us, zone), source, line)
        elif _install_error(data, source):
            self._cause(us, zone, "install_errors", source, line, data.id)

    def _on_certificate_failed(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._cause(us, zone, "certificate_failed", source, line)

    def _on_no_intune_subscription(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._cause(us, zone, "no_intune_subscription", source, line)

    def _cause(
        self, us: int, zone: tzinfo | None, kind: str, source: str, line: int, status: int = 0
    ) -> None:
        last = self._last_cycle
        if len(self._causes) < MAX_CAUSES and (last is None or us > last[0]):
            self._causes.append((us, zone, kind, source, line, status))

    def note_causes(self, rows: Iterable[Row]) -> None:
        """Read rows of sibling logs read apart from the connector's log (`watch` reads them
        once, after the log): only the causes of connector problems count, whatever their order
        (those before the last cycle are over)."""
        handlers = {
            "certificate_failed": self._on_certificate_failed,
            "no_intune_subscription": self._on_no_intune_subscription,
        }
        for us, zone, kind, data, source, line in rows:
            handler = handlers.get(kind)
            if handler is not None:
                handler(us, zone, data, source, line)
            elif kind == "status_message" and _install_error(data, source):
                self._cause(us, zone, "install_errors", source, line, data.id)

    def _on_component_started(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._started(us, zone, "component_started", data.thread_id, source, line)

    def _on_processing_stopping(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._stopped = ((us, zone), source, line)

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
        self._undecided = {}
        self._cycle_start = None
        self._cycle_no += 1
        self._previous_complete = None
        self._run_last_cycle = None
        self._certificate_wait = None
        self._stopped = None
        self._note(
            None,
            (us, restart.time.tzinfo),
            "restart",
            f"SMS_CLOUD_USERSYNC started ({restart.via})",
            restart.source,
            restart.line,
        )

    # -- cycles -----------------------------------------------------------------------------

    def _on_sync_started(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._cycles += 1
        self._cycle_no += 1
        if self._received:
            self._received = {}
        if self._failed:
            self._failed = set()
        self._cycle_start = us
        self._cycle_where = (source, line)
        self._last_cycle_where = (source, line)
        self._certificate_wait = None
        self._stopped = None
        if self._causes:  # the connector cycles: what kept it from cycling is over
            self._causes = [cause for cause in self._causes if cause[0] > us]
        here = (us, zone)
        previous = self._run_last_cycle
        if previous is not None and us > previous[0]:
            self._gaps.append(us - previous[0])
        if self._awaiting_first_cycle is not None:
            self._restart_delays.append(us - self._awaiting_first_cycle)
            self._awaiting_first_cycle = None
        self._run_last_cycle = self._last_cycle = here
        full_next = self._full_sync = self._full_next
        if full_next or data.mode == "full":
            self._full_syncs += 1
        if full_next:
            self._full_next = False
            self._retry_at_restart(here, source, line)
        start = self._start
        if self._bound_cycle is None and start is not None and us >= start + self._after:
            self._bound_cycle = here
            for key in self._held:
                self._note(
                    key, here, "retry_cycle", "first cycle after the latest full sync due",
                    source, line,
                )
        heap = self._due_heap
        while heap and heap[0][0] <= us:
            due_us, key = heapq.heappop(heap)
            user = cast(_User, self._users[key])
            # a stale entry (the timer restarted since) no longer matches the user's due time
            if user.failing and user.due_cycle is None and user.full_sync_due == due_us:
                user.due_cycle = here
                self._note(
                    key, here, "retry_cycle", "first cycle after full sync due", source, line
                )

    def _retry_at_restart(self, here: Moment, source: str, line: int) -> None:
        """The first cycle after a restart is a full sync: it retries every user whose timer
        still runs, and every user held back since before the input (rule 3)."""
        us = here[0]
        # the users whose timer still runs are those with a current entry in the heap
        for due_us, key in self._due_heap:
            user = cast(_User, self._users[key])  # a user with a timer has failed
            if (
                user.failing
                and user.full_sync_due == due_us
                and user.restart_cycle is None
                and us < due_us
            ):
                user.restart_cycle = here
                self._note(key, here, "retry_cycle", "full sync after restart", source, line)
        for key, user in self._held.items():
            if user.restart_cycle is None:
                user.restart_cycle = here
                self._note(key, here, "retry_cycle", "full sync after restart", source, line)

    def _timer_runs(self, user: _Seen, cycle_start: int) -> bool:
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
        key = upn if upn.islower() else _key(upn)
        user = self._users.get(key)
        if user is None:
            user = self._users[key] = _Seen(upn, us)
        else:
            user.last_seen = us
        user.requests += 1
        cycle_start = self._cycle_start if self._cycle_start is not None else us
        if user.failing and self._timer_runs(user, cycle_start):
            user.cycle = self._cycle_no
            if self._held_back is not None:
                self._held_back.append(True)
            if key == self._follow:
                due = iso(self._localize(user.full_sync_due))  # type: ignore[arg-type]
                detail = f"notified; timer runs until {due}" if due else "notified; timer runs"
                self._note(key, (us, zone), "held_back", detail, source, line)
            return
        held = held_unknown(user) and user.failure_restarts == len(self._restarts)
        uncertain = not self._full_sync and (
            held
            or (
                not user.ever_failed
                and user.synced_at is None
                and (self._previous_complete is None or user.cycle == self._previous_complete)
            )
        )
        user.cycle = self._cycle_no
        self._received[key] = (user, us, uncertain)
        if self._held_back is not None:
            self._held_back.append(held)
        if key == self._follow:
            if held:
                detail = "notified; held back since before the log: failure not in the input"
                self._note(key, (us, zone), "held_back", detail, source, line)
            else:
                detail = f"NotifyAccountAddition {upn}"
                self._note(key, (us, zone), "requested", detail, source, line)

    def _on_failed(self, us: int, zone: tzinfo | None, data: Any, source: str, line: int) -> None:
        upn, reason = data
        here = (us, zone)
        key = _key(upn)
        found = self._users.get(key)
        if found is None:
            user = _User(upn, us)
            self._users[key] = user
        else:
            user = self._grown(key, found)
            user.last_seen = us
        self._failed.add(key)
        self._held.pop(key, None)
        if not user.failing:
            user.failing = True
            user.before_input = False
            user.first_failure = here
            user.failures = 0
            user.recovered_at = None
        if reason == USER_NOT_FOUND and user.requests == 1 and not user.ever_failed:
            self.first_tries.append(user.upn)  # notified once, in this cycle: its first try
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
            heapq.heappush(self._due_heap, (due, key))
            if key == self._follow:
                shown = iso(self._localize(due))  # None: the input has no times
                detail = f"reason {reason}; full sync due {shown}" if shown else f"reason {reason}"
                self._note(key, here, "failed", detail, source, line)
        else:
            user.full_sync_due = None
            if key == self._follow:
                detail = f"reason {reason} (no automatic retry)"
                self._note(key, here, "failed", detail, source, line)

    # -- a cycle's totals: who was received, added, held back --------------------------------

    def _on_add_totals(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        here = (us, zone)
        complete = self._cycle_start is not None
        first_partial = not complete and self._last_totals is None and not self._restarts
        self._last_totals = us
        self._last_totals_where = (source, line)
        if complete:
            # a user held back is notified in every cycle: who is not, was received before
            if self._undecided:
                self._decide_by_presence(here, source, line)
            if self._held:
                self._released_by_absence(here, source, line)
        received = self._received
        failed = self._failed
        if not received and not failed:  # most cycles: nobody to add
            if data.received:
                self._unreconciled_cycle(here, source, line, data, 0)
            if complete:
                self._previous_complete = self._cycle_no
            return
        candidates = (
            {key: value for key, value in received.items() if key not in failed}
            if failed
            else received
        )
        uncertain = sum(1 for _, _, maybe in candidates.values() if maybe)
        taken = data.received - (len(received) - len(candidates))  # not failed, received
        if data.received == len(received) and not (first_partial and candidates):
            if data.added >= len(candidates):
                # The add happened with the request; the totals line only confirms it.
                for key, (user, requested_at, _) in candidates.items():
                    self._confirm(key, user, requested_at, here, source, line)
            else:
                self._unreconciled_cycle(here, source, line, data, len(received))
        elif data.received == len(received):
            # the log starts inside this cycle: the users it shows may not be those received
            self._undecide(candidates, here, source, line)
        elif uncertain and 0 < taken == len(candidates) - uncertain:
            # everyone received but the users that may be held back since before the input
            if data.added >= taken:
                for key, (user, requested_at, maybe) in candidates.items():
                    if maybe:
                        self._hold(key, user, here, source, line)
                    else:
                        self._confirm(key, user, requested_at, here, source, line)
            else:
                self._unreconciled_cycle(here, source, line, data, len(received))
        elif data.added == 0 and (data.received == 0 or taken == 0):
            # nobody was received beyond the failed users (with received = 0, not even those):
            # the others are held back, or were skipped by the connector past their due time
            pool = received if data.received == 0 else candidates
            others = False
            start = us if self._cycle_start is None else self._cycle_start
            for key, (user, _, _) in pool.items():
                others |= not self._not_received(key, user, start, here, source, line)
            if others:
                self._unreconciled_cycle(here, source, line, data, len(received))
        elif uncertain and 0 < taken < len(candidates) and data.added <= taken:
            # some users that may be held back were received: the next cycle will tell which
            self._undecide(candidates, here, source, line)
        else:
            self._unreconciled_cycle(here, source, line, data, len(received))
        if complete:
            self._previous_complete = self._cycle_no
        if received:
            self._received = {}
        if failed:
            self._failed = set()

    def _not_received(
        self, key: str, user: _Seen, cycle_start: int, here: Moment, source: str, line: int
    ) -> bool:
        """A user notified and not received in the cycle that started at `cycle_start`
        (counts that leave no room for it): held back, or skipped past its due time; False
        when neither can be (it was added before, or failed for another reason)."""
        if user.failing and user.reason == USER_NOT_FOUND:
            self._skipped(key, cast(_User, user), here, source, line)
            return True
        if held_unknown(user):
            # past the latest due time, or after a restart's full sync: the retry did not come
            bound = self._bound_cycle
            if (bound is not None and cycle_start >= bound[0]) or user.failure_restarts != len(
                self._restarts
            ):
                self._skipped(key, cast(_User, user), here, source, line)
            return True
        if not user.ever_failed and user.synced_at is None:
            self._hold(key, user, here, source, line)
            return True
        return False

    def _skipped(self, key: str, user: _User, here: Moment, source: str, line: int) -> None:
        user.skipped += 1
        self._note(
            key,
            here,
            "skipped",
            "notified after full sync due, not received (received = 0)",
            source,
            line,
        )

    def _hold(self, key: str, user: _Seen, here: Moment, source: str, line: int) -> None:
        """Rule 2b: a user with no failure in the input, notified and not received, is held
        back since before the input (a known one stays so)."""
        if held_unknown(user):
            return
        grown = self._grown(key, user)
        grown.failing = grown.ever_failed = grown.before_input = True
        grown.reason = None
        grown.full_sync_due = None
        grown.recovered_at = None
        grown.failure_restarts = len(self._restarts)
        grown.restart_cycle = None
        self._held[key] = grown
        self._note(
            key,
            here,
            "held_back",
            "not received: held back since before the log (its failure is not in the input)",
            source,
            line,
        )

    def _undecide(
        self, candidates: dict[str, Notified], here: Moment, source: str, line: int
    ) -> None:
        """Counts that cannot say who of these users was received: the next complete cycle
        tells (a user held back is notified again; one received and added is not)."""
        self._undecided = {key: (user, when) for key, (user, when, _) in candidates.items()}
        start = self._cycle_start if self._cycle_start is not None else here[0]
        self._undecided_at = (start, here, source, line)
        detail = "the cycle's counts cannot say whether it was received or held back"
        for key in self._undecided:
            self._note(key, here, "undecided", detail, source, line)

    def _decide_by_presence(self, here: Moment, source: str, line: int) -> None:
        """Decide the last undecided cycle: a user notified again in this complete cycle was
        held back then; one that is not was received then and added (no failure line named
        it)."""
        assert self._undecided_at is not None
        start, then, then_source, then_line = self._undecided_at
        for key, (user, requested_at) in list(self._undecided.items()):
            if key in self._failed:
                continue  # its failure in this cycle speaks for it
            if user.cycle == self._cycle_no:
                self._not_received(key, user, start, then, then_source, then_line)
            else:
                self._confirm(key, user, requested_at, here, source, line)
        self._undecided = {}
        self._undecided_at = None

    def _released_by_absence(self, here: Moment, source: str, line: int) -> None:
        """A user held back since before the input that this complete cycle does not notify
        was received in the cycle before, and added there."""
        restarts = len(self._restarts)
        for key, user in list(self._held.items()):
            if user.cycle != self._cycle_no and user.failure_restarts == restarts:
                self._confirm(key, user, user.last_seen, here, source, line)

    def _confirm(
        self, key: str, user: _Seen, requested_at: int, here: Moment, source: str, line: int
    ) -> None:
        user.synced_at = requested_at
        if user.failing:
            user = cast(_User, user)
            user.failing = False
            user.recovered_at = requested_at
            self._held.pop(key, None)
            if key == self._follow:
                self._note(key, here, "added", "added to the cloud: recovered", source, line)
        elif key == self._follow:
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

    # -- conclusions (see outlook) ------------------------------------------------------------

    def last_zone(self) -> tzinfo | bool | None:
        """The zone of the latest row read (False before any)."""
        return False if self._last is None else self._last[1]

    def latest_time(self) -> datetime | None:
        """The time of the latest row read (None before any)."""
        return None if self._last is None else moment_time(*self._last)

    def upns(self) -> list[str]:
        """Every user read so far, as first spelled."""
        return [user.upn for user in self._users.values()]

    def added_domains(self) -> set[str]:
        """The UPN suffixes (case-folded) of the users the connector added, at once or after
        failing (`synced_at` is set either way): suffixes Azure AD holds."""
        return {
            user.upn.rpartition("@")[2].casefold()
            for user in self._users.values()
            if user.synced_at is not None
        }

    def _localize(self, us: int) -> datetime:
        from .outlook import localize

        return localize(self, us)

    def interval(self) -> tuple[timedelta, bool]:
        """(cycle interval, whether it was observed rather than given or defaulted)."""
        from .outlook import interval

        return interval(self)

    def connector(self, as_of: int | None, interval: int) -> Connector:
        """The connector's state at `as_of` (microseconds)."""
        from .outlook import connector

        return connector(self, as_of, interval)

    def result(
        self,
        as_of: datetime | None = None,
        restart_at: datetime | None = None,
        states: Collection[str] | None = None,
        match: Callable[[str], bool] | None = None,
        restart_helps: Callable[[str], bool] | None = None,
    ) -> Result:
        """Each user's state at `as_of`; `restart_at`: what if SMS Executive restarted then?
        See `outlook.conclude`."""
        from .outlook import conclude

        return conclude(self, as_of, restart_at, states, match, restart_helps)


_NO_ZONE = object()
