"""The conclusions drawn at `as_of` (SPEC §4 rules 4-9): each user's state and expected recovery,
the connector's state, the interval, a followed user's timeline.

Functions of a `Tracker` that has read the rows; nothing here changes it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from operator import itemgetter
from typing import NamedTuple

from ..times import instant_key, iso, micros, moment_time, timeless
from .model import (
    AWAITING_TOTALS,
    DEFAULT_INTERVAL,
    GRACE_INTERVALS,
    LATEST,
    STALL_INTERVALS,
    STATES,
    UNDETERMINED,
    USER_NOT_FOUND,
    Cause,
    Connector,
    Moment,
    Result,
    Step,
    UserState,
    _time,
    lower_median,
    timer_label,
)
from .rules import Tracker, _Seen, held_unknown

_MICROSECOND = timedelta(microseconds=1)


class _Context(NamedTuple):
    """What every user's state is judged against, in microseconds."""

    as_of: int | None
    interval: int
    pending_restart: int | None
    restart_delay: int
    what_if: int | None
    latest_due: int | None
    """The latest due time of users held back since before the input (rule 2b)."""
    restart_helps: Callable[[str], bool] | None = None
    """Whether the what-if restart can add a user (it is in Azure AD); None: every user."""


def interval(tracker: Tracker) -> tuple[timedelta, bool]:
    """(cycle interval, whether it was observed rather than given or defaulted)."""
    if tracker.options.interval is not None:
        return tracker.options.interval, False
    if not tracker._gaps:
        return DEFAULT_INTERVAL, False
    return timedelta(microseconds=lower_median(tracker._gaps)), True


def restart_delay(tracker: Tracker, interval: int) -> int:
    """How soon a cycle follows a restart: as the log showed before, else one interval."""
    return lower_median(tracker._restart_delays) if tracker._restart_delays else interval


def moment(tracker: Tracker, us: int) -> Moment:
    """A computed instant with the zone the log used then (SPEC §4 rule 8)."""
    return (us, tracker.zone_table.at(us))


def localize(tracker: Tracker, us: int) -> datetime:
    """Show a computed instant in the offset the log used then (SPEC §4 rule 8)."""
    return moment_time(*moment(tracker, us))


def next_cycle_at_or_after(tracker: Tracker, when: int, interval: int) -> int:
    """The first cycle at or after `when` on the schedule of the last observed cycle."""
    last = tracker._run_last_cycle or tracker._last_cycle
    if last is None:
        return when
    return last[0] + -(-(when - last[0]) // interval) * interval


def connector(tracker: Tracker, as_of: int | None, interval: int) -> Connector:
    """The connector's state at `as_of` (microseconds), with the record that shows it and
    what sibling logs show as its cause."""
    found = _connector_state(tracker, as_of, interval)
    if found.ok or not tracker._causes:
        return found
    return found._replace(causes=causes(tracker, found))


CERTIFICATE_CAUSES = ("no_intune_subscription", "certificate_failed")
"""The chain behind a certificate wait, root first: a site without an Intune subscription gets
no connector certificate from Certmgr."""


def causes(tracker: Tracker, found: Connector) -> tuple[Cause, ...]:
    """The causes of a connector problem in sibling logs since the last cycle: the first record
    of each link of the certificate chain (for a certificate wait), then the component install
    errors (for a wait or a stop, those that came before it)."""
    kept = sorted(tracker._causes, key=itemgetter(0))
    chain: list[Cause] = []
    if "certificate_missing" in found.problems:
        for kind in CERTIFICATE_CAUSES:
            first = next((cause for cause in kept if cause[2] == kind), None)
            if first is not None:
                us, zone, _, source, line, _ = first
                chain.append(Cause(kind, moment_time(us, zone), source, line))
    # a wait or a stop begins at its record; a stall or a log without cycles, at the last cycle
    # or the log's start, which only errors after it can explain
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


def _connector_state(tracker: Tracker, as_of: int | None, interval: int) -> Connector:
    """The connector's state at `as_of` (microseconds), with the record that shows it."""
    last_cycle = _time(tracker._last_cycle)
    restart = tracker._restarts[-1] if tracker._restarts else None
    last_restart = restart.time if restart is not None else None
    stopped = tracker._stopped
    waiting = tracker._certificate_wait
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
    if tracker._last_cycle is None and tracker._last_totals is None:
        where = (restart.source, restart.line) if restart is not None else tracker._first_where
        return Connector(
            "no_cycles", "no_cycles", _time(tracker._first), None, last_restart, *where
        )
    totals = tracker._last_totals
    if tracker._last_cycle is not None and (totals is None or tracker._last_cycle[0] >= totals):
        reference, where = tracker._last_cycle[0], tracker._last_cycle_where
    else:
        assert totals is not None
        reference, where = totals, tracker._last_totals_where
    since: datetime | None = last_cycle or localize(tracker, reference)
    if tracker._awaiting_first_cycle is not None and restart is not None:
        reference, since = tracker._awaiting_first_cycle, last_restart
        where = (restart.source, restart.line)
    if as_of is not None and as_of - reference > STALL_INTERVALS * interval:
        return Connector("stalled", "connector_stalled", since, last_cycle, last_restart, *where)
    return Connector("running", None, None, last_cycle, last_restart)


def conclude(
    tracker: Tracker,
    as_of: datetime | None = None,
    restart_at: datetime | None = None,
    states: Collection[str] | None = None,
    match: Callable[[str], bool] | None = None,
    restart_helps: Callable[[str], bool] | None = None,
) -> Result:
    """Each user's state at `as_of`; `restart_at`: what if SMS Executive restarted then?

    Only the users whose UPN is a `match` count, and only those in `states` are listed
    (the others are only counted): a report of the stuck few out of many users builds
    nothing for the rest. With `restart_helps`, the what-if restart frees only the users for
    whose UPN it is true (those in Azure AD: its full sync fails again for the others, who keep
    their own timer).
    """
    as_of = as_of if as_of is not None else _time(tracker._last)
    every, observed = interval(tracker)
    interval_us = every // _MICROSECOND
    pending = tracker._restarts[-1] if tracker._full_next and tracker._restarts else None
    as_of_us = None if as_of is None or timeless(as_of) else micros(as_of)  # no times: by order
    start = tracker._start
    context = _Context(
        as_of=as_of_us,
        interval=interval_us,
        pending_restart=None if pending is None else micros(pending.time),
        restart_delay=restart_delay(tracker, interval_us),
        what_if=None if restart_at is None else micros(restart_at),
        latest_due=None if start is None else start + tracker._after,
        restart_helps=restart_helps,
    )
    counts = dict.fromkeys(STATES, 0)
    undetermined = 0
    rank = {state: index for index, state in enumerate(STATES)}
    listed = []  # (rank of the state, expected recovery, key, state): the order shown
    for key, user in tracker._users.items():
        if match is not None and not match(user.upn):
            continue
        if states is None:
            found = _state(tracker, key, user, context)
        else:
            quick = _settled_state(user)
            if quick is not None and quick not in states:
                counts[quick] += 1
                undetermined += quick == "pending" and key in tracker._undecided
                continue
            found = _state(tracker, key, user, context)
            if found.state not in states:
                counts[found.state] += 1
                undetermined += found.undetermined
                continue
        counts[found.state] += 1
        undetermined += found.undetermined
        listed.append((rank[found.state], found.instants[3] or 0, key, found))
    listed.sort(key=itemgetter(0, 1, 2))
    users = [entry[3] for entry in listed]
    del listed
    timeline = list(tracker._timeline)
    if tracker._follow is not None:
        followed = next((u for u in users if u.upn.lower() == tracker._follow), None)
        if followed is not None:
            timeline += _outlook(followed, tracker.options.full_sync_after)
        timeline.sort(key=lambda step: instant_key(step.time))
        timeline = _fold_held_back(timeline)
    return Result(
        as_of=as_of,
        users=users,
        cycles=tracker._cycles,
        full_syncs=tracker._full_syncs,
        restarts=list(tracker._restarts),
        interval=every,
        interval_observed=observed,
        last_cycle=_time(tracker._last_cycle),
        first_time=_time(tracker._first),
        last_time=_time(tracker._last),
        connector=connector(tracker, as_of_us, interval_us),
        unreconciled=list(tracker._unreconciled),
        unreconciled_count=tracker._unreconciled_count,
        certificate_waits=tracker._certificate_waits,
        timeline=timeline,
        counts=counts,
        undetermined=undetermined,
    )


def _state(tracker: Tracker, key: str, user: _Seen, context: _Context) -> UserState:
    expected: int | None = None
    observed = False
    recovery_by: str | None = None
    bound: str | None = None
    saved: float | None = None
    remaining: float | None = None
    due_by: int | None = None
    due = user.full_sync_due
    every = context.interval
    last_failure = user.last_failure[0] if user.last_failure is not None else None
    pending_reason: str | None = None
    state = _settled_state(user)
    if state == "pending":
        if key in tracker._undecided:
            pending_reason = UNDETERMINED
        elif key in tracker._received:
            pending_reason = AWAITING_TOTALS
    elif state is None:  # its timer runs: a known one, or one since before the input
        restart = context.pending_restart
        if held_unknown(user):
            due_by = context.latest_due
            assert due_by is not None  # (a user was held back: the tracker read rows)
            if user.restart_cycle is not None:
                expected, observed, recovery_by = user.restart_cycle[0], True, "restart"
            else:
                bound_cycle = tracker._bound_cycle
                if bound_cycle is not None:
                    expected, observed = bound_cycle[0], True
                else:
                    expected = next_cycle_at_or_after(tracker, due_by, every)
                recovery_by, bound = "timer", LATEST
                if restart is not None and user.failure_restarts < len(tracker._restarts):
                    soon = restart + context.restart_delay
                    if soon < expected:
                        expected, observed, recovery_by, bound = soon, False, "restart", None
        else:
            assert due is not None  # (what _settled_state checked)
            if user.restart_cycle is not None:
                expected, observed, recovery_by = user.restart_cycle[0], True, "restart"
            elif user.due_cycle is not None:
                expected, observed, recovery_by = user.due_cycle[0], True, "timer"
            else:
                expected, recovery_by = next_cycle_at_or_after(tracker, due, every), "timer"
                if restart is not None and last_failure is not None and restart >= last_failure:
                    soon = restart + context.restart_delay
                    if soon < due:
                        expected, recovery_by = soon, "restart"
        overdue = context.as_of is not None and context.as_of >= expected + GRACE_INTERVALS * every
        what_if = context.what_if
        helps = context.restart_helps
        if helps is not None and what_if is not None and not helps(user.upn):
            what_if = None  # not in Azure AD: the restart's full sync fails again
        if what_if is not None and (last_failure is None or what_if >= last_failure):
            # a restart's full sync retries every stuck user: an overdue one at all, a
            # waiting one sooner only if its own retry comes after the restart's cycle
            candidate = what_if + context.restart_delay
            if overdue or (not observed and candidate < expected):
                saved = None if overdue else (expected - candidate) / 1_000_000
                if context.as_of is None:
                    saved = None  # no times: sooner, by how much is unknown
                expected, recovery_by, bound = candidate, "what-if", None
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
        instants=(
            None if user.first_failure is None else user.first_failure[0],
            None if user.last_failure is None else user.last_failure[0],
            due,
            expected,
            user.recovered_at,
            user.synced_at,
            user.first_seen,
            user.last_seen,
            due_by,
        ),
        zones=tracker.zone_table,
        before_input=user.before_input,
        bound=bound,
        pending_reason=pending_reason,
    )


def _settled_state(user: _Seen) -> str | None:
    """The state of a user that no timer holds (None for one waiting or overdue)."""
    if user.failing:
        if user.reason is None:  # held back since before the input (rule 2b)
            return None
        if user.reason == USER_NOT_FOUND and user.full_sync_due is not None:
            return None
        return "failed"
    if user.synced_at is not None:
        return "recovered" if user.ever_failed else "synced"
    return "pending"


def _fold_held_back(steps: list[Step]) -> list[Step]:
    """A run of held-back notifications (one per cycle) as one step: the first, with the count
    and the last time."""
    folded: list[Step] = []
    run: list[Step] = []
    for step in [*steps, None]:
        if step is not None and step.what == "held_back" and step.detail.startswith("notified"):
            run.append(step)
            continue
        if len(run) == 1:
            folded.append(run[0])
        elif run:
            first, last = run[0], run[-1]
            detail = f"{first.detail}; held back in {len(run)} cycles"
            if not timeless(last.time):
                detail += f", the last at {iso(last.time)}"
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
    elif user.full_sync_due_by is not None:
        timer_text = timer_label(timer)
        detail = f"{timer_text} timer runs out at the latest (its failure is before the log)"
        steps.append(Step(user.full_sync_due_by, "full_sync_due", detail))
    if user.stuck and user.expected_recovery is not None:
        how = "observed cycle" if user.expected_recovery_observed else "predicted cycle"
        latest = ", at the latest" if user.bound == LATEST else ""
        steps.append(
            Step(user.expected_recovery, "expected_recovery", f"{how} ({user.recovery_by}{latest})")
        )
    return steps
