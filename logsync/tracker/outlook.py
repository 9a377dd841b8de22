"""The conclusions drawn at `as_of` (SPEC §4 rules 4-9): each user's state and expected recovery,
and a followed user's timeline.

Functions of a tracker that has read the rows (`Tracked`: the public face of a `Tracker` and its
parts); nothing here changes it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from operator import itemgetter
from typing import NamedTuple, Protocol

from ..times import instant_key, iso, micros, moment_time, timeless
from .connector import ConnectorLog
from .history import History
from .model import (
    AWAITING_TOTALS,
    DEFAULT_INTERVAL,
    GRACE_INTERVALS,
    LATEST,
    RETRY_UNSEEN,
    STATES,
    TIME_MARK,
    UNDETERMINED,
    Moment,
    Result,
    Step,
    TrackerOptions,
    UserState,
    ZoneTable,
    time_of,
    timer_label,
)
from .totals import CycleTotals, Notified
from .users import Seen, Users, held_unknown, settled_state, user_key

_MICROSECOND = timedelta(microseconds=1)


class Tracked(Protocol):
    """What the conclusions read of a tracker that has read rows."""

    options: TrackerOptions
    after: int
    users: Users
    received: dict[str, Notified]
    log: ConnectorLog
    totals: CycleTotals
    zone_table: ZoneTable
    start: int | None
    bound_cycle: Moment | None
    latest: Moment | None

    @property
    def no_times(self) -> bool: ...
    follow: str | None
    history: History


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


def conclude(
    tracker: Tracked,
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
    as_of = as_of if as_of is not None else time_of(tracker.latest)
    log = tracker.log
    every, observed = log.interval(tracker.options.interval)
    if observed and tracker.totals.gaps is not None:  # (an excerpt's cycles are not in a row)
        every, observed = DEFAULT_INTERVAL, False
    interval_us = every // _MICROSECOND
    pending = log.restarts[-1] if log.full_next and log.restarts else None
    as_of_us = None if as_of is None or timeless(as_of) else micros(as_of)  # no times: by order
    start = tracker.start
    context = _Context(
        as_of=as_of_us,
        interval=interval_us,
        pending_restart=None if pending is None else micros(pending.time),
        restart_delay=log.restart_delay(interval_us),
        what_if=None if restart_at is None else micros(restart_at),
        latest_due=None if start is None else start + tracker.after,
        restart_helps=restart_helps,
    )
    counts = dict.fromkeys(STATES, 0)
    undetermined = unseen = 0
    rank = {state: index for index, state in enumerate(STATES)}
    listed = []  # (rank of the state, expected recovery, key, state): the order shown
    for key, user in tracker.users.items():
        if match is not None and not match(user.upn):
            continue
        if states is None:
            found = _state(tracker, key, user, context)
        else:
            quick = settled_state(user)
            # a pending user whose outcome is unknown is listed with the waiting (it counts
            # as waiting against a gate): its state is worked out
            maybe_listed = quick == "pending" and "waiting" in states
            if quick is not None and quick not in states and not maybe_listed:
                counts[quick] += 1
                undetermined += quick == "pending" and key in tracker.totals.undecided
                continue
            found = _state(tracker, key, user, context)
            if found.state not in states and not any(s in states for s in found.unknown_as):
                counts[found.state] += 1
                undetermined += found.undetermined
                unseen += found.pending_reason == RETRY_UNSEEN
                continue
        counts[found.state] += 1
        undetermined += found.undetermined
        unseen += found.pending_reason == RETRY_UNSEEN
        listed.append((rank[found.state], found.instants[3] or 0, key, found))
    listed.sort(key=itemgetter(0, 1, 2))
    users = [entry[3] for entry in listed]
    del listed
    unnamed, unnamed_at = tracker.totals.unnamed_failures()
    timeline = tracker.history.followed()
    if tracker.follow is not None:
        followed = next((u for u in users if u.upn.lower() == tracker.follow), None)
        if followed is not None:
            timeline += _outlook(followed, tracker.options.full_sync_after)
        timeline.sort(key=lambda step: instant_key(step.time))
        timeline = _fold_held_back(timeline)
    return Result(
        as_of=as_of,
        users=users,
        cycles=log.cycles_seen(tracker.users.values()),
        full_syncs=log.full_syncs,
        restarts=list(log.restarts),
        interval=every,
        interval_observed=observed,
        last_cycle=time_of(log.last_cycle),
        first_time=time_of(log.first),
        last_time=time_of(tracker.latest),
        connector=log.state(as_of_us, interval_us, tracker.users.values(), tracker.totals.unheard),
        unreconciled=list(tracker.totals.unreconciled),
        unreconciled_count=tracker.totals.unreconciled_count,
        certificate_waits=log.certificate_waits,
        timeline=timeline,
        counts=counts,
        undetermined=undetermined,
        retry_unseen=unseen,
        unnamed_failures=unnamed,
        unnamed_at=_unnamed_at(unnamed_at),
    )


def _unnamed_at(at: tuple[Moment, str, int] | None) -> tuple[datetime, str, int] | None:
    if at is None:
        return None
    here, source, line = at
    return moment_time(*here), source, line


def recovered(tracker: Tracked, upns: Iterable[str]) -> list[tuple[str, float | None]]:
    """Of the users `upns`, those that recovered (added after failing), in the order `conclude`
    lists them: each one's UPN and its wait from its first failure to its add, in seconds, as
    the log shows it (None where the input has no times). The few fields of a conclusion that
    advice built on many users needs, without concluding them."""
    table = tracker.zone_table
    found = []
    for key in dict.fromkeys(map(user_key, upns)):
        user = tracker.users.get(key)
        if user is None or settled_state(user) != "recovered":
            continue
        first = user.first_failure[0] if user.first_failure is not None else None
        added = user.recovered_at
        timed = first is not None and added is not None and table.moment(first) is not None
        if timed and table.moment(added) is not None:  # (no times: instants only order)
            found.append((key, user.upn, (added - first) / 1_000_000))  # type: ignore[operator]
        else:
            found.append((key, user.upn, None))
    found.sort(key=itemgetter(0))
    return [(upn, wait) for _, upn, wait in found]


def _state(tracker: Tracked, key: str, user: Seen, context: _Context) -> UserState:
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
    decided = user.last_seen + every  # (a user is held back by the totals of its last cycle)
    state = settled_state(user)
    retried = tracker.received.get(key)
    if (
        state is None
        and retried is not None
        and last_failure is not None
        and retried[1] > last_failure
        and not held_unknown(user)
        and not (retried[2] and tracker.no_times)  # (no times: held, as its cycles were)
    ):
        # its retry came (it was notified after its failure and not held back), no failure
        # line followed, and the input ends before the cycle's totals say whether it was added
        state, pending_reason = "pending", AWAITING_TOTALS
    elif state is None and key in tracker.totals.undecided:
        # notified in the last cycle, whose counts cannot say who was received (rule 2b)
        state, pending_reason = "pending", UNDETERMINED
    elif state == "pending":
        if key in tracker.totals.undecided:
            pending_reason = UNDETERMINED
        elif key in tracker.received:
            pending_reason = AWAITING_TOTALS
    elif state is None and held_unknown(user) and _left_out_before(tracker, decided):
        # held back by counts of cycles the excerpt shows in part, or by a failure that may
        # lie in what it leaves out before the user's first line: since when (and so until
        # when), or whether at all, they cannot say
        state, pending_reason = "pending", UNDETERMINED
    elif state is None:  # its timer runs: a known one, or one since before the input
        restart = context.pending_restart
        if held_unknown(user):
            due_by = context.latest_due
            assert due_by is not None  # (a user was held back: the tracker read rows)
            if user.restart_cycle is not None:
                expected, observed, recovery_by = user.restart_cycle[0], True, "restart"
            elif user.due_cycle is not None:  # passed over: its timer ran out by that cycle
                expected, observed, recovery_by = user.due_cycle[0], True, "timer"
                due_by = min(due_by, expected)
            else:
                bound_cycle = tracker.bound_cycle
                if bound_cycle is not None:
                    expected, observed = bound_cycle[0], True
                else:
                    expected = tracker.log.next_cycle_at_or_after(due_by, every)
                recovery_by, bound = "timer", LATEST
                if restart is not None and user.failure_restarts < len(tracker.log.restarts):
                    soon = restart + context.restart_delay
                    if soon < expected:
                        expected, observed, recovery_by, bound = soon, False, "restart", None
        else:
            assert due is not None  # (what settled_state checked)
            if user.restart_cycle is not None:
                expected, observed, recovery_by = user.restart_cycle[0], True, "restart"
            elif user.due_cycle is not None:
                expected, observed, recovery_by = user.due_cycle[0], True, "timer"
            else:
                expected, recovery_by = tracker.log.next_cycle_at_or_after(due, every), "timer"
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
        room = tracker.totals.room_at
        unseen = not tracker.log.cycles_logged() or _left_out_after(tracker, expected)
        if overdue and (unseen or (room is not None and room >= expected)):
            # past its due time, in an input with no cycle line or that leaves lines out
            # (`grep -C`), or where a cycle since its expected retry received more users than
            # the input names (`findstr "Failed to add"`, with or without the totals lines):
            # the retry (and the add it may have made) may be there unseen, so "no retry
            # logged" would say what it cannot
            state, pending_reason = "pending", RETRY_UNSEEN
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
            held = f"; held back in {len(run)} cycles"
            detail, template = first.detail + held, (first.template or first.detail) + held
            times = first.times
            if not timeless(last.time):
                detail += f", the last at {iso(last.time)}"
                template, times = f"{template}, the last at {TIME_MARK}", (*times, last.time)
            folded.append(
                Step(first.time, "held_back", detail, first.source, first.line, times, template)
            )
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


def _left_out_before(tracker: Tracked, us: int) -> bool:
    """Whether the input leaves lines out somewhere before `us` (see `CycleTotals.gaps`)."""
    gaps = tracker.totals.gaps
    return gaps is not None and gaps[0] is not None and gaps[0] < us


def _left_out_after(tracker: Tracked, us: int) -> bool:
    """Whether the input leaves lines out somewhere after `us`."""
    gaps = tracker.totals.gaps
    return gaps is not None and (gaps[1] is None or gaps[1] > us)
