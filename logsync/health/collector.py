"""The health collector: an observer of the rows the tracker reads, that counts them by day,
keeps the longest gaps between cycles and the evidence of trouble, then summarizes them with the
analysis (`summarize`)."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from ..analysis import Analysis, latest_time
from ..events import CONNECTOR, STATMSG_STARTED, STATMSG_STOPPING
from ..formats.common import RUN_DISORDER
from ..sources import SITE_COMPONENT_LOG, base_name
from ..times import MICROSECOND, NO_TIMES, fixed_offset, instant_key, moment_time, timeless
from ..tracker import STALL_INTERVALS, Row
from ..tracker.connector import leaves_out
from .findings import (
    connector_findings,
    stall_findings,
    unnamed_findings,
    unread_lines,
    unreconciled_finding,
    user_findings,
)
from .summary import (
    MAX_EVIDENCE,
    SHOWN_ZONE,
    Advice,
    DayCounts,
    Evidence,
    Finding,
    Gap,
    Mark,
    Summary,
    evidence_of,
    plural,
    shown,
)

HEALTH_KINDS = frozenset(
    {
        "component_started",
        "processing_started",
        "processing_stopping",
        "certificate_wait",
        "sync_started",
        "user_add_requested",
        "user_add_failed",
        "add_totals",
        "status_message",
        "message",
    }
)
"""The event kinds the health check reads (it also looks for failures in plain messages)."""

MAX_MARKS = 512
"""Cycle starts kept for a picture: memory stays flat however long the log."""

_EPOCH = datetime(1970, 1, 1)
_DISORDER = timedelta(seconds=RUN_DISORDER)


def _near(one: datetime | None, other: datetime | None) -> bool:
    """Whether two times are one, or within the disorder of a log's threads."""
    if one is None or other is None or (one.tzinfo is None) != (other.tzinfo is None):
        return one == other
    return abs(one - other) <= _DISORDER

_NO_OFFSET: object = object()

_STATUS_PROBLEM_RE = re.compile(
    r"(?i)(?:(?:delta|full|consistency)\s+sync\b[^\n]{0,80}?\bfail"
    r"|\bfail[^\n]{0,80}?\b(?:delta|full|consistency)\s+sync"
    r"|duplicate[^\n]{0,40}?(?:principal|upn)"
    r"|(?:empty|blank|null)[^\n]{0,40}?(?:principal|upn)"
    r"|large\s+delta)"
)


_DAY_US = 86_400_000_000


@dataclass
class HealthCollector:
    """An observer of the tracker's rows (`analyze(collector=…)`); then call `summarize`."""

    kinds: frozenset[str] = HEALTH_KINDS
    per_day: dict[int, DayCounts] = field(default_factory=dict)
    """By local day: days since 1970-01-01 of the wall-clock date (in `day_zone`)."""
    day_zone: tzinfo | None = None
    """The zone whose days `per_day` counts by (`--tz`); None: the log's own offsets."""
    reasons: Counter[str] = field(default_factory=Counter)
    last_certificate_wait: Mark | None = None
    last_cycle: Mark | None = None
    status_problems: int = 0
    status_evidence: list[Mark] = field(default_factory=list)
    cycle_marks: list[datetime] = field(default_factory=list)
    """Cycle starts for a picture of the log: every `mark_every`-th one, at most `MAX_MARKS`."""
    mark_every: int = 1
    _cycles_seen: int = 0
    _gaps: list[Gap] = field(default_factory=list)
    """The longest gaps between cycles of a run: (gap, line, number, cycle before, after)."""
    _run_cycle: Mark | None = None
    _cycle_failed: int = 0
    """Failure lines since the last cycle's start or totals (its failures that lines name)."""
    _cycle_tried: int = 0
    """Notifications since the last cycle's start or totals that the tracker did not hold back
    as it read them (its totals may show some not received: held back since before the log)."""
    _problems: dict[str, bool] = field(default_factory=dict)

    def start_over(self) -> None:
        """Forget every row seen (the reading starts again): as new, but for `mark_every`."""
        fresh = HealthCollector(mark_every=self.mark_every, day_zone=self.day_zone)
        self.__dict__.update(fresh.__dict__)

    def messages(self, text: str) -> bool:
        """Whether a message of no known kind tells of failing syncs or bad user data."""
        found = self._problems.get(text)
        if found is None:
            found = self._problems[text] = _STATUS_PROBLEM_RE.search(text) is not None
        return found

    def rows(self, rows: list[Row], held_back: list[bool]) -> None:
        """Read a batch of rows after the tracker (`held_back`: whether it held each of their
        notifications back, in order)."""
        notified = 0
        # the current day: its counts, the zone and instants it covers, and its notifications
        # read since, held back and tried, added to its counts where it ends
        day, (in_zone, since, until) = DayCounts(), (_NO_OFFSET, 0, 0)
        held = tried = 0
        days_in = self.day_zone
        for us, zone, kind, data, source, line in rows:
            if kind == "user_add_requested" or kind == "user_add_failed" or kind == "add_totals":
                counted_in = zone if days_in is None or zone is None else days_in
                if counted_in is not in_zone or not since <= us < until or zone is NO_TIMES:
                    day.held_back, day.requested = day.held_back + held, day.requested + tried
                    held = tried = 0
                    if zone is NO_TIMES:  # (a line with no time: of no day)
                        day, (in_zone, since, until) = DayCounts(), (_NO_OFFSET, 0, 0)
                    else:
                        day, (in_zone, since, until) = self._day(us, counted_in)
                if kind == "user_add_requested":
                    if held_back[notified]:
                        held += 1
                    else:
                        tried += 1
                        self._cycle_tried += 1
                    notified += 1
                elif kind == "add_totals":  # (its failures no line named: the totals' day)
                    day.added += data.added
                    day.failed += max(0, data.received - data.added - self._cycle_failed)
                    # (tries beyond those received: held back since before the log, rule 2b;
                    # those an earlier batch read are in the day's counts already)
                    unreceived = max(0, self._cycle_tried - data.received)
                    here = min(tried, unreceived)
                    before = min(day.requested, unreceived - here)
                    tried, held = tried - here, held + here
                    day.requested, day.held_back = day.requested - before, day.held_back + before
                    self._cycle_failed = self._cycle_tried = 0
                else:
                    day.failed += 1
                    self._cycle_failed += 1
                    self.reasons[data.reason] += 1
            elif kind == "sync_started":
                self._cycle_failed = self._cycle_tried = 0
                self._mark(us, zone)
                here = (us, zone, source, line)
                previous = self._run_cycle
                if previous is not None and previous[1] is NO_TIMES:
                    previous = None  # (lines with no time only order the lines: no gap)
                gaps = self._gaps
                # (a gap shorter than the shortest of MAX_EVIDENCE kept would be dropped at once)
                if previous is not None and (
                    len(gaps) < MAX_EVIDENCE or us - previous[0] >= gaps[0][0]
                ):
                    entry = (us - previous[0], line, self._cycles_seen, previous, here)
                    if len(gaps) < MAX_EVIDENCE:
                        heapq.heappush(gaps, entry)
                    else:
                        heapq.heappushpop(gaps, entry)
                self._run_cycle = self.last_cycle = here
            elif kind == "message":
                self._status_problem((us, zone, source, line))
            elif kind == "certificate_wait":
                self.last_certificate_wait = (us, zone, source, line)
            elif kind in ("component_started", "processing_started", "processing_stopping"):
                self._run_cycle = None  # a stopped connector is not a stalled one
            elif kind == "status_message" and data.status_component == CONNECTOR:
                if data.id in (STATMSG_STARTED, STATMSG_STOPPING):
                    self._run_cycle = None
                if data.sev in ("E", "W") and base_name(source).lower() != SITE_COMPONENT_LOG:
                    self._status_problem((us, zone, source, line))  # (sitecomp's: install errors)
        day.held_back, day.requested = day.held_back + held, day.requested + tried

    def _mark(self, us: int, zone: tzinfo | None) -> None:
        """Keep every `mark_every`-th cycle; past `MAX_MARKS`, every other one of those."""
        if self._cycles_seen % self.mark_every == 0:
            self.cycle_marks.append(moment_time(us, zone))
            if len(self.cycle_marks) > MAX_MARKS:
                self.cycle_marks = self.cycle_marks[::2]
                self.mark_every *= 2
        self._cycles_seen += 1

    def _day(self, us: int, zone: tzinfo | None) -> tuple[DayCounts, tuple[object, int, int]]:
        """The counts of the row's local day, and the span of instants that day covers in
        `zone` (empty for a zone with daylight saving, whose offset each row looks up)."""
        fixed = fixed_offset(zone)
        if fixed is None:
            local = moment_time(us, zone)
            key = (local.replace(tzinfo=None) - _EPOCH).days
            span: tuple[object, int, int] = (_NO_OFFSET, 0, 0)
        else:
            key = (us + fixed[0]) // _DAY_US
            start = key * _DAY_US - fixed[0]
            span = (zone, start, start + _DAY_US)
        counts = self.per_day.get(key)
        if counts is None:
            counts = self.per_day[key] = DayCounts()
        return counts, span

    def _status_problem(self, mark: Mark) -> None:
        self.status_problems += 1
        if len(self.status_evidence) < MAX_EVIDENCE:
            self.status_evidence.append(mark)

    def summarize(self, analysis: Analysis, tz: tzinfo | None = None) -> Summary:
        """The findings and advice, their times written in `tz` (`--tz`; None: as logged)."""
        token = SHOWN_ZONE.set(tz)
        try:
            return self._summarize(analysis)
        finally:
            SHOWN_ZONE.reset(token)

    def _summarize(self, analysis: Analysis) -> Summary:
        result = analysis.result
        interval = result.interval
        findings: list[Finding] = []
        advice: list[Advice] = []
        restarts = [Evidence(r.source, r.line, r.time) for r in result.restarts]
        users = analysis.users
        connector_findings(result, self.last_certificate_wait, findings, advice)
        unread_lines(analysis, findings, advice)
        gaps = self._silences(analysis)
        stall_findings(result, interval, gaps, self.last_cycle, findings, advice)
        user_findings(analysis, users, findings, advice)
        advice.sort(key=lambda item: item.code == "past_stall")  # what is over comes last
        unnamed_findings(result, findings, advice)
        if result.unreconciled_count:
            findings.append(unreconciled_finding(result))
        if self.status_problems:
            findings.append(
                Finding(
                    "status_failures",
                    "warning",
                    f"{self.status_problems} status message{plural(self.status_problems)} or log "
                    "line(s) report failing syncs or bad user data",
                    tuple(evidence_of(mark) for mark in self.status_evidence),
                )
            )
        # A start at the very beginning of the log is just where the log begins (its threads
        # write a little out of order: the start may come a few milliseconds after a record)
        if len(restarts) > 1 or (restarts and not _near(restarts[0].time, result.first_time)):
            times = ", ".join(shown(r.time) or "?" for r in restarts[:MAX_EVIDENCE])
            findings.append(
                Finding(
                    "restarts",
                    "warning" if len(restarts) >= 3 else "info",
                    f"SMS_CLOUD_USERSYNC started {len(restarts)} "
                    f"time{plural(len(restarts))}: {times}",
                    tuple(restarts[:MAX_EVIDENCE]),
                )
            )
        return Summary(
            start=result.first_time,
            end=_judged_end(analysis),
            cycles=result.cycles,
            interval=interval,
            restarts=restarts,
            per_day={
                (_EPOCH + timedelta(days=day)).date().isoformat(): counts
                for day, counts in sorted(self.per_day.items())
                if not timeless(analysis.as_of)  # no times: no days
            },
            reasons=self.reasons,
            findings=findings,
            advice=advice,
            interval_basis=analysis.interval_basis,
            stalls=self.stalls(interval, gaps),
            as_of=analysis.as_of,
        )

    def _silences(self, analysis: Analysis) -> list[Gap]:
        """The longest gaps between cycles of a run, but where an excerpt leaves lines out
        between their cycles (grep's `--`, or between the records of a pasted one: see
        `Analysis.unheard_within`): the cycles of that time may be among those lines."""
        left = analysis.unheard_within
        return [gap for gap in self._gaps if not leaves_out(left, gap[3][0], gap[4][0])]

    @staticmethod
    def stalls(interval: timedelta, gaps: list[Gap]) -> list[tuple[datetime, datetime]]:
        """The gaps between cycles beyond the stall limit, in time order."""
        limit = STALL_INTERVALS * (interval // MICROSECOND)
        spans = sorted(
            ((before, after) for gap, _, _, before, after in gaps if gap > limit),
            key=lambda span: span[0][0],
        )
        return [(moment_time(*before[:2]), moment_time(*after[:2])) for before, after in spans]


def _judged_end(analysis: Analysis) -> datetime | None:
    """The end of what a summary judges: the inputs' last record, or `--now` before it."""
    end, as_of = latest_time(analysis.inputs), analysis.as_of
    if end is None or as_of is None or instant_key(as_of) < instant_key(end):
        return as_of
    return end
