"""Where cycles begin in an input that leaves their start lines out (`grep -C`, a search that
keeps some lines around users'): told from the users' lines and the removal lines, which every
cycle logs (SPEC §4; the README's "Cycles shown without their start or totals lines").

A cycle names a user once, within seconds; and it logs its removal lines just after its start.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection
from typing import TYPE_CHECKING

from ..formats.paste import placeholder
from .connector import HEARD_CYCLE_US
from .model import Moment
from .users import Seen, off_the_schedule

if TYPE_CHECKING:
    from .ledger import Ledger

_NOT_BEGUN = -(2**63)
_CHUNK = 4096
"""Cycles' starts kept in arrays of this many (32 KB: none grows past the allocator's heap,
whose large blocks' reallocation would raise every later block's cost in memory)."""


class Openings:
    """The users named since the last totals line, and whether one ended the cycle under way."""

    def __init__(self) -> None:
        self.closed = False
        """Whether a totals line ended the cycle under way (see `opens`)."""
        self.left_out = False
        """Whether a cycle began whose start the input leaves out (it leaves lines out)."""
        self._unclosed = 0  # (cycles in a row, up to the last start, with no totals line)
        self.several: dict[str, tuple[Moment, str, int]] = {}
        """Redacted names that several users share, with the record that names one again in the
        cycle that named it (see `named_in_cycle`; its line is 0 where rows carry none)."""
        self.sharers: dict[str, int] = {}
        """Of those, how many users each is the name of at least: the most times one cycle
        names it (or fails it)."""
        self._more: dict[str, tuple[int, int]] = {}  # (see `another`)
        self._again: dict[tuple[str, bool], tuple[tuple[int, int | None], int]] = {}
        """Of those, by name and whether its failures are counted: the mark of the last naming
        again (see `named_in_cycle`), and how many times its cycle had named it then."""
        self.begun: int | None = None
        """When the last cycle began: its start line, or its removal lines (see `begins`)."""
        self.off = False
        """Whether the cycle under way, begun at its removal lines, is off the schedule of the
        cycle before it: the first cycle after a restart that the input leaves out is (a full
        sync), and a user its timer holds back that it names may have been retried there."""
        self._began: list[array[int]] = []
        """When each cycle began, by its number less one (see `numbered`)."""
        self._cycles = 0
        """How many cycles began: the last one's number."""
        self._named: dict[str, int] = {}
        """When each user was named since the last totals line (or the cycle they begin), where
        no cycle start came before it (see `named_again`)."""

    def numbered(self, us: int | None) -> int:
        """A cycle begins at `us` (None: a restart, which ends the cycle under way; what it
        names before the next cycle begins is of no schedule): its number, from 1."""
        number = self._cycles = self._cycles + 1
        if number % _CHUNK == 1:  # (the first cycle, or the last array is full)
            self._began.append(array("q"))
        self._began[-1].append(_NOT_BEGUN if us is None else us)
        return number

    def began(self, number: int) -> int | None:
        """When cycle `number` began (see `numbered`): its start line, its removal lines, or the
        user whose naming again began it; None for none (0: before the input's first)."""
        at = number - 1
        began = self._began[at // _CHUNK][at % _CHUNK] if number > 0 else _NOT_BEGUN
        return None if began == _NOT_BEGUN else began

    def named_in_cycle(
        self, key: str, upn: str, here: Moment, source: str, line: int, cycle: int,
        after: Moment | None = None,
    ) -> None:
        """A user named, or failed, again in the cycle that named it: the connector names a
        user once a cycle, so a redacted name (`<UPN of User Account>`, `***@contoso.com`) is
        the name of several users there, whose states cannot be told apart. `cycle` is the
        cycle's number; `after`, for a failure, the failure before it: the failures of a cycle
        come within a minute of each other, whether its start is in the input or not, so a
        failure again just after one counted is one more of the same cycle (`sharers`)."""
        if not placeholder(upn):
            return
        if key not in self.several:
            self.several[key] = (here, source, line)
        failed = after is not None
        since = (cycle, None if after is None else after[0])  # (the naming before this one)
        last = self._again.get((key, failed))
        times = last[1] + 1 if last is not None and last[0] == since else 2
        self._again[key, failed] = ((cycle, here[0] if failed else None), times)
        if times > self.sharers.get(key, 0):
            self.sharers[key] = times

    def named_times(self, key: str, cycle: int) -> int:
        """How many times cycle `cycle` named a redacted name that several users share (see
        `named_in_cycle`) so far; 1 for another name."""
        found = self._again.get((key, False))
        return found[1] if found is not None and found[0][0] == cycle else 1

    def another(self, key: str, user: Seen, cycle: Ledger) -> bool:
        """Whether a name named again in the cycle under way (`cycle`) names another user, not
        held back: a redacted name several users share (see `named_in_cycle`), named more times
        in it so far than it failed before it. Where the cycle received the name already, one
        more user is received under it (see `more_users`)."""
        if key not in self.several:
            return False
        number = cycle.cycle_no
        if user.failures - cycle.failed.get(key, 0) >= self.named_times(key, number):
            return False
        if key in cycle.received:
            found = self._more.get(key)
            self._more[key] = (number, found[1] + 1 if found and found[0] == number else 1)
        return True

    def more_users(self, keys: Collection[str], cycle: int) -> int:
        """How many more users than names these are, received in cycle `cycle` (its totals
        count users): of each name received again there, the times beyond the first."""
        if not self._more:  # (most inputs: no name that several users share)
            return 0
        return sum(more for key, (at, more) in self._more.items() if at == cycle and key in keys)

    def totals(self) -> None:
        """A totals line ends the cycle under way: users are named anew."""
        self.closed = True
        if self._named:
            self._named = {}

    def named_again(self, key: str, us: int) -> bool:
        """Whether a user named with no cycle start since the last totals line (left out, as by
        `grep -C` without `--` or `Select-String -Context`) begins a cycle: named again more
        than a minute after it was named there."""
        named = self._named
        before = named.get(key)
        named[key] = us
        if before is None or us - before <= HEARD_CYCLE_US:
            return False
        self._named, self.left_out = {key: us}, True
        return True

    def named_twice(self, key: str, user: Seen, us: int, cycle_no: int) -> bool:
        """Whether a user named again, more than a minute later, in the cycle under way (whose
        start is in the input) begins a cycle whose start the input leaves out, as it leaves
        out the totals of the one under way (`grep -C3` of a user whose timer ran out)."""
        if user.cycle != cycle_no or us - user.last_seen <= HEARD_CYCLE_US:
            return False
        self._named, self.left_out = {key: us}, True  # (see `named_again`)
        return True

    def opens(self, notified: int, us: int) -> bool:
        """Whether removal lines (`remove_totals`, `users_removed`: every cycle logs them just
        after its start) begin a cycle whose start the input leaves out (`grep -C2`): the cycle
        under way named users (`notified`) or logged its totals since it began. Users are named
        anew from there (see `named_again`)."""
        if not (notified or self.closed):
            if self.begun is None:  # (the input's first cycle, its start left out: it began)
                self.begun = us
            return False
        self._named, self.left_out = {}, True
        return True

    def begins(self, us: int, every: int) -> None:
        """A cycle whose start the input leaves out begins at its removal lines, at `us`: off
        the schedule (`every` microseconds) of the cycle that began before it, or not."""
        self.off = self.begun is not None and off_the_schedule(us - self.begun, every)
        self.begun = us

    def starts(self, us: int) -> bool:
        """A cycle starts (counted here): whether the cycle before it is known whole, as far as
        the input says: it logged its totals; or it is the only one in a row without, and the
        input has left out no cycle's start so far (a cycle cut short by an error logs no
        totals line, in a log that shows every line; a search that keeps the starts keeps no
        totals)."""
        self.begun, self.off = us, False
        self._unclosed = 0 if self.closed else self._unclosed + 1
        return self.closed or not (self.left_out or self._unclosed > 1)
