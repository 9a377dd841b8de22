"""The users' full sync timers (SPEC §4 rule 2): when each runs out, which still run at a
restart, and the users a timer held back at their last notification (`rules.Tracker.feed_rows`
reads their next one without the whole rule: most rows of a large log are such)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import cast

from .model import Moment
from .users import Seen, User

OPENED_US = 1_000_000
"""How long after its start a cycle's removal lines may come (`Openings.opens`: a cycle whose
start the input leaves out begins there): a timer that ran out this close before them may have
run out after the start, and its user be held back by this cycle."""


class Timers:
    """The timers started by the users' failures, over the tracker's `users`."""

    def __init__(self, users: dict[str, Seen]) -> None:
        self._users = users
        self._heap: list[tuple[int, str]] = []
        """(due time, user key) of every timer started (a restarted timer leaves a stale
        entry, which no longer matches the user's due time)."""
        self.held: dict[str, User] = {}
        """Users a running timer held back at their last notification, by UPN as written
        there (not the followed user: its steps are noted)."""

    def start(self, key: str, due: int) -> None:
        """A failure started the user's timer: it runs out at `due` (microseconds)."""
        heapq.heappush(self._heap, (due, key))

    def ran_out(self, us: int) -> list[tuple[str, User]]:
        """The failing users whose timer ran out by `us` (a cycle's start): each timer once (a
        user whose failure was logged twice at one instant comes twice)."""
        heap = self._heap
        if not heap or heap[0][0] > us:  # (most cycles: called once each)
            return []
        out = []
        while heap and heap[0][0] <= us:
            due, key = heapq.heappop(heap)
            user = cast(User, self._users[key])
            if user.failing and user.full_sync_due == due:  # (else a stale entry)
                out.append((key, user))
        return out

    def due_in(self, here: Moment, by: int) -> list[str]:
        """The users whose timer ran out by `by`, whose retry is the cycle that begins `here`
        (`User.due_cycle`, set once): their keys."""
        heap = self._heap
        if not heap or heap[0][0] > by:  # (most cycles: no timer runs out)
            return []
        keys = []
        for key, user in self.ran_out(by):
            if user.due_cycle is None:
                user.due_cycle = here
                keys.append(key)
        return keys

    def running(self, us: int) -> Iterator[tuple[str, User]]:
        """The failing users whose timer still runs at `us` (a restart's full sync)."""
        for due, key in self._heap:
            user = cast(User, self._users[key])  # a user with a timer has failed
            if user.failing and user.full_sync_due == due and us < due:
                yield key, user

