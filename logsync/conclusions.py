"""Conclusions drawn again from an analysis's reading, as of its time: for users its own list
leaves out (`--user`), or with SMS Executive restarted then (the advice's what-if)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime

from .analysis import Analysis
from .cloud import in_azure_ad, restart_helps
from .memory import no_collections
from .tracker import STUCK_STATES, Result, UserState


def conclusion(
    analysis: Analysis,
    *,
    restart_at: datetime | None = None,
    states: Collection[str] | None = None,
    match: Callable[[str], bool] | None = None,
) -> Result:
    """The tracker's conclusion as of the analysis's time, from the same reading, for the
    users `states` and `match` ask for (see `Tracker.result`), each checked against the export
    of Azure AD users if there is one: a what-if restart at `restart_at` adds only those in
    Azure AD by then."""
    cloud = analysis.cloud
    result = analysis.tracker.result(
        analysis.as_of,
        restart_at=restart_at,
        states=states,
        match=match,
        restart_helps=(
            restart_helps(cloud, analysis.tracker.users.added_domains(), restart_at)
            if restart_at
            else None
        ),
    )
    return in_azure_ad(result, cloud)


def restart_now(
    analysis: Analysis, added: set[str] | None = None
) -> tuple[list[UserState], list[tuple[UserState, float | None]]]:
    """The stuck users as of the analysis's time (waiting, overdue, or counted so), and those a
    restart of SMS Executive then retries sooner or at all, each with the seconds it saves (see
    `outlook.freed_by_restart`). The stuck users are the analysis's own where it lists them all
    (a what-if changes only their expected recoveries). `added`: the UPN suffixes of the users
    added (`Users.added_domains`), if known."""
    from .tracker.outlook import freed_by_restart

    listed, as_of, tracker = analysis.listed, analysis.as_of, analysis.tracker
    if analysis.restart_at is None and (listed is None or set(listed) >= STUCK_STATES):
        stuck = [user for user in analysis.users if user.listed_in(STUCK_STATES)]
    else:
        stuck = conclusion(analysis, states=STUCK_STATES).users
    if as_of is None:
        return stuck, []
    if added is None:
        added = tracker.users.added_domains()
    helps = restart_helps(analysis.cloud, added, as_of)  # (in Azure AD by then)
    with no_collections():  # (as `Tracker.result`)
        return stuck, freed_by_restart(tracker, stuck, as_of, as_of, helps)


def asked_for(analysis: Analysis, match: Callable[[str], bool]) -> list[UserState]:
    """The users whose UPN is a `match` (`--user`), whatever their state (SPEC §4 rule 10), as
    of the analysis's time: for a command whose own list leaves some states out."""
    return conclusion(analysis, match=match).users
