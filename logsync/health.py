"""Connector health: cycles, restarts, per-day counts, findings with evidence, and advice.

Like the tracker it is pure: it is fed events in order, then asked to conclude.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from .analysis import Analysis
from .events import CONNECTOR, STATMSG_STARTED, STATMSG_STOPPING
from .formats.paste import redacted
from .sources import SITE_COMPONENT_LOG, base_name
from .times import (
    NO_TIMES_REASON,
    fixed_offset,
    human_duration,
    instant_key,
    iso,
    moment_time,
    timeless,
)
from .tracker import (
    STALL_INTERVALS,
    STUCK_STATES,
    USER_NOT_FOUND,
    Cause,
    Result,
    Row,
    UserState,
    cause_text,
    timer_label,
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

MAX_EVIDENCE = 5
MAX_MARKS = 512
"""Cycle starts kept for a picture: memory stays flat however long the log."""

_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)
_NO_OFFSET: object = object()

_STATUS_PROBLEM_RE = re.compile(
    r"(?i)(?:(?:delta|full|consistency)\s+sync\b[^\n]{0,80}?\bfail"
    r"|\bfail[^\n]{0,80}?\b(?:delta|full|consistency)\s+sync"
    r"|duplicate[^\n]{0,40}?(?:principal|upn)"
    r"|(?:empty|blank|null)[^\n]{0,40}?(?:principal|upn)"
    r"|large\s+delta)"
)


@dataclass(frozen=True)
class Evidence:
    """Where a finding shows in the log."""

    source: str
    line: int
    time: datetime | None


Mark = tuple[int, "tzinfo | None", str, int]
"""A row kept as evidence, cheaply: (microseconds, zone, source, line)."""


def _evidence(mark: Mark) -> Evidence:
    us, zone, source, line = mark
    return Evidence(source, line, moment_time(us, zone))


@dataclass(frozen=True)
class Finding:
    code: str
    """Stable: certificate_missing, connector_stalled, connector_stopped, no_cycles,
    install_errors, stuck_users, overdue_users, unreconciled_counts, status_failures or
    restarts."""
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
    """Users notified and not held back by their timer."""
    held_back: int = 0
    """Notifications of users whose timer still ran (not tried, SPEC §4 rule 2)."""
    added: int = 0
    failed: int = 0


@dataclass
class Summary:
    start: datetime | None
    end: datetime | None
    cycles: int
    interval: timedelta
    restarts: list[Evidence]
    per_day: dict[str, DayCounts]
    reasons: Counter[str]
    findings: list[Finding]
    advice: list[Advice]
    stalls: list[tuple[datetime, datetime]] = field(default_factory=list)
    """Gaps between cycles of a run longer than the stall limit (the longest few), in order."""
    users: list[UserState] = field(default_factory=list)
    """The users asked for by name (`--user`), whatever their state."""


_DAY_US = 86_400_000_000


@dataclass
class HealthCollector:
    """An observer of the tracker's rows (`analyze(collector=…)`); then call `summarize`."""

    kinds: frozenset[str] = HEALTH_KINDS
    per_day: dict[int, DayCounts] = field(default_factory=dict)
    """By local day: days since 1970-01-01 of the wall-clock date."""
    reasons: Counter[str] = field(default_factory=Counter)
    last_certificate_wait: Mark | None = None
    last_cycle: Mark | None = None
    status_problems: int = 0
    status_evidence: list[Mark] = field(default_factory=list)
    cycle_marks: list[datetime] = field(default_factory=list)
    """Cycle starts for a picture of the log: every `mark_every`-th one, at most `MAX_MARKS`."""
    mark_every: int = 1
    _cycles_seen: int = 0
    _gaps: list[tuple[int, int, int, Mark, Mark]] = field(default_factory=list)
    """The longest gaps between cycles of a run: (gap, line, number, cycle before, after)."""
    _run_cycle: Mark | None = None
    _problems: dict[str, bool] = field(default_factory=dict)

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
        span: tuple[object, int, int] = (_NO_OFFSET, 0, 0)  # the current day: zone, from, to
        day = DayCounts()
        for us, zone, kind, data, source, line in rows:
            if kind == "user_add_requested" or kind == "user_add_failed" or kind == "add_totals":
                if zone is not span[0] or not span[1] <= us < span[2]:
                    day, span = self._day(us, zone)
                if kind == "user_add_requested":
                    if held_back[notified]:
                        day.held_back += 1
                    else:
                        day.requested += 1
                    notified += 1
                elif kind == "add_totals":
                    day.added += data.added
                else:
                    day.failed += 1
                    self.reasons[data.reason] += 1
            elif kind == "sync_started":
                self._mark(us, zone)
                here = (us, zone, source, line)
                previous = self._run_cycle
                if previous is not None:
                    entry = (us - previous[0], line, self._cycles_seen, previous, here)
                    if len(self._gaps) < MAX_EVIDENCE:
                        heapq.heappush(self._gaps, entry)
                    else:
                        heapq.heappushpop(self._gaps, entry)
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

    def summarize(self, analysis: Analysis) -> Summary:
        result = analysis.result
        interval = result.interval
        findings: list[Finding] = []
        advice: list[Advice] = []
        restarts = [Evidence(r.source, r.line, r.time) for r in result.restarts]
        users = analysis.users
        self._connector(result, findings, advice)
        self._stalls(result, interval, findings, advice)
        self._users(analysis, users, findings, advice)
        if result.unreconciled_count:
            findings.append(unreconciled_finding(result))
        if self.status_problems:
            findings.append(
                Finding(
                    "status_failures",
                    "warning",
                    f"{self.status_problems} status message{_s(self.status_problems)} or log "
                    "line(s) report failing syncs or bad user data",
                    tuple(_evidence(mark) for mark in self.status_evidence),
                )
            )
        # A start at the very beginning of the log is just where the log begins.
        if len(restarts) > 1 or (restarts and restarts[0].time != result.first_time):
            times = ", ".join(iso(r.time) or "?" for r in restarts[:MAX_EVIDENCE])
            findings.append(
                Finding(
                    "restarts",
                    "warning" if len(restarts) >= 3 else "info",
                    f"SMS_CLOUD_USERSYNC started {len(restarts)} time{_s(len(restarts))}: {times}",
                    tuple(restarts[:MAX_EVIDENCE]),
                )
            )
        return Summary(
            start=result.first_time,
            end=analysis.as_of,
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
            stalls=self.stalls(interval),
        )

    def stalls(self, interval: timedelta) -> list[tuple[datetime, datetime]]:
        """The longest gaps between cycles of a run beyond the stall limit, in time order."""
        limit = STALL_INTERVALS * (interval // _MICROSECOND)
        spans = sorted(
            ((before, after) for gap, _, _, before, after in self._gaps if gap > limit),
            key=lambda span: span[0][0],
        )
        return [(moment_time(*before[:2]), moment_time(*after[:2])) for before, after in spans]

    def _connector(self, result: Result, findings: list[Finding], advice: list[Advice]) -> None:
        """The connector's own state at the end: waiting for its certificate, or no cycle."""
        connector = result.connector
        if connector.code == "connector_stopped":
            waited = connector.certificate_since is not None
            why = " after waiting for its certificate" if waited else ""
            findings.append(
                Finding(
                    "connector_stopped",
                    "error",
                    f"the connector said it is stopping at {iso(connector.since)}{why} and did "
                    "not start again: nothing syncs until it does",
                    (Evidence(connector.source, connector.line, connector.since),),
                )
            )
            if not waited:
                advice.append(_CHECK_CONNECTOR)
        chain = [c for c in connector.causes if c.kind != "install_errors"]
        if "certificate_missing" in connector.problems:
            mark = self.last_certificate_wait
            wait = None if mark is None else _evidence(mark)
            waits = result.certificate_waits
            last = f" (last at {iso(wait.time)})" if wait is not None else ""
            why = f": {cause_text(chain)}" if chain else ""
            findings.append(
                Finding(
                    "certificate_missing",
                    "error",
                    f"the connector waited for its certificate {waits} time{_s(waits)}{last} "
                    f"and has not synced since{why}",
                    ((wait,) if wait is not None else ())
                    + tuple(Evidence(c.source, c.line, c.time) for c in chain),
                )
            )
            advice.append(certificate_advice(chain))
        elif connector.code == "no_cycles":
            evidence = (
                (Evidence(connector.source, connector.line, connector.since),)
                if connector.source
                else ()
            )
            findings.append(
                Finding(
                    "no_cycles",
                    "error",
                    "the connector logged no user sync cycle: nothing was synced in this log",
                    evidence,
                )
            )
            advice.append(_CHECK_CONNECTOR)

        for cause in connector.causes:
            if cause.kind == "install_errors":
                findings.append(
                    Finding(
                        "install_errors",
                        "warning",
                        f"{base_name(cause.source)} shows component install errors of {CONNECTOR}: "
                        "status messages "
                        f"{', '.join(str(status) for status in cause.status_ids)}",
                        (Evidence(cause.source, cause.line, cause.time),),
                    )
                )

    def _stalls(
        self,
        result: Result,
        interval: timedelta,
        findings: list[Finding],
        advice: list[Advice],
    ) -> None:
        limit = STALL_INTERVALS * (interval // _MICROSECOND)
        gaps = sorted((g for g in self._gaps if g[0] > limit), key=lambda g: g[4][0])
        messages = [
            f"no cycle for {human_duration(gap / 1_000_000)} between "
            f"{iso(moment_time(*before[:2]))} and {iso(moment_time(*after[:2]))}"
            for gap, _, _, before, after in gaps
        ]
        evidence = [_evidence(after) for *_, after in gaps]
        connector = result.connector
        if connector.code == "connector_stalled" and connector.since is not None:
            silence = instant_key(result.as_of) - instant_key(connector.since)  # type: ignore[arg-type]
            what = "cycle" if connector.since == connector.last_cycle else "restart"
            messages.append(
                f"no cycle for the last {human_duration(silence)} "
                f"(last {what} at {iso(connector.since)})"
            )
            last = self.last_cycle
            if what == "cycle" and last is not None:
                evidence.append(_evidence(last))
        if not messages:
            return
        every = human_duration(interval.total_seconds())
        message = "; ".join(messages) + f" — more than {STALL_INTERVALS} intervals of {every}"
        findings.append(Finding("connector_stalled", "warning", message, tuple(evidence)))
        around = f" around {iso(evidence[0].time)}" if evidence else ""
        advice.append(
            Advice(
                "check_connector",
                "Check that SMS_CLOUD_USERSYNC is running (Configuration Manager Service "
                f"Manager) and read smsexec.log{around} for why the connector stopped cycling.",
            )
        )

    def _users(
        self,
        analysis: Analysis,
        users: list[UserState],
        findings: list[Finding],
        advice: list[Advice],
    ) -> None:
        waiting = [u for u in users if u.state == "waiting"]
        overdue = [u for u in users if u.state == "overdue"]
        timer = timer_label(analysis.tracker.options.full_sync_after)
        if waiting:
            timed = [u for u in waiting if u.expected_recovery is not None]
            if timed:
                nxt = min(timed, key=lambda u: instant_key(u.expected_recovery))  # type: ignore[arg-type]
                expected = f"the next ({nxt.upn}) is expected at {iso(nxt.expected_recovery)}"
            else:
                expected = f"when is unknown: {NO_TIMES_REASON}"
            findings.append(
                Finding(
                    "stuck_users",
                    "warning",
                    f"{len(waiting)} user{_s(len(waiting))} {_verb(len(waiting), 'waits', 'wait')} "
                    f"for the {timer} full sync; {expected}",
                    _failures(waiting),
                )
            )
        if overdue:
            findings.append(
                Finding(
                    "overdue_users",
                    "error",
                    f"{len(overdue)} user{_s(len(overdue))} passed the expected recovery with no "
                    f"retry logged ({', '.join(u.upn for u in overdue[:MAX_EVIDENCE])})",
                    _failures(overdue),
                )
            )
        advice += restart_advice(analysis)
        # no advice about UPN suffixes or Azure AD is built on a name that is no UPN
        unfound = [
            u for u in users if u.reason == USER_NOT_FOUND and u.stuck and not redacted(u.upn)
        ]
        added = analysis.tracker.added_domains() if unfound else set()
        unroutable = [u for u in unfound if unroutable_suffix(u.upn, added) is not None]
        if unroutable:
            suffixes = sorted({unroutable_suffix(u.upn, added) or "" for u in unroutable})
            count = len(unroutable)
            findings.append(
                Finding(
                    "unroutable_upn_suffix",
                    "warning",
                    f"{count} user{_s(count)} failing with UserNotFound "
                    f"{_verb(count, 'has', 'have')} a UPN suffix Azure AD cannot hold "
                    f"({', '.join(suffixes)}): Azure AD Connect syncs "
                    f"{_verb(count, 'it', 'them')} as …@<tenant>.onmicrosoft.com, so the "
                    f"connector never finds {_verb(count, 'it', 'them')} ({_names(unroutable)})",
                    _failures(unroutable),
                )
            )
            advice.append(
                Advice(
                    "routable_upn_suffix",
                    "Add a routable UPN suffix (a domain verified in the tenant) in Active "
                    "Directory Domains and Trusts and give these users UPNs in it "
                    f"({_names(unroutable)}): no timer or restart adds them until then.",
                )
            )
        again = [u for u in unfound if u.failures >= 2]
        if again:
            count = len(again)
            findings.append(
                Finding(
                    "fails_at_every_full_sync",
                    "warning",
                    f"{count} user{_s(count)} failed again at every full sync since "
                    f"{_verb(count, 'its', 'their')} first failure ("
                    + ", ".join(f"{u.upn} {u.failures} times" for u in again[:MAX_EVIDENCE])
                    + ("…" if count > MAX_EVIDENCE else "")
                    + "): no timer will add "
                    + _verb(count, "it", "them")
                    + " while the UPN is not in Azure AD",
                    _failures(again),
                )
            )
        if again and analysis.cloud is None:  # (with an export, the scope advice names them)
            names = ", ".join(u.upn for u in again[:MAX_EVIDENCE])
            advice.append(
                Advice(
                    "check_azure_ad",
                    f"{len(again)} user{_s(len(again))} failed again at a full sync ({names}): "
                    "still not in Azure AD. Check the DirSync / Azure AD Connect scope and that "
                    "the on-premises UPN matches the Azure AD UPN.",
                )
            )
        if any(not redacted(upn) for upn in analysis.tracker.first_tries):
            advice.append(dirsync_advice(analysis))
        other = sorted({u.reason for u in users if u.state == "failed" and u.reason})
        if other:
            advice.append(
                Advice(
                    "fix_other_failures",
                    f"Users failing with {', '.join(other)} are not retried by any timer: fix the "
                    "cause, then restart SMS Executive to retry them.",
                )
            )


DIRECTORY_SYNC_DEFAULTS = (
    ("DirSync's default of 3 hours", 3 * 3600),
    ("Azure AD Connect's default of 30 minutes", 30 * 60),
)
"""The default intervals of directory sync: DirSync (the connector's era) and its successor
Azure AD Connect (Entra Connect)."""


def dirsync_advice(analysis: Analysis) -> Advice:
    """Users that failed with UserNotFound on their first try were discovered before directory
    sync had put them in Azure AD: how long those that were added waited for it (their first
    try to their add, as the log shows), and what directory sync would have avoided it."""
    # no advice about directory sync is built on a name that is no UPN
    first_tries = [upn for upn in analysis.tracker.first_tries if not redacted(upn)]
    count = len(first_tries)
    tried = {upn.casefold() for upn in first_tries}
    added = analysis.tracker.result(
        analysis.as_of, states=("recovered",), match=lambda upn: upn.casefold() in tried
    ).users
    waits = sorted(
        (u.recovered_at - u.first_failure).total_seconds()
        for u in added
        if u.recovered_at is not None and u.first_failure is not None
    )
    every = human_duration(analysis.result.interval.total_seconds())
    text = (
        f"{count} user{_s(count)} failed with UserNotFound on {_verb(count, 'its', 'their')} "
        f"first try: user discovery found {_verb(count, 'it', 'them')} before directory sync had "
        f"put {_verb(count, 'it', 'them')} in Azure AD."
    )
    if waits:
        median = _hours(waits[(len(waits) - 1) // 2])
        who = "It" if count == 1 else "They" if len(waits) == count else f"{len(waits)} of them"
        text += (
            f" {who} waited {median}{' (median)' if len(waits) > 1 else ''} from that try to "
            f"{_verb(len(waits), 'its', 'their')} add ({_names(added)})."
        )
    timer = timer_label(analysis.tracker.options.full_sync_after)
    text += (
        f" Avoiding the {timer} wait takes directory sync before the connector's first try, at "
        f"most one cycle ({every}) after discovery: "
    )
    cycle = analysis.result.interval.total_seconds()
    short = [name for name, seconds in DIRECTORY_SYNC_DEFAULTS if seconds < cycle]
    if not short:
        text += (
            "shorter than either default sync interval (DirSync's was 3 hours, Azure AD "
            "Connect's is 30 minutes), so schedule user discovery after the directory sync cycle."
        )
    else:
        longer = [name for name, seconds in DIRECTORY_SYNC_DEFAULTS if seconds >= cycle]
        text += (
            f"a sync interval under {every} would have avoided it ({' and '.join(short)} "
            f"{_verb(len(short), 'is', 'are')}"
            + (f"; {longer[0]} is not)" if longer else ")")
            + ", or schedule user discovery after the directory sync cycle."
        )
    return Advice("dirsync_schedule", text)


def _hours(seconds: float) -> str:
    """`24h 05m`: a wait near the timer's length, in hours and minutes (not rounded to days)."""
    minutes = round(seconds / 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


UNROUTABLE_SUFFIXES = frozenset(
    {"local", "localdomain", "lan", "home", "corp", "internal", "intranet", "private"}
)
"""Top-level labels no tenant can verify as a domain, as on-premises forests use them: `.local`
(multicast DNS, RFC 6762), `.localdomain`, `.lan`, `.home` and `.corp` (never delegated),
`.internal` (kept for private use), `.intranet` and `.private`. A bare host name (no dot) is
unroutable too."""


def unroutable_suffix(upn: str, added: set[str]) -> str | None:
    """The UPN's suffix if Azure AD cannot hold it (see `UNROUTABLE_SUFFIXES`), unless users
    with that suffix were added (`added`: the tenant holds it after all); else None."""
    domain = upn.rpartition("@")[2].casefold().rstrip(".")
    if not domain or domain in added:
        return None
    if "." not in domain or domain.rpartition(".")[2] in UNROUTABLE_SUFFIXES:
        return domain
    return None


def next_step(summary: Summary, command: str) -> str:
    """The one thing to do next: the first advice, else where to read more (`command` names
    the summary command to run on the same inputs)."""
    if summary.advice:
        return summary.advice[0].text
    return f"Nothing to fix in this log; `{command}` shows the connector's health day by day."


_CHECK_CONNECTOR = Advice(
    "check_connector",
    "Check that SMS_CLOUD_USERSYNC is running (Configuration Manager Service Manager) and read "
    "smsexec.log and CloudUserSync.log for why the connector does not sync.",
)


def restart_advice(analysis: Analysis) -> list[Advice]:
    """What a restart of SMS Executive now would do: its full sync retries every UserNotFound
    user, the waiting ones sooner and the overdue ones at all. With an export of Azure AD users
    (`analysis.cloud`), only the users in it count: for the others the retry fails again, and
    the advice says so and points at DirSync."""
    from .analysis import in_azure_ad

    cloud = analysis.cloud
    result = analysis.tracker.result(
        analysis.as_of,
        restart_at=analysis.as_of,
        states=STUCK_STATES,
        restart_helps=cloud.has if cloud is not None else None,
    )
    freed = in_azure_ad(result, cloud).users
    sooner = [u for u in freed if u.recovery_by == "what-if" and u.state == "waiting"]
    sooner = [u for u in sooner if u.time_saved_s or u.no_times]
    overdue = [u for u in freed if u.recovery_by == "what-if" and u.state == "overdue"]
    absent = [u for u in freed if u.in_azure_ad is False and u.reason == USER_NOT_FOUND]
    # (a redacted name is looked up nowhere: in_azure_ad is None)
    advice = []
    parts = []
    if sooner:
        saved = max(u.time_saved_s or 0.0 for u in sooner)
        by = f" up to {human_duration(saved)}" if saved else ""  # (no times: by how much?)
        parts.append(f"{len(sooner)} waiting user{_s(len(sooner))} ({_names(sooner)}){by} sooner")
    if overdue:
        parts.append(f"{len(overdue)} overdue user{_s(len(overdue))} ({_names(overdue)})")
    if parts and cloud is None:
        advice.append(
            Advice(
                "restart_sms_executive",
                "Restart the SMS Executive service on the site server with the service "
                f"connection point to force a full sync: it would retry {' and '.join(parts)}.",
            )
        )
    elif parts:
        # the export's time in the offset of the log's end, as the advice's other times
        zone = analysis.as_of.tzinfo if analysis.as_of is not None else None
        taken = f" (export of {cloud.taken(zone)})" if cloud is not None and cloud.as_of else ""
        advice.append(
            Advice(
                "restart_sms_executive",
                "Restart the SMS Executive service on the site server with the service "
                "connection point now: its full sync would add the users already in Azure AD"
                f"{taken}, {' and '.join(parts)}.",
            )
        )
    if absent:
        count = len(absent)
        advice.append(
            Advice(
                "check_azure_ad_scope",
                f"{count} stuck user{_s(count)} {_verb(count, 'is', 'are')} not in Azure AD "
                f"({_names(absent)}): a restart of SMS Executive will not add "
                f"{_verb(count, 'it', 'them')}. Check the DirSync / Azure AD Connect scope and "
                "schedule, and that the on-premises UPN matches the Azure AD UPN.",
            )
        )
    return advice


def certificate_advice(chain: list[Cause]) -> Advice:
    """What to do about a connector waiting for its certificate, from what sibling logs say."""
    where = {cause.kind: f"{base_name(cause.source)}:{cause.line}" for cause in chain}
    if "no_intune_subscription" in where:
        return Advice(
            "link_intune_subscription",
            "Link an Intune subscription to the hierarchy (Administration > Cloud Services > "
            f"Microsoft Intune Subscriptions): the site has none ({where['no_intune_subscription']}"
            "), so Certmgr gets no certificate for the connector, which cannot sync users "
            "without it.",
        )
    failed = f" (it failed to get it, {where['certificate_failed']})" if where else ""
    return Advice(
        "check_certmgr",
        "Check CertMgr.log on the site server: the connector cannot sync users until "
        f"Certmgr installs its certificate{failed}.",
    )


def unreconciled_finding(result: Result) -> Finding:
    """Cycles whose totals do not match the users they notified (SPEC §4 rule 2)."""
    count = result.unreconciled_count
    first = result.unreconciled[0]
    return Finding(
        "unreconciled_counts",
        "warning",
        f"{count} cycle{_s(count)} logged totals that do not match the users notified in "
        f"{_verb(count, 'it', 'them')}; those users were left as they were (first at "
        f"{iso(first.time)}: received {first.received}, added {first.added}, "
        f"{first.notified} notified and not held back)",
        tuple(
            Evidence(c.source, c.line or c.totals_line, c.time)
            for c in result.unreconciled[:MAX_EVIDENCE]
        ),
    )


def _names(users: list[UserState]) -> str:
    names = ", ".join(u.upn for u in users[:MAX_EVIDENCE])
    more = len(users) - MAX_EVIDENCE
    return f"{names} and {more} more" if more > 0 else names


def _failures(users: list[UserState]) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(u.failure_source, u.failure_line or 0, u.last_failure)
        for u in users[:MAX_EVIDENCE]
        if u.failure_source is not None
    )


def _verb(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _s(count: int) -> str:
    return "" if count == 1 else "s"
