"""What the tracker concludes, and the constants of its rules (SPEC §4)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime, timedelta, tzinfo
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from ..sources import base_name
from ..times import NO_TIMES, moment_time

USER_NOT_FOUND = "UserNotFound"
DEFAULT_INTERVAL = timedelta(minutes=5)
DEFAULT_FULL_SYNC_AFTER = timedelta(hours=24)
SAME_RESTART_WINDOW = timedelta(minutes=10)  # (smsexec.log's and the connector's: one restart)
GRACE_INTERVALS = 2
"""A stuck user is `overdue` once its expected recovery is this many intervals past."""
STALL_INTERVALS = 3
"""The connector has stalled when no cycle came for more than this many intervals."""
GAP_WINDOW = 4095
"""The interval is the median of the latest this many gaps between cycles (memory stays flat)."""
MAX_KEPT = 20  # (unreconciled cycles kept as evidence: all are counted)
MAX_CAUSES = 256
"""Records of sibling logs kept as causes of a connector problem since its last cycle."""

TRACKED_KINDS = frozenset({
    "component_started", "processing_started", "processing_stopping", "sync_started",
    "remove_totals", "users_removed", "user_add_requested", "user_add_failed", "add_totals",
    "status_message", "certificate_wait", "certificate_failed", "no_intune_subscription",
})
"""The event kinds the tracker reads; the rest it ignores."""
CYCLE_OPENINGS = frozenset({"remove_totals", "users_removed"})
"""The removal lines every cycle logs just after its start: read where the start is not."""

STATES = ("waiting", "overdue", "failed", "pending", "recovered", "synced")
STUCK_STATES = frozenset({"waiting", "overdue"})
FINDING_STATES = ("waiting", "overdue", "failed", "pending")
"""The states that are a finding (a gate may count them); `recovered` and `synced` are none."""

UNDETERMINED = "undetermined"
"""`pending_reason` of a user notified in cycles whose counts cannot say whether it was held
back since before the input (SPEC §4 rule 2b): it may be stuck."""
AWAITING_TOTALS = "awaiting_totals"
"""`pending_reason` of a user whose cycle has not logged its totals yet."""
RETRY_UNSEEN = "retry_unseen"
"""`pending_reason` of a user whose timer ran out where the input cannot show whether the retry
came and added it (no cycle's start or totals, lines left out): it may be stuck."""
SHARED_NAME = "shared_name"
"""`pending_reason` of a redacted name that failed and that several users share (named twice
in one cycle): whose failures and states are whose, the input cannot say."""
_MAY_BE = {RETRY_UNSEEN: ("waiting", "overdue"), SHARED_NAME: ("waiting", "overdue", "failed")}
_UNKNOWN = frozenset({UNDETERMINED, *_MAY_BE})

LATEST = "latest"
"""`bound` of an expected recovery that is a latest bound (a failure before the input)."""

Moment = tuple[int, "tzinfo | None"]
"""An instant as (microseconds since the epoch, the zone the log used): cheap to make per event.
Naive times count as UTC, like `instant_key`."""

Row = tuple[int, "tzinfo | None", str, Any, str, int]
"""What the tracker reads of one record: (microseconds, zone, kind, payload, source, line)."""


class TrackerOptions(NamedTuple):
    full_sync_after: timedelta = DEFAULT_FULL_SYNC_AFTER
    """The per-user timer that a UserNotFound failure (re)starts."""
    interval: timedelta | None = None
    """Connector cycle interval; None: the median gap between cycles of a run, else 5 min."""
    follow: str | None = None
    """A UPN whose history to keep for `timeline` (case-insensitive)."""
    follow_part: bool = False
    """`follow` may be a part of a UPN: the history kept is that of the user whose UPN it is,
    else of the first user met whose UPN holds it (the one it names, when only one does)."""


class Restart(NamedTuple):
    """SMS Executive (re)started the connector; the next cycle is a full sync."""

    time: datetime
    source: str
    line: int
    via: str
    """The event kind that showed it: `component_started` or `processing_started`."""
    thread_id: int | None = None


class Step(NamedTuple):
    """One entry of a user's timeline."""

    time: datetime
    what: str
    """`requested`, `failed`, `added`, `restart`, `full_sync_due`, `retry_cycle`, ..."""
    detail: str
    source: str = ""
    line: int = 0
    times: tuple[datetime, ...] = ()
    """The times `detail` names, in the log's offsets (see `history.step_of`)."""
    template: str = ""
    """`detail` with `TIME_MARK` where it names one of `times` (empty: it names none)."""

    def text(self, show: Callable[[datetime], str | None]) -> str:
        """`detail` with the times it names shown by `show` (`--tz` and the format's way)."""
        parts = self.template.split(TIME_MARK)
        if not self.template or len(parts) != len(self.times) + 1:  # (or marks in log words)
            return self.detail
        named = zip(self.times, parts[1:], strict=True)
        return parts[0] + "".join((show(time) or "") + part for time, part in named)


TIME_MARK = "\ue000"  # (where a step's `detail` names one of its `times`: of private use)


def time_of(moment: Moment | None) -> datetime | None:  # (None for none)
    return None if moment is None else moment_time(*moment)


class ZoneTable:
    """The zones a log used, from the instant each began: a computed instant is shown in the
    offset the log used then (SPEC §4 rule 8). Shared by every result of one tracker."""

    __slots__ = ("keys", "zones")

    def __init__(self, keys: list[int], zones: list[tzinfo | None]) -> None:
        self.keys = keys
        self.zones = zones

    def at(self, us: int) -> tzinfo | None:
        """The zone of the last record at or before `us` (of the first record before any)."""
        if not self.zones:
            return None
        return self.zones[max(bisect_right(self.keys, us) - 1, 0)]

    def moment(self, us: int | None) -> Moment | None:
        if us is None:
            return None
        zone = self.at(us)
        return None if zone is NO_TIMES else (us, zone)  # no times: an instant only orders

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ZoneTable) and self.keys == other.keys and self.zones == other.zones
        )

    def __hash__(self) -> int:
        return hash(tuple(self.keys))

    def __repr__(self) -> str:
        return f"ZoneTable({list(zip(self.keys, self.zones, strict=True))!r})"


class UserState(NamedTuple):
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
    instants: tuple[int | None, ...]
    """Microseconds of first_failure, last_failure, full_sync_due, expected_recovery,
    recovered_at, synced_at, first_seen, last_seen, full_sync_due_by; shown in the zones of
    `zones` (a moment each would cost a tuple: a report of many users holds them all)."""
    zones: ZoneTable
    before_input: bool = False
    """The failing run began before the input: the user was held back by a timer whose failure
    is not in the log (SPEC §4 rule 2b); its first failure and due time are unknown."""
    bound: str | None = None
    """`latest` when `expected_recovery` is a latest bound (rule 2b), else None."""
    pending_reason: str | None = None
    """Why a `pending` user has no outcome (`AWAITING_TOTALS`, `UNDETERMINED`, `RETRY_UNSEEN`,
    `SHARED_NAME`)."""
    in_azure_ad: bool | None = None
    """Whether the user is in an export of Azure AD users (`--cloud-users`); None without one."""
    shared_by: int = 1
    """The users a redacted name that several users share (`SHARED_NAME`) stands for, at least:
    the most times one cycle names it. A gate counts each."""

    @property
    def no_times(self) -> bool:
        """Its input has no times: its times, timer and due time are null (`NO_TIMES_REASON`)."""
        return bool(self.zones.zones) and self.zones.zones[-1] is NO_TIMES

    @property
    def moments(self) -> tuple[Moment | None, ...]:
        """The `instants` with the zone the log used at each."""
        return tuple(map(self.zones.moment, self.instants))

    def _at(self, index: int) -> datetime | None:
        return time_of(self.zones.moment(self.instants[index]))

    @property
    def first_failure(self) -> datetime | None:
        return self._at(0)

    @property
    def last_failure(self) -> datetime | None:
        return self._at(1)

    @property
    def full_sync_due(self) -> datetime | None:
        return self._at(2)

    @property
    def expected_recovery(self) -> datetime | None:
        return self._at(3)

    @property
    def recovered_at(self) -> datetime | None:
        return self._at(4)

    @property
    def synced_at(self) -> datetime | None:
        return self._at(5)

    @property
    def first_seen(self) -> datetime:
        return self._at(6)  # type: ignore[return-value]

    @property
    def last_seen(self) -> datetime:
        return self._at(7)  # type: ignore[return-value]

    @property
    def full_sync_due_by(self) -> datetime | None:
        return self._at(8)

    @property
    def stuck(self) -> bool:
        return self.state in STUCK_STATES

    @property
    def undetermined(self) -> bool:  # (counts that cannot say whether it is held back)
        return self.pending_reason == UNDETERMINED

    @property
    def outcome_unknown(self) -> bool:
        """Pending where the input cannot say whether it is stuck (undetermined, its retry not
        in the input, a shared name, `retry_awaited`): a gate counts it as stuck (`unknown_as`)."""
        return self.pending_reason in _UNKNOWN or self.retry_awaited

    @property
    def retry_awaited(self) -> bool:  # (retried after a failure, its totals to come: stuck?)
        return self.pending_reason == AWAITING_TOTALS and self.failures > 0

    @property
    def unknown_as(self) -> tuple[str, ...]:
        """The states a gate counts a user whose outcome is unknown as: waiting, and, past its
        due time with its retry not in the input, overdue too (it may be). In an input with no
        times, a due time is unknown, so it may be past: a user waiting, or that may be, may
        be overdue."""
        if self.pending_reason in _MAY_BE:  # (its retry unseen; a name several users share)
            return _MAY_BE[self.pending_reason]
        if self.pending_reason == UNDETERMINED or self.retry_awaited:
            return ("waiting", "overdue") if self.no_times else ("waiting",)
        return ("overdue",) if self.state == "waiting" and self.no_times else ()

    def listed_in(self, states: Collection[str]) -> bool:
        """Whether a list of the users in `states` holds it (its state, or one it counts as)."""
        return self.state in states or any(state in states for state in self.unknown_as)


class CycleEvidence(NamedTuple):
    """A cycle whose totals line does not reconcile with the users it notified."""

    time: datetime
    source: str
    line: int
    """The cycle's `Starting user ... sync` line, or its totals line when the log starts inside
    the cycle."""
    totals_line: int
    received: int
    added: int
    notified: int
    """Users notified in the cycle and not held back by their timer."""


class Cause(NamedTuple):
    """A record of a sibling log that says why the connector is in trouble (SPEC §4 rule 9)."""

    kind: str
    """`no_intune_subscription` (dmpuploader.log), `certificate_failed` (CertMgr.log), or
    `install_errors` (sitecomp.log's error status messages for the connector)."""
    time: datetime
    """The first such record since the connector's last cycle."""
    source: str
    line: int
    status_ids: tuple[int, ...] = ()
    """For `install_errors`: the IDs of the error status messages, in order of first sight."""


def cause_text(causes: Iterable[Cause]) -> str:
    """The causes of a connector problem in sibling logs in words, each with its `file:line`;
    empty when none is known."""
    causes = tuple(causes)
    where = {cause.kind: f"{base_name(cause.source)}:{cause.line}" for cause in causes}
    parts = []
    intune, certificate = where.get("no_intune_subscription"), where.get("certificate_failed")
    if intune and certificate:
        parts.append(
            f"the site has no Intune subscription ({intune}), "
            f"so the connector gets no certificate ({certificate})"
        )
    elif intune:
        parts.append(f"the site has no Intune subscription ({intune})")
    elif certificate:
        parts.append(f"Certmgr failed to get the connector certificate ({certificate})")
    for cause in causes:
        if cause.kind == "install_errors":
            ids = ", ".join(str(status) for status in cause.status_ids)
            parts.append(
                f"component install errors: status messages {ids} "
                f"({where['install_errors']})"
            )
    return "; ".join(parts)


class Connector(NamedTuple):
    """The connector's own state at `as_of` (SPEC §4 rule 9: part of every verdict)."""

    state: str
    """`running`, `stalled`, `waiting_for_certificate`, `stopped` or `no_cycles`."""
    code: str | None
    """The finding code of a problem (`connector_stalled`, `certificate_missing`,
    `connector_stopped`, `no_cycles`), None when running."""
    since: datetime | None
    """Since when the state holds: the last cycle (or restart) for a stall, the first
    certificate wait since the last cycle, the stop, the start of the log for no cycles."""
    last_cycle: datetime | None
    last_restart: datetime | None
    source: str = ""
    line: int = 0
    """Evidence: the record that shows the state (none when running)."""
    certificate_since: datetime | None = None
    """A stopped connector that waited for its certificate before it stopped: the first
    wait of that run."""
    causes: tuple[Cause, ...] = ()
    """What sibling logs show as the cause of a problem: for a certificate wait, no Intune
    subscription and Certmgr's failure to get the certificate; for any problem, the component
    install errors since the last cycle (for a wait or a stop, those before it). Empty when
    running or when no sibling log tells."""

    @property
    def ok(self) -> bool:
        return self.code is None

    @property
    def problems(self) -> tuple[str, ...]:
        """Every problem code the state shows: a stop after certificate waits is both; a stop
        or a certificate wait with no cycle in the input before it is also `no_cycles`."""
        if self.code is None:
            return ()
        found: tuple[str, ...] = (self.code,)
        if self.certificate_since is not None and self.code != "certificate_missing":
            found += ("certificate_missing",)
        if self.last_cycle is None and self.code in ("connector_stopped", "certificate_missing"):
            found += ("no_cycles",)
        return found

    def problem_in(self, chosen: Collection[str]) -> str | None:
        """The first problem code of the state that `chosen` names (`--fail-on`), if any."""
        return next((code for code in self.problems if code in chosen), None)


CONNECTOR_CODES = ("no_cycles", "certificate_missing", "connector_stalled", "connector_stopped")
"""Finding codes of a connector problem, as `--fail-on` names them."""


class Result(NamedTuple):
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
    unreconciled: list[CycleEvidence]
    """The first `MAX_KEPT` cycles whose counts did not reconcile."""
    unreconciled_count: int
    certificate_waits: int
    timeline: list[Step]
    counts: dict[str, int]
    """How many users (of those matched) are in each state, every state listed."""
    undetermined: int
    """Matched users pending with counts that cannot say whether they are held back."""
    retry_unseen: int = 0
    """Matched users pending because their retry is not in the input (`RETRY_UNSEEN`)."""
    shared_beyond: int = 0
    """Users beyond one that each matched shared redacted name stands for (`shared_by` - 1)."""
    may_be: Mapping[str, int] = MappingProxyType({})
    """Matched pending users whose outcome is unknown, by each state they may be (`unknown_as`)."""
    unnamed_failures: int = 0
    """Adds failed by the cycles' totals (`received` - `added`) beyond their failure lines:
    no failure line names their users, so no state can be told."""
    unnamed_at: tuple[datetime, str, int] | None = None
    """The first totals line that counts such a failure: its time, source and line."""


def unnamed_words(count: int) -> str:
    """Failed adds that no failure line names (`Result.unnamed_failures`), in words."""
    adds = "failed add" if count == 1 else "failed adds"
    return f"{count} {adds} that no failure line of the input names"


def timer_label(length: timedelta) -> str:
    """The timer's length as people say it: `24 h`, `90 min`, `45 s`."""
    seconds = length.total_seconds()
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"


class Observer(Protocol):
    """What a tracker tells an observer (the health summary): each batch of rows read, with
    whether each notification (`user_add_requested` row) of it, in order, was held back."""

    def rows(self, rows: list[Row], held_back: list[bool]) -> None: ...


Handler = Callable[[int, "tzinfo | None", Any, str, int], None]
StartReader = Callable[[int, "tzinfo | None", Any, str, int], "Restart | None"]
"""A `ConnectorLog` handler of a row that may tell of a start: the restart, if one."""
