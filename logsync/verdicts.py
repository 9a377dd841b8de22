"""The verdicts drawn from an analysis: the gate of `check` and `--fail-on`, and what a what-if
restart (`--restart-at`) changes."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from .times import timeless
from .tracker import FINDING_STATES, SHARED_NAME, STATES, Connector, UserState

if TYPE_CHECKING:
    from .analysis import Analysis


# -- the gate (`check`, `--fail-on`) ----------------------------------------------------------

def counts_against(user: UserState, fail_on: Collection[str]) -> bool:
    """Whether a user counts against `--fail-on`: its state is named, or it is pending with an
    outcome the input cannot say and a state it may be in is named (`UserState.unknown_as`: a
    gate never passes because a failure, or a retry, lies outside its input), or it is stuck
    and in Azure AD and `fixable` is named (a restart would add it)."""
    return (
        user.state in fail_on
        or any(state in fail_on for state in user.unknown_as)
        or ("fixable" in fail_on and user.stuck and user.in_azure_ad is True)
    )


class Gate(NamedTuple):
    """The verdict of a gate on an analysis: what it counts, and what it saw but does not."""

    fail_on: frozenset[str]
    """The user states and connector problem codes that count (`--fail-on`, expanded)."""
    named: str
    """`--fail-on` as given, to name it."""
    max_stuck: int
    counted: list[UserState]
    """The users that count against the gate, in the order listed."""
    counts: dict[str, int]
    """Every matched user by state, counted or not (the same counts as every output)."""
    connector_problem: str | None
    """The connector's problem that the gate counts, if any."""
    connector_seen: str | None
    """The connector's problem that the gate does not count, if any."""
    unnamed: int = 0
    """Failed adds that no failure line names (`Result.unnamed_failures`), counted where the
    gate names a state a failed add can be in (`counts_unnamed`): no state of theirs can be
    told, so each counts as a user against `--max-stuck` (nothing the input cannot say is an
    all-clear)."""
    unnamed_seen: int = 0
    """Such failed adds that the gate does not count (it names no such state)."""
    unnamed_at: tuple[datetime, str, int] | None = None
    """The first totals line that counts one (`Result.unnamed_at`)."""
    shared_beyond: int = 0
    """The matched users beyond one each that shared redacted names stand for
    (`Result.shared_beyond`)."""

    @property
    def users_counted(self) -> int:
        """The users that count: a redacted name that several users share counts as each of
        them (`UserState.shared_by`), at least (see `hidden`)."""
        return sum(user.shared_by for user in self.counted)

    @property
    def users_over(self) -> bool:
        """Whether the users (and failed adds) that count fail the gate, whatever the
        connector's problem: more than `max_stuck`, or a redacted name that several share."""
        return len(self.counted) + self.unnamed > self.max_stuck or hides_users(self.counted)

    @property
    def passed(self) -> bool:
        """Whether the gate passes: neither its users nor a connector problem it counts fail it."""
        return not self.users_over and self.connector_problem is None

    @property
    def hidden(self) -> bool:
        """Whether a redacted name that several users share counts (see `hides_users`)."""
        return hides_users(self.counted)

    @property
    def counted_states(self) -> dict[str, int]:
        """The users that count (as `users_counted` counts them), by state, every state listed."""
        counted = dict.fromkeys(STATES, 0)
        for user in self.counted:
            counted[user.state] += user.shared_by
        return counted

    @property
    def not_counted(self) -> dict[str, int]:
        """Users in a finding state that the gate does not count, by state; a redacted name
        that several users share counts as each of them, at least (see `not_counted_hidden`)."""
        counted = dict.fromkeys(FINDING_STATES, 0)
        for user in self.counted:
            if user.state in counted:
                counted[user.state] += user.shared_by
        missed = {state: self.counts[state] - counted[state] for state in FINDING_STATES}
        missed["pending"] += self.shared_beyond  # (shared names are pending)
        return missed

    @property
    def not_counted_hidden(self) -> bool:
        """Whether a redacted name that several users share is among the users not counted:
        `not_counted` is then a least number."""
        return sum(user.shared_by - 1 for user in self.counted) < self.shared_beyond

    @property
    def gated_states(self) -> list[str]:
        """The user states (and `fixable`) the gate counts, in the order of `STATES`."""
        return [state for state in (*STATES, "fixable") if state in self.fail_on]


def gate(
    analysis: Analysis, fail_on: frozenset[str], max_stuck: int = 0, named: str = ""
) -> Gate:
    """`check`'s verdict: more than `max_stuck` listed users counting against `fail_on`, or a
    connector problem it names, fail the gate."""
    counted = [user for user in analysis.users if counts_against(user, fail_on)]
    problem = counted_problem(analysis.connector, fail_on)
    unnamed = analysis.result.unnamed_failures
    counted_unnamed = unnamed if counts_unnamed(fail_on) else 0
    return Gate(
        fail_on=fail_on,
        named=named,
        max_stuck=max_stuck,
        counted=counted,
        counts=dict(analysis.result.counts),
        connector_problem=problem,
        connector_seen=analysis.connector.code if problem is None else None,
        unnamed=counted_unnamed,
        unnamed_seen=unnamed - counted_unnamed,
        unnamed_at=analysis.result.unnamed_at,
        shared_beyond=analysis.result.shared_beyond,
    )


def hides_users(counted: Collection[UserState]) -> bool:
    """Whether a redacted name that several users share is among the users a gate counts: how
    many users it stands for, the input cannot say (`Gate.users_counted` is a least number),
    so the gate fails whatever its limit."""
    return any(user.pending_reason == SHARED_NAME for user in counted)


def counted_problem(connector: Connector, fail_on: Collection[str]) -> str | None:
    """The connector's problem that a gate on `fail_on` counts: one it names; or, where the
    input shows no cycle (`no_cycles`), whatever user state it names: no user could be judged
    there, and a gate on nothing is no pass."""
    problem = connector.problem_in(fail_on)
    named_users = not _USER_WORDS.isdisjoint(fail_on)
    if problem is None and named_users and "no_cycles" in connector.problems:
        return "no_cycles"
    return problem


_USER_WORDS = frozenset((*STATES, "fixable"))


FAILED_ADD_STATES = frozenset({"waiting", "overdue", "failed"})
"""The states a user whose add failed can be in (by its reason and the time)."""


def counts_unnamed(fail_on: Collection[str]) -> bool:
    """Whether a gate on `fail_on` counts failed adds that no failure line names: it names a
    state such an add can be in."""
    return not FAILED_ADD_STATES.isdisjoint(fail_on)


def fails(analysis: Analysis, fail_on: frozenset[str]) -> bool:
    """`report --fail-on`: whether any matched user (listed or only counted) or the connector's
    problem counts against `fail_on`."""
    counts = analysis.result.counts
    return (
        counted_problem(analysis.connector, fail_on) is not None
        or any(counts[state] for state in fail_on if state in counts)
        or bool(analysis.result.undetermined and "waiting" in fail_on)
        or any(analysis.result.may_be.get(state) for state in fail_on)  # (`counts_against`)
        or bool(  # (no times: a due time unknown may be past)
            (counts["waiting"] or analysis.result.undetermined)
            and "overdue" in fail_on
            and timeless(analysis.as_of)
        )
        or any(counts_against(u, fail_on & {"fixable"}) for u in analysis.users)
        or bool(analysis.result.unnamed_failures and counts_unnamed(fail_on))
    )


# -- the what-if restart (`--restart-at`) -----------------------------------------------------


class WhatIf(NamedTuple):
    """What a what-if restart changes for the users listed."""

    freed: list[UserState]
    """The waiting users it frees strictly sooner."""
    retried: list[UserState]
    """The overdue users it retries (whose own retry did not come)."""
    not_in_azure_ad: list[UserState] | None
    """Checked against an export of Azure AD users, the stuck users not in it: the restart's
    full sync fails again for them, and the tracker left them to their own timer (None
    without an export)."""

    @property
    def time_saved_s(self) -> list[float]:
        return [u.time_saved_s or 0.0 for u in self.freed]


def what_if(users: list[UserState]) -> WhatIf:
    """What the what-if restart changes for `users` (see `WhatIf`)."""
    return WhatIf(
        freed=[u for u in users if u.recovery_by == "what-if" and (u.time_saved_s or 0) > 0],
        retried=[u for u in users if u.recovery_by == "what-if" and u.state == "overdue"],
        not_in_azure_ad=[u for u in users if u.stuck and u.in_azure_ad is False]
        if any(u.in_azure_ad is not None for u in users)
        else None,
    )
