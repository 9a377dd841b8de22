"""The health summary's documents: findings with their evidence, advice, counts by day."""

from __future__ import annotations

from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from ..times import iso, moment_time
from ..tracker import UserState

MAX_EVIDENCE = 5

@dataclass(frozen=True)
class Evidence:
    """Where a finding shows in the log."""

    source: str
    line: int
    time: datetime | None


Mark = tuple[int, "tzinfo | None", str, int]
"""A row kept as evidence, cheaply: (microseconds, zone, source, line)."""


Gap = tuple[int, int, int, Mark, Mark]
"""A gap between two cycles of a run: (length, line, number of the cycle before, the cycle
before, the cycle after)."""


def evidence_of(mark: Mark) -> Evidence:
    us, zone, source, line = mark
    return Evidence(source, line, moment_time(us, zone))


@dataclass(frozen=True)
class Finding:
    code: str
    """Stable: certificate_missing, connector_stalled, connector_stopped, no_cycles,
    install_errors, stuck_users, overdue_users, unnamed_failures, unreconciled_counts,
    status_failures or restarts."""
    severity: str
    message: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Advice:
    code: str
    text: str


@dataclass
class DayCounts:
    requested: int = 0
    """Tries: notifications of users not held back by their timer (a user tried twice counts
    twice), as many as their cycle's totals received at most."""
    held_back: int = 0
    """Notifications of users whose timer still ran (not tried, SPEC §4 rule 2), and those
    their cycle's totals did not receive (held back since before the log, rule 2b)."""
    added: int = 0
    failed: int = 0
    """Failed adds: the failure lines, and of each cycle those its totals count (received,
    not added) beyond its failure lines (an excerpt of the totals alone counts them too)."""


@dataclass
class Summary:
    start: datetime | None
    end: datetime | None
    """The last record judged (the input's, or the last before `--now`)."""
    cycles: int
    interval: timedelta
    restarts: list[Evidence]
    per_day: dict[str, DayCounts]
    reasons: Counter[str]
    findings: list[Finding]
    advice: list[Advice]
    interval_basis: str = "observed"
    """How the interval is known: `observed` (the median gap between cycles), `given`
    (`--interval`) or `default` (too few cycle starts to measure one)."""
    stalls: list[tuple[datetime, datetime]] = field(default_factory=list)
    """Gaps between cycles of a run longer than the stall limit (the longest few), in order."""
    users: list[UserState] = field(default_factory=list)
    """The users asked for by name (`--user`), whatever their state."""
    as_of: datetime | None = None
    """The time of the judgement (`--now`, else `end`)."""


SHOWN_ZONE: ContextVar[tzinfo | None] = ContextVar("SHOWN_ZONE", default=None)
"""The zone the times in findings and advice are written in (`--tz`), while one summary is
made; None: as logged."""


def shown(value: datetime | None) -> str | None:
    """A time in a finding's or advice's text: ISO 8601, in the zone shown (`SHOWN_ZONE`)."""
    zone = SHOWN_ZONE.get()
    if zone is not None and value is not None and value.tzinfo is not None:
        value = value.astimezone(zone)
    return iso(value)


def at_or_line(value: datetime | None, line: int) -> str:
    """`at <time>`, or `at line N` where the input has no times (SPEC §2)."""
    when = shown(value)
    return f"at {when}" if when is not None else f"at line {line}"


def some_names(users: list[UserState]) -> str:
    """The first users' UPNs, and how many more."""
    return some_upns([u.upn for u in users])


def some_upns(upns: list[str]) -> str:
    """The first UPNs, and how many more."""
    shown = ", ".join(upns[:MAX_EVIDENCE])
    more = len(upns) - MAX_EVIDENCE
    return f"{shown} and {more} more" if more > 0 else shown


def failure_evidence(users: list[UserState]) -> tuple[Evidence, ...]:
    """Where the first users last failed."""
    return tuple(
        Evidence(u.failure_source, u.failure_line or 0, u.last_failure)
        for u in users[:MAX_EVIDENCE]
        if u.failure_source is not None
    )


def verb(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def plural(count: int) -> str:
    return "" if count == 1 else "s"
