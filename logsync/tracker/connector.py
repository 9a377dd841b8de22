"""The connector's log (SPEC §4 rules 3 and 6): its restarts, cycles, interval and state.

`ConnectorLog` reads the rows about the connector itself (starts, stops, cycles, totals lines,
certificate waits, and the causes of trouble that sibling logs show), and concludes from them
at `as_of`: the cycle interval, how soon a cycle follows a restart, and the connector's state."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta, tzinfo
from operator import itemgetter
from typing import Any

from ..events import CONNECTOR, STATMSG_STARTED, STATMSG_STOPPING
from ..formats.common import RUN_DISORDER_US
from ..sources import SITE_COMPONENT_LOG, base_name
from ..times import MICROSECOND, instant_key, micros, moment_time
from .model import (
    DEFAULT_INTERVAL,
    GAP_WINDOW,
    MAX_CAUSES,
    SAME_RESTART_WINDOW,
    STALL_INTERVALS,
    Cause,
    Connector,
    Moment,
    Restart,
    Row,
    ZoneTable,
    time_of,
)
from .schedule import SECOND_US, lower_median, next_cycle, observed_interval, skips_an_hour
from .users import Seen

_NO_MEDIAN: tuple[int, timedelta | None] = (-1, DEFAULT_INTERVAL)

CERTIFICATE_CAUSES = ("no_intune_subscription", "certificate_failed")
"""The chain behind a certificate wait, root first: a site without an Intune subscription gets
no connector certificate from Certmgr."""

HEARD_CYCLE_US, HEARD_RUN_US = 60_000_000, STALL_INTERVALS * 300_000_000
"""A cycle's start and its totals a minute apart at most, and cycles in a row three default
intervals apart at most, are heard through whatever the interval (else see `heard_through`)."""

CAUSE_REACH = 86_400_000_000
"""How long before the connector's log begins a sibling log's record may be a cause of what it
shows (microseconds: a day). Older ones are of another time (logs of other years in one
folder), whatever they say."""


def install_error(status: Any, source: str) -> bool:
    """Whether a status message is an error of the connector's installation: an error status
    message for the connector in sitecomp.log (Site Component Manager installs components)."""
    return (
        status.sev == "E"
        and status.status_component == CONNECTOR
        and base_name(source).lower() == SITE_COMPONENT_LOG
    )


class ConnectorLog:
    """What the log shows of the connector: feed it the connector's rows in time order (its
    handlers take a row's fields), then ask for its `interval` and `state`."""

    def __init__(self, zone_table: ZoneTable) -> None:
        self.restarts: list[Restart] = []
        self.full_next = False  # (a restart came and its first cycle, a full sync, has not)
        self.cycles = 0
        """Cycles seen: those that start, and those whose totals line alone shows them (an
        excerpt, a log cut inside a cycle)."""
        self._in_cycle = False  # (a cycle started and its totals line has not come yet)
        self.full_syncs = 0
        self.certificate_waits = 0
        self.last_cycle: Moment | None = None
        self.last_totals: int | None = None
        """The last totals line: a cycle ran, even where its start is not logged (an excerpt)."""
        self.first: Moment | None = None  # (the first row read)
        self._zones = zone_table
        self._armed = False
        self._awaiting_first_cycle: int | None = None  # (the last restart, until its cycle)
        self._restart_delays: deque[int] = deque(maxlen=GAP_WINDOW)
        self._run_last_cycle: Moment | None = None
        self._run_heard: int | None = None  # (its last cycle's start or totals, since a restart)
        self._last_cycle_where: tuple[str, int] = ("", 0)
        self._last_totals_where: tuple[str, int] = ("", 0)
        self._gaps: deque[int] = deque(maxlen=GAP_WINDOW)
        self._median = _NO_MEDIAN  # (the interval they show, as of a number of cycles)
        self.unit = 0  # (what pasted times are written to: a second, a minute; see `schedule`)
        self.given_interval: timedelta | None = None  # (`--interval`; None: observed, default)
        self.unheard: tuple[int, int] | None = None
        """From the first to the last silence of the connector (see `heard_through`): lines
        may be left out there, as where an excerpt marks a gap."""
        self.skipped_hour: tuple[int, int, str, int] | None = None  # (see `skips_an_hour`)
        self._certificate_wait: tuple[Moment, str, int] | None = None  # (the first since a cycle)
        self._stopped: tuple[Moment, str, int] | None = None  # (its "stopping", until a start)
        self._causes: list[tuple[int, tzinfo | None, str, str, int, int]] = []
        """(instant, zone, kind, source, line, status ID) of the records of sibling logs that
        may say why the connector is in trouble, since its last cycle: whatever order they
        come in, a cycle leaves out those before it."""
        self._first_where: tuple[str, int] = ("", 0)

    # -- reading ------------------------------------------------------------------------------

    def began(self, us: int, zone: tzinfo | None, source: str, line: int) -> None:
        """A row with a new zone: the first one is where the log begins."""
        if self.first is None:
            self.first = (us, zone)
        if line and not self._first_where[0]:
            self._first_where = (source, line)

    def times_begin(self, us: int, zone: tzinfo | None, source: str, line: int) -> None:
        """The first row with a time after rows with none (`users.failed_before`): the log
        begins here, and the instants before only ordered lines: no gap between cycles nor
        delay after a restart is measured from them."""
        self.first, self._first_where = (us, zone), (source, line)
        self._run_last_cycle = self._awaiting_first_cycle = self._run_heard = None
        self._gaps.clear()
        self._restart_delays.clear()

    def status_message(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> Restart | None:
        """smsexec.log's status messages 500 and 501 of the connector: a start (returned), stop."""
        if data.status_component != CONNECTOR:
            return None
        if data.id == STATMSG_STARTED:
            return self._started(us, zone, "status_message", data.thread_id, source, line)
        if data.id == STATMSG_STOPPING:
            self._stopped = ((us, zone), source, line)
        elif install_error(data, source):
            self._cause(us, zone, "install_errors", source, line, data.id)
        return None

    def component_started(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> Restart | None:
        return self._started(us, zone, "component_started", data.thread_id, source, line)

    def processing_started(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> Restart | None:
        """The connector's own log of a start, unless a start it reported just came first."""
        if self._armed:
            self._armed = False
            return None
        started = Restart(moment_time(us, zone), source, line, "processing_started")
        restart = self._restart(started, us)
        self._armed = False
        return restart

    def processing_stopping(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._stopped = ((us, zone), source, line)

    def certificate_wait(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self.certificate_waits += 1
        if self._certificate_wait is None:
            self._certificate_wait = ((us, zone), source, line)

    def certificate_failed(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._cause(us, zone, "certificate_failed", source, line)

    def no_intune_subscription(
        self, us: int, zone: tzinfo | None, data: Any, source: str, line: int
    ) -> None:
        self._cause(us, zone, "no_intune_subscription", source, line)

    def note_causes(self, rows: Iterable[Row]) -> None:
        """Read rows of sibling logs read apart from the connector's log: only the causes of
        connector problems count, whatever their order (those before the last cycle are over)."""
        handlers = {
            "certificate_failed": self.certificate_failed,
            "no_intune_subscription": self.no_intune_subscription,
        }
        for us, zone, kind, data, source, line in rows:
            handler = handlers.get(kind)
            if handler is not None:
                handler(us, zone, data, source, line)
            elif kind == "status_message" and install_error(data, source):
                self._cause(us, zone, "install_errors", source, line, data.id)

    def cycle_started(self, here: Moment, mode: str, source: str, line: int) -> bool:
        """A cycle starts; whether it is a restart's full sync (the first cycle after one)."""
        us = here[0]
        self.cycles += 1
        self._in_cycle = True
        self._last_cycle_where = (source, line)
        self._certificate_wait = None
        self._stopped = None
        if self._causes:  # the connector cycles: what kept it from cycling is over
            self._causes = [cause for cause in self._causes if cause[0] > us]
        if self.unit and us % self.unit:  # (pasted lines of the log: in seconds, milliseconds)
            self.unit = 0 if us % SECOND_US else SECOND_US
        previous = self._run_last_cycle
        if previous is not None and us > previous[0]:
            if here[1] is None and skips_an_hour(self._gaps, previous[0], us):  # (no offsets)
                self.skipped_hour = self.skipped_hour or (previous[0], us, source, line)
            self._gaps.append(us - previous[0])
        self._heard_at(us)
        if self._awaiting_first_cycle is not None:
            self._restart_delays.append(us - self._awaiting_first_cycle)
            self._awaiting_first_cycle = None
        self._run_last_cycle = self.last_cycle = here
        full_next = self.full_next
        if full_next or mode == "full":
            self.full_syncs += 1
        self.full_next = False
        return full_next

    def heard_through(self, start: int, end: int) -> bool:
        """Whether the connector was heard from `start` to `end` (a cycle's start and its
        totals, or two in a row): silent no longer than before it counts as stalled. A longer
        silence straddles lines left out (pieces of a log pasted together) or a stall: whom a
        cycle received, or whether a retry came there, the log cannot say; noted in `unheard`.
        (Lines with no times are microseconds apart: never silent.)"""
        span = end - start
        if span <= HEARD_CYCLE_US or span <= STALL_INTERVALS * (
            self.interval(self.given_interval)[0] / MICROSECOND
        ):  # (a cycle takes seconds: most never get past the first test)
            return True
        self.unheard = (start, end) if self.unheard is None else (self.unheard[0], end)
        return False

    def _heard_at(self, us: int) -> None:
        """A cycle's start or totals at `us`, after the run's last (`heard_through`)."""
        heard = self._run_heard
        if heard is not None and us - heard > HEARD_RUN_US:
            self.heard_through(heard, us)
        self._run_heard = us

    def totals(self, us: int, source: str, line: int) -> None:
        """A cycle's totals line: the end of a cycle, counted here when its start is not logged."""
        if not self._in_cycle:
            self.cycles += 1
        self._in_cycle = False
        self._heard_at(us)  # (also of a cycle whose start is not in the input)
        self.last_totals = us
        self._last_totals_where = (source, line)

    def _started(
        self, us: int, zone: tzinfo | None, via: str, thread_id: int | None, source: str, line: int
    ) -> Restart | None:
        """A start of the connector, unless another log reported this one, or its own log did
        just before (its threads write a little out of order), which this one then names."""
        if self.restarts:
            last = self.restarts[-1]
            apart = abs(us - micros(last.time))
            if thread_id is not None and last.thread_id == thread_id:
                if apart <= SAME_RESTART_WINDOW // MICROSECOND:
                    return None
            elif last.via == "processing_started" and apart <= RUN_DISORDER_US:
                self.restarts[-1] = Restart(moment_time(us, zone), source, line, via, thread_id)
                return None
        return self._restart(Restart(moment_time(us, zone), source, line, via, thread_id), us)

    def _restart(self, restart: Restart, us: int) -> Restart:
        self.restarts.append(restart)
        self._armed = True
        self.full_next = True
        self._awaiting_first_cycle = us
        self._run_last_cycle = self._run_heard = None
        self._in_cycle = False
        self._certificate_wait = None
        self._stopped = None
        return restart

    def _cause(
        self, us: int, zone: tzinfo | None, kind: str, source: str, line: int, status: int = 0
    ) -> None:
        last = self.last_cycle
        if len(self._causes) < MAX_CAUSES and (last is None or us > last[0]):
            self._causes.append((us, zone, kind, source, line, status))

    # -- conclusions --------------------------------------------------------------------------

    def cycles_logged(self) -> bool:
        """Whether the input holds a cycle's start or totals line (a search of users' lines not)."""
        return self.last_cycle is not None or self.last_totals is not None

    def cycles_seen(self, users: Collection[Seen]) -> int:
        """Cycles that start or end with their totals line; where the input holds neither (a
        `findstr` of one user), the most notifications or failures of one user (one per cycle)."""
        if self.cycles_logged() or not users:
            return self.cycles
        return max(1, max(max(user.requests, user.failures) for user in users))

    def interval(self, given: timedelta | None) -> tuple[timedelta, bool]:
        """(cycle interval, whether it was observed rather than given or defaulted)."""
        if given is not None:
            return given, False
        if not self._gaps:
            return DEFAULT_INTERVAL, False
        if self._median[0] != self.cycles:  # (asked at users' lines too: once per cycle)
            every = observed_interval(self._gaps, self.unit > 0)
            self._median = (self.cycles, None if every is None else timedelta(microseconds=every))
        return (DEFAULT_INTERVAL, False) if self._median[1] is None else (self._median[1], True)

    def restart_delay(self, interval: int) -> int:
        """How soon a cycle follows a restart: as the log showed before, else one interval."""
        return lower_median(self._restart_delays) if self._restart_delays else interval

    def next_cycle_at_or_after(self, when: int, interval: int) -> int | None:
        """The first cycle at or after `when` on the schedule of the last observed cycle; None
        with no cycle's start in the input (`grep` of a user's lines): where on the schedule
        `when` falls is unknown (before one interval after it, if the schedule holds)."""
        last = self._run_last_cycle or self.last_cycle
        if last is None:
            return None
        return next_cycle(last[0], when, interval, self.unit)

    def state(
        self,
        as_of: int | None,
        interval: int,
        users: Collection[Seen],
        left_out: tuple[int | None, int | None] | None = None,
    ) -> Connector:
        """The connector's state at `as_of` (microseconds), with the record that shows it and
        what sibling logs show as its cause; `users` (`Seen`) show cycles at work where no
        cycle's start or totals does (each user's line was written in one). `left_out`: where
        an excerpt leaves lines out (`CycleTotals.unheard`): a silence there is no stall."""
        found = self._state(as_of, interval, users, left_out)
        if found.ok or not self._causes:
            return found
        return found._replace(causes=self._causes_of(found, as_of))

    def _causes_of(self, found: Connector, as_of: int | None) -> tuple[Cause, ...]:
        """The causes of a connector problem in sibling logs since the last cycle (none more
        than `CAUSE_REACH` before the connector's log begins, none after `as_of`): the first
        record of each link of the certificate chain (for a certificate wait), then the
        component install errors (for a wait or a stop, those that came before it)."""
        start = None if self.first is None else self.first[0] - CAUSE_REACH
        kept = [
            cause
            for cause in sorted(self._causes, key=itemgetter(0))
            if (start is None or cause[0] >= start) and (as_of is None or cause[0] <= as_of)
        ]
        chain: list[Cause] = []
        if "certificate_missing" in found.problems:
            for kind in CERTIFICATE_CAUSES:
                first = next((cause for cause in kept if cause[2] == kind), None)
                if first is not None:
                    us, zone, _, source, line, _ = first
                    chain.append(Cause(kind, moment_time(us, zone), source, line))
        # a wait or a stop begins at its record; a stall or a log without cycles, at the last
        # cycle or the log's start, which only errors after it can explain
        began = [t for t in (found.since, found.certificate_since) if t is not None]
        bounded = found.state in ("waiting_for_certificate", "stopped") and began
        before = micros(min(began, key=instant_key)) if bounded else None
        errors = [
            cause
            for cause in kept
            if cause[2] == "install_errors" and (before is None or cause[0] <= before)
        ]
        if errors:
            us, zone, _, source, line, _ = errors[0]
            ids = tuple(dict.fromkeys(cause[5] for cause in errors))
            chain.append(Cause("install_errors", moment_time(us, zone), source, line, ids))
        return tuple(chain)

    def _state(
        self,
        as_of: int | None,
        interval: int,
        users: Collection[Seen],
        left_out: tuple[int | None, int | None] | None,
    ) -> Connector:
        """The connector's state at `as_of` (microseconds), with the record that shows it;
        `users`' last lines show when a cycle was last at work, where the input holds no later
        cycle line."""
        last_cycle = time_of(self.last_cycle)
        restart = self.restarts[-1] if self.restarts else None
        last_restart = restart.time if restart is not None else None
        stopped = self._stopped
        waiting = self._certificate_wait
        if stopped is not None:
            at, source, line = stopped
            waited = moment_time(*waiting[0]) if waiting is not None else None
            return Connector(
                "stopped",
                "connector_stopped",
                moment_time(*at),
                last_cycle,
                last_restart,
                source,
                line,
                waited,
            )
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
        totals = self.last_totals
        awaiting = self._awaiting_first_cycle
        if self.last_cycle is None and totals is None and not users:
            where = (restart.source, restart.line) if restart is not None else self._first_where
            return Connector(
                "no_cycles", "no_cycles", time_of(self.first), None, last_restart, *where
            )
        if self.last_cycle is not None and (totals is None or self.last_cycle[0] >= totals):
            reference, where = self.last_cycle[0], self._last_cycle_where
        elif totals is not None:
            reference, where = totals, self._last_totals_where
        else:  # (only users' lines, a search of a user's: at work as late as the latest)
            reference, where = max(user.last_seen for user in users), ("", 0)
        if as_of is None or as_of - reference <= STALL_INTERVALS * interval:
            # (the references below are later: no more stalled than this one)
            return Connector("running", None, None, last_cycle, last_restart)
        since: datetime | None = last_cycle or moment_time(reference, self._zones.at(reference))
        at_work = max(user.last_seen for user in users) if users else None  # (later only)
        if at_work is not None and at_work - reference > interval:
            # users' lines of later cycles, whose starts and totals the input leaves out (an
            # excerpt: `grep -C1 bob`): the connector was at work then
            reference, where = at_work, ("", 0)
            since = moment_time(at_work, self._zones.at(at_work))
        if awaiting is not None and restart is not None and awaiting >= reference:
            reference, since = awaiting, last_restart
            where = (restart.source, restart.line)
        if as_of - reference > STALL_INTERVALS * interval and not leaves_out(
            left_out, reference, as_of
        ):
            return Connector(
                "stalled", "connector_stalled", since, last_cycle, last_restart, *where
            )
        return Connector("running", None, None, last_cycle, last_restart)


def leaves_out(left_out: tuple[int | None, int | None] | None, start: int, end: int) -> bool:
    """Whether the places where an excerpt leaves lines out (`CycleTotals.unheard`: the instant
    of the record before the first and of the record after the last; None: the input's start,
    or its end) may fall between the instants `start` and `end`: the cycles of that time may be
    among the lines left out, so a silence there shows no stall."""
    if left_out is None:
        return False
    first, last = left_out
    return (first is None or first < end) and (last is None or last > start)
