"""The rules that consume rows (SPEC §4 rules 1-3 and 2b): per-user records, cycles, restarts.

Pure: fed rows in time order, it does no I/O and never reads the clock. The `Tracker` keeps the
users and the cycle under way, its parts the rest; memory grows with users, not with the log."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta, tzinfo
from itertools import chain
from sys import intern
from typing import Any

from ..events import Event
from ..memory import no_collections
from ..times import MICROSECOND, NO_TIMES, micros, moment_time
from .connector import HEARD_CYCLE_US, ConnectorLog
from .history import History
from .ledger import Notified
from .model import (
    TIME_MARK,
    USER_NOT_FOUND,
    Connector,
    Handler,
    Moment,
    Observer,
    Restart,
    Result,
    Row,
    StartReader,
    TrackerOptions,
    ZoneTable,
)
from .outlook import conclude, recovered
from .timers import OPENED_US, Timers
from .totals import CycleTotals
from .users import Seen, User, Users, failed_before, held_unknown, timer_runs, user_key


class Tracker:
    """Feed rows in time order with `feed_rows` (or events with `feed`), then call `result`."""

    def __init__(self, options: TrackerOptions | None = None) -> None:
        self.options = options or TrackerOptions()
        self.after = self.options.full_sync_after // MICROSECOND  # (the timer, in microseconds)
        self.users = Users()
        """Every user read, by key (`user_key`)."""
        # the cycle under way: users notified and not held back by a known timer since its
        # start or its last totals line, which of them failed, and how many lines notified
        self.received: dict[str, Notified] = {}
        self.failed: dict[str, int] = {}
        self.notified = 0
        self.cycle_start: int | None = None
        self.cycle_where: tuple[str, int] = ("", 0)
        self.cycle_no = 0  # (and restarts): a user's `cycle` says when it was last notified
        self._limits = _NO_CYCLE
        """What `feed_rows` checks of a timer at a notification (`timer_runs`): the cycle's start,
        the restarts, the cycle; `_NO_CYCLE` where its start, or the last totals line, is unread."""
        self._previous_complete: int | None = None
        """The number of the run's last cycle whose start and totals are both in the input."""
        self._full_sync = False
        """The cycle under way is a restart's full sync: nobody is held back in it."""
        self.held: dict[str, User] = {}
        """Users held back since before the input (rule 2b), until received, failed or retried."""
        self.timers = Timers(self.users)
        self._zone_keys: list[int] = []
        self._zone_list: list[tzinfo | None] = []
        self.zone_table = ZoneTable(self._zone_keys, self._zone_list)
        """The zones the log used, from when (for showing computed instants)."""
        self.log = ConnectorLog(self.zone_table)
        """The connector's restarts, cycles and state."""
        self.log.given_interval = self.options.interval
        self.restarts: list[Restart] = self.log.restarts
        self.totals = CycleTotals(self)  # (the reconciliation of the cycles' totals)
        self._zone: object = _NO_ZONE
        self._siblings: frozenset[str] = frozenset()  # (see `begin`)
        self.start: int | None = None
        """The instant of the input's first record (`begin`), else of the first row."""
        self.bound_cycle: Moment | None = None
        """The first cycle at or after the input's first record + the timer (rule 2b's bound)."""
        self.latest: Moment | None = None
        """The latest row read (not the last: threads write a few milliseconds out of order)."""
        follow = self.options.follow.lower() if self.options.follow else None
        self.history = History(follow, self.options.follow_part, self.zone_table)
        self.follow = self.history.key
        """The key of the user whose timeline is kept (`history.key`, read for every row)."""
        self.note = self.history.note
        """Note a step of the followed user's timeline, or of the connector's (`History`)."""
        self.first_tries: list[str] = []
        """Users that failed with UserNotFound on their first try: discovered before DirSync ran."""
        self.observer: Observer | None = None
        self._held_back: list[bool] | None = None
        """For the observer: whether each notification of the batch was held back (2, 2b)."""
        log = self.log
        self._handlers: dict[str, Handler] = {
            "component_started": self._starts(log.component_started),
            "processing_started": self._starts(log.processing_started),
            "processing_stopping": log.processing_stopping, "users_removed": self._on_removal,
            "sync_started": self._on_sync_started,
            "user_add_requested": self._on_requested,
            "user_add_failed": self._on_failed,
            "add_totals": self._on_add_totals, "remove_totals": self._on_removal,
            "status_message": self._starts(log.status_message),
            "certificate_wait": log.certificate_wait, "certificate_failed": log.certificate_failed,
            "no_intune_subscription": log.no_intune_subscription,
        }  # (the handler of each tracked kind)

    # -- feeding ----------------------------------------------------------------------------

    def begin(self, first_record: datetime | None, siblings: Collection[str] = ()) -> None:
        """Where the input starts: its first record's time (else the first row's); `siblings`
        (sibling logs) tell causes, not where the log begins nor its offsets."""
        if first_record is not None and self.start is None:
            self.start = micros(first_record)
        self._siblings = frozenset(siblings)

    def feed(self, event: Event) -> None:  # (an adapter over `feed_rows`)
        if (time := event.time) is not None:
            row = (micros(time), time.tzinfo, event.kind, event.data, event.source, event.line)
            self.feed_rows([row])

    def feed_rows(self, rows: Iterable[Row]) -> None:
        """Read rows in time order (kinds it does not track are skipped). A sibling log's rows
        come no later than the connector's (`analysis._within_log`)."""
        handlers = self._handlers
        current = self._zone
        observer = self.observer
        if observer is not None and not isinstance(rows, list):
            rows = list(rows)
        held_back = self._held_back = None if observer is None else []
        latest = self.latest
        latest_us, latest_zone = (_LONG_AGO, None) if latest is None else latest
        timed, on_requested, requested = self.timers.held.get, self._on_requested, _REQUESTED
        limit, restarts, cycle_no = self._limits
        notified = 0
        for us, zone, kind, data, source, line in rows:
            if kind == requested and zone is current:
                user = timed(data[0])
                if (
                    user is not None
                    and user.failing
                    and user.failure_restarts == restarts
                    and (due := user.full_sync_due) is not None
                    and due > limit
                    and user.cycle != cycle_no  # (named once a cycle: see `Openings.named_twice`)
                ):  # rule 2 held the user back in an earlier cycle, and holds it in this one
                    notified += 1
                    if held_back is not None:
                        held_back.append(True)
                    user.last_seen = us
                    user.requests += 1
                    user.cycle = cycle_no
                else:
                    on_requested(us, zone, data, source, line)
                    limit, restarts, cycle_no = self._limits  # (a cycle its start left out)
            else:
                handler = handlers.get(kind)
                if handler is None:
                    continue
                if zone is not current and source not in self._siblings:  # (also the first)
                    current = zone
                    self._new_zone(us, zone, source, line)
                if notified:
                    self.notified += notified
                    notified = 0
                handler(us, zone, data, source, line)
                limit, restarts, cycle_no = self._limits
            if us >= latest_us:  # threads write a few milliseconds out of order
                latest_us, latest_zone = us, zone
        self.notified += notified
        if latest_us != _LONG_AGO:
            self.latest = (latest_us, latest_zone)
        if observer is not None:
            observer.rows(rows, held_back)  # type: ignore[arg-type]
            self._held_back = None

    def _new_zone(self, us: int, zone: tzinfo | None, source: str, line: int) -> None:
        if self._zone is NO_TIMES and zone is not NO_TIMES:  # times begin after lines with none
            self.start, self.bound_cycle = us, None
            failed_before(self.users.items(), self.held, len(self.restarts))
            self.log.times_begin(us, zone, source, line)
        self._zone = zone
        self.timers.held.clear()  # (no times: no timer runs, see `timer_runs`)
        self._zone_list.append(zone)
        self._zone_keys.append(us)
        if self.start is None:
            self.start = us
        self.log.began(us, zone, source, line)

    def grown(self, key: str, found: Seen) -> User:
        """A user's record made a `User`, also where the cycle under way holds it."""
        if type(found) is User:
            return found
        user = User.grown_from(found)
        self.users[key] = user
        if key in self.received:
            _, when, uncertain = self.received[key]
            self.received[key] = (user, when, uncertain)
        self.totals.regrown(key, user)
        return user

    # -- the connector's starts ---------------------------------------------------------------

    def _starts(self, read: StartReader) -> Handler:
        """The handler of a kind of row that may tell of a start of the connector."""

        def handler(us: int, zone: tzinfo | None, data: Any, source: str, line: int) -> None:
            restart = read(us, zone, data, source, line)
            if restart is not None:
                self._restarted(restart, us)

        return handler

    def _restarted(self, restart: Restart, us: int) -> None:
        """A restart ends the cycle under way: its next cycle is a full sync."""
        self.received, self.failed, self.notified = {}, {}, 0
        self.cycle_start = None
        self.cycle_no = self.totals.openings.numbered(None)
        self._limits = _NO_CYCLE
        self._previous_complete = None
        detail = f"SMS_CLOUD_USERSYNC started ({restart.via})"
        self.note(None, (us, restart.time.tzinfo), "restart", detail, restart.source, restart.line)

    # -- cycles -----------------------------------------------------------------------------

    def _on_sync_started(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        here, heard = (us, zone), self.totals.openings.starts(us)  # (the last one whole?)
        self._cycle_begins(self.cycle_start, here, source, line)
        self.cycle_start = us
        self._limits = (us, len(self.restarts), self.cycle_no) if heard else _NO_CYCLE
        self.cycle_where = (source, line)
        full_next = self._full_sync = self.log.cycle_started(here, data.mode, source, line)
        if full_next:
            self._retry_at_restart(here, source, line)
        start = self.start
        if self.bound_cycle is None and start is not None and us >= start + self.after:
            self.bound_cycle = here
            why = "first cycle after the latest full sync due"
            for key in self.held:
                self.note(key, here, "retry_cycle", why, source, line)
        for key in self.timers.due_in(here, us - self.log.unit):  # (a due time's second: before?)
            self.note(key, here, "retry_cycle", _RETRY_CYCLE, source, line)

    def _on_removal(self, us: int, zone: tzinfo | None, _: Any, source: str, line: int) -> None:
        """The removal lines, which open every cycle after its start: see `CycleTotals.opens`."""
        if self.totals.openings.opens(self.notified, us):
            self._cycle_begins(self.cycle_start, (us, zone), source, line)
            self.cycle_start, self._limits = None, _NO_CYCLE
            self.totals.openings.begins(us, self.interval()[0] // MICROSECOND)
            for key in self.timers.due_in((us, zone), us - OPENED_US):  # (its retry, by here)
                self.note(key, (us, zone), "retry_cycle", _RETRY_CYCLE, source, line)

    def _cycle_begins(self, start: int | None, here: Moment, source: str, line: int) -> None:
        """A cycle begins `here` (at its start, or see `Openings.named_again`)."""
        openings = self.totals.openings
        self.cycle_no = openings.numbered(here[0])
        openings.closed = False  # (no totals line has ended it yet)
        if self.notified or start is not None:  # (most cycles: the last had its totals)
            self.totals.unread(start, self.notified, here, source, line)
        self.notified = 0
        if self.received or self.failed:
            self.received, self.failed = {}, {}

    def _retry_at_restart(self, here: Moment, source: str, line: int) -> None:
        """The first cycle after a restart is a full sync: it retries every user whose timer
        still runs, and every user held back since before the input (rule 3)."""
        for key, user in chain(self.timers.running(here[0]), self.held.items()):
            if user.restart_cycle is None:
                user.restart_cycle = here
                self.note(key, here, "retry_cycle", "full sync after restart", source, line)

    def _on_add_totals(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        start = self.cycle_start  # (a cycle heard through: see `ConnectorLog.heard_through`)
        complete = start is not None and self.log.heard_through(start, us)
        first_partial = not complete and self.log.last_totals is None and not self.restarts
        self.log.totals(us, source, line)
        self.totals.read((us, zone), data, source, line, complete, first_partial)
        if complete:
            self._previous_complete = self.cycle_no
        # users named before the next start: a cycle whose start is not in the input (`unread`)
        self.cycle_start, self._limits, self.notified = None, _NO_CYCLE, 0
        if self.received or self.failed:
            self.received, self.failed = {}, {}

    # -- users --------------------------------------------------------------------------------

    def _on_requested(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        upn = data.upn
        key = upn if upn.islower() else user_key(upn)
        user = self.users.get(key)
        if self.cycle_start is None:
            if self.totals.openings.named_again(key, us):
                self._cycle_begins(None, (us, zone), source, line)
        elif user is not None and self.totals.openings.named_twice(key, user, us, self.cycle_no):
            self._cycle_begins(self.cycle_start, (us, zone), source, line)
            self.cycle_start, self._limits = None, _NO_CYCLE
        again = user is not None and user.cycle == self.cycle_no  # (several users'?)
        if again and (self.cycle_start is not None or (  # (no times: where its start shows)
                key in self.received and self._zone is not NO_TIMES)):
            self.totals.openings.named_in_cycle(key, upn, (us, zone), source, line, self.cycle_no)
        another = again and self.totals.openings.another(key, user, self)  # type: ignore[arg-type]
        self.notified += 1
        if user is None:
            user = self.users[key] = Seen(upn, us)
            if self.history.part is not None:
                self.follow = self.history.met(key)  # (while a part of a UPN is followed)
        else:
            before, user.last_seen = user.last_seen, us
        user.requests += 1
        cycle_start = self.cycle_start if self.cycle_start is not None else us
        if user.failing and not another and timer_runs(
            user, cycle_start, len(self.restarts), self._zone is NO_TIMES
        ):
            off = self._limits is _NO_CYCLE and user.off_schedule(  # type: ignore[attr-defined]
                before, us, self.interval()[0], self.totals.openings.off
            )
            user.cycle = self.cycle_no
            if self._held_back is not None:
                self._held_back.append(True)
            if key != self.follow:
                self.timers.held[upn] = user  # type: ignore[assignment]
            else:
                due = () if self.no_times or off else (user.full_sync_due,)
                detail = "notified; timer runs" + (f" until {TIME_MARK}" if due else "")
                what, detail = ("requested", off) if off else ("held_back", detail)
                self.note(key, (us, zone), what, detail, source, line, due)  # type: ignore[arg-type]
            return
        held = user.failing and user.failure_restarts == len(self.restarts)
        held = held and (held_unknown(user) or self._zone is NO_TIMES)  # rule 2b; no timer
        uncertain = not self._full_sync and (held or (
            not user.ever_failed and user.synced_at is None
            and (self._previous_complete is None or user.cycle == self._previous_complete)
        ))
        user.cycle = self.cycle_no
        self.received[key] = (user, us, uncertain)
        if self._held_back is not None:
            self._held_back.append(held)
        if key == self.follow:
            if held and not held_unknown(user):  # (no times: as the counts will tell)
                self.note(key, (us, zone), "held_back", "notified; timer runs", source, line)
            elif held:
                why = "its failure has no time" if user.reason else "failure not in the input"
                detail = f"notified; held back since before the log: {why}"
                if not user.before_input:  # (see `CycleTotals._hold`)
                    detail = "notified; held back by a failure the input leaves out"
                self.note(key, (us, zone), "held_back", detail, source, line)
            else:
                detail = f"NotifyAccountAddition {upn}"
                self.note(key, (us, zone), "requested", detail, source, line)

    def _on_failed(self, us: int, zone: tzinfo | None, data: Any, source: str, line: int) -> None:
        upn, reason = data
        here = (us, zone)
        key = user_key(upn)
        found = self.users.get(key)
        if found is None:
            user = User(upn, us)
            self.users[key] = user
            if self.history.part is not None:
                self.follow = self.history.met(key)
        else:
            user = self.grown(key, found)
            user.last_seen = us
        self.failed[key] = failed = self.failed.get(key, 0) + 1
        last, timed = user.last_failure, self._zone is not NO_TIMES  # (failed again in a cycle?)
        soon = last is not None and (us - last[0] <= HEARD_CYCLE_US or not timed)
        if failed > 1 and soon and (timed or self.cycle_start is not None):  # (no times: its start)
            self.totals.openings.named_in_cycle(key, upn, here, source, line, self.cycle_no, last)
        self.held.pop(key, None)
        self.totals.undecided.pop(key, None)  # (whatever a cycle before could not say of it)
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
        user.failure_restarts = len(self.restarts)
        user.reason = intern(reason)  # (each failure line has its own copy: many users, one reason)
        user.due_cycle = None
        user.restart_cycle = None
        if reason == USER_NOT_FOUND:
            due = us + self.after
            user.full_sync_due = due
            self.timers.start(key, due)
            if key == self.follow:
                times = () if self.no_times else (due,)  # (no times: none to name)
                detail = f"reason {reason}" + (f"; full sync due {TIME_MARK}" if times else "")
                self.note(key, here, "failed", detail, source, line, times)
        else:
            user.full_sync_due = None
            if key == self.follow:
                detail = f"reason {reason} (no automatic retry)"
                self.note(key, here, "failed", detail, source, line)

    # -- conclusions (see outlook) ------------------------------------------------------------

    @property
    def no_times(self) -> bool:
        """The input has no times (SPEC §2): whether a timer still runs is unknown."""
        return self._zone is NO_TIMES

    def last_zone(self) -> tzinfo | bool | None:  # (False before any row)
        return False if self.latest is None else self.latest[1]

    def latest_time(self) -> datetime | None:
        """The time of the latest row read (None before any)."""
        return None if self.latest is None else moment_time(*self.latest)

    def recovered(self, upns: Iterable[str]) -> list[tuple[str, float | None]]:
        """Of the users `upns`, the recovered ones and their waits (see `outlook.recovered`)."""
        return recovered(self, upns)

    def interval(self) -> tuple[timedelta, bool]:
        """(cycle interval, whether it was observed rather than given or defaulted)."""
        return self.log.interval(self.options.interval)

    def connector(self, as_of: int | None, interval: int) -> Connector:
        """The connector's state at `as_of` (microseconds)."""
        return self.log.state(as_of, interval, self.users.values(), self.totals.unheard)

    def result(
        self, as_of: datetime | None = None, restart_at: datetime | None = None,
        states: Collection[str] | None = None, match: Callable[[str], bool] | None = None,
        restart_helps: Callable[[str], bool] | None = None,
    ) -> Result:
        """Each user's state at `as_of`; `restart_at`: what if SMS Executive restarted then?"""
        with no_collections():  # (tens of thousands of states, each walked by a collection)
            return conclude(self, as_of, restart_at, states, match, restart_helps)


_NO_ZONE = object()
_REQUESTED = "user_add_requested"
_RETRY_CYCLE = "first cycle after full sync due"
_LONG_AGO = -(1 << 62)
_NO_CYCLE = (1 << 62, -1, -1)
"""`Tracker._limits` with no cycle under way: no due time passes it (the rest is never read)."""
