"""The conclusions drawn at `as_of` (SPEC §4 rules 4-9): each user's state and expected recovery,
and a followed user's timeline.

Functions of a tracker that has read the rows (`Tracked`: the public face of a `Tracker` and its
parts); nothing here changes it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from operator import itemgetter
from typing import NamedTuple, cast

from ..times import MICROSECOND, instant_key, micros, moment_time, timeless
from .history import fold_held_back, outlook_steps
from .model import (
    AWAITING_TOTALS,
    DEFAULT_INTERVAL,
    GRACE_INTERVALS,
    LATEST,
    RETRY_UNSEEN,
    SHARED_NAME,
    STATES,
    STUCK_STATES,
    UNDETERMINED,
    Moment,
    Result,
    UserState,
    time_of,
)
from .unknowns import (
    Tracked,
    held_since_within,
    left_out_before,
    overdue_or_unseen,
    passed_over_unseen,
    retry_in_silence,
    why_pending,
)
from .users import Seen, User, held_unknown, settled_state, user_key


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
    context, every, observed = _context(tracker, as_of, restart_at, restart_helps)
    interval_us = context.interval
    as_of_us = context.as_of
    counts = dict.fromkeys(STATES, 0)
    undetermined = unseen = beyond = 0
    may_be: dict[str, int] = {}
    rank = {state: index for index, state in enumerate(STATES)}
    listed = []  # (rank of the state, expected recovery, key, state): the order shown
    several = tracker.totals.openings.several  # (their state is worked out: `SHARED_NAME`)
    for key, user in tracker.users.items():
        if match is not None and not match(user.upn):
            continue
        if states is not None and key not in several:
            quick = settled_state(user)
            # a pending user whose outcome is unknown is listed with the waiting (it counts
            # as waiting against a gate): its state is worked out
            maybe_listed = quick == "pending" and "waiting" in states
            if quick is not None and quick not in states and not maybe_listed:
                counts[quick] += 1
                if quick == "pending":
                    undetermined += why_pending(tracker, key, user) == UNDETERMINED
                continue
        found = _state(tracker, key, user, context)
        counts[found.state] += 1
        undetermined += found.undetermined
        unseen += found.pending_reason == RETRY_UNSEEN
        beyond += found.shared_by - 1
        for state in found.unknown_as if found.state == "pending" else ():
            may_be[state] = may_be.get(state, 0) + 1
        if states is None or found.listed_in(states):
            listed.append((rank[found.state], found.instants[3] or 0, key, found))
    listed.sort()  # (keys are unique: the states are never compared, and no key is made)
    users = [entry[3] for entry in listed]
    del listed
    unnamed, unnamed_at = tracker.totals.unnamed_failures()
    timeline = tracker.history.followed()
    if tracker.follow is not None:
        followed = next((u for u in users if u.upn.lower() == tracker.follow), None)
        if followed is not None:
            timeline += outlook_steps(followed, tracker.options.full_sync_after)
        timeline.sort(key=lambda step: instant_key(step.time))
        timeline = fold_held_back(timeline)
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
        shared_beyond=beyond,
        may_be=may_be,
        unnamed_failures=unnamed,
        unnamed_at=_unnamed_at(unnamed_at),
    )


def _context(
    tracker: Tracked,
    as_of: datetime | None,
    restart_at: datetime | None,
    restart_helps: Callable[[str], bool] | None,
) -> tuple[_Context, timedelta, bool]:
    """What users are judged against at `as_of`, the cycle interval and whether it was observed
    (the cycles of an excerpt that leaves lines out, or of a pasted one, whose lines someone
    chose, are not in a row: the default interval)."""
    log = tracker.log
    every, observed = log.interval(tracker.options.interval)
    if observed and not tracker.totals.in_a_row:  # (see `stats.unheard`)
        every, observed = DEFAULT_INTERVAL, False
    interval_us = every // MICROSECOND
    pending = log.restarts[-1] if log.full_next and log.restarts else None
    start = tracker.start
    context = _Context(
        as_of=None if as_of is None or timeless(as_of) else micros(as_of),  # no times: by order
        interval=interval_us,
        pending_restart=None if pending is None else micros(pending.time),
        restart_delay=log.restart_delay(interval_us),
        what_if=None if restart_at is None else micros(restart_at),
        latest_due=None if start is None else start + tracker.after,
        restart_helps=restart_helps,
    )
    return context, every, observed


def freed_by_restart(
    tracker: Tracked,
    users: Iterable[UserState],
    as_of: datetime,
    restart_at: datetime,
    restart_helps: Callable[[str], bool] | None = None,
) -> list[tuple[UserState, float | None]]:
    """Of `users`, concluded at `as_of` with no what-if, those SMS Executive restarted at
    `restart_at` retries sooner or at all, in the order `conclude` gives them then (all expected
    at the restart's cycle), each with the seconds it saves (None: overdue, or no times)."""
    context, _, _ = _context(tracker, as_of, restart_at, restart_helps)
    rank = {state: index for index, state in enumerate(STATES)}
    found = []
    for user in users:
        if user.state in STUCK_STATES or user.pending_reason == RETRY_UNSEEN:  # (its timer runs)
            freed = _freed(user, context)
            if freed is not None:
                found.append((rank[user.state], user_key(user.upn), user, freed[1]))
    found.sort()  # (each user's key is its own: the states are never compared, no key is made)
    pairs = cast(list[object], found)  # (each entry made its pair in place: one list at a time)
    for index, (_, _, user, saved) in enumerate(found):
        pairs[index] = (user, saved)
    return cast(list[tuple[UserState, float | None]], pairs)


def _restarted(user: UserState, context: _Context) -> UserState:
    """`user`, whose timer runs, if SMS Executive restarted at `context.what_if`."""
    freed = _freed(user, context)
    if freed is None:
        return user
    expected, saved = freed
    as_of = context.as_of
    return UserState(  # (not `_replace`: tens of thousands of users, at twice the cost)
        upn=user.upn,
        state=user.state,
        reason=user.reason,
        failures=user.failures,
        expected_recovery_observed=False,
        recovery_by="what-if",
        seconds_remaining=None if as_of is None else (expected - as_of) / 1_000_000,
        requests=user.requests,
        skipped=user.skipped,
        time_saved_s=saved,
        failure_source=user.failure_source,
        failure_line=user.failure_line,
        instants=(*user.instants[:3], expected, *user.instants[4:]),
        zones=user.zones,
        before_input=user.before_input,
        bound=None,
        pending_reason=user.pending_reason,
        in_azure_ad=user.in_azure_ad,
    )


def _freed(user: UserState, context: _Context) -> tuple[int, float | None] | None:
    """What a restart at `context.what_if` does for `user`, whose timer runs: None if nothing,
    else its expected recovery and the seconds saved (None: overdue, or no times); its state
    stays (one whose retry may be unseen stays pending). Its full sync retries every stuck user,
    an overdue one at all, a waiting one sooner only if its own retry comes after the restart's
    cycle; not one the restart cannot add (not in Azure AD), nor one that failed after it."""
    what_if = context.what_if
    helps = context.restart_helps
    last_failure, expected = user.instants[1], user.instants[3]
    if what_if is None or (helps is not None and not helps(user.upn)):
        return None
    if expected is None or (last_failure is not None and what_if < last_failure):
        return None
    as_of = context.as_of
    overdue = as_of is not None and as_of >= expected + GRACE_INTERVALS * context.interval
    candidate = what_if + context.restart_delay
    soonest = expected  # (of its own retry; a latest bound with a due time: that due time)
    if user.bound == LATEST and user.instants[2] is not None:
        soonest = user.instants[2]
    if not overdue and (user.expected_recovery_observed or candidate >= soonest):
        return None
    if overdue or as_of is None:
        return candidate, None
    return candidate, (expected - candidate) / 1_000_000


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
    earliest: int | None = None  # (where `expected` is a latest bound: the soonest it may be)
    observed = False
    recovery_by: str | None = None
    bound: str | None = None
    remaining: float | None = None
    due_by: int | None = None
    due = user.full_sync_due
    every = context.interval
    last_failure = user.last_failure[0] if user.last_failure is not None else None
    pending_reason: str | None = None
    timer = False
    decided = user.last_seen + every  # (a user is held back by the totals of its last cycle)
    state = settled_state(user)
    retried = tracker.received.get(key)
    if (
        state is None
        and retried is not None
        and (
            (
                last_failure is not None
                and retried[1] > last_failure
                and not held_unknown(user)
                and not (retried[2] and tracker.no_times)  # (no times: held, as its cycles were)
            )
            or (  # (a restart's full sync)
                (restarted := cast(User, user).restart_cycle) is not None
                and retried[1] >= restarted[0]
            )
        )
    ):
        # its retry came (it was notified after its failure, or in a restart's full sync, and
        # not held back), no failure line followed, and the input ends before the cycle's
        # totals say whether it was added
        state, pending_reason = "pending", AWAITING_TOTALS
    elif state is None and key in tracker.totals.undecided:
        # notified in the last cycle, whose counts cannot say who was received (rule 2b)
        state, pending_reason = "pending", UNDETERMINED
    elif state == "pending":
        pending_reason = why_pending(tracker, key, user)
    elif state is None and held_unknown(user) and (
        left_out_before(tracker, decided) or held_since_within(tracker, user)
    ):
        # held back by counts of cycles the excerpt shows in part, or by a failure that may
        # lie in what it leaves out before the user's first line (or that it does not show,
        # after a cycle that did not notify the user): since when (and so until when), or
        # whether at all, they cannot say
        state, pending_reason = "pending", UNDETERMINED
    elif state is None:  # its timer runs: a known one, or one since before the input
        timer = True
        restart = context.pending_restart
        if held_unknown(user):
            due_by = context.latest_due
            assert due_by is not None  # (a user was held back: the tracker read rows)
            # its failure may lie in the input: by 24 h after the cycle that held it, unless the
            # input's bound came and a cycle passed it over (as held since before the input)
            failed_by = None if user.skipped else cast(User, user).failed_by
            if failed_by is not None:
                due_by = max(due_by, failed_by + tracker.after)
            if user.restart_cycle is not None:
                expected, observed, recovery_by = user.restart_cycle[0], True, "restart"
            elif user.due_cycle is not None:  # passed over: its timer ran out by that cycle
                expected, observed, recovery_by = user.due_cycle[0], True, "timer"
                due_by = min(due_by, expected)
            else:
                bound_cycle = tracker.bound_cycle if failed_by is None else None
                if bound_cycle is not None:
                    expected, observed = bound_cycle[0], True
                else:
                    expected, earliest = _next_cycle(tracker, due_by, every)
                recovery_by, bound = "timer", LATEST
                if restart is not None and user.failure_restarts < len(tracker.log.restarts):
                    soon = restart + context.restart_delay
                    if soon < expected:
                        expected, observed, recovery_by, bound = soon, False, "restart", None
                        earliest = None
        else:
            assert due is not None  # (what settled_state checked)
            if user.restart_cycle is not None:
                expected, observed, recovery_by = user.restart_cycle[0], True, "restart"
            elif user.due_cycle is not None:
                expected, observed, recovery_by = user.due_cycle[0], True, "timer"
            else:
                expected, earliest = _next_cycle(tracker, due, every)
                recovery_by, bound = "timer", None if earliest is None else LATEST
                if restart is not None and last_failure is not None and restart >= last_failure:
                    soon = restart + context.restart_delay
                    if soon < due:
                        expected, recovery_by, bound, earliest = soon, "restart", None, None
        overdue = context.as_of is not None and context.as_of >= expected + GRACE_INTERVALS * every
        if context.as_of is not None:
            remaining = (expected - context.as_of) / 1_000_000
        state = "waiting"
        if overdue:
            due_at = due_by if due is None else due
            retry = expected if earliest is None else earliest  # (the first it may be)
            began = tracker.totals.openings.began(user.cycle)  # (its last cycle's start)
            named = user.last_seen if began is None else min(began, user.last_seen)
            state, pending_reason = overdue_or_unseen(
                tracker, retry, due_at, every, expected, None if due is None else named
            )
        if (maybe := cast(User, user).maybe_retried) is not None and maybe >= user.last_seen:
            state, pending_reason = "pending", RETRY_UNSEEN  # (see `User.maybe_retried`)
        elif state == "waiting" and (
            passed_over_unseen(tracker, user)
            or retry_in_silence(tracker, due_by if due is None else due, expected, every)
        ):  # (a silence: the cycle that retried it may be there, unseen, before `expected`)
            state, pending_reason = "pending", RETRY_UNSEEN
    shared_by, recovered_at, synced_at = 1, user.recovered_at, user.synced_at
    if user.failures and key in tracker.totals.openings.several:  # (several users' name)
        state, pending_reason, timer = "pending", SHARED_NAME, False
        shared_by = tracker.totals.openings.sharers[key]
        expected, remaining, observed, recovery_by, bound = None, None, False, None, None
        recovered_at = synced_at = None  # (one user's add says nothing of the others')
    found = UserState(
        upn=user.upn,
        state=state,
        reason=user.reason,
        failures=user.failures,
        expected_recovery_observed=observed,
        recovery_by=recovery_by,
        seconds_remaining=remaining,
        requests=user.requests,
        skipped=user.skipped,
        time_saved_s=None,
        failure_source=user.failure_source,
        failure_line=user.failure_line,
        instants=(
            None if user.first_failure is None else user.first_failure[0],
            None if user.last_failure is None else user.last_failure[0],
            due,
            expected,
            recovered_at,
            synced_at,
            user.first_seen,
            user.last_seen,
            due_by,
        ),
        zones=tracker.zone_table,
        before_input=user.before_input,
        bound=None if tracker.no_times else bound,  # (no times: no time to bound)
        pending_reason=pending_reason,
        shared_by=shared_by,
    )
    return _restarted(found, context) if timer else found


def _next_cycle(tracker: Tracked, when: int, every: int) -> tuple[int, int | None]:
    """The first cycle at or after `when` (a due time), and None; with no cycle's start in the
    input, where on the schedule `when` falls is unknown: one interval after it at the latest,
    and `when` itself at the soonest (SPEC §4 rule 4)."""
    found = tracker.log.next_cycle_at_or_after(when, every)
    return (when + every, when) if found is None else (found, None)
